import { strict as assert } from 'node:assert';
import {
  evaluateSideEffectFree,
  isModelCode,
  parseSideEffectFree,
  SideEffectError,
} from '../../../../src/runtime/worker/side-effects';

/** A getter as the instrumenter writes model code: it calls the hooks. */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- model code is generated text
const modelGetter = new Function(
  'hits',
  'return function () { __h(1); hits.n++; return 7; }',
) as (hits: { n: number }) => () => number;

/** Evaluates test text with `vars` in scope. */
function evaluator(vars: Record<string, unknown>): (e: string) => unknown {
  const names = Object.keys(vars);
  return (e) => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluation of test text
    const f = new Function(...names, `return (${e});`) as (...a: unknown[]) => unknown;
    return f(...names.map((n) => vars[n]));
  };
}

class CompletionRecord {
  raw = 3;
  /** A platform getter (no hooks): it only looks. */
  get status(): number {
    return this.raw & 1;
  }
}

describe('runtime/worker: side-effect-free evaluation (hover)', () => {
  const refused = (expr: string, reason: RegExp) => {
    assert.throws(
      () => parseSideEffectFree(expr),
      (e: unknown) => e instanceof SideEffectError && reason.test(e.message),
      expr,
    );
  };

  it('refuses calls, new, assignments, updates, delete and spreads, naming them', () => {
    refused(
      'readl(idxd.reg_base + 0x90)',
      /^not evaluated on hover: it has side effects \(calls readl\)$/,
    );
    refused('a.b.c()', /calls a\.b\.c/);
    refused('f`x`', /calls f/);
    refused('new DmaBuffer(4)', /new DmaBuffer/);
    refused('x = 1', /assigns x/);
    refused('a.b += 2', /assigns a\.b/);
    refused('i++', /\+\+ i/);
    refused('delete o.k', /delete o\.k/);
    refused('[...list]', /spread/);
    refused('{ ...o }', /spread/);
    refused('() => 1', /defines a function/);
    refused('a; b', /only one expression/);
    refused('a +', /does not parse/);
  });

  it('lets plain reads, operators, literals and optional chains through', () => {
    for (const e of [
      'wq.ims.virq',
      'a?.b[c]',
      'x + 1 > 2 ? `v${x}` : [1, { k: x }]',
      '!ready',
      'typeof f',
    ])
      assert.ok(parseSideEffectFree(e));
  });

  it('evaluates plain reads and platform getters', () => {
    const scope = { wq: { ims: { virq: 33 } }, rec: new CompletionRecord() };
    const ev = evaluator({ wq: scope.wq, rec: scope.rec });
    assert.equal(evaluateSideEffectFree('wq.ims.virq + 1', ev), 34);
    assert.equal(evaluateSideEffectFree('rec.status', ev), 1);
  });

  it('refuses a getter of the model without running it', () => {
    const hits = { n: 0 };
    const o = {};
    Object.defineProperty(o, 'status', { get: modelGetter(hits) });
    const derived = Object.create(o) as object;
    const ev = evaluator({ o, d: derived, k: 'status' });
    assert.ok(isModelCode(modelGetter(hits)));
    for (const e of ['o.status', 'd.status', 'o[k]', 'o?.status + 1'])
      assert.throws(() => evaluateSideEffectFree(e, ev), /is a getter of the model/, e);
    assert.equal(hits.n, 0, 'the getter never ran');
  });

  it("refuses converting an object through the model's valueOf, and reading through a Proxy", () => {
    const hits = { n: 0 };
    const v = { valueOf: modelGetter(hits) };
    const p = new Proxy({}, { get: () => 1 });
    const ev = evaluator({ v, p });
    assert.throws(() => evaluateSideEffectFree('v + 1', ev), /valueOf/);
    assert.throws(() => evaluateSideEffectFree('`${v}`', ev), /valueOf/);
    assert.throws(() => evaluateSideEffectFree('p.x', ev), /Proxy/);
    assert.equal(evaluateSideEffectFree('v === v', ev), true);
    assert.equal(hits.n, 0);
  });

  it("passes the evaluator's own errors through (an undefined name)", () => {
    const ev = evaluator({});
    assert.throws(() => evaluateSideEffectFree('nope.x', ev), ReferenceError);
  });
});
