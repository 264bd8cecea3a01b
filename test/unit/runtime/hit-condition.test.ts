import { strict as assert } from 'node:assert';
import { parseHitCondition } from '../../../src/runtime/hit-condition';

/** The hit counts 1..n on which `text` breaks. */
function breaksOn(text: string, n = 12): number[] {
  const p = parseHitCondition(text);
  return Array.from({ length: n }, (_, i) => i + 1).filter((h) => p(h));
}

describe('runtime: hit conditions', () => {
  it('reads a bare number as ">= N": from the Nth hit on', () => {
    assert.deepEqual(breaksOn('3', 6), [3, 4, 5, 6]);
    assert.deepEqual(breaksOn('1', 3), [1, 2, 3]);
  });

  it('compares with >, >=, <, <=', () => {
    assert.deepEqual(breaksOn('>3', 6), [4, 5, 6]);
    assert.deepEqual(breaksOn('>=3', 6), [3, 4, 5, 6]);
    assert.deepEqual(breaksOn('<3', 6), [1, 2]);
    assert.deepEqual(breaksOn('<=3', 6), [1, 2, 3]);
  });

  it('takes =, == and === as equality', () => {
    for (const op of ['=', '==', '===']) assert.deepEqual(breaksOn(`${op}4`), [4], op);
  });

  it('breaks on every Nth hit with %N, and never with %0', () => {
    assert.deepEqual(breaksOn('%3'), [3, 6, 9, 12]);
    assert.deepEqual(breaksOn('%1', 4), [1, 2, 3, 4]);
    assert.deepEqual(breaksOn('%0'), []);
  });

  it('allows whitespace around the condition and between operator and number', () => {
    assert.deepEqual(breaksOn('  >= 10 ', 11), [10, 11]);
    assert.deepEqual(breaksOn('% 5', 10), [5, 10]);
    assert.deepEqual(breaksOn('\t7\n', 8), [7, 8]);
  });

  it('throws for anything else, with a message that shows the grammar', () => {
    for (const bad of ['', 'x', '>', '=>3', '>>3', '3.5', '-1', '0x10', '!= 3', '3 4', '%']) {
      assert.throws(
        () => parseHitCondition(bad),
        (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.ok(e.message.includes(`"${bad}"`), e.message);
          for (const op of ['>', '>=', '=', '<', '<=', '%']) assert.ok(e.message.includes(op));
          assert.match(e.message, /number/);
          return true;
        },
        JSON.stringify(bad),
      );
    }
  });
});
