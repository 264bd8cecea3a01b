import { strict as assert } from 'node:assert';
import { CORPUS } from './corpus';
import { expectedStatementSites } from './expected';
import { lineCount, runInstrumented, runPlain, snapshot, type RunOutcome } from './harness';

async function settle(outcome: RunOutcome): Promise<RunOutcome> {
  if (outcome.exports instanceof Promise) {
    outcome.exports = await (outcome.exports as Promise<unknown>).catch(
      (e: unknown) => `rejected ${String(e)}`,
    );
  }
  return outcome;
}

describe('instrument: semantics are unchanged on the corpus', () => {
  for (const snippet of CORPUS) {
    it(snippet.name, async () => {
      const plain = await settle(runPlain(snippet.source));
      const { outcome, rt, result } = runInstrumented(snippet.source);
      const inst = await settle(outcome);
      assert.equal(snapshot(inst), snapshot(plain));
      if (snippet.throws) {
        assert.match(plain.error ?? '', new RegExp(snippet.throws));
        assert.equal(rt.uncaught.length, 1, 'one uncaught report');
      } else {
        assert.equal(plain.error, undefined);
        assert.deepEqual(rt.uncaught, []);
      }
      assert.equal(lineCount(result.code), lineCount(snippet.source), 'line count');
      assert.equal(rt.stack.length, 0, 'every frame left');
      assert.equal(rt.tryDepth, 0, 'try counter balanced');
      const sites = result.sites
        .filter((s) => s.kind === 'statement')
        .map((s) => `${s.line}:${s.column}`)
        .sort();
      assert.deepEqual(sites, expectedStatementSites(snippet.source));
      assert.ok(rt.hits.length > 0);
    });
  }
});
