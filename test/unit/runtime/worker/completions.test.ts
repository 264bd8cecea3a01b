import { strict as assert } from 'node:assert';
import {
  completions,
  memberBase,
  members,
  type CompletionScope,
} from '../../../../src/runtime/worker/completions';

class Wq {
  id = 1;
  portal = 0xe0001000;
  get busy(): boolean {
    throw new Error('a getter ran');
  }
  submit(): void {
    /* a method */
  }
}

const idxd = { reg_base: 0xe0000000, wqs: [new Wq()], pdev: { bus: 0x6a } };
const ims_debug = { irte_read: () => 0n, now: () => 0 };

/** Evaluates test text with the frame's values in scope. */
function evaluate(e: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluation of test text
  const f = new Function('idxd', 'wq', 'stat', 'ims_debug', `return (${e});`) as (
    ...a: unknown[]
  ) => unknown;
  return f(idxd, idxd.wqs[0], 5, ims_debug);
}

/** A frame with locals `idxd`, `wq` and `stat`, where the API is readl, ims_debug, IDXD_X. */
const scope: CompletionScope = {
  names: ['wq', 'stat', 'idxd'],
  evaluate: (e) => evaluate(e),
  apiNames: ['readl', 'request_irq', 'ims_debug'],
};

const labels = (text: string, column = text.length + 1) =>
  completions(text, column, undefined, scope).map((i) => i.label);

describe('runtime/worker: completions', () => {
  it('finds the member chain before a dot', () => {
    assert.equal(memberBase('idxd'), 'idxd');
    assert.equal(memberBase('x = idxd.wqs[0]'), 'idxd.wqs[0]');
    assert.equal(memberBase('f(a?.b'), 'a?.b');
    assert.equal(memberBase('(a || b)'), '(a || b)');
    assert.equal(memberBase('1'), undefined);
    assert.equal(memberBase('x + '), undefined);
  });

  it('lists the members after a dot, replacing the prefix typed', () => {
    const items = completions('idxd.r', 7, undefined, scope);
    assert.deepEqual(items, [
      {
        label: 'reg_base',
        type: 'property',
        sortText: '0reg_base',
        detail: '3758096384 (0xe0000000)',
        start: 6,
        length: 1,
      },
    ]);
    assert.deepEqual(labels('idxd.'), ['pdev', 'reg_base', 'wqs']);
    assert.deepEqual(labels('ims_debug.'), ['irte_read', 'now']);
    assert.ok(completions('ims_debug.', 11, undefined, scope).every((i) => i.type === 'function'));
  });

  it("lists a class instance's fields, getters (not run) and methods", () => {
    const byLabel = new Map(members(new Wq()).map((i) => [i.label, i]));
    assert.equal(byLabel.get('id')!.type, 'property');
    assert.deepEqual(
      [byLabel.get('busy')!.type, byLabel.get('busy')!.detail],
      ['property', 'getter'],
    );
    assert.equal(byLabel.get('submit')!.type, 'method');
    assert.ok(!byLabel.has('constructor') && !byLabel.has('hasOwnProperty'));
    assert.deepEqual(labels('idxd.wqs[0].s'), ['submit']);
  });

  it('offers nothing after a dot when the value cannot be had without side effects', () => {
    assert.deepEqual(labels('readl(0).'), []);
    assert.deepEqual(labels('nope.'), []);
  });

  it('completes names: locals first, then the kernel API, then globals, typed', () => {
    const items = completions('i', 2, undefined, scope);
    const byLabel = new Map(items.map((i) => [i.label, i]));
    assert.equal(items[0]!.label, 'idxd', 'the local sorts first');
    assert.deepEqual(
      [byLabel.get('idxd')!.type, byLabel.get('idxd')!.detail],
      ['variable', 'Object'],
    );
    assert.equal(byLabel.get('ims_debug')!.sortText[0], '1');
    assert.ok(byLabel.has('isNaN'), 'globals too');
    assert.equal(byLabel.get('isNaN')!.type, 'function');
    assert.ok(items.every((i) => i.start === 1 && i.length === 1));
    assert.deepEqual(labels('st'), ['stat', 'structuredClone']);
  });

  it('reads the line and column asked for in a multi-line text', () => {
    const items = completions('let a = 1;\nidxd.w', 7, 2, scope);
    assert.deepEqual(
      items.map((i) => [i.label, i.start, i.length]),
      [['wqs', 6, 1]],
    );
  });
});
