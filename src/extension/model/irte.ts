/**
 * IRTE rows, shared by the Interrupt Remapping view (the table), the IMS Slots view (the IRTE a
 * slot's message names) and the IRQ Domains view (the IRTE of an irq). Field descriptions come
 * from the platform's IRTE field table.
 */
import { DELIVERY_MODE_NAMES, IRTE_FIELDS } from '../../platform/remap/irte';
import type { IrteSnapshot } from '../../platform/snapshot/types';
import type { RenderContext } from './context';
import { irteSnapshot } from '../../platform/snapshot/build';
import { formatVector, toBig } from './format';
import { infoNode, registerNode, type FieldInput } from './items';
import type { ViewNode } from './node';

const IRTE_SOURCE =
  'Intel VT-d spec §9.10 (Interrupt Remapping Table Entry, remapped format); include/linux/dmar.h struct irte';

const decoded = new WeakMap<IrteSnapshot, IrteSnapshot>();

/**
 * `e` with its decoded fields: bounded snapshots and pages send IRTEs as raw values, decoded
 * here when a row shows one (once per record).
 */
export function decodedIrte(e: IrteSnapshot): IrteSnapshot {
  if (e.fields.length > 0) return e;
  let d = decoded.get(e);
  if (d === undefined) {
    d = irteSnapshot(toBig(e.raw), e.index, e.irq, e.cache);
    decoded.set(e, d);
  }
  return d;
}

const DESCRIPTIONS = new Map<string, string>(
  IRTE_FIELDS.map(([name, , , desc]) => [name.toUpperCase(), desc]),
);

/** `1 — Present` → `1`; the snapshot writes a field's value text before ' — '. */
function shownText(text: string): string {
  const i = text.indexOf(' — ');
  return i < 0 ? text : text.slice(0, i);
}

/** The fields of `e` as rows' inputs: enum-like texts (`Fixed`, `6a:01.0`) kept. */
function irteFields(e: IrteSnapshot): FieldInput[] {
  return e.fields.map((fld) => {
    const shown = shownText(fld.text);
    const plain = shown === String(fld.value) || /^0x[0-9a-f]+$/i.test(shown);
    const now = BigInt(fld.value);
    return {
      name: fld.name,
      hi: fld.hi,
      lo: fld.lo,
      doc: {
        description: DESCRIPTIONS.get(fld.name) ?? '',
        access: 'RW',
        source: IRTE_SOURCE,
        ...(fld.name === 'DLM' ? { enums: DELIVERY_MODE_NAMES } : {}),
      },
      ...(plain ? {} : { text: (v: bigint) => (v === now ? shown : undefined) }),
    };
  });
}

/** One-line summary of an IRTE: where it sends the interrupt. */
export function irteSummary(raw: IrteSnapshot): string {
  const e = decodedIrte(raw);
  if (!e.present) return 'not present';
  const get = (n: string): number => e.fields.find((x) => x.name === n)?.value ?? 0;
  const sid = e.fields.find((x) => x.name === 'SID');
  const parts = e.posted
    ? [`posted, vector ${formatVector(get('VECTOR'))}`]
    : [`vector ${formatVector(get('VECTOR'))} → DST ${get('DST')}`];
  if (get('SVT') !== 0 && sid !== undefined) parts.push(`SID ${shownText(sid.text)}`);
  if (e.irq !== null) parts.push(`irq ${e.irq}`);
  if (e.cache === 'stale') parts.push('IEC holds a stale copy');
  else if (e.cache === 'cached') parts.push('cached');
  return parts.join(' · ');
}

/** A row for IRTE `e` of IR unit `unit`, its fields as children. */
export function irteNode(
  ctx: RenderContext,
  id: string,
  unit: string,
  raw: IrteSnapshot,
  label = `IRTE ${raw.index}`,
): ViewNode {
  const e = decodedIrte(raw);
  const was = ctx.before?.irte(unit, e.index);
  const before = ctx.beforeIn({ list: 'irtes', unit }, e.index, was?.raw, e.raw);
  const node = registerNode(ctx, id, {
    label,
    docName: `${unit} IRTE ${e.index}`,
    width: 128,
    value: toBig(e.raw),
    before: before === undefined ? undefined : toBig(before),
    fields: irteFields(e),
    doc: {
      description:
        `Interrupt Remapping Table Entry ${e.index} of ${unit}` +
        (e.irq === null ? '.' : `, allocated for irq ${e.irq}.`) +
        (e.cache === 'stale'
          ? ' The unit’s interrupt entry cache holds another value for it: the unit goes on using that copy until software invalidates the entry (qi_flush_iec).'
          : e.cache === 'cached'
            ? ' The unit’s interrupt entry cache holds it (the same value).'
            : ''),
      source: IRTE_SOURCE,
    },
    summary: irteSummary(e),
    kind: 'irte',
    ...(e.cache === 'stale' ? { icon: 'warning' } : e.present ? {} : { icon: 'circle-slash' }),
  });
  return { ...node, target: { kind: 'irte', unit, index: e.index } };
}

/**
 * The IRTE at `index` as a remappable message names it: the entry row when an IR unit has it
 * (the unit `unit` if given, else the first that does), else a warning row — a message naming a
 * missing entry faults (VT-d 0x22 or 0x21).
 */
export function irteRefNode(
  ctx: RenderContext,
  id: string,
  index: number,
  unit: string | null,
): ViewNode {
  const units = unit === null ? ctx.snap.ir.map((u) => u.name) : [unit];
  for (const u of units) {
    const e = ctx.cur.irte(u, index);
    if (e !== undefined) return irteNode(ctx, id, u, e, `IRTE ${index} (${u})`);
  }
  return infoNode(id, `IRTE ${index}`, 'not allocated: a message naming it faults', {
    icon: 'warning',
    tooltip: `No IR unit has IRTE ${index} allocated or present: the remapping hardware would record fault 0x22 (entry not present) or 0x21 (index beyond the table).`,
  });
}
