import { strict as assert } from 'node:assert';
import { ModelSyntaxError, transformModel } from '../../../src/runtime/instrument';
import { lineCount, runInstrumented, runPlain, snapshot } from './harness';

const TS_MODEL = `import { value, twice } from './dep';
import dflt from './dep';
enum Color { Red, Green = 5 }
interface Shape { area(): number }
type Pair<T> = [T, T];
export abstract class Base<T> implements Shape {
  constructor(protected readonly size: number, public tag?: T) {}
  abstract area(): number;
}
export class Square extends Base<string> {
  area(): number { return this.size * this.size; }
}
export function sum<T extends number>(xs: T[]): number {
  let total = 0 as number;
  for (const x of xs) total += x!;
  return total;
}
const cfg = { a: 1 } satisfies Record<string, number>;
const v = <number>value + twice(2);
const pair: Pair<number> = [Color.Green, cfg.a];
export default new Square(3).area() + sum(pair) + v;
export const label = \`\${dflt}\` as const;
log(Color[5]);
`;

/** Throws unless `fn` throws a ModelSyntaxError at (line, column); returns it. */
function syntaxError(fn: () => unknown, line: number, column: number): ModelSyntaxError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ModelSyntaxError, String(err));
    assert.deepEqual([err.line, err.column], [line, column], err.toString());
    return err;
  }
  assert.fail('no error');
}

describe('instrument: loading TypeScript and ES modules', () => {
  it('runs a TypeScript ES module with enums, generics, casts and satisfies, lines kept', () => {
    const { outcome, result, rt } = runInstrumented(TS_MODEL, 'driver.ts');
    assert.equal(outcome.error, undefined);
    const exp = outcome.exports as Record<string, unknown>;
    assert.equal(exp.default, 61);
    assert.equal(exp.label, 'dflt');
    assert.equal(typeof exp.sum, 'function');
    assert.deepEqual(outcome.log, ['Green']);
    assert.equal(snapshot(runPlain(TS_MODEL, 'driver.ts')), snapshot(outcome));
    assert.equal(lineCount(result.code), lineCount(TS_MODEL));
    assert.equal(result.format, 'esm');
    assert.equal(result.typescript, true);
    assert.equal(rt.stack.length, 0);
  });

  it('puts TypeScript sites at the statements’ own lines and columns', () => {
    const { sites, functions } = transformModel(TS_MODEL, 'driver.ts');
    const at = (line: number) => sites.filter((s) => s.line === line).map((s) => s.column);
    assert.deepEqual(at(14), [2]); // let total = 0 as number;
    assert.deepEqual(at(15), [2, 22]); // for (…) total += x!;
    assert.deepEqual(at(18), [0]); // const cfg = … satisfies …
    assert.deepEqual(at(11), [19]); // return this.size * this.size;
    assert.deepEqual(at(4), []); // interface
    assert.deepEqual(at(5), []); // type alias
    const names = functions.map((f) => f.name);
    assert.ok(names.includes('new Base') && names.includes('Square.area') && names.includes('sum'));
    assert.ok(!names.some((n) => n.startsWith('_interop')), 'sucrase helpers are not instrumented');
    const sumInfo = functions.find((f) => f.name === 'sum')!;
    assert.deepEqual([sumInfo.line, sumInfo.column, sumInfo.params], [13, 7, ['xs']]);
  });

  it('leaves sucrase’s line-1 prefix uninstrumented', () => {
    const { code } = transformModel(TS_MODEL, 'driver.ts');
    const helper = code.indexOf('function _interopRequireDefault');
    assert.ok(helper > 0);
    assert.ok(code.indexOf('__h(') > helper && code.indexOf('__enter(') > helper);
  });

  it('converts .mjs and .js with import/export to CommonJS, keeping lines', () => {
    const esm = `import dep, { value } from './dep'
log(later(value))
export function later(x) {
  return x + 1
}
export const name = dep
export default { later }
`;
    for (const file of ['m.mjs', 'm.js']) {
      const inst = runInstrumented(esm, file);
      assert.equal(inst.result.format, 'esm', file);
      assert.equal(lineCount(inst.result.code), lineCount(esm));
      assert.deepEqual(inst.outcome.log, [43]);
      assert.equal(snapshot(inst.outcome), snapshot(runPlain(esm, file)));
      assert.deepEqual(
        inst.result.sites.map((s) => [s.line, s.column]).filter(([l]) => l === 2 || l === 4),
        [
          [2, 0],
          [4, 2],
        ],
      );
    }
  });

  it('leaves CommonJS JavaScript untouched when not instrumenting', () => {
    const cjs = `'use strict'\nconst x = require('./dep')\nmodule.exports = x.value\n`;
    const r = transformModel(cjs, 'c.js', {
      instrument: false,
      siteBase: 5,
      fidBase: 6,
      scopeBase: 7,
    });
    assert.equal(r.code, cjs);
    assert.equal(r.format, 'commonjs');
    assert.deepEqual([r.sites, r.functions, r.scopes], [[], [], []]);
    assert.deepEqual(r.next, { siteBase: 5, fidBase: 6, scopeBase: 7 });
  });

  it('treats .cts and TypeScript without module syntax as CommonJS', () => {
    const cts = `import dep = require('./dep');\nconst n: number = dep.value;\nexport = n;\n`;
    const r = runInstrumented(cts, 'a.cts');
    assert.deepEqual([r.result.format, r.outcome.exports], ['commonjs', 42]);
    const typeOnly = `import type { T } from './t';\nconst z: T = 1;\nlog(z)\n`;
    const t = runInstrumented(typeOnly, 'd.ts');
    assert.deepEqual([t.result.format, t.outcome.log], ['commonjs', [1]]);
  });

  it('rejects import syntax in a .cjs file at its line', () => {
    syntaxError(() => transformModel(`const a = 1\nimport x from 'y'\n`, 'm.cjs'), 2, 0);
  });

  it('reports an instantiated TypeScript namespace, and accepts ambient and type-only ones', () => {
    const bad = `const a: number = 1;\ndeclare namespace Ambient { const x: number; namespace Inner { let y: 1 } }\nnamespace Types { export type T = string }\n  export namespace Real.Deep {\n    export const k = 1;\n  }\n`;
    const err = syntaxError(() => transformModel(bad, 'ns.ts'), 4, 9);
    assert.match(err.message, /namespace 'Real.Deep'/);
    assert.match(err.toString(), /^ModelSyntaxError: ns\.ts:4:10: /);
    const good = `declare module 'x' { export function f(): void }\nnamespace Types { export interface I { a: number } }\nconst module = { exports: 1 }\nlog(module.exports)\n`;
    assert.deepEqual(runInstrumented(good, 'ok.ts').outcome.log, [1]);
    syntaxError(() => transformModel(`module Legacy {\n  function f() {}\n}\n`, 'l.ts'), 1, 0);
  });

  it('locates JavaScript syntax errors at the model’s line and column', () => {
    syntaxError(
      () => transformModel(`const a = 1\nfunction f() {\n  let b = ;\n}\n`, 'e.js'),
      3,
      10,
    );
    syntaxError(() => transformModel(`const s = 'open\n`, 'e.js'), 1, 10);
    syntaxError(() => transformModel(`import x from 'y'\nexport const = 2\n`, 'e.mjs'), 2, 13);
  });

  it('locates TypeScript syntax errors, found by sucrase or after it, in the TypeScript source', () => {
    syntaxError(() => transformModel(`const a: number = 1;\nlet b: = 2;\n`, 'e.ts'), 2, 7);
    // Found by acorn in sucrase's output, where the type annotation is gone: the column maps back.
    const err = syntaxError(
      () =>
        transformModel(
          `let a = 1;\nconst q: Map<string, number> = new Map(); let q = 2;\n`,
          'e.ts',
        ),
      2,
      46,
    );
    assert.match(err.message, /already been declared/);
    assert.equal(err.file, 'e.ts');
  });
});

describe('instrument: ids and names', () => {
  it('allocates site, function and scope ids from the bases and returns the next ones', () => {
    const a = transformModel(`function f(x) { return x }\nf(1)\n`, 'a.js');
    const b = transformModel(`let y = 2\n{ let z = y }\n`, 'b.js', a.next);
    assert.deepEqual(
      a.sites.map((s) => s.id),
      a.sites.map((_, i) => i),
    );
    assert.equal(b.sites[0]!.id, a.next.siteBase);
    assert.equal(b.functions[0]!.fid, a.next.fidBase);
    assert.equal(b.scopes[0]!.id, a.next.scopeBase);
    assert.ok(b.code.includes(`__enter(${a.next.fidBase})`));
    assert.deepEqual(b.next, {
      siteBase: a.next.siteBase + b.sites.length,
      fidBase: a.next.fidBase + b.functions.length,
      scopeBase: a.next.scopeBase + b.scopes.length,
    });
    assert.equal(b.scopes[1]!.parent, b.scopes[0]!.id);
  });

  it('uses the hook names it is given', () => {
    const names = {
      hook: '$h',
      enter: '$in',
      leave: '$out',
      throw: '$th',
      tryCount: '$t',
      frame: '$f',
      error: '$e',
      evalArg: '$x',
    };
    const { code } = transformModel(`function f() { try { g() } catch (e) {} }\n`, 'n.js', {
      names,
    });
    for (const n of Object.values(names)) assert.ok(code.includes(n), n);
    assert.ok(!/__[a-z]/i.test(code));
  });
});
