/**
 * The Interrupt Remapping view: per VT-d IR unit, the IRTEs the kernel allocated or the table has
 * present, decoded (P, FPD, DM, RH, TM, DLM, VECTOR, DST, SID, SQ, SVT, …), and the fault log
 * with the VT-d fault reasons. Tens of thousands of IRTEs page lazily.
 */
import type { IecEntrySnapshot, IrUnitSnapshot } from '../../platform/snapshot/types';
import { irteSnapshot } from '../../platform/snapshot/build';
import type { RenderContext } from '../model/context';
import { formatNs, plural, toBig } from '../model/format';
import { groupNode, infoNode, pagedList, remoteList } from '../model/items';
import { irteNode, irteSummary } from '../model/irte';
import { childId, type ViewNode } from '../model/node';
import { factsTooltip } from '../model/tooltip';

type Fault = IrUnitSnapshot['faults'][number];

/** The root rows: one per IR unit. */
export function remappingView(ctx: RenderContext): ViewNode[] {
  return ctx.snap.ir.map((u) => unitNode(ctx, childId('ir', u.name), u));
}

function unitNode(ctx: RenderContext, id: string, u: IrUnitSnapshot): ViewNode {
  const before = ctx.before?.irUnit(u.name);
  const whole = u.irtes.length === u.irteCount;
  const state = u.enabled
    ? `enabled · ${u.eime ? 'x2APIC' : 'xAPIC'} · IRTA ${u.tableAddress}`
    : 'disabled';
  return {
    id,
    label: u.name,
    description: `${state} · ${plural(u.irteCount, 'IRTE')} in use${u.iec.staleCount > 0 ? ` · ${plural(u.iec.staleCount, 'stale IEC entry', 'stale IEC entries')}` : ''}${u.faults.length > 0 ? ` · ${plural(u.faults.length, 'fault')}` : ''}`,
    tooltip: factsTooltip(u.name, [
      ['remapping', u.enabled ? 'enabled' : 'disabled'],
      ['EIME', u.eime ? '1 (x2APIC, 32-bit destinations)' : '0 (xAPIC)'],
      ['table', `${u.tableAddress}, ${u.tableSize.toLocaleString('en-US')} entries`],
      ['allocated or present', String(u.irteCount)],
    ]),
    kind: 'ir-unit',
    icon: 'arrow-swap',
    expanded: true,
    changed: ctx.changed(
      before === undefined ? undefined : `${before.enabled}/${before.faults.length}`,
      `${u.enabled}/${u.faults.length}`,
    ),
    children: () => [
      groupNode(
        childId(id, 'table'),
        'Interrupt Remapping Table',
        `${plural(u.irteCount, 'entry', 'entries')} allocated or present`,
        () =>
          remoteList(ctx, childId(id, 'table'), { list: 'irtes', unit: u.name }, (e) =>
            irteNode(ctx, childId(id, 'table', e.index), u.name, e),
          ),
        // Open unless it holds thousands of entries (read page by page when opened).
        { expanded: whole },
      ),
      iecNode(ctx, childId(id, 'iec'), u),
      qiNode(ctx, childId(id, 'qi'), u),
      groupNode(
        childId(id, 'faults'),
        'Fault log',
        u.faults.length === 0 ? 'no faults' : plural(u.faults.length, 'fault'),
        () =>
          pagedList(ctx, childId(id, 'faults'), [...u.faults].reverse(), (f) =>
            faultNode(ctx, childId(id, 'faults', `${f.messageId}-${f.t}`), f),
          ),
        {
          changed: ctx.changed(before?.faults.length, u.faults.length),
          ...(u.faults.length > 0 ? { icon: 'error', expanded: true } : {}),
        },
      ),
    ],
  };
}

/** The unit's interrupt entry cache: stale entries first, with what the table holds now. */
function iecNode(ctx: RenderContext, id: string, u: IrUnitSnapshot): ViewNode {
  const c = u.iec;
  const before = ctx.before?.irUnit(u.name)?.iec;
  return groupNode(
    id,
    'Interrupt entry cache',
    `${plural(c.count, 'entry', 'entries')} cached` +
      (c.staleCount > 0 ? ` · ${c.staleCount} stale` : '') +
      ` · ${c.hits} hits · ${c.misses} misses · ${c.invalidations} invalidations`,
    () =>
      remoteList(ctx, id, { list: 'iec', unit: u.name }, (e) =>
        iecEntryNode(childId(id, e.index), u.name, e),
      ),
    {
      icon: c.staleCount > 0 ? 'warning' : 'database',
      expanded: c.staleCount > 0 && c.entries.length === c.count,
      changed: ctx.changed(
        before === undefined ? undefined : `${before.count}/${before.staleCount}`,
        `${c.count}/${c.staleCount}`,
      ),
      tooltip:
        'IRTEs the unit fetched and keeps using instead of the table in memory until software invalidates them (an Interrupt Entry Cache Invalidate descriptor through the invalidation queue: qi_flush_iec). A stale entry is one the table no longer holds: the unit still delivers with the cached copy. VT-d §6.5.2.7, §9.10.',
    },
  );
}

/** One cached IRTE: what the cache holds and, when stale, what the table holds now. */
function iecEntryNode(id: string, unit: string, e: IecEntrySnapshot): ViewNode {
  const cached = irteSummary(irteSnapshot(toBig(e.raw), e.index, null));
  const table = irteSummary(irteSnapshot(toBig(e.table), e.index, null));
  return infoNode(
    id,
    `IRTE ${e.index}`,
    e.stale ? `STALE: cached ${cached} · table ${table}` : `cached ${cached}`,
    {
      kind: 'iec-entry',
      icon: e.stale ? 'warning' : 'database',
      tooltip: factsTooltip(`${unit} IEC entry ${e.index}`, [
        ['cached', e.raw],
        ['table', e.table],
        [
          'state',
          e.stale
            ? 'stale: software changed the IRTE without invalidating it; the unit uses the cached copy'
            : 'the same as the table',
        ],
      ]),
    },
  );
}

/** The unit's queued invalidation interface and the kernel's flushes through it. */
function qiNode(ctx: RenderContext, id: string, u: IrUnitSnapshot): ViewNode {
  const q = u.qi;
  const before = ctx.before?.irUnit(u.name)?.qi;
  return groupNode(
    id,
    'Queued invalidation',
    q.enabled
      ? `IQH ${q.head} · IQT ${q.tail} of ${q.size}${q.error ? ' · IQE (stopped)' : ''} · ${plural(q.flushes, 'flush', 'flushes')}`
      : 'disabled',
    () => [
      infoNode(childId(id, 'iqa'), 'IQA', `${q.iqa} (${q.size} descriptors)`),
      infoNode(
        childId(id, 'head'),
        'IQH / IQT',
        `${q.head} / ${q.tail}${q.head === q.tail ? ' (empty: all done)' : ''}`,
        {
          changed: ctx.changed(
            before === undefined ? undefined : `${before.head}/${before.tail}`,
            `${q.head}/${q.tail}`,
          ),
        },
      ),
      infoNode(
        childId(id, 'status'),
        'status',
        `${q.error ? 'FSTS.IQE set: the descriptor at IQH is invalid, the queue stopped' : 'no error'}${q.waitComplete ? ' · ICS.IWC set' : ''}`,
        { ...(q.error ? { icon: 'error' } : {}) },
      ),
      ...[...q.log].reverse().map((l) =>
        infoNode(childId(id, 'log', `${l.t}-${l.index}`), `descriptor ${l.index}`, l.text, {
          kind: 'event',
          changed: ctx.before !== undefined && l.t > (ctx.prev?.t ?? Infinity),
          tooltip: `Executed at t ${formatNs(l.t)}.`,
        }),
      ),
    ],
    {
      icon: q.error ? 'error' : 'checklist',
      changed: ctx.changed(before?.flushes, q.flushes),
      tooltip:
        'The queued invalidation interface (VT-d §6.5.2): software writes descriptors into the queue at IQA and moves the tail (IQT); the unit runs them from the head (IQH). Linux flushes an IRTE from the interrupt entry cache this way after changing it (qi_flush_iec) and waits with an invalidation wait descriptor.',
    },
  );
}

/** A fault row, as Linux's DMAR fault report words it. */
function faultNode(ctx: RenderContext, id: string, f: Fault): ViewNode {
  const isNew = ctx.before !== undefined && f.t > (ctx.prev?.t ?? Infinity);
  return infoNode(
    id,
    `[fault reason 0x${f.reason.toString(16).padStart(2, '0')}] ${f.text}`,
    `SID ${f.sid} · index ${f.index} · message #${f.messageId} · t ${formatNs(f.t)}${f.recorded ? '' : ' · not recorded (FPD)'}`,
    {
      kind: 'fault',
      icon: f.recorded ? 'error' : 'circle-slash',
      changed: isNew,
      tooltip: factsTooltip(`IR fault 0x${f.reason.toString(16)}`, [
        ['reason', f.text],
        ['source id', f.sid],
        ['index', String(f.index)],
        ['message', `#${f.messageId}`],
        ['time', formatNs(f.t)],
        ['recorded', f.recorded ? 'yes (fault recording registers)' : 'no: FPD set in the IRTE'],
        ...(f.note === null ? [] : [['note', f.note] as const]),
      ]),
    },
  );
}
