import { strict as assert } from 'node:assert';
import {
  EffectLog,
  FIRST,
  ORIGIN,
  StopHistory,
  comparePositions,
  formatPosition,
  type Position,
  type SideEffect,
} from '../../../src/runtime/replay-log';

const at = (n: number, m = 0): Position => ({ n, m });
const ev = (expression: string): SideEffect => ({ kind: 'evaluate', expression });
const applied = (log: EffectLog, to: Position): string[] => {
  const out: string[] = [];
  log.due(to, (e) => out.push(e.kind === 'evaluate' ? e.expression : e.kind));
  return out;
};

describe('runtime: replay log — positions', () => {
  it('orders by statement, then by the stops inside it', () => {
    assert.ok(comparePositions(at(5), at(6)) < 0);
    assert.ok(comparePositions(at(5, 2), at(6)) < 0);
    assert.ok(comparePositions(at(5), at(5, 1)) < 0);
    assert.ok(comparePositions(at(5, 2), at(5, 1)) > 0);
    assert.equal(comparePositions(at(5, 1), at(5, 1)), 0);
    assert.ok(comparePositions(ORIGIN, FIRST) < 0);
    assert.equal(formatPosition(at(12345)), '12345');
    assert.equal(formatPosition(at(12345, 2)), '12345.2');
  });
});

describe('runtime: replay log — side effects', () => {
  it('applies each effect once, when the run reaches its position, in order', () => {
    const log = new EffectLog([
      { at: at(10), effect: ev('b') },
      { at: at(3), effect: ev('a') },
      { at: at(10, 1), effect: ev('c') },
    ]);
    assert.equal(log.pending, true);
    assert.deepEqual(applied(log, at(2)), []);
    assert.deepEqual(applied(log, at(3)), ['a']);
    assert.deepEqual(applied(log, at(9)), []);
    assert.deepEqual(applied(log, at(10)), ['b']);
    assert.deepEqual(applied(log, at(10)), [], 'not twice');
    assert.deepEqual(applied(log, at(10, 1)), ['c']);
    assert.equal(log.pending, false);
  });

  it('applies an effect whose stop inside a statement no longer happens at the next place', () => {
    const log = new EffectLog([{ at: at(7, 2), effect: ev('x') }]);
    assert.deepEqual(applied(log, at(7, 1)), []);
    assert.deepEqual(applied(log, at(8)), ['x']);
  });

  it('logs new effects as applied; a new effect drops the old future after it', () => {
    const log = new EffectLog([
      { at: at(5), effect: ev('a') },
      { at: at(20), effect: ev('later') },
      { at: at(30), effect: ev('latest') },
    ]);
    assert.deepEqual(applied(log, at(8)), ['a']);
    log.add(at(8), ev('new'));
    assert.equal(log.pending, false, 'added effects are applied already');
    assert.deepEqual(
      log.all.map((e) => [
        formatPosition(e.at),
        e.effect.kind === 'evaluate' && e.effect.expression,
      ]),
      [
        ['5', 'a'],
        ['8', 'new'],
      ],
    );
    // Two effects at one stop keep their order.
    log.add(at(8), ev('new2'));
    assert.deepEqual(
      log.all.map((e) => e.effect.kind === 'evaluate' && e.effect.expression),
      ['a', 'new', 'new2'],
    );
  });

  it('replays a log in another worker exactly as it was made', () => {
    const first = new EffectLog();
    first.add(at(4), ev('one'));
    first.add(at(4, 1), { kind: 'writeMemory', address: 0x1000, data: 'AAE=' });
    first.add(at(9), { kind: 'assign', lvalue: 'x', value: '2', frameId: 1 });
    const replay = new EffectLog(first.all);
    assert.deepEqual(applied(replay, at(100)), ['one', 'writeMemory', 'assign']);
  });
});

describe('runtime: replay log — stop history', () => {
  const bp = { reason: 'breakpoint' };

  it('keeps the stops reverse continue goes back to, not steps, pauses or entry', () => {
    const h = new StopHistory<{ reason: string }>();
    h.record(at(1), { reason: 'entry' });
    h.record(at(5), bp);
    h.record(at(6), { reason: 'step' });
    h.record(at(9, 1), { reason: 'data breakpoint' });
    h.record(at(12), { reason: 'pause' });
    h.record(at(15), { reason: 'exception' });
    assert.deepEqual(h.previous(at(15)), { at: at(9, 1), stop: { reason: 'data breakpoint' } });
    assert.deepEqual(h.previous(at(9, 1)), { at: at(5), stop: bp });
    assert.deepEqual(h.previous(at(9)), { at: at(5), stop: bp });
    assert.equal(h.previous(at(5)), 'start', 'none before, and the history is complete');
  });

  it('records a stop once (a real stop after the replay passed it)', () => {
    const h = new StopHistory<{ reason: string }>();
    h.record(at(5), bp);
    h.record(at(5), bp);
    h.record(at(4), bp);
    assert.deepEqual(h.previous(at(6)), { at: at(5), stop: bp });
    assert.equal(h.previous(at(5)), 'start');
  });

  it('forgets what came before a real change of breakpoints, not a repeated set', () => {
    const h = new StopHistory<{ reason: string }>();
    h.changed('file a.js', '[{"line":3}]', ORIGIN); // configuration, before the run
    h.record(at(5), bp);
    h.changed('file a.js', '[{"line":3}]', at(7)); // the client sends the same set again
    assert.deepEqual(h.previous(at(8)), { at: at(5), stop: bp });
    h.changed('file a.js', '[{"line":3},{"line":9}]', at(7));
    assert.equal(h.previous(at(8)), 'unknown');
    assert.deepEqual(h.validFrom, at(7));
    h.record(at(10), bp);
    assert.deepEqual(h.previous(at(11)), { at: at(10), stop: bp });
    assert.equal(h.previous(at(10)), 'unknown');
  });

  it('forgets its oldest half past its limit (they become unknown)', () => {
    const h = new StopHistory<{ reason: string }>(4);
    for (let n = 1; n <= 5; n++) h.record(at(n * 10), bp);
    assert.deepEqual(h.previous(at(100)), { at: at(50), stop: bp });
    assert.deepEqual(h.previous(at(31)), { at: at(30), stop: bp });
    assert.equal(h.previous(at(30)), 'unknown');
  });
});
