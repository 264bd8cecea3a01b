/**
 * The Interrupt Remapping view: per VT-d IR unit, the IRTEs the kernel allocated or the table has
 * present, decoded (P, FPD, DM, RH, TM, DLM, VECTOR, DST, SID, SQ, SVT, …), and the fault log
 * with the VT-d fault reasons. Tens of thousands of IRTEs page lazily.
 */
import type { IrUnitSnapshot } from '../../platform/snapshot/types';
import type { RenderContext } from '../model/context';
import { formatNs, plural } from '../model/format';
import { groupNode, infoNode, pagedList } from '../model/items';
import { irteNode } from '../model/irte';
import { childId, type ViewNode } from '../model/node';
import { factsTooltip } from '../model/tooltip';

type Fault = IrUnitSnapshot['faults'][number];

/** The root rows: one per IR unit. */
export function remappingView(ctx: RenderContext): ViewNode[] {
  return ctx.snap.ir.map((u) => unitNode(ctx, childId('ir', u.name), u));
}

function unitNode(ctx: RenderContext, id: string, u: IrUnitSnapshot): ViewNode {
  const present = u.irtes.filter((e) => e.present).length;
  const before = ctx.before?.irUnit(u.name);
  const state = u.enabled
    ? `enabled · ${u.eime ? 'x2APIC' : 'xAPIC'} · IRTA ${u.tableAddress}`
    : 'disabled';
  return {
    id,
    label: u.name,
    description: `${state} · ${plural(present, 'IRTE')} present${u.faults.length > 0 ? ` · ${plural(u.faults.length, 'fault')}` : ''}`,
    tooltip: factsTooltip(u.name, [
      ['remapping', u.enabled ? 'enabled' : 'disabled'],
      ['EIME', u.eime ? '1 (x2APIC, 32-bit destinations)' : '0 (xAPIC)'],
      ['table', `${u.tableAddress}, ${u.tableSize.toLocaleString('en-US')} entries`],
      ['allocated or present', String(u.irtes.length)],
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
        `${plural(u.irtes.length, 'entry', 'entries')} allocated or present`,
        () =>
          pagedList(ctx, childId(id, 'table'), u.irtes, (e) =>
            irteNode(ctx, childId(id, 'table', e.index), u.name, e),
          ),
        { expanded: true },
      ),
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
