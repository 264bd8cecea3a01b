/**
 * The Pending Interrupts view: per CPU the local APIC's IRR and ISR, the interrupt the CPU is
 * handling now (its handler is running), the interrupt flag and the device vectors routed to it;
 * then every masked-and-pending IMS slot and MSI-X entry, the device events queued on the clock,
 * and the interrupt trace (totals, recent outcomes, conservation problems).
 */
import type { TraceEvent } from '../../platform/trace';
import type { CpuSnapshot, HeldEntry } from '../../platform/snapshot/types';
import type { RenderContext } from '../model/context';
import { formatNs, formatVector, plural } from '../model/format';
import { groupNode, infoNode, pagedList, remoteList } from '../model/items';
import { msixState, slotName, slotNode, type SlotInput } from '../model/message-slot';
import { childId, type NodeTarget, type ViewNode } from '../model/node';
import { factsTooltip } from '../model/tooltip';
import { imsSlotState } from './ims-slots';

/** The root rows: CPUs, then masked-and-pending entries, queued events and the trace. */
export function pendingView(ctx: RenderContext): ViewNode[] {
  return [
    ...ctx.snap.cpus.map((c) => cpuNode(ctx, childId('pending', `cpu${c.id}`), c)),
    maskedPendingNode(ctx, childId('pending', 'masked')),
    eventsNode(ctx, childId('pending', 'events')),
    traceNode(ctx, childId('pending', 'trace')),
  ];
}

/** What a CPU is doing, in a few words. */
function cpuSummary(c: CpuSnapshot): string {
  const parts: string[] = [];
  const inner = c.inService.at(-1);
  if (!c.online) parts.push('offline');
  if (inner !== undefined) {
    parts.push(
      `in handler: irq ${inner.irq} vector ${formatVector(inner.vector)} (${inner.context})`,
    );
  }
  if (c.irr.length > 0) parts.push(`IRR ${c.irr.map(formatVector).join(' ')}`);
  if (c.isr.length > 0) parts.push(`ISR ${c.isr.map(formatVector).join(' ')}`);
  if (!c.irqsEnabled) parts.push('IF=0');
  return parts.length === 0 ? 'idle' : parts.join(' · ');
}

function cpuNode(ctx: RenderContext, id: string, c: CpuSnapshot): ViewNode {
  const before = ctx.before?.cpu(c.id);
  const irqText = (vector: number): string => {
    const irq = ctx.cur.vectorIrq(c.id, vector);
    if (irq === undefined) return vector >= 0xec ? 'system vector' : 'no irq';
    const action = ctx.cur.irq(irq)?.action ?? '';
    return `irq ${irq}${action === '' ? '' : ` (${action})`}`;
  };
  const vectorSet = (name: 'irr' | 'isr' | 'tmr', title: string, doc: string): ViewNode => {
    const now = c[name];
    const was = before?.[name];
    return groupNode(
      childId(id, name),
      title,
      now.length === 0 ? 'empty' : now.map(formatVector).join(' '),
      () =>
        now.map((v) => ({
          ...infoNode(childId(id, name, v), `vector ${formatVector(v)}`, irqText(v), {
            kind: 'vector',
            changed: ctx.changed(was?.includes(v) === true ? v : undefined, v),
          }),
          target: vectorTarget(ctx, c.id, v),
        })),
      { changed: ctx.changed(was?.join(), now.join()), tooltip: doc },
    );
  };
  const inService = c.inService.map((s, depth) =>
    infoNode(
      childId(id, 'in-service', depth),
      `irq ${s.irq} · vector ${formatVector(s.vector)}`,
      `${s.context} · ${ctx.cur.irq(s.irq)?.action ?? ''} · message #${s.messageId}`,
      {
        kind: 'in-service',
        icon: 'debug-stackframe',
        changed: ctx.changed(before?.inService[depth]?.messageId, s.messageId),
        tooltip: `CPU ${c.id} is running the handler of irq ${s.irq} (${s.context}), nesting level ${depth}.`,
      },
    ),
  );
  return {
    id,
    label: `CPU ${c.id}`,
    description: cpuSummary(c),
    tooltip: factsTooltip(`CPU ${c.id}`, [
      ['APIC ID', String(c.apicId)],
      [
        'online',
        c.online
          ? 'yes'
          : 'no: taken down (remove_cpu); its vectors moved away (fixup_irqs), it takes no interrupts',
      ],
      ['interrupts', c.irqsEnabled ? 'enabled (IF=1)' : 'disabled (IF=0)'],
      ['TPR / PPR', `${formatVector(c.tpr)} / ${formatVector(c.ppr)}`],
    ]),
    kind: 'cpu',
    icon: !c.online ? 'debug-disconnect' : c.inService.length > 0 ? 'debug-stackframe' : 'chip',
    expanded: c.inService.length > 0 || c.irr.length > 0 || c.isr.length > 0,
    changed: ctx.changed(before === undefined ? undefined : cpuSummary(before), cpuSummary(c)),
    children: () => [
      vectorSet(
        'irr',
        'IRR',
        'Interrupt Request Register: vectors accepted and waiting for the CPU.',
      ),
      vectorSet(
        'isr',
        'ISR',
        'In-Service Register: vectors delivered to the CPU and not yet EOIed.',
      ),
      ...(c.tmr.length > 0 || (before?.tmr.length ?? 0) > 0
        ? [vectorSet('tmr', 'TMR', 'Trigger Mode Register: level-triggered vectors.')]
        : []),
      ...inService,
      infoNode(
        childId(id, 'if'),
        'interrupts',
        c.irqsEnabled ? 'enabled (IF=1)' : 'disabled (IF=0)',
        {
          changed: ctx.changed(before?.irqsEnabled, c.irqsEnabled),
        },
      ),
      infoNode(childId(id, 'tpr'), 'TPR / PPR', `${formatVector(c.tpr)} / ${formatVector(c.ppr)}`),
      groupNode(
        childId(id, 'vector_irq'),
        'vector_irq',
        plural(c.vectorCount, 'device vector'),
        () =>
          remoteList(ctx, childId(id, 'vector_irq'), { list: 'cpuVectors', cpu: c.id }, (v) => ({
            ...infoNode(
              childId(id, 'vector_irq', v.vector),
              `vector ${formatVector(v.vector)}`,
              irqText(v.vector),
              { kind: 'vector' },
            ),
            target: vectorTarget(ctx, c.id, v.vector),
          })),
      ),
    ],
  };
}

/** A vector row's action target: the CPU's vector and the irq it is routed to. */
function vectorTarget(ctx: RenderContext, cpu: number, vector: number): NodeTarget {
  return { kind: 'vector', cpu, vector, irq: ctx.cur.vectorIrq(cpu, vector) ?? null };
}

/** A held message's entry as a slot row's input (its state at the previous stop when known). */
function heldInput(ctx: RenderContext, h: HeldEntry): SlotInput {
  const now = {
    msg: { address_lo: h.address_lo, address_hi: h.address_hi, data: h.data },
    ctrl: h.ctrl,
    pending: true,
    pendingId: h.pendingId,
  };
  let before: SlotInput['before'];
  if (h.table === 'ims') {
    const was = ctx.before?.imsSlot(h.bdf, h.index);
    before = ctx.beforeIn(
      { list: 'imsSlots', device: h.bdf },
      h.index,
      was === undefined ? undefined : imsSlotState(was),
      now,
    );
  } else {
    const was = ctx.before?.msixEntry(h.bdf, h.index);
    before = was === undefined ? undefined : msixState(was);
  }
  return { bdf: h.bdf, table: h.table, index: h.index, now, before };
}

/** The messages held at masked IMS slots and MSI-X entries, across devices. */
function maskedPendingNode(ctx: RenderContext, id: string): ViewNode {
  const total = ctx.snap.heldCount;
  return groupNode(
    id,
    'Masked and pending',
    total === 0 ? 'none' : plural(total, 'message'),
    () =>
      remoteList(ctx, id, { list: 'held' }, (h) =>
        h.entryHolds
          ? slotNode(
              ctx,
              childId(id, h.bdf, h.table, h.index),
              heldInput(ctx, h),
              `${slotName(h.table, h.index)} · ${h.bdf}`,
            )
          : infoNode(
              childId(id, 'message', h.pendingId),
              `message #${h.pendingId}`,
              `pending (no entry holds it; from ${slotName(h.table, h.index)} of ${h.bdf})`,
              { icon: 'warning' },
            ),
      ),
    {
      icon: total > 0 ? 'bell-dot' : 'bell',
      expanded: total > 0 && ctx.snap.held.length === total,
      changed: ctx.changed(ctx.prev?.trace.pendingIds.join(), ctx.snap.trace.pendingIds.join()),
      tooltip:
        'Messages a device generated while the entry was masked. Unmasking sends each with the entry’s current address and data; one message per entry (a second merges into it).',
    },
  );
}

function eventsNode(ctx: RenderContext, id: string): ViewNode {
  const now = ctx.snap.t;
  const events = ctx.snap.events;
  const wasQueued = new Set(ctx.prev?.events.map((e) => `${e.t}|${e.label}`) ?? []);
  return groupNode(
    id,
    'Queued device events',
    events.length === 0 ? 'none' : `${plural(events.length, 'event')} · now ${formatNs(now)}`,
    () =>
      pagedList(
        ctx,
        id,
        events.map((e, i) => ({ ...e, i })),
        (e) =>
          infoNode(childId(id, e.i), e.label, `in ${formatNs(e.t - now)} (t ${formatNs(e.t)})`, {
            kind: 'event',
            icon: 'watch',
            changed: ctx.before !== undefined && !wasQueued.has(`${e.t}|${e.label}`),
          }),
      ),
    { expanded: events.length > 0 && events.length <= 10, icon: 'watch' },
  );
}

function traceNode(ctx: RenderContext, id: string): ViewNode {
  const tr = ctx.snap.trace;
  const t = tr.totals;
  const lastSeq = ctx.prev?.trace.recent.at(-1)?.seq ?? -1;
  const recent = [...tr.recent].reverse();
  return groupNode(
    id,
    'Interrupt trace',
    `${tr.messages} messages · delivered ${t.delivered} · pending ${t.pending} · faulted ${t.faulted} · dropped ${t.dropped}`,
    () => [
      ...tr.problems.map((p, i) =>
        infoNode(childId(id, 'problem', i), 'conservation problem', p, { icon: 'error' }),
      ),
      ...pagedList(ctx, id, recent, (e) => traceEventNode(ctx, childId(id, e.seq), e, lastSeq)),
    ],
    {
      changed: ctx.changed(ctx.prev?.trace.messages, tr.messages),
      ...(tr.problems.length > 0 ? { icon: 'error' } : { icon: 'pulse' }),
    },
  );
}

const OUTCOME_ICONS: Readonly<Record<TraceEvent['kind'], string>> = {
  delivered: 'pass',
  pending: 'bell-dot',
  faulted: 'error',
  dropped: 'circle-slash',
};

function traceEventNode(ctx: RenderContext, id: string, e: TraceEvent, lastSeq: number): ViewNode {
  return infoNode(
    id,
    `#${e.id} ${e.kind}`,
    `${e.path}${e.reason === null ? '' : ` — ${e.reason}`}`,
    {
      kind: 'trace-event',
      icon: OUTCOME_ICONS[e.kind],
      changed: ctx.before !== undefined && e.seq > lastSeq,
      tooltip: factsTooltip(`message #${e.id}: ${e.kind}`, [
        ['time', formatNs(e.t)],
        ['source', `${e.source === 'ims' ? 'IMS slot' : 'MSI-X entry'} ${e.index} of ${e.bdf}`],
        ['PASID', e.pasid === null ? 'none' : String(e.pasid)],
        ['IRTE', e.irte === null ? '—' : String(e.irte)],
        ['vector → CPU', e.vector === null ? '—' : `${formatVector(e.vector)} → ${e.cpu ?? '?'}`],
        ['irq', e.virq === null ? '—' : String(e.virq)],
        ...(e.fault === null ? [] : [['fault', `0x${e.fault.toString(16)}`] as const]),
        ...(e.reason === null ? [] : [['reason', e.reason] as const]),
      ]),
    },
  );
}
