/**
 * Linux irq rows — one irq with its whole path (domain, hwirq, chip, action, the device's entry
 * and message, the IRTE, vector and CPU, state and counts), like a line of
 * /sys/kernel/debug/irq/irqs/<n>. Used by the IRQ Domains view and wherever an irq is named.
 */
import type { IrqSnapshot } from '../../platform/snapshot/types';
import type { RenderContext } from './context';
import { formatVector } from './format';
import { groupNode, infoNode, valueNode } from './items';
import { irteRefNode } from './irte';
import { messageWordNodes, slotName } from './message-slot';
import { childId, type ViewNode } from './node';
import { factsTooltip } from './tooltip';

/** CPU numbers as Linux prints masks (`0-3,6`); empty shows `all`. */
export function cpuList(cpus: readonly number[]): string {
  if (cpus.length === 0) return 'all';
  const sorted = [...cpus].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** `vector 0x20 → CPU 1`, or the reservation Linux keeps before activation. */
export function irqTarget(i: IrqSnapshot): string {
  if (i.reserved) return `vector ${formatVector(i.vector)} (reserved, not activated)`;
  const move =
    i.moveInProgress && i.prevVector !== null
      ? ` (moving from CPU ${i.prevCpu ?? '?'} vector ${formatVector(i.prevVector)})`
      : '';
  return `vector ${formatVector(i.vector)} → CPU ${i.cpu}${move}`;
}

/** One-line summary: hwirq, action, vector → CPU, IRTE. */
export function irqSummary(ctx: RenderContext, id: string, i: IrqSnapshot): string {
  const parts = [
    `hwirq ${ctx.value(id, i.hwirq, 0)}`,
    i.action === '' ? 'no action' : i.action,
    irqTarget(i),
  ];
  if (i.irte !== null) parts.push(`IRTE ${i.irte}`);
  if (i.pendingMask.length > 0) parts.push(`move to CPU ${cpuList(i.pendingMask)} pending`);
  return parts.join(' · ');
}

/** The parts of an irq compared between stops (what the summary shows, and the count). */
function signature(i: IrqSnapshot): string {
  return [
    i.hwirq,
    i.action,
    i.vector,
    i.cpu,
    i.reserved,
    i.irte,
    i.count,
    i.state.join(),
    i.pendingMask.join(),
    i.cleanupPending,
  ].join('/');
}

/** `3 (CPU1 2, CPU2 1)`: the count and the CPUs that handled the irq. */
function handledText(i: IrqSnapshot): string {
  const cpus = i.perCpu.flatMap((n, c) => (n > 0 ? [`CPU${c} ${n}`] : []));
  return cpus.length === 0 ? String(i.count) : `${i.count} (${cpus.join(', ')})`;
}

/** A row for irq `i`; its children show the whole path. */
export function irqNode(ctx: RenderContext, id: string, i: IrqSnapshot): ViewNode {
  const before = ctx.beforeIn(
    { list: 'domainIrqs', domain: i.domain },
    i.irq,
    ctx.before?.irq(i.irq),
    i,
  );
  const inService = ctx.snap.cpus.some((c) => c.inService.some((s) => s.irq === i.irq));
  return {
    id,
    label: `irq ${i.irq}`,
    description: irqSummary(ctx, id, i),
    tooltip: () =>
      factsTooltip(`irq ${i.irq}`, [
        ['domain', i.domain],
        ['chip', i.chip],
        ['action', i.action === '' ? '(none)' : i.action],
        ['device', i.device ?? '(none)'],
        ['target', irqTarget(i)],
        ['handled', handledText(i)],
      ]),
    kind: 'irq',
    hasValue: true,
    target: {
      kind: 'irq',
      irq: i.irq,
      activated: i.state.includes('IRQD_ACTIVATED'),
      irte: i.irte === null ? null : { unit: i.ir, index: i.irte },
    },
    changed: ctx.changed(before === undefined ? undefined : signature(before), signature(i)),
    ...(inService ? { icon: 'debug-stackframe' } : {}),
    children: () => irqChildren(ctx, id, i),
  };
}

/** The rows inside an irq row. */
function irqChildren(ctx: RenderContext, id: string, i: IrqSnapshot): ViewNode[] {
  const before = ctx.before?.irq(i.irq);
  const rows: ViewNode[] = [
    valueNode(ctx, childId(id, 'hwirq'), 'hwirq', i.hwirq, 0, before?.hwirq),
    infoNode(childId(id, 'chip'), 'chip', i.chip),
    infoNode(
      childId(id, 'action'),
      'action',
      i.action === '' ? '(none: not requested)' : i.action,
      {
        changed: ctx.changed(before?.action, i.action),
      },
    ),
  ];
  if (i.device !== null) rows.push(infoNode(childId(id, 'device'), 'device', i.device));
  if (i.source !== null && i.index !== null) {
    const icookie = i.icookie === null ? '' : ` · icookie ${i.icookie}`;
    rows.push(infoNode(childId(id, 'entry'), 'entry', `${slotName(i.source, i.index)}${icookie}`));
  }
  if (i.msg !== null) {
    const msg = i.msg;
    const prevMsg = before?.msg ?? undefined;
    rows.push(
      groupNode(
        childId(id, 'msg'),
        'msi_msg',
        `0x${msg.address_lo.toString(16)} / 0x${msg.address_hi.toString(16)} / 0x${msg.data.toString(16)}`,
        () => messageWordNodes(ctx, childId(id, 'msg'), msg, prevMsg, `irq ${i.irq} msi_msg`),
      ),
    );
  }
  if (i.irte !== null) rows.push(irteRefNode(ctx, childId(id, 'irte'), i.irte, i.ir));
  rows.push(
    infoNode(childId(id, 'vector'), 'vector', irqTarget(i), {
      changed: ctx.changed(before === undefined ? undefined : irqTarget(before), irqTarget(i)),
    }),
  );
  const cleanup = i.cleanupPending
    ? `previous vector awaits cleanup on CPU ${i.prevCpu ?? '?'}`
    : 'none';
  rows.push(
    infoNode(childId(id, 'cleanup'), 'cleanup_pending', cleanup, {
      changed: ctx.changed(before?.cleanupPending, i.cleanupPending),
      tooltip:
        'apicd->cleanup_pending: after a move, the old vector stays reserved on the old CPU until the first interrupt on the new one proves the move done and the cleanup (vector_cleanup timer) frees it. arch/x86/kernel/apic/vector.c',
      ...(i.cleanupPending ? { icon: 'history' } : {}),
    }),
  );
  const pending = i.pendingMask.length === 0 ? 'none' : `CPU ${cpuList(i.pendingMask)}`;
  rows.push(
    infoNode(childId(id, 'affinity'), 'affinity', `${cpuList(i.affinity)} · pending ${pending}`, {
      changed: ctx.changed(
        before === undefined ? undefined : `${before.affinity.join()}/${before.pendingMask.join()}`,
        `${i.affinity.join()}/${i.pendingMask.join()}`,
      ),
      tooltip:
        'The requested affinity (all = irq_default_affinity) and desc->pending_mask: with IRQD_SETAFFINITY_PENDING, a move the kernel could not make in process context is made at the next interrupt (irq_move_irq from the ack). kernel/irq/manage.c, kernel/irq/migration.c',
      ...(i.pendingMask.length > 0 ? { icon: 'arrow-right' } : {}),
    }),
  );
  rows.push(
    groupNode(
      childId(id, 'state'),
      'state',
      i.state.map((s) => s.replace(/^IRQD_/, '')).join(' | ') || '0',
      () => i.state.map((s) => infoNode(childId(id, 'state', s), s, '')),
      { changed: ctx.changed(before?.state.join(), i.state.join()) },
    ),
  );
  rows.push(
    groupNode(
      childId(id, 'count'),
      'count',
      `${i.count}${i.unhandled > 0 ? ` (${i.unhandled} unhandled)` : ''}`,
      () =>
        ctx.snap.cpus.map(({ id: c }) => {
          const n = i.perCpu[c] ?? 0;
          return infoNode(childId(id, 'count', c), `CPU ${c}`, String(n), {
            changed: ctx.changed(before === undefined ? undefined : (before.perCpu[c] ?? 0), n),
          });
        }),
      { changed: ctx.changed(before?.count, i.count) },
    ),
  );
  return rows;
}
