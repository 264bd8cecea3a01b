import { strict as assert } from 'node:assert';
import { RenderContext } from '../../../src/extension/model/context';
import { formatValue } from '../../../src/extension/model/format';
import { SHOW_MORE_COMMAND } from '../../../src/extension/model/items';
import {
  contextValueOf,
  renderText,
  tooltipOf,
  type ViewNode,
} from '../../../src/extension/model/node';
import { imsLayout } from '../../../src/platform/idxd/tables';
import { imsSlotsView } from '../../../src/extension/views/ims-slots';
import { remappingView } from '../../../src/extension/views/remapping';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';
import { exampleHandlerStops } from './stops';

function find(nodes: readonly ViewNode[], ...path: string[]): ViewNode {
  let level = nodes;
  let found: ViewNode | undefined;
  for (const p of path) {
    found = level.find((n) => n.label.startsWith(p));
    assert.ok(found, `no row '${p}' among: ${level.map((n) => n.label).join(', ')}`);
    level = found.children?.() ?? [];
  }
  return found!;
}

describe('view rows: peripheral-viewer style', function () {
  this.timeout(60_000);
  let snap: PlatformSnapshot;
  before(() => {
    snap = exampleHandlerStops().second;
  });
  const slot1 = (ctx: RenderContext, ...rest: string[]) =>
    find(imsSlotsView(ctx), '0000:6a:01.0', 'IMS slot 1', ...rest);

  it('labels fields NAME [hi:lo] with the value in the description, hex by default', () => {
    const ctx = new RenderContext(snap, undefined, { format: 'hex' });
    const pasid = slot1(ctx, 'ctrl', 'pasid [');
    assert.equal(pasid.label, 'pasid [31:12]');
    assert.equal(pasid.description, '0x00001');
    assert.equal(pasid.kind, 'field.RW');
    assert.equal(contextValueOf(pasid), 'field.RW+value');
    assert.equal(slot1(ctx, 'ctrl').kind, 'register.RW');
  });

  it('shows enumerated values as NAME (value)', () => {
    const ctx = new RenderContext(snap, undefined, { format: 'hex' });
    assert.equal(slot1(ctx, 'address_lo', 'dmar_format').description, 'remappable (1)');
  });

  it('writes tooltips from the register table: description, access, reset, source', () => {
    const ctx = new RenderContext(snap, undefined, { format: 'hex' });
    const def = imsLayout()
      .registers.find((r) => r.name === 'ctrl')!
      .fields.find((f) => f.name === 'mask')!;
    const tip = tooltipOf(slot1(ctx, 'ctrl', 'mask')) ?? '';
    assert.ok(
      tip.startsWith('**IMS slot 1 of 0000:6a:01.0.ctrl.mask** — bits 0:0 · RW · reset 1'),
      tip,
    );
    assert.ok(tip.includes('Vector mask (CTRL\\_VECTOR\\_MASKBIT)'), tip);
    assert.ok(def.description.startsWith('Vector mask'));
    assert.ok(tip.includes('patch V3 33/33'), 'names the source');
    assert.ok(tip.includes('| hex | dec | bin |'), 'has the value table');
    const ctrlTip = tooltipOf(slot1(ctx, 'ctrl')) ?? '';
    assert.match(ctrlTip, /at 0xe000[0-9a-f]{4}/, 'the slot word’s physical address');
  });

  it('formats in decimal or binary, per setting and per node (inherited by children)', () => {
    const dec = new RenderContext(snap, undefined, { format: 'decimal' });
    assert.equal(slot1(dec, 'ctrl').description, '4104 · unmasked');
    const ctx0 = new RenderContext(snap, undefined, { format: 'hex' });
    const ctrlId = slot1(ctx0, 'ctrl').id;
    const formats = new Map([[ctrlId, 'binary' as const]]);
    const ctx = new RenderContext(snap, undefined, { format: 'hex', formats });
    assert.equal(slot1(ctx, 'ctrl').description, '0b00000000000000000001000000001000 · unmasked');
    assert.equal(slot1(ctx, 'ctrl', 'pasid [').description, '0b00000000000000000001');
    assert.equal(slot1(ctx, 'data').description, '0x00000000 · subhandle 0', 'siblings keep hex');
  });

  it('formats values: hex padded to the width, a bit as 0/1, no width unpadded', () => {
    assert.equal(formatValue(0x1008, 32, 'hex'), '0x00001008');
    assert.equal(formatValue(1, 1, 'hex'), '1');
    assert.equal(formatValue(1, 1, 'binary'), '0b1');
    assert.equal(formatValue(5, 0, 'hex'), '0x5');
    assert.equal(formatValue(0xfen, 12, 'decimal'), '254');
  });

  it('pages long lists: one page, then a show-more row that names the list', () => {
    const ctx = new RenderContext(snap, undefined, { format: 'hex', pageSize: 4 });
    const table = find(remappingView(ctx), 'INTEL-IR-0', 'Interrupt Remapping Table');
    const rows = table.children?.() ?? [];
    assert.deepEqual(
      rows.map((r) => r.label),
      ['IRTE 0', 'IRTE 1', 'IRTE 2', 'IRTE 3', 'Show 4 more'],
    );
    const more = rows.at(-1)!;
    assert.equal(more.description, '7 of 11 not shown');
    assert.deepEqual(more.command, { id: SHOW_MORE_COMMAND, args: [table.id] });
    const shown = new Map([[table.id, 8]]);
    const ctx2 = new RenderContext(snap, undefined, { format: 'hex', pageSize: 4, shown });
    const rows2 =
      find(remappingView(ctx2), 'INTEL-IR-0', 'Interrupt Remapping Table').children?.() ?? [];
    assert.equal(rows2.length, 9);
    assert.equal(rows2.at(-1)!.label, 'Show 3 more');
  });

  it('hides reserved fields that hold 0', () => {
    const ctx = new RenderContext(snap, undefined, { format: 'hex' });
    const labels = (slot1(ctx, 'ctrl').children?.() ?? []).map((n) => n.label);
    assert.ok(!labels.some((l) => l.startsWith('rsvd')), labels.join());
  });

  it('renders a subtree as indented text', () => {
    const ctx = new RenderContext(snap, undefined, { format: 'hex' });
    assert.equal(
      renderText([slot1(ctx, 'ctrl')]),
      [
        'ctrl — 0x00001008 · unmasked',
        '  mask [0:0] — 0',
        '  pasid_en [3:3] — 1',
        '  pasid [31:12] — 0x00001',
      ].join('\n'),
    );
  });
});
