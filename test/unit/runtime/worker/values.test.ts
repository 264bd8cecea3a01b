import { strict as assert } from 'node:assert';
import { DmaBuffer } from '../../../../src/runtime/kernel/dma';
import type { RuntimeVariable } from '../../../../src/runtime/protocol';
import { formatPlain, formatValue, VariableStore } from '../../../../src/runtime/worker/values';

class Wq {
  id = 0;
  name = 'wq0.0';
}

class CompletionRecord {
  raw = 0x3;
  get status(): number {
    return this.raw & 0x7f;
  }
  get broken(): number {
    throw new Error('no completion yet');
  }
  method(): void {
    /* not shown */
  }
}

class DerivedRecord extends CompletionRecord {
  own = 1;
}

/** name → variable of a list of children. */
const byName = (vars: RuntimeVariable[]): Map<string, RuntimeVariable> =>
  new Map(vars.map((v) => [v.name, v]));

describe('runtime/worker: formatValue', () => {
  it('shows integers below 256 plainly and from 256 on with their hex', () => {
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(255), '255');
    assert.equal(formatValue(256), '256 (0x100)');
    assert.equal(formatValue(0xfee00000), '4276092928 (0xfee00000)');
    assert.equal(formatValue(-300), '-300');
    assert.equal(formatValue(1.5), '1.5');
    assert.equal(formatValue(NaN), 'NaN');
  });

  it('shows integers in hex only in hex mode; fractions stay decimal', () => {
    assert.equal(formatValue(255, true), '0xff');
    assert.equal(formatValue(0, true), '0x0');
    assert.equal(formatValue(-16, true), '-0x10');
    assert.equal(formatValue(2.5, true), '2.5');
  });

  it('shows bigints in hex with n, in either mode', () => {
    assert.equal(formatValue(0xfee00000n), '0xfee00000n');
    assert.equal(formatValue(0n, true), '0x0n');
    assert.equal(formatValue(-255n), '-0xffn');
  });

  it('quotes strings and cuts them after 500 characters', () => {
    assert.equal(formatValue('wq0.0'), '"wq0.0"');
    assert.equal(formatValue('a"b\n'), '"a\\"b\\n"');
    const long = formatValue('x'.repeat(600));
    assert.equal(long, `"${'x'.repeat(500)}…"`);
  });

  it('shows the other primitives and functions', () => {
    assert.equal(formatValue(undefined), 'undefined');
    assert.equal(formatValue(null), 'null');
    assert.equal(formatValue(true), 'true');
    assert.equal(formatValue(Symbol('irq')), 'Symbol(irq)');
    assert.equal(
      formatValue(function handler(_a: number, _b: number) {}),
      'ƒ handler(··)',
    );
    assert.equal(
      formatValue(() => 0),
      'ƒ anonymous()',
    );
  });

  it('shows typed arrays with their first 8 elements in hex', () => {
    assert.equal(formatValue(new Uint8Array([1, 0xab, 0])), 'Uint8Array(3) [0x01, 0xab, 0x00]');
    assert.equal(
      formatValue(new Uint8Array(10).fill(0xff)),
      'Uint8Array(10) [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, …]',
    );
    assert.equal(formatValue(new Uint32Array([1, 0xdeadbeef])), 'Uint32Array(2) [0x1, 0xdeadbeef]');
    assert.equal(formatValue(new BigUint64Array([1n])), 'BigUint64Array(1) [0x1n]');
  });

  it('shows a DmaBuffer with its bus address', () => {
    const buf = new DmaBuffer(4);
    buf.dma_handle = 0x10000;
    buf[0] = 0x5a;
    assert.equal(formatValue(buf), 'DmaBuffer(4) @ 0x10000 [0x5a, 0x00, 0x00, 0x00]');
  });

  it('shows arrays, maps and sets by their size', () => {
    assert.equal(formatValue([1, 2, 3]), 'Array(3)');
    assert.equal(
      formatValue(
        new Map([
          [1, 2],
          [3, 4],
        ]),
      ),
      'Map(2)',
    );
    assert.equal(formatValue(new Set(['a'])), 'Set(1)');
  });

  it('shows errors as name: message', () => {
    assert.equal(
      formatValue(new TypeError('x is not a function')),
      'TypeError: x is not a function',
    );
  });

  it('names class instances and previews four keys', () => {
    assert.equal(formatValue(new Wq()), 'Wq {id: 0, name: "wq0.0"}');
    assert.equal(formatValue({ a: 1, b: { c: 2 } }), '{a: 1, b: …}');
    assert.equal(formatValue({ a: 1, b: 2, c: 3, d: 4, e: 5 }), '{a: 1, b: 2, c: 3, d: 4, …}');
    assert.equal(formatValue(Object.create(null)), '{}');
    assert.equal(formatValue({ n: 0x1000 }, true), '{n: 0x1000}');
  });

  it('formatPlain leaves strings and numbers as they are', () => {
    assert.equal(formatPlain('plain text'), 'plain text');
    assert.equal(formatPlain(4096), '4096');
    assert.equal(formatPlain(1.25), '1.25');
    assert.equal(formatPlain(16n), '0x10n');
    assert.equal(formatPlain([1]), 'Array(1)');
    assert.equal(formatPlain(undefined), 'undefined');
  });
});

describe('runtime/worker: VariableStore', () => {
  it('hands out handles from 1 and serves their children', () => {
    const store = new VariableStore();
    const a = store.add(() => [{ name: 'x', value: '1', variablesReference: 0 }]);
    const b = store.add(() => []);
    assert.equal(a, 1);
    assert.equal(b, 2);
    assert.deepEqual(
      store.get(a, undefined).map((v) => v.name),
      ['x'],
    );
  });

  it('refuses a stale handle after reset, saying why', () => {
    const store = new VariableStore();
    const ref = store.add(() => []);
    store.reset();
    assert.throws(() => store.get(ref, undefined), /handle 1 is no longer valid/);
    assert.throws(() => store.get(0, undefined), /handle 0/);
    assert.throws(() => store.get(42, undefined), /handle 42/);
  });

  it('gives primitives no handle and objects one', () => {
    const store = new VariableStore();
    const n = store.variable('n', 300, false);
    assert.deepEqual(n, { name: 'n', value: '300 (0x12c)', type: 'number', variablesReference: 0 });
    const o = store.variable('o', new Wq(), false, 'o');
    assert.equal(o.type, 'Wq');
    assert.equal(o.evaluateName, 'o');
    assert.ok(o.variablesReference > 0);
    assert.equal(o.indexedVariables, undefined);
    assert.equal(store.variable('z', null, false).type, 'null');
    assert.equal(store.variable('z', null, false).variablesReference, 0);
  });

  it('lists an object’s own properties with evaluate names', () => {
    const store = new VariableStore();
    const o = store.variable('dev', { bar: 0x1000, wq: { size: 16 } }, false, 'dev');
    const kids = byName(store.get(o.variablesReference, undefined));
    assert.equal(kids.get('bar')!.value, '4096 (0x1000)');
    assert.equal(kids.get('bar')!.evaluateName, 'dev.bar');
    const wq = kids.get('wq')!;
    assert.equal(wq.evaluateName, 'dev.wq');
    const grand = store.get(wq.variablesReference, undefined);
    assert.deepEqual(
      grand.map((v) => [v.name, v.value, v.evaluateName]),
      [['size', '16', 'dev.wq.size']],
    );
  });

  it('builds evaluate names for identifiers, indices and other keys', () => {
    const store = new VariableStore();
    const o = store.variable('o', { $x: 1, _y: 2, 7: 3, 'my-key': 4, 'a b': 5 }, false, 'o');
    const names = new Map(
      store.get(o.variablesReference, undefined).map((v) => [v.name, v.evaluateName]),
    );
    assert.equal(names.get('$x'), 'o.$x');
    assert.equal(names.get('_y'), 'o._y');
    assert.equal(names.get('7'), 'o[7]');
    assert.equal(names.get('my-key'), 'o["my-key"]');
    assert.equal(names.get('a b'), 'o["a b"]');
    const arr = store.variable('xs', [10, 20], false, 'xs');
    assert.deepEqual(
      store.get(arr.variablesReference, undefined).map((v) => v.evaluateName),
      ['xs[0]', 'xs[1]'],
    );
  });

  it('gives children no evaluate name when the parent has none', () => {
    const store = new VariableStore();
    const o = store.variable('o', { a: 1 }, false);
    assert.equal(store.get(o.variablesReference, undefined)[0]!.evaluateName, undefined);
  });

  it('evaluates getters of the class and its bases, showing a throwing one as its error', () => {
    const store = new VariableStore();
    const o = store.variable('rec', new DerivedRecord(), false, 'rec');
    const kids = store.get(o.variablesReference, undefined);
    const names = kids.map((v) => v.name);
    assert.deepEqual(names, ['raw', 'own', 'status', 'broken']);
    const m = byName(kids);
    assert.equal(m.get('status')!.value, '3');
    assert.equal(m.get('status')!.evaluateName, 'rec.status');
    assert.equal(m.get('broken')!.value, 'Error: no completion yet');
  });

  it('passes hex mode down to children', () => {
    const store = new VariableStore();
    const o = store.variable('o', { a: 255, b: [16] }, true, 'o');
    const kids = byName(store.get(o.variablesReference, undefined));
    assert.equal(kids.get('a')!.value, '0xff');
    assert.equal(store.get(kids.get('b')!.variablesReference, undefined)[0]!.value, '0x10');
  });

  it('lists maps as index: key and sets by index', () => {
    const store = new VariableStore();
    const m = store.variable('m', new Map<unknown, unknown>([['wq0', 5]]), false, 'm');
    assert.deepEqual(
      store.get(m.variablesReference, undefined).map((v) => [v.name, v.value]),
      [['0: "wq0"', '5']],
    );
    const s = store.variable('s', new Set([7, 8]), false, 's');
    assert.deepEqual(
      store.get(s.variablesReference, undefined).map((v) => [v.name, v.value]),
      [
        ['0', '7'],
        ['1', '8'],
      ],
    );
  });

  it('announces arrays of more than 100 elements as paged: indexed count, no named ones', () => {
    const store = new VariableStore();
    const small = store.variable('a', new Array(100).fill(0), false, 'a');
    assert.equal(small.indexedVariables, undefined);
    const big = store.variable(
      'a',
      Array.from({ length: 250 }, (_, i) => i),
      false,
      'a',
    );
    assert.equal(big.indexedVariables, 250);
    assert.equal(big.namedVariables, 0);
    const bytes = store.variable('buf', new Uint8Array(4096), false, 'buf');
    assert.equal(bytes.indexedVariables, 4096);
  });

  it('serves a page with filter indexed, start and count', () => {
    const store = new VariableStore();
    const big = store.variable(
      'a',
      Array.from({ length: 250 }, (_, i) => i),
      false,
      'a',
    );
    const page = store.get(big.variablesReference, 'indexed', 200, 30);
    assert.equal(page.length, 30);
    assert.deepEqual(
      [page[0]!.name, page[0]!.value, page[0]!.evaluateName],
      ['200', '200', 'a[200]'],
    );
    assert.equal(page[29]!.name, '229');
    assert.equal(store.get(big.variablesReference, 'indexed', 240, 30).length, 10);
    assert.deepEqual(store.get(big.variablesReference, 'named'), []);
  });

  it('without a filter, lists the first 100 elements and says how many more there are', () => {
    const store = new VariableStore();
    const big = store.variable(
      'a',
      Array.from({ length: 250 }, (_, i) => i),
      false,
      'a',
    );
    const all = store.get(big.variablesReference, undefined);
    assert.equal(all.length, 101);
    assert.equal(all[99]!.name, '99');
    assert.deepEqual(all[100], { name: '…', value: '150 more', variablesReference: 0 });
  });
});

describe('runtime/worker: values where they used to go wrong', () => {
  it('shows negative and fractional elements of typed arrays as numbers, not 0x-1', () => {
    assert.equal(formatValue(new Int8Array([-1, 2])), 'Int8Array(2) [-0x1, 0x2]');
    assert.equal(formatValue(new Float64Array([0.5, 2])), 'Float64Array(2) [0.5, 0x2]');
    assert.equal(formatValue(new BigInt64Array([-1n])), 'BigInt64Array(1) [-0x1n]');
  });

  it('returns every element from start with filter indexed and count 0 (DAP: 0 means all)', () => {
    const store = new VariableStore();
    const big = store.variable(
      'a',
      Array.from({ length: 250 }, (_, i) => i),
      false,
      'a',
    );
    const rest = store.get(big.variablesReference, 'indexed', 120, 0);
    assert.equal(rest.length, 130);
    assert.equal(rest[0]!.name, '120');
    assert.equal(store.get(big.variablesReference, 'indexed').length, 250);
  });

  it('indexes only canonical array indices; other digit keys are quoted', () => {
    const store = new VariableStore();
    const o = store.variable('o', { '01': 1, '12345678901234567890': 2, 0: 3 }, false, 'o');
    const names = new Map(
      store.get(o.variablesReference, undefined).map((v) => [v.name, v.evaluateName]),
    );
    assert.equal(names.get('0'), 'o[0]');
    assert.equal(names.get('01'), 'o["01"]');
    assert.equal(names.get('12345678901234567890'), 'o["12345678901234567890"]');
  });
});

describe('runtime/worker: values of objects with throwing getters', () => {
  it('previews an object whose own getter throws, showing the error in place', () => {
    const o = {
      a: 1,
      get bad(): number {
        throw new Error('not mapped');
      },
    };
    assert.equal(formatValue(o), '{a: 1, bad: Error: not mapped}');
    const store = new VariableStore();
    const v = store.variable('o', o, false, 'o');
    assert.equal(v.value, '{a: 1, bad: Error: not mapped}');
    assert.equal(
      byName(store.get(v.variablesReference, undefined)).get('bad')!.value,
      'Error: not mapped',
    );
  });
});
