import { strict as assert } from 'node:assert';
import { runInstrumented, type Frame } from './harness';
import { evaluate, readLocals, siteAt, UNINITIALIZED } from './locals';

/** Runs `source` and returns the locals (and the frame) at the first visit of `line`. */
function stopAt(source: string, line: number, file = 'model.js') {
  let seen: { levels: Record<string, unknown>[]; frame: Frame; fids: number[] } | undefined;
  const run = runInstrumented(source, file, {}, (rt, result) => {
    const target = siteAt(result, line);
    rt.onHook = (site) => {
      if (site !== target || seen) return;
      const frame = rt.top();
      seen = { levels: readLocals(result, frame, site), frame, fids: rt.stack.map((f) => f.fid) };
    };
  });
  assert.equal(run.outcome.error, undefined);
  assert.ok(seen, `line ${line} was reached`);
  return { ...seen, ...run };
}

describe('instrument: locals through scope closures', () => {
  it('reads params, vars, body lets, block lets and loop bindings at a stop', () => {
    const src = `function f(a, { b }, ...rest) {
  var v = a + 1
  let l = 'L'
  for (let i = 0; i < 2; i++) {
    const inner = i * 10
    if (i === 1) {
      log(inner)
    }
  }
  return v
}
f(1, { b: 2 }, 3, 4)
`;
    const { levels } = stopAt(src, 7);
    assert.deepEqual(levels, [
      { i: 1, inner: 10 },
      { a: 1, b: 2, rest: [3, 4], v: 2, l: 'L' },
    ]);
  });

  it('shows names in their temporal dead zone as uninitialized', () => {
    const src = `function g() {
  log('before')
  let late = 1
  class K {}
  return late
}
g()
`;
    const { levels } = stopAt(src, 2);
    assert.deepEqual(levels, [{ late: UNINITIALIZED, K: UNINITIALIZED }]);
  });

  it('keeps shadowed outer names readable through their own level', () => {
    const src = `function s() {
  let x = 'outer'
  {
    let x = 'inner'
    log(x)
  }
}
s()
`;
    const { levels } = stopAt(src, 5);
    assert.deepEqual(levels, [{ x: 'inner' }, { x: 'outer' }]);
  });

  it('evaluates this, arguments and expressions, and can assign a local', () => {
    const src = `const o = {
  k: 5,
  m(p) {
    let q = p * 2
    log(q)
    return q
  },
}
log(o.m(3))
`;
    let result: unknown;
    const run = runInstrumented(src, 'model.js', {}, (rt, r) => {
      const target = siteAt(r, 5);
      rt.onHook = (site) => {
        if (site !== target) return;
        const s0 = rt.top().s[0]!;
        result = [evaluate(s0, 'this.k'), evaluate(s0, 'arguments.length'), evaluate(s0, 'p + q')];
        s0('q = 100');
      };
    });
    assert.deepEqual(result, [5, 1, 9]);
    assert.deepEqual(run.outcome.log, [100, 100]);
  });

  it('reads catch parameters, switch-case lets and module-level names', () => {
    const src = `const top = 'T'
function h(v) {
  try {
    throw new Error('boom')
  } catch (err) {
    switch (v) {
      case 1:
        let inCase = err.message
        log(inCase)
    }
  }
}
h(1)
`;
    const { levels } = stopAt(src, 9);
    assert.deepEqual(levels, [{ inCase: 'boom' }, { err: new Error('boom') }, { v: 1 }]);
  });

  it('reads module-level names, before and after their declaration', () => {
    const src = `log('first')
const top = 'T'
function helper() {}
log(top)
let later = 2
`;
    const shape = (line: number) =>
      stopAt(src, line).levels.map((level) =>
        Object.fromEntries(
          Object.entries(level).map(([k, v]) => [k, typeof v === 'function' ? 'fn' : v]),
        ),
      );
    // Function declarations are hoisted; let/const are in their dead zone until declared.
    assert.deepEqual(shape(1), [{ top: UNINITIALIZED, helper: 'fn', later: UNINITIALIZED }]);
    assert.deepEqual(shape(5), [{ top: 'T', helper: 'fn', later: UNINITIALIZED }]);
  });

  it("keeps a caller's closures valid while the callee runs", () => {
    const src = `function callee() {
  log('in callee')
}
function caller(c) {
  let mine = c + '!'
  callee()
}
caller('x')
`;
    let callerValue: unknown;
    runInstrumented(src, 'model.js', {}, (rt, r) => {
      const target = siteAt(r, 2);
      rt.onHook = (site) => {
        if (site === target) callerValue = evaluate(rt.stack[rt.stack.length - 2]!.s[0]!, 'mine');
      };
    });
    assert.equal(callerValue, 'x!');
  });

  it('gives sites in frameless functions and with locals off no scope', () => {
    const src = `async function a() { const x = 1; return x }
function* g() { yield 1 }
function plain() { let y = 2; return y }
a(); [...g()]; plain()
`;
    const { result } = runInstrumented(src);
    for (const s of result.sites) {
      const fn = result.functions[s.fid]!;
      if (fn.name === 'a' || fn.name === 'g') assert.equal(s.scope, -1);
      if (fn.name === 'plain') assert.ok(s.scope >= 0);
    }
    const off = runInstrumented(src, 'model.js', { locals: false });
    assert.equal(off.outcome.error, undefined);
    assert.deepEqual(off.result.scopes, []);
    assert.ok(off.result.sites.every((s) => s.depth === -1 && s.scope === -1));
    assert.ok(!off.result.code.includes('eval'));
  });
});
