import { strict as assert } from 'node:assert';
import { RenderContext } from '../../../src/extension/model/context';
import { renderText, type ViewNode } from '../../../src/extension/model/node';
import { VIEWS } from '../../../src/extension/views';
import { domainsView } from '../../../src/extension/views/domains';
import { imsSlotsView } from '../../../src/extension/views/ims-slots';
import { pendingView } from '../../../src/extension/views/pending';
import { remappingView } from '../../../src/extension/views/remapping';
import { assertGolden } from './golden';
import { exampleHandlerStops, exampleMaskedStops } from './stops';

/** The node reached from `nodes` by following labels that start with each of `path`. */
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

/** All ids of a fully expanded tree. */
function allIds(nodes: readonly ViewNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.id);
    if (n.children) allIds(n.children(), out);
  }
  return out;
}

describe('views: the example stopped in its second completion handler', function () {
  this.timeout(60_000);
  let ctx: RenderContext;
  before(() => {
    const s = exampleHandlerStops();
    ctx = new RenderContext(s.second, s.first, { format: 'hex' });
  });

  it('IRQ Domains: VECTOR → INTEL-IR-0 → the per-device MSI-X and IMS domains, with irqs', () => {
    const roots = domainsView(ctx);
    assertGolden('domains', renderText(roots, 4));
    const ims = find(roots, 'VECTOR', 'INTEL-IR-0', 'IR-PCI-IDXD-0000:6a:01.0');
    assert.equal(ims.description, 'mapped 2 · size 2,048');
    const irq34 = find(roots, 'VECTOR', 'INTEL-IR-0', 'IR-PCI-IDXD-0000:6a:01.0', 'irq 34');
    assert.equal(irq34.description, 'hwirq 0x1 · idxd-portal · vector 0x20 → CPU 2 · IRTE 10');
    assert.equal(irq34.icon, 'debug-stackframe', 'CPU 2 runs its handler');
    assert.equal(irq34.changed, true, 'its count went from 0 to 1 since the first handler');
    const irq33 = find(roots, 'VECTOR', 'INTEL-IR-0', 'IR-PCI-IDXD-0000:6a:01.0', 'irq 33');
    assert.equal(irq33.changed, true, 'its handler returned: IRQD_IRQ_INPROGRESS cleared');
    const state = find(
      roots,
      'VECTOR',
      'INTEL-IR-0',
      'IR-PCI-IDXD-0000:6a:01.0',
      'irq 33',
      'state',
    );
    assert.equal(state.description, 'ACTIVATED | IRQ_STARTED | SINGLE_TARGET');
    assert.equal(state.changed, true);
    const misc = find(roots, 'VECTOR', 'INTEL-IR-0', 'IR-PCI-MSIX-0000:6a:01.0', 'irq 24');
    assert.equal(misc.changed, false);
  });

  it('IMS Slots: each slot in use, decoded, with the IRTE its handle names', () => {
    const roots = imsSlotsView(ctx);
    assertGolden('ims-slots', renderText(roots));
    const slot = find(roots, '0000:6a:01.0', 'IMS slot 1');
    assert.equal(slot.description, 'irq 34 idxd-portal · IRTE 10 · PASID 1 · unmasked');
    const ctrl = find(roots, '0000:6a:01.0', 'IMS slot 1', 'ctrl');
    assert.equal(ctrl.description, '0x00001008 · unmasked');
    const fields = (ctrl.children?.() ?? []).map((f) => `${f.label} = ${f.description}`);
    assert.deepEqual(fields, ['mask [0:0] = 0', 'pasid_en [3:3] = 1', 'pasid [31:12] = 0x00001']);
    const irte = find(roots, '0000:6a:01.0', 'IMS slot 1', 'IRTE 10');
    assert.match(irte.description ?? '', /vector 0x20 → DST 2 · SID 6a:01\.0 · irq 34 · cached$/);
  });

  it('Interrupt Remapping: present IRTEs decoded, and the fault log', () => {
    const roots = remappingView(ctx);
    assertGolden('remapping', renderText(roots, 3));
    const irte = find(roots, 'INTEL-IR-0', 'Interrupt Remapping Table', 'IRTE 10');
    const fields = (irte.children?.() ?? []).map((f) => `${f.label} = ${f.description}`);
    assert.deepEqual(fields, [
      'P [0:0] = 1',
      'FPD [1:1] = 0',
      'DM [2:2] = 0',
      'RH [3:3] = 1',
      'TM [4:4] = 0',
      'DLM [7:5] = Fixed (0x0)',
      'AVAIL [11:8] = 0x0',
      'PST [15:15] = 0',
      'VECTOR [23:16] = 0x20',
      'DST [63:32] = 0x00000002',
      'SID [79:64] = 6a:01.0 (0x6a08)',
      'SQ [81:80] = all 16 bits (0x0)',
      'SVT [83:82] = verify SID/SQ (0x1)',
      'URG [14:14] = 0',
      'PDAL [63:38] = 0x0000000',
      'PDAH [127:96] = 0x00000000',
    ]);
    assert.equal(find(roots, 'INTEL-IR-0', 'Fault log').description, 'no faults');
  });

  it('Pending Interrupts: the CPU in its handler, IRR/ISR, the trace', () => {
    const roots = pendingView(ctx);
    assertGolden('pending', renderText(roots, 3));
    const cpu2 = find(roots, 'CPU 2');
    assert.equal(cpu2.description, 'in handler: irq 34 vector 0x20 (hardirq) · IF=0');
    assert.equal(cpu2.expanded, true);
    assert.equal(find(roots, 'CPU 1').changed, true, 'CPU 1 left its handler since the last stop');
    const latest = find(roots, 'Interrupt trace', '#7');
    assert.equal(latest.changed, true);
    assert.notEqual(find(roots, 'Interrupt trace', '#6').changed, true);
  });

  it('gives every row of every view a unique id that starts with its parent’s', () => {
    for (const v of VIEWS) {
      const ids = allIds(v.render(ctx));
      assert.equal(new Set(ids).size, ids.length, `${v.title}: duplicate ids`);
    }
    const check = (nodes: readonly ViewNode[], parent?: string): void => {
      for (const n of nodes) {
        if (parent !== undefined)
          assert.ok(n.id.startsWith(parent + '/'), `${n.id} under ${parent}`);
        if (n.children) check(n.children(), n.id);
      }
    };
    for (const v of VIEWS) check(v.render(ctx));
  });

  it('highlights nothing at the first stop', () => {
    const first = new RenderContext(exampleHandlerStops().first, undefined, { format: 'hex' });
    for (const v of VIEWS) assert.doesNotMatch(renderText(v.render(first), 6), /^\s*\*/m, v.title);
  });

  it('renders without side effects: the snapshot is unchanged', () => {
    const s = exampleHandlerStops().second;
    const before = JSON.stringify(s);
    for (const v of VIEWS) renderText(v.render(ctx));
    assert.equal(JSON.stringify(s), before);
  });
});

describe('views: a completion message held by a masked IMS slot', function () {
  this.timeout(60_000);
  let ctx: RenderContext;
  before(() => {
    const s = exampleMaskedStops();
    ctx = new RenderContext(s.pending, s.masked, { format: 'hex' });
  });

  it('IMS Slots shows the slot masked and pending, the pending row highlighted', () => {
    const roots = imsSlotsView(ctx);
    assert.equal(
      find(roots, '0000:6a:01.0').description,
      'DSA · 2 of 2,048 slots in use · 1 pending',
    );
    const slot = find(roots, '0000:6a:01.0', 'IMS slot 1');
    assert.equal(slot.description, 'irq 34 idxd-portal · IRTE 10 · PASID 1 · masked · pending #7');
    assert.equal(slot.icon, 'bell-dot');
    assert.equal(slot.changed, true);
    const pending = find(roots, '0000:6a:01.0', 'IMS slot 1', 'pending');
    assert.equal(pending.description, 'message #7 held (masked)');
    assert.equal(pending.changed, true);
    assert.equal(find(roots, '0000:6a:01.0', 'IMS slot 1', 'ctrl', 'mask').description, '1');
    assert.notEqual(find(roots, '0000:6a:01.0', 'IMS slot 1', 'ctrl', 'mask').changed, true);
  });

  it('Pending Interrupts lists it, the queued unmask and the pending trace outcome', () => {
    const roots = pendingView(ctx);
    assertGolden('pending-masked', renderText(roots, 2));
    const group = find(roots, 'Masked and pending');
    assert.equal(group.description, '1 message');
    assert.equal(group.expanded, true);
    assert.equal(
      find(roots, 'Masked and pending', 'IMS slot 1 · 0000:6a:01.0').description,
      'irq 34 idxd-portal · IRTE 10 · PASID 1 · masked · pending #7',
    );
    const ev = find(roots, 'Queued device events', 'debugger: clear IMS slot 1 ctrl.mask');
    assert.equal(ev.description, 'in 1,000 ns (t 24,814 ns)');
    assert.equal(
      find(roots, 'Interrupt trace', '#7 pending').description,
      'IMS slot 1 of 0000:6a:01.0',
    );
  });
});
