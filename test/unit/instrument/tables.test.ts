import { strict as assert } from 'node:assert';
import { transformModel } from '../../../src/runtime/instrument';

const NAMED = `function decl(a, [b, c], { d: e } = {}, ...rest) {}
const arrow = () => 1
let fexpr = function () {}
var named = function own() {}
const obj = { m() {}, p: () => {}, get g() { return 1 }, set g(v) {}, nested: { deep() {} } }
class K extends Object {
  constructor() { super() }
  method() {}
  static make() {}
  get x() { return 1 }
  #priv() {}
  field = () => 1;
  ['a' + 'b']() {}
  static { }
}
obj.later = function () {}
this.cb = () => {}
function withDefault(cb = () => {}) {}
;[1].map((x) => x)
const Anon = class { m() {} }
async function af() {}
function* gen() {}
var clash = 1
function clash() {}
`;

describe('instrument: function, site and scope tables', () => {
  const { functions, sites } = transformModel(NAMED, 'names.js');
  const byName = (name: string) => {
    const f = functions.find((fn) => fn.name === name);
    assert.ok(f, `${name} in ${functions.map((fn) => fn.name).join(', ')}`);
    return f;
  };

  it('names functions as V8 infers them', () => {
    assert.deepEqual(
      functions.map((f) => f.name),
      [
        '<module>',
        'decl',
        'arrow',
        'fexpr',
        'own',
        'obj.m',
        'obj.p',
        'get obj.g',
        'set obj.g',
        'obj.nested.deep',
        'new K',
        'K.method',
        'K.make',
        'get K.x',
        'K.#priv',
        'K.field',
        "K.['a'+'b']",
        'K.<static_initializer>',
        'obj.later',
        'this.cb',
        'withDefault',
        'cb',
        '<anonymous>',
        'Anon.m',
        'af',
        'gen',
        'clash',
      ],
    );
  });

  it('records kinds, parameters, positions and frames', () => {
    assert.deepEqual(byName('decl').params, ['a', 'b', 'c', 'e', 'rest']);
    assert.deepEqual(
      [byName('decl').line, byName('decl').column, byName('decl').endLine],
      [1, 0, 1],
    );
    assert.equal(byName('new K').kind, 'constructor');
    assert.equal(byName('get K.x').kind, 'getter');
    assert.equal(byName('set obj.g').kind, 'setter');
    assert.equal(byName('K.method').kind, 'method');
    assert.equal(byName('arrow').kind, 'arrow');
    assert.equal(byName('K.<static_initializer>').kind, 'static-block');
    assert.equal(byName('K.method').line, 8);
    assert.equal(byName('K.method').column, 2);
    assert.equal(byName('<module>').kind, 'module');
    // Frameless: async, generators, and the module whose var and function share a name.
    assert.equal(byName('af').frame, false);
    assert.equal(byName('gen').frame, false);
    assert.equal(byName('<module>').frame, false);
    assert.equal(byName('decl').frame, true);
    assert.ok(functions.every((f) => f.file === 'names.js'));
  });

  it('gives empty functions an entry site and empty loop bodies a loop site', () => {
    const entry = sites.filter((s) => s.kind === 'entry').map((s) => functions[s.fid]!.name);
    assert.ok(entry.includes('decl') && entry.includes('K.<static_initializer>'));
    const loops = transformModel(
      `while (a) {}\nfor (;;);\ndo {} while (b)\nfor (const x of y) { function f() {} }\n`,
      'l.js',
    );
    assert.deepEqual(
      loops.sites.filter((s) => s.kind === 'loop').map((s) => s.line),
      [1, 2, 3, 4],
    );
  });

  it('records the names of each scope level and the chain of every site', () => {
    const src = `function f(p) {
  var v
  let l
  for (let i = 0; i < 1; i++) {
    const c = 1
    try { g() } catch ({ message }) { let m = message }
  }
  { class Inner {} }
  switch (p) { case 1: let s = 1 }
}
`;
    const r = transformModel(src, 's.js');
    assert.deepEqual(
      r.scopes.map((s) => [s.kind, s.depth, s.names, s.line, s.endLine]),
      [
        ['function', 0, ['f'], 1, 11],
        ['function', 0, ['p', 'v', 'l'], 1, 10],
        ['loop', 1, ['i', 'c'], 4, 7],
        ['catch', 2, ['message', 'm'], 6, 6],
        ['block', 1, ['Inner'], 8, 8],
        ['switch', 1, ['s'], 9, 9],
      ],
    );
    const m = r.sites.find((s) => s.line === 6 && s.column > 30)!;
    assert.deepEqual([m.scope, m.depth], [3, 2]);
    assert.equal(r.scopes[3]!.parent, 2);
    assert.equal(r.scopes[2]!.parent, 1);
  });

  it('never changes the number of lines', () => {
    assert.equal(
      transformModel(NAMED, 'names.js').code.split('\n').length,
      NAMED.split('\n').length,
    );
  });
});
