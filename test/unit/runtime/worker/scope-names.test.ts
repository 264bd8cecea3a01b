import { strict as assert } from 'node:assert';
import path from 'node:path';
import { transformModel } from '../../../../src/runtime/instrument';
import type { WorkerDebugger } from '../../../../src/runtime/worker/debugger';
import type { ModelFrame } from '../../../../src/runtime/worker/frames';
import { scopeNames, visibleNames } from '../../../../src/runtime/worker/scope-names';

const FILE = path.resolve('models', 'driver.js');
const SOURCE = [
  "'use strict';",
  'const REG = 0x90;',
  'function outer(a) {',
  '  const b = a + 1;',
  '  function inner(c) {',
  '    for (let i = 0; i < 2; i++) {',
  '      const d = c + i;', // line 7
  '    }',
  '  }',
  '  return inner(b);',
  '}',
  'outer(1);',
].join('\n');

/** The instrumenter's tables of SOURCE, as the worker's debugger holds them. */
function tables(): WorkerDebugger {
  const t = transformModel(SOURCE, FILE);
  return { sites: t.sites, functions: t.functions, scopes: t.scopes } as unknown as WorkerDebugger;
}

/** A frame of `inner` at the statement of line 7 with every scope closure created. */
function frameAt(dbg: WorkerDebugger, line: number): ModelFrame {
  const site = dbg.sites.find((s) => s.line === line)!;
  return {
    kind: 'model',
    fid: site.fid,
    cpu: 0,
    site: site.id,
    s: [() => 0, () => 0, () => 0],
    index: 0,
  };
}

describe('runtime/worker: names in scope at a statement', () => {
  it("lists the function's own scopes, innermost first, for the Locals view", () => {
    const dbg = tables();
    assert.deepEqual(scopeNames(dbg, frameAt(dbg, 7)), ['i', 'd', 'c']);
  });

  it('lists every name the source nesting makes visible, out to the module scope', () => {
    const dbg = tables();
    assert.deepEqual(visibleNames(dbg, frameAt(dbg, 7)), [
      'i',
      'd',
      'c',
      'a',
      'b',
      'inner',
      'REG',
      'outer',
    ]);
  });
});
