/**
 * What the platform scopes of one `scopes` request list, indexed once so that any page of their
 * long lists is built from lookups: each DSA's IMS slots to show (those in use and those an irq
 * owns) with a map slot → irq, its MSI-X table, and the IRTEs in use of every IR unit in one
 * flat order (unit by unit, ascending). The keys come from MachineLists (src/platform/snapshot):
 * the IR tables and the IMS tables are scanned once, the irqs walked once; a row's record (its
 * irq with the whole path, its IRTE decoded) is built only when a page holding the row is read.
 * Reads have no side effects.
 */
import type { Machine } from '../../platform/machine/machine';
import type { DsaPlatformDevice } from '../../platform/machine/devices';
import type { IdxdDevice } from '../../platform/idxd/device';
import type { ImsSlotView } from '../../platform/idxd';
import type { IrqDesc } from '../../platform/irq/irqdesc';
import { MachineLists } from '../../platform/snapshot/lists';
import { irqSnapshot, unitIrte } from '../../platform/snapshot/records';
import type { IrqSnapshot, IrteSnapshot } from '../../platform/snapshot/types';

/** One DSA's rows. */
export interface DsaRows {
  readonly bdf: string;
  readonly dev: IdxdDevice;
  /**
   * IMS slots to show, ascending: those in use (differing from reset or holding a message) and
   * those an irq owns — an allocated slot still at reset shows, so its registers can be watched
   * before the irq is activated.
   */
  readonly imsSlots: readonly number[];
  /** The IMS irq of each slot that has one (the lowest irq, should two name one slot). */
  readonly imsIrqs: ReadonlyMap<number, IrqDesc>;
}

/** An IRTE row: its unit and index. */
export interface IrteRow {
  /** The unit's index in `m.ir`. */
  readonly seq: number;
  /** The unit's name (its IR domain's, `INTEL-IR-0`). */
  readonly unit: string;
  readonly tableAddress: number;
  readonly index: number;
}

/** The IMS view of a slot outside the device's store (shown as reset). */
const RESET_SLOT = {
  address_lo: 0,
  address_hi: 0,
  data: 0,
  ctrl: 1,
  mask: true,
  pasid_en: false,
  pasid: 0,
  pending: false,
  pendingId: null,
} as const;

export class PlatformIndex {
  readonly lists: MachineLists;
  /** The DSAs in the machine's device order. */
  readonly dsas: readonly DsaRows[];
  private irteOffsets: number[] | undefined;

  constructor(readonly m: Machine) {
    this.lists = new MachineLists(m);
    const byDevice = imsIrqsByDevice(m);
    this.dsas = m.devices
      .filter((d) => d.kind === 'dsa')
      .map((d) => {
        const dev = (d as DsaPlatformDevice).dsa;
        const imsIrqs = byDevice.get(dev.bdf) ?? new Map<number, IrqDesc>();
        return {
          bdf: dev.bdf,
          dev,
          imsSlots: slotRows(this.lists.slots(dev.bdf), imsIrqs),
          imsIrqs,
        };
      });
  }

  /** IMS slot `slot` of `d` as the device holds it now. */
  imsSlot(d: DsaRows, slot: number): ImsSlotView {
    return slot >= 0 && slot < d.dev.ims.slots ? d.dev.ims.peek(slot) : { slot, ...RESET_SLOT };
  }

  /** The irq of IMS slot `slot` of `d`, with its whole path, if an irq owns the slot. */
  imsIrq(d: DsaRows, slot: number): IrqSnapshot | undefined {
    const desc = d.imsIrqs.get(slot);
    return desc === undefined ? undefined : irqSnapshot(this.m, desc);
  }

  /** The row of `d`'s IMS slot `slot`, or undefined when the scope does not show it. */
  imsRowOf(d: DsaRows, slot: number): number | undefined {
    const i = lowerBound(d.imsSlots, slot);
    return d.imsSlots[i] === slot ? i : undefined;
  }

  /** How many IRTEs are in use in all units. */
  get irteCount(): number {
    return this.offsets()[this.m.ir.length]!;
  }

  /** IRTE row `row` (0 ≤ row < irteCount). */
  irteRow(row: number): IrteRow {
    const offsets = this.offsets();
    // The unit whose rows [offsets[seq], offsets[seq + 1]) hold `row`: the last one starting at
    // or before it (a unit with none in use starts where the next does).
    const seq = lowerBound(offsets, row + 1) - 1;
    const inst = this.m.ir[seq]!;
    return {
      seq,
      unit: inst.domain.domain.name,
      tableAddress: inst.unit.tableAddress,
      index: this.lists.irtes(seq)[row - offsets[seq]!]!,
    };
  }

  /** IRTE `row` decoded, with the irq that owns it and its cache state. */
  irte(r: IrteRow): IrteSnapshot {
    return unitIrte(this.lists, r.seq, r.index, false);
  }

  /** The row of IRTE `index` of the unit named `unit`, or undefined when it is not in use. */
  irteRowOf(unit: string, index: number): number | undefined {
    const seq = this.lists.unitSeq(unit);
    if (seq < 0) return undefined;
    const keys = this.lists.irtes(seq);
    const i = lowerBound(keys, index);
    return keys[i] === index ? this.offsets()[seq]! + i : undefined;
  }

  /** First row of each unit's IRTEs, and the total at the end. */
  private offsets(): number[] {
    if (this.irteOffsets === undefined) {
      const out = [0];
      for (let seq = 0; seq < this.m.ir.length; seq++)
        out.push(out[seq]! + this.lists.irteCount(seq));
      this.irteOffsets = out;
    }
    return this.irteOffsets;
  }
}

/**
 * The IMS irqs of every device, by BDF then slot, from one walk of the irqs: those whose top
 * level has an MSI descriptor in a domain other than PCI/MSI-X (the IMS domain), by msi_index.
 */
function imsIrqsByDevice(m: Machine): Map<string, Map<number, IrqDesc>> {
  const out = new Map<string, Map<number, IrqDesc>>();
  const msix = new Map<object, boolean>(); // by domain: is it a PCI/MSI-X domain?
  for (const desc of m.core.descs.values()) {
    const top = desc.irq_data;
    const msi = top.common.msi_desc;
    if (msi === null || desc.dev === undefined) continue;
    let isMsix = msix.get(top.domain);
    if (isMsix === undefined)
      msix.set(top.domain, (isMsix = top.domain.name.includes('PCI-MSIX-')));
    if (isMsix) continue;
    let slots = out.get(desc.dev);
    if (slots === undefined) out.set(desc.dev, (slots = new Map<number, IrqDesc>()));
    const prev = slots.get(msi.msi_index);
    if (prev === undefined || desc.irq < prev.irq) slots.set(msi.msi_index, desc);
  }
  return out;
}

/** The slots in use and the slots an irq owns, ascending, each once (marked, not sorted). */
function slotRows(inUse: readonly number[], owned: ReadonlyMap<number, unknown>): number[] {
  if (owned.size === 0) return [...inUse];
  let size = 0;
  for (const s of inUse) size = Math.max(size, s + 1);
  for (const s of owned.keys()) size = Math.max(size, s + 1);
  const shown = new Uint8Array(size);
  for (const s of inUse) shown[s] = 1;
  for (const s of owned.keys()) if (s >= 0) shown[s] = 1;
  const out: number[] = [];
  for (let s = 0; s < size; s++) if (shown[s] === 1) out.push(s);
  return out;
}

/** The first position of sorted `xs` whose value is ≥ `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
