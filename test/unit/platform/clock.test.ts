import { strict as assert } from 'node:assert';
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
