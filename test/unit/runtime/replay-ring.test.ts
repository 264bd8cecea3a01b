import { strict as assert } from 'node:assert';
import { PositionRing } from '../../../src/runtime/worker/position-ring';

/**
 * A run as the worker sees it: `hook()` counts a statement, `push`/`pop` change the depth
 * (recorded at the current count, as the worker's enter/leave hooks do).
 */
function run(capacity?: number) {
  const ring = new PositionRing(capacity);
  let n = 0;
  let depth = 0;
  return {
    ring,
    hook: (): number => ++n,
    push: () => ring.record(n, ++depth),
    pop: () => ring.record(n, --depth),
    /** Interrupt handlers ran at the hook of statement `at`: the place after them. */
    tick: (at: number): number => {
      ring.tick(++n, at);
      return n;
    },
  };
}

describe('runtime: replay position ring', () => {
  it('goes back one statement in straight-line code; none before the first', () => {
    const r = run();
    for (let i = 0; i < 5; i++) r.hook();
    assert.equal(r.ring.previous(5, false, 0), 4);
    assert.equal(r.ring.previous(2, false, 0), 1);
    assert.equal(r.ring.previous(1, false, 0), 'none');
  });

  it('steps back over a call as step over steps over it, and into the callee from inside', () => {
    const r = run();
    r.hook(); // 1
    r.hook(); // 2
    r.hook(); // 3: f()
    r.push();
    r.hook(); // 4  in f
    r.hook(); // 5
    r.hook(); // 6
    r.pop();
    r.hook(); // 7
    assert.equal(r.ring.previous(7, false, 0), 3, 'the call, not the callee');
    assert.equal(r.ring.previous(6, false, 1), 5);
    assert.equal(r.ring.previous(4, false, 1), 3, 'out of the callee to its caller');
    assert.equal(r.ring.previous(3, false, 0), 2);
  });

  it('skips a handler that ran at a statement boundary, and the interrupted hook itself', () => {
    const r = run();
    for (let i = 0; i < 9; i++) r.hook(); // 1..9
    const n = r.hook(); // 10: an interrupt is taken at this hook
    r.push(); // irq frame
    r.push(); // handler
    r.hook(); // 11
    r.hook(); // 12
    r.pop();
    r.pop();
    const t = r.tick(n); // 13: the place after the handler, where step over stops
    const after = r.hook(); // 14
    assert.equal(t, 13);
    assert.equal(r.ring.previous(after, false, 0), t);
    assert.equal(r.ring.previous(t, false, 0), 9, 'hook 10 is no place to stop');
    assert.equal(r.ring.previous(11, false, 2), 9, 'from the handler’s first statement');
    assert.equal(r.ring.previous(12, false, 2), 11);
  });

  it('includes the statement itself for a stop inside it (a data breakpoint in a kernel call)', () => {
    const r = run();
    r.hook(); // 1
    r.hook(); // 2: readl(...)
    r.push(); // kernel frame: the stop is in here, at count 2
    assert.equal(r.ring.previous(2, true, 1), 2);
    assert.equal(r.ring.previous(2, false, 1), 1);
  });

  it('says unknown when the ring no longer reaches back to the answer', () => {
    const r = run(8);
    r.hook(); // 1: a call with many calls inside
    r.push();
    for (let i = 0; i < 10; i++) {
      r.hook();
      r.push();
      r.pop();
    }
    r.pop();
    const n = r.hook();
    assert.equal(r.ring.previous(n, false, 0), 'unknown');
    assert.equal(r.ring.previous(n, false, 1), n - 1, 'what it still holds, it answers');
  });

  it('takes back what the debugger’s own evaluation recorded', () => {
    const r = run();
    r.hook(); // 1
    r.hook(); // 2
    const mark = r.ring.mark();
    r.push(); // a call made by a console expression, at count 2
    r.ring.record(5, 1);
    r.pop();
    r.ring.rewind(mark);
    assert.equal(r.ring.previous(2, false, 0), 1);
    assert.throws(() => new PositionRing(12), RangeError);
  });
});
