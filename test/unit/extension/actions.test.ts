/**
 * The views' row actions, from real rows of the example's stops: each row's target and the
 * contextValue tags the menus hang off, the requests Mask / Unmask and Inject send, the named
 * interrupt breakpoint of Break on Delivery (parsed back by the runtime's grammar), the IRTE
 * Reveal IRTE goes to, and the Pending Interrupts badge. Also the new irq, IEC and QI rows.
 */
import { strict as assert } from 'node:assert';
import {
  breakpointName,
  injectRequest,
  maskRequest,
  pendingBadge,
  revealedIrte,
} from '../../../src/extension/model/actions';
import { RenderContext } from '../../../src/extension/model/context';
import { cpuList } from '../../../src/extension/model/irq';
import { contextValueOf, type ViewNode } from '../../../src/extension/model/node';
import { domainsView } from '../../../src/extension/views/domains';
import { imsSlotsView } from '../../../src/extension/views/ims-slots';
import { pendingView } from '../../../src/extension/views/pending';
import { remappingView } from '../../../src/extension/views/remapping';
import { parseInterruptBreakpoint } from '../../../src/runtime/interrupt-breakpoint';
import { exampleHandlerStops, exampleMaskedStops } from './stops';

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

const BDF = '0000:6a:01.0';

describe('views: row actions', function () {
  this.timeout(60_000);
  let ctx: RenderContext;
  before(() => {
    const s = exampleHandlerStops();
    ctx = new RenderContext(s.second, s.first, { format: 'hex' });
  });

  it('an IMS slot in use: mask, inject, reveal its IRTE, break on its delivery', () => {
    const slot = find(imsSlotsView(ctx), BDF, 'IMS slot 1');
    assert.deepEqual(slot.target, {
      kind: 'entry',
      bdf: BDF,
      table: 'ims',
      index: 1,
      masked: false,
      irq: 34,
      irte: { unit: 'INTEL-IR-0', index: 10 },
    });
    assert.equal(contextValueOf(slot), 'slot+unmasked+irq+irte+break');
    assert.deepEqual(maskRequest(slot.target, true), {
      command: 'ims/maskEntry',
      args: { device: BDF, table: 'ims', index: 1, mask: true },
    });
    assert.deepEqual(injectRequest(slot.target), { command: 'ims/inject', args: { irq: 34 } });
    assert.deepEqual(revealedIrte(slot.target), { unit: 'INTEL-IR-0', index: 10 });
    assert.equal(breakpointName(slot.target), `ims ${BDF}/1`);
  });

  it('an MSI-X entry allocated but not requested: unmask, no inject (not activated)', () => {
    const entry = find(imsSlotsView(ctx), BDF, 'MSI-X table', 'MSI-X entry 1');
    assert.equal(contextValueOf(entry), 'msix-entry+masked+irte+break');
    assert.deepEqual(maskRequest(entry.target, false)?.args, {
      device: BDF,
      table: 'msix',
      index: 1,
      mask: false,
    });
    assert.equal(injectRequest(entry.target), undefined);
    assert.equal(breakpointName(entry.target), `msix ${BDF}/1`);
  });

  it('irq, IRTE and vector rows: their breakpoint names parse as the runtime parses them', () => {
    const irq = find(domainsView(ctx), 'VECTOR', 'INTEL-IR-0', `IR-PCI-IDXD-${BDF}`, 'irq 34');
    assert.equal(contextValueOf(irq), 'irq+value+irq+irte+break');
    const irte = find(remappingView(ctx), 'INTEL-IR-0', 'Interrupt Remapping Table', 'IRTE 10');
    assert.equal(contextValueOf(irte), 'irte+value+break');
    assert.equal(maskRequest(irte.target, true), undefined, 'an IRTE has no mask');
    const vector = find(pendingView(ctx), 'CPU 2', 'vector_irq', 'vector 0x20');
    assert.equal(contextValueOf(vector), 'vector+irq+break');
    assert.deepEqual(injectRequest(vector.target)?.args, { irq: 34 });
    const names = [irq, irte, vector].map((n) => breakpointName(n.target)!);
    assert.deepEqual(names, ['irq 34', 'irte 0:10', 'vector 0x20@cpu2']);
    assert.deepEqual(
      names.map((n) => parseInterruptBreakpoint(n)),
      [
        { kind: 'virq', value: 34 },
        { kind: 'irte', value: 10, unit: 0 },
        { kind: 'vector', value: 0x20, cpu: 2 },
      ],
    );
    assert.deepEqual(parseInterruptBreakpoint(`ims ${BDF}/1`), {
      kind: 'ims',
      value: 1,
      bdf: BDF,
    });
  });

  it('rows that act on nothing carry no action tags', () => {
    const flags = find(domainsView(ctx), 'VECTOR', 'flags');
    assert.equal(contextValueOf(flags), 'info');
    const ctrl = find(imsSlotsView(ctx), BDF, 'IMS slot 1', 'ctrl');
    assert.equal(contextValueOf(ctrl), 'register.RW+value');
  });

  it('the Pending Interrupts badge counts held messages and vectors waiting in IRR', () => {
    const { pending } = exampleMaskedStops();
    const irr = pending.cpus.reduce((n, c) => n + c.irr.length, 0);
    assert.equal(pending.heldCount, 1);
    assert.deepEqual(pendingBadge(pending), {
      value: 1 + irr,
      tooltip:
        'Pending: 1 message held at masked entries' +
        (irr > 0 ? `, ${irr} vector${irr === 1 ? '' : 's'} waiting in IRR` : ''),
    });
    const calm = exampleHandlerStops().first;
    const calmIrr = calm.cpus.reduce((n, c) => n + c.irr.length, 0);
    assert.equal(pendingBadge(calm)?.value, calm.heldCount + calmIrr || undefined);
    assert.equal(pendingBadge(undefined), undefined);
  });

  it('a held message shows under Masked and pending as its slot, unmaskable', () => {
    const { masked, pending } = exampleMaskedStops();
    const c = new RenderContext(pending, masked, { format: 'hex' });
    const held = find(pendingView(c), 'Masked and pending', 'IMS slot 1');
    assert.equal(contextValueOf(held), 'slot+masked+irq+irte+break');
    assert.equal(held.icon, 'bell-dot');
  });

  it('irq rows show affinity, a pending move and cleanup_pending', () => {
    const irq = find(domainsView(ctx), 'VECTOR', 'INTEL-IR-0', `IR-PCI-IDXD-${BDF}`, 'irq 34');
    const rows = irq.children!().map((r) => `${r.label} — ${r.description}`);
    assert.ok(rows.includes('cleanup_pending — none'), rows.join('\n'));
    assert.ok(
      rows.some((r) => /^affinity — .* · pending none$/.test(r)),
      rows.join('\n'),
    );
    assert.equal(cpuList([]), 'all');
    assert.equal(cpuList([3, 0, 1, 2, 6]), '0-3,6');
  });

  it('an IR unit shows its interrupt entry cache and queued invalidation', () => {
    const unit = find(remappingView(ctx), 'INTEL-IR-0');
    const iec = find([unit], 'INTEL-IR-0', 'Interrupt entry cache');
    assert.match(
      iec.description ?? '',
      /^3 entries cached · \d+ hits · \d+ misses · \d+ invalidations$/,
    );
    const qi = find([unit], 'INTEL-IR-0', 'Queued invalidation');
    assert.match(qi.description ?? '', /^IQH (\d+) · IQT \1 of 256 · \d+ flushes$/);
  });
});
