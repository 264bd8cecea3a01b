import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Clock } from '../../../src/platform/clock';

describe('Clock', () => {
  it('runs events in time order, FIFO at equal times', () => {
    const c = new Clock();
    const seen: string[] = [];
    c.schedule(20, 'b', () => seen.push('b'));
    c.schedule(10, 'a', () => seen.push('a'));
    c.schedule(20, 'c', () => seen.push('c'));
    while (c.runNext(Infinity));
    assert.deepEqual(seen, ['a', 'b', 'c']);
    assert.equal(c.now, 20);
  });

  it('runs nothing past the limit and skips cancelled events', () => {
    const c = new Clock();
    const seen: number[] = [];
    const id = c.schedule(5, 'x', () => seen.push(5));
    c.schedule(50, 'y', () => seen.push(50));
    c.cancel(id);
    assert.equal(c.runNext(10), false);
    assert.equal(c.nextEventTime(), 50);
    assert.deepEqual(seen, []);
  });

  it('rejects negative delays', () => {
    assert.throws(() => new Clock().schedule(-1, 'bad', () => undefined), RangeError);
  });
});

describe('Clock: ordering and cancellation', () => {
  it('runs any schedule in (time, scheduling order) order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 60 }), (delays) => {
        const c = new Clock();
        const seen: number[] = [];
        delays.forEach((d, i) => c.schedule(d, `e${i}`, () => seen.push(i)));
        while (c.runNext(Infinity));
        const expected = delays
          .map((d, i) => [d, i] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .map(([, i]) => i);
        assert.deepEqual(seen, expected);
      }),
      { numRuns: 200 },
    );
  });

  it('runs an event scheduled at the current time after those already due then', () => {
    const c = new Clock();
    const seen: string[] = [];
    c.schedule(10, 'a', () => {
      seen.push('a');
      c.schedule(0, 'a-child', () => seen.push('a-child'));
    });
    c.schedule(10, 'b', () => seen.push('b'));
    c.schedule(11, 'c', () => seen.push('c'));
    while (c.runNext(Infinity));
    assert.deepEqual(seen, ['a', 'b', 'a-child', 'c']);
  });

  it('counts and lists pending events without the cancelled ones', () => {
    const c = new Clock();
    const a = c.schedule(30, 'a', () => undefined);
    c.schedule(10, 'b', () => undefined);
    c.schedule(10, 'c', () => undefined);
    c.cancel(a);
    c.cancel(a);
    c.cancel(999);
    assert.equal(c.pending, 2);
    assert.deepEqual(
      c.list().map((e) => [e.label, e.t]),
      [
        ['b', 10],
        ['c', 10],
      ],
    );
    c.runNext(Infinity);
    c.runNext(Infinity);
    assert.equal(c.pending, 0);
    assert.equal(c.nextEventTime(), undefined);
    assert.equal(c.now, 10, 'the cancelled event never moved the clock');
  });

  it('advanceTo only moves forward and runs nothing', () => {
    const c = new Clock();
    let ran = false;
    c.schedule(5, 'x', () => (ran = true));
    c.advanceTo(100);
    c.advanceTo(50);
    assert.equal(c.now, 100);
    assert.equal(ran, false);
    assert.equal(c.runNext(100), true, 'an overdue event still runs');
    assert.equal(c.now, 100, 'without moving the clock back');
  });

  it('rejects non-finite delays', () => {
    const c = new Clock();
    assert.throws(() => c.schedule(Infinity, 'inf', () => undefined), RangeError);
    assert.throws(() => c.schedule(NaN, 'nan', () => undefined), RangeError);
  });
});
