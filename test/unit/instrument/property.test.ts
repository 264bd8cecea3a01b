import { strict as assert } from 'node:assert';
import { parse } from 'acorn';
import fc from 'fast-check';
import { expectedStatementSites } from './expected';
import { lineCount, runInstrumented, runPlain, snapshot } from './harness';
import { evaluate } from './locals';
import { program } from './programs';

function parses(source: string): boolean {
  try {
    parse(source, { ecmaVersion: 2024 });
    return true;
  } catch {
    return false;
  }
}

describe('instrument: generated programs (property)', () => {
  it('generates mostly valid programs', () => {
    const samples = fc.sample(program, { numRuns: 200, seed: 1 });
    assert.ok(samples.filter(parses).length > 150);
  });

  it('runs like the original, keeps lines, hooks every statement and balances frames', () => {
    fc.assert(
      fc.property(program, (source) => {
        fc.pre(parses(source));
        const plain = runPlain(source);
        const { outcome, rt, result } = runInstrumented(source, 'gen.js', {}, (r, res) => {
          let checked = 0;
          r.onHook = (site) => {
            if (checked++ > 200) return;
            // Every declared name of every level on the chain is in scope (maybe in its TDZ).
            const frame = r.top();
            for (let id = res.sites[site]!.scope; id >= 0; id = res.scopes[id]!.parent) {
              const scope = res.scopes[id]!;
              for (const name of scope.names) {
                const value = evaluate(frame.s[scope.depth]!, name);
                if (typeof value === 'string' && value.endsWith('is not defined')) {
                  throw new Error(`${name} not in scope ${id} at site ${site}`);
                }
              }
            }
          };
        });
        assert.equal(snapshot(outcome), snapshot(plain));
        assert.equal(lineCount(result.code), lineCount(source));
        const sites = result.sites
          .filter((s) => s.kind === 'statement')
          .map((s) => `${s.line}:${s.column}`)
          .sort();
        assert.deepEqual(sites, expectedStatementSites(source));
        assert.equal(rt.stack.length, 0);
        assert.equal(rt.tryDepth, 0);
        assert.equal(rt.uncaught.length, plain.error === undefined ? 0 : 1);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
