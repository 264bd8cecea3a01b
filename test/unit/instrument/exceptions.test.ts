import { strict as assert } from 'node:assert';
import { runInstrumented } from './harness';
import { siteAt } from './locals';

describe('instrument: exceptions and the try counter', () => {
  it('reports an uncaught throw once, with the counter at 0 and the thrower on the stack', () => {
    const src = `function inner() {
  throw new Error('deep')
}
function outer() {
  inner()
}
outer()
`;
    const { outcome, rt, result } = runInstrumented(src);
    assert.equal(outcome.error, 'Error: deep');
    assert.equal(rt.uncaught.length, 1);
    const [report] = rt.uncaught;
    assert.equal(report!.tryDepth, 0);
    assert.equal(report!.site, siteAt(result, 2));
    const names = report!.fids.map((fid) => result.functions[fid]!.name);
    assert.deepEqual(names, ['<module>', 'outer', 'inner']);
    // Every frame saw it pass; all were left.
    assert.equal(rt.throws.length, 3);
    assert.equal(rt.stack.length, 0);
  });

  it('counts a model try as catching while its block runs, also across calls', () => {
    const src = `function thrower() { throw new Error('x') }
function guarded() {
  try {
    thrower()
  } catch (e) {
    log('caught ' + e.message)
  }
  log(typeof thrower)
}
guarded()
`;
    const depths: number[] = [];
    const { outcome, rt } = runInstrumented(src, 'model.js', {}, (r) => {
      r.onHook = () => depths.push(r.tryDepth);
    });
    assert.deepEqual(outcome.log, ['caught x', 'function']);
    assert.deepEqual(rt.uncaught, []);
    assert.ok(rt.throws.length > 0 && rt.throws.every((t) => t.tryDepth > 0));
    assert.equal(rt.tryDepth, 0);
    assert.ok(depths.includes(1) && depths[depths.length - 1] === 0);
  });

  it('treats try/finally as not catching unless the finally block leaves', () => {
    const src = `function plain() { try { null.a } finally { log('fin') } }
function swallow() { try { null.b } finally { return 'swallowed' } }
log(swallow())
plain()
`;
    const { outcome, rt } = runInstrumented(src);
    assert.deepEqual(outcome.log, ['swallowed', 'fin']);
    assert.equal(rt.uncaught.length, 1, 'only the plain finally lets it through');
    assert.match(String(rt.uncaught[0]!.error), /reading 'a'/);
  });

  it('balances the counter on return, break and continue out of a try', () => {
    const src = `function r() { try { return 1 } catch (e) {} }
for (const i of [1, 2, 3]) { try { if (i === 1) continue; if (i === 2) break } catch (e) {} }
lbl: { try { break lbl } catch (e) {} }
r()
`;
    const { rt } = runInstrumented(src);
    assert.equal(rt.tryDepth, 0);
  });

  it('survives a depth limit in enter: the RangeError can be caught and the stack unwinds', () => {
    const src = `function down(n) { return down(n + 1) }
try {
  down(0)
} catch (e) {
  log(e instanceof RangeError)
}
log('after')
down(0)
`;
    const { outcome, rt } = runInstrumented(src, 'model.js', {}, (r) => {
      r.maxDepth = 50;
    });
    assert.deepEqual(outcome.log, [true, 'after']);
    assert.match(outcome.error ?? '', /RangeError/);
    assert.equal(rt.uncaught.length, 1, 'the second overflow is uncaught');
    assert.equal(rt.uncaught[0]!.fids.length, 50);
    assert.equal(rt.stack.length, 0);
  });

  it('does not count tries around await in async functions (documented limit)', async () => {
    const src = `async function a() {
  try { await null; throw new Error('late') } catch (e) { return 'caught' }
}
async function b() {
  try { return 1 } catch (e) { return 2 }
}
module.exports = Promise.all([a(), b()])
`;
    const { outcome, result, rt } = runInstrumented(src);
    assert.deepEqual(await (outcome.exports as Promise<unknown>), ['caught', 1]);
    const tries = result.code.split('__t(1)').length - 1;
    assert.equal(tries, 1, 'only the try without await is counted');
    assert.equal(rt.tryDepth, 0);
  });
});
