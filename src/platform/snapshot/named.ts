/**
 * Collects the records that a bounded snapshot's rows, or a page's rows, name: the Linux irq of
 * an IMS slot, an MSI-X entry, a vector or a held message, and the IRTE that an entry's
 * remappable message or an irq's IR level uses — so the views render those rows without asking
 * for more. Each record is built once.
 */
import type { MachineLists } from './lists';
import { irqSnapshot, unitIrte } from './records';
import type { IrqSnapshot, IrteSnapshot } from './types';

/** The words of an MSI message. */
interface MsgWords {
  readonly address_lo: number;
  readonly address_hi: number;
  readonly data: number;
}

/**
 * The IRTE index a remappable message names (VT-d §5.1.5.2: handle in address bits 19:5 and
 * bit 2 as bit 15, plus the data's subhandle when SHV is set), or null for a compatibility one.
 */
export function remappedIndex(msg: MsgWords): number | null {
  const lo = msg.address_lo;
  if ((lo & 0x10) === 0) return null;
  const handle = ((lo >>> 5) & 0x7fff) | (((lo >>> 2) & 1) << 15);
  return (lo & 0x8) !== 0 ? handle + (msg.data & 0xffff) : handle;
}

export class NamedRecords {
  private readonly irqMap = new Map<number, IrqSnapshot>();
  private readonly irteMap = new Map<string, { unit: string; entry: IrteSnapshot }>();

  /** @param slim IRTEs without their decoded fields (see unitIrte) */
  constructor(
    private readonly lists: MachineLists,
    private readonly slim = false,
  ) {}

  /** Adds Linux irq `irq` (and its IRTE); returns its record, or undefined when it does not exist. */
  irq(irq: number | null | undefined): IrqSnapshot | undefined {
    if (irq === null || irq === undefined) return undefined;
    let rec = this.irqMap.get(irq);
    if (rec !== undefined) return rec;
    const desc = this.lists.m.core.irq_to_desc(irq);
    if (desc === undefined) return undefined;
    rec = irqSnapshot(this.lists.m, desc);
    this.irqMap.set(irq, rec);
    if (rec.irte !== null && rec.ir !== null) this.irte(rec.ir, rec.irte);
    return rec;
  }

  /** Adds the irq of `bdf`'s `table` entry `index` and the IRTE its message `msg` names. */
  entry(bdf: string, table: 'ims' | 'msix', index: number, msg: MsgWords): void {
    const irq = this.irq(this.lists.entryIrq(bdf, table, index));
    const irte = remappedIndex(msg);
    if (irte === null) return;
    if (irq?.ir != null) {
      this.irte(irq.ir, irte);
      return;
    }
    // No irq says which unit: every unit that has the index in use.
    for (const u of this.lists.m.ir) {
      const name = u.domain.domain.name;
      if (this.lists.irteInUse(this.lists.unitSeq(name), irte)) this.irte(name, irte);
    }
  }

  /** Adds IRTE `index` of the unit named `unit` (if the unit exists and has it in range). */
  irte(unit: string, index: number): void {
    const key = `${unit}|${index}`;
    if (this.irteMap.has(key)) return;
    const seq = this.lists.unitSeq(unit);
    const u = this.lists.m.ir[seq];
    if (u === undefined || !u.unit.enabled || index < 0 || index >= u.unit.tableSize) return;
    this.irteMap.set(key, { unit, entry: unitIrte(this.lists, seq, index, this.slim) });
  }

  /** The irqs added, ascending. */
  irqs(): IrqSnapshot[] {
    return [...this.irqMap.values()].sort((a, b) => a.irq - b.irq);
  }

  /** The IRTEs added, by unit then index. */
  irtes(): { unit: string; entry: IrteSnapshot }[] {
    return [...this.irteMap.values()].sort((a, b) =>
      a.unit === b.unit ? a.entry.index - b.entry.index : a.unit < b.unit ? -1 : 1,
    );
  }
}
