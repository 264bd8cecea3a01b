import { strict as assert } from 'node:assert';
import { Timeline } from '../../../src/runtime/worker/timeline';
import { PositionRing } from '../../../src/runtime/worker/position-ring';
import type { StopInfo, WorkerEvent } from '../../../src/runtime/protocol';
import type { SideEffect } from '../../../src/runtime/replay-log';

const bp: StopInfo = { reason: 'breakpoint', cpu: 0, hitBreakpointIds: [1] };
const step: StopInfo = { reason: 'step', cpu: 0 };

/** A worker's timeline driven as the debugger drives it: hooks at depths, stops. */
function worker() {
  const events: WorkerEvent[] = [];
  const tl = new Timeline((e) => events.push(e));
  const applied: string[] = [];
  tl.apply = (e: SideEffect) => {
    applied.push(e.kind === 'evaluate' ? e.expression : e.kind);
    tl.logged({ n: 0, m: 0 }, e); // a re-application is not logged again
  };
  const stops: { n: number; info: StopInfo }[] = [];
  let n = 0;
  /** Called while stopped (the worker serves requests inside the stop). */
  let whileStopped: () => void = () => undefined;
  const hook = (depth: number): void => {
    n++;
    tl.hookEnd(n, depth, (info) => {
      if (!tl.arrive({ n, m: 0 }, info)) return;
      stops.push({ n, info });
      whileStopped();
    });
  };
  /** A stop inside the current statement (a data breakpoint): true when really made. */
  const inside = (m: number, info: StopInfo): boolean => {
    const real = tl.arrive({ n, m }, info);
    if (real) stops.push({ n, info });
    return real;
  };
  return {
    tl,
    hook,
    inside,
    stops,
    applied,
    events,
    onStop: (f: () => void) => (whileStopped = f),
  };
}

describe('runtime: replay timeline (worker side)', () => {
  it('replays to the target without stopping on the way, recording the stops it passes', () => {
    const w = worker();
    w.tl.begin({ target: { n: 6, m: 0 }, stop: step, effects: [] });
    assert.equal(w.tl.active, true);
    assert.equal(w.tl.replaying, true);
    w.hook(0);
    w.hook(0);
    w.hook(1);
    assert.equal(w.inside(1, bp), false, 'a would-be stop on the way is passed by');
    w.hook(1);
    w.hook(0);
    assert.deepEqual(w.stops, []);
    const targets: unknown[] = [];
    w.onStop(() => {
      assert.equal(w.tl.replaying, false);
      assert.equal(w.tl.active, false);
      const ring = new PositionRing();
      targets.push(w.tl.travelTarget('reverseContinue', ring, 0, step).target);
      // Seen every statement: step back knows the last place at depth ≤ 0 before 6 exactly.
      targets.push(w.tl.travelTarget('stepBack', ring, 0, step).target);
    });
    w.hook(0);
    assert.deepEqual(w.stops, [{ n: 6, info: step }]);
    assert.deepEqual(targets, [
      { at: { n: 3, m: 1 }, stop: bp },
      { at: { n: 5, m: 0 }, stop: step },
    ]);
  });

  it('knows step back’s target at every depth in a replay', () => {
    const w = worker();
    w.tl.begin({ target: { n: 5, m: 0 }, stop: step, effects: [] });
    const targets: unknown[] = [];
    w.onStop(() => {
      for (const d of [2, 1, 0])
        targets.push(w.tl.travelTarget('stepBack', new PositionRing(), d, step).target);
    });
    for (const d of [0, 1, 2, 1, 2]) w.hook(d);
    assert.deepEqual(
      targets.map((t) => (typeof t === 'string' ? t : (t as { at: { n: number } }).at.n)),
      [4, 4, 1],
    );
  });

  it('stops at a target inside a statement when the stop there happens, else just after', () => {
    const w = worker();
    w.tl.begin({ target: { n: 2, m: 2 }, stop: bp, effects: [] });
    w.hook(0);
    w.hook(0);
    assert.equal(w.inside(1, bp), false);
    assert.equal(w.inside(2, bp), true);
    assert.deepEqual(w.tl.current, { n: 2, m: 2 });

    const gone = worker(); // the data breakpoint was removed since
    gone.tl.begin({ target: { n: 2, m: 2 }, stop: bp, effects: [] });
    gone.hook(0);
    gone.hook(0);
    assert.deepEqual(gone.stops, []);
    gone.hook(0);
    assert.deepEqual(gone.stops, [{ n: 3, info: bp }]);
  });

  it('re-applies side effects at their positions, keeps later ones ahead, logs new ones', () => {
    const w = worker();
    w.tl.begin({
      target: { n: 3, m: 0 },
      stop: step,
      effects: [
        { at: { n: 2, m: 0 }, effect: { kind: 'evaluate', expression: 'a = 1' } },
        { at: { n: 3, m: 0 }, effect: { kind: 'evaluate', expression: 'b = 2' } },
        { at: { n: 5, m: 0 }, effect: { kind: 'evaluate', expression: 'c = 3' } },
      ],
    });
    w.hook(0);
    assert.deepEqual(w.applied, []);
    w.hook(0);
    assert.deepEqual(w.applied, ['a = 1']);
    w.hook(0);
    assert.deepEqual(w.applied, ['a = 1', 'b = 2'], 'applied before the stop at their step');
    assert.equal(w.tl.active, true, 'an effect is still ahead: the slow path stays on');
    w.tl.resumed('continue', 0);
    w.hook(0);
    w.hook(0);
    assert.deepEqual(w.applied, ['a = 1', 'b = 2', 'c = 3']);
    assert.equal(w.tl.active, false);
    assert.equal(
      w.tl.travelTarget('stepBack', new PositionRing(), 0, step).effects.length,
      3,
      'not logged twice',
    );
  });

  it('a pause ends a replay where it is', () => {
    const w = worker();
    w.tl.begin({ target: { n: 1000, m: 0 }, stop: step, effects: [] });
    w.hook(0);
    assert.equal(w.tl.arrive({ n: 1, m: 0 }, { reason: 'pause', cpu: 0 }), true);
    assert.equal(w.tl.replaying, false);
    assert.equal(w.tl.active, false);
  });

  it('uses the ring once the run has gone on unseen, and the last step when the ring lost it', () => {
    const w = worker();
    w.hook(0); // 1
    w.tl.arrive({ n: 1, m: 0 }, { reason: 'entry', cpu: 0 });
    w.tl.resumed('continue', 0); // runs free: not every statement is seen any more
    const ring = new PositionRing(4);
    assert.deepEqual(w.tl.travelTarget('stepBack', ring, 0, step).target, 'none');
    w.tl.arrive({ n: 40, m: 0 }, bp);
    for (let c = 1; c < 30; c++) ring.record(c, 1 + (c % 2)); // deeper all along; 1 is lost
    assert.equal(w.tl.travelTarget('stepBack', ring, 0, bp).target, 'unknown');
    // A step over from 40 ends at 90 at the same depth: step back goes to 40.
    w.tl.resumed('over', 0);
    w.tl.arrive({ n: 90, m: 0 }, step, 0);
    for (let c = 41; c < 90; c++) ring.record(c, 1 + (c % 2));
    assert.deepEqual(w.tl.travelTarget('stepBack', ring, 0, step).target, {
      at: { n: 40, m: 0 },
      stop: step,
    });
    // A breakpoint where the step would have stopped too: the same.
    w.tl.resumed('over', 0);
    w.tl.arrive({ n: 150, m: 0 }, bp, 0);
    for (let c = 91; c < 150; c++) ring.record(c, 1 + (c % 2));
    assert.deepEqual(w.tl.travelTarget('stepBack', ring, 0, bp).target, {
      at: { n: 90, m: 0 },
      stop: step,
    });
    // Not a breakpoint deeper than the step (the places in between may qualify).
    w.tl.resumed('over', 0);
    w.tl.arrive({ n: 200, m: 0 }, bp, 1);
    for (let c = 151; c < 200; c++) ring.record(c, 2 + (c % 2));
    assert.equal(w.tl.travelTarget('stepBack', ring, 1, bp).target, 'unknown');
  });

  it('reverse continue goes to the first statement when no stop came before, else stays', () => {
    const w = worker();
    w.hook(0);
    w.hook(0);
    w.tl.arrive({ n: 2, m: 0 }, step);
    assert.deepEqual(w.tl.travelTarget('reverseContinue', new PositionRing(), 0, step).target, {
      at: { n: 1, m: 0 },
      stop: { reason: 'entry', cpu: 0 },
    });
    w.tl.arrive({ n: 1, m: 0 }, { reason: 'entry', cpu: 0 });
    assert.equal(w.tl.travelTarget('reverseContinue', new PositionRing(), 0, step).target, 'none');
  });
});
