/**
 * Lookups over one platform snapshot (irq by number or by device entry, IRTE by unit and index,
 * IMS slot, MSI-X entry, …), built once per snapshot and shared by every view. The snapshot is
 * plain data; the maps are built on first use so that a view never scans a table per node.
 */
import type { ImsSlotView, MsixEntrySnapshot } from '../../platform/idxd';
import type {
  CpuSnapshot,
  DeviceSnapshot,
  DomainSnapshot,
  IrqSnapshot,
  IrteSnapshot,
  IrUnitSnapshot,
  PlatformSnapshot,
} from '../../platform/snapshot/types';

/** A device's message table: MSI-X or IMS (the trace's `source`). */
export type MessageTable = 'msix' | 'ims';

export class SnapshotIndex {
  private irqMap?: Map<number, IrqSnapshot>;
  private entryIrqMap?: Map<string, IrqSnapshot>;
  private domainMap?: Map<string, DomainSnapshot>;
  private irteMaps = new Map<string, Map<number, IrteSnapshot>>();
  private slotMaps = new Map<string, Map<number, ImsSlotView>>();

  constructor(readonly snap: PlatformSnapshot) {}

  /** The irq numbered `irq`. */
  irq(irq: number): IrqSnapshot | undefined {
    this.irqMap ??= new Map(this.snap.irqs.map((i) => [i.irq, i]));
    return this.irqMap.get(irq);
  }

  /** The irq whose message lives in `bdf`'s MSI-X entry or IMS slot `index`. */
  irqOfEntry(bdf: string, table: MessageTable, index: number): IrqSnapshot | undefined {
    if (this.entryIrqMap === undefined) {
      this.entryIrqMap = new Map();
      for (const i of this.snap.irqs) {
        if (i.device !== null && i.source !== null && i.index !== null)
          this.entryIrqMap.set(entryKey(i.device, i.source, i.index), i);
      }
    }
    return this.entryIrqMap.get(entryKey(bdf, table, index));
  }

  /** The domain named `name`. */
  domain(name: string): DomainSnapshot | undefined {
    this.domainMap ??= new Map(this.snap.domains.map((d) => [d.name, d]));
    return this.domainMap.get(name);
  }

  /** Child domains of `name` (roots for null), in creation order. */
  childDomains(name: string | null): DomainSnapshot[] {
    return this.snap.domains.filter((d) => d.parent === name);
  }

  /** The IR unit named `name` (e.g. `INTEL-IR-0`). */
  irUnit(name: string): IrUnitSnapshot | undefined {
    return this.snap.ir.find((u) => u.name === name);
  }

  /** IRTE `index` of unit `unit`, when the kernel allocated it or the table has it present. */
  irte(unit: string, index: number): IrteSnapshot | undefined {
    let m = this.irteMaps.get(unit);
    if (m === undefined) {
      m = new Map((this.irUnit(unit)?.irtes ?? []).map((e) => [e.index, e]));
      this.irteMaps.set(unit, m);
    }
    return m.get(index);
  }

  /** The device `bdf`. */
  device(bdf: string): DeviceSnapshot | undefined {
    return this.snap.devices.find((d) => d.bdf === bdf);
  }

  /** IMS slot `slot` of `bdf`, when it is in use (differs from reset or holds a message). */
  imsSlot(bdf: string, slot: number): ImsSlotView | undefined {
    let m = this.slotMaps.get(bdf);
    if (m === undefined) {
      m = new Map((this.device(bdf)?.dsa?.ims.inUse ?? []).map((s) => [s.slot, s]));
      this.slotMaps.set(bdf, m);
    }
    return m.get(slot);
  }

  /**
   * Physical address of `bdf`'s IMS slot `slot`: BAR0 + TABLE.ims × 0x100 + 16 × slot (DSA
   * spec: the IMS table offset in TABLE, units of 0x100 bytes), or undefined when unknown.
   */
  imsSlotAddress(bdf: string, slot: number): number | undefined {
    const dsa = this.device(bdf)?.dsa;
    const ims = dsa?.registers
      .find((r) => r.name === 'TABLE')
      ?.fields.find((f) => f.name === 'ims');
    if (dsa === undefined || dsa === null || ims === undefined) return undefined;
    return Number(BigInt(dsa.bar0) + BigInt(ims.value) * 0x100n) + slot * 16;
  }

  /** MSI-X entry `index` of `bdf`. */
  msixEntry(bdf: string, index: number): MsixEntrySnapshot | undefined {
    return this.device(bdf)?.dsa?.msix[index];
  }

  /** The interrupt handle the device gave out for (`table`, `index`), if any. */
  intHandle(bdf: string, table: MessageTable, index: number): number | undefined {
    return this.device(bdf)?.dsa?.handles.find((h) => h.table === table && h.index === index)
      ?.handle;
  }

  /** CPU `id`. */
  cpu(id: number): CpuSnapshot | undefined {
    return this.snap.cpus.find((c) => c.id === id);
  }
}

function entryKey(bdf: string, table: string, index: number): string {
  return `${bdf}|${table}|${index}`;
}

const indices = new WeakMap<PlatformSnapshot, SnapshotIndex>();

/** The (shared, memoized) index of `snap`. */
export function indexOf(snap: PlatformSnapshot): SnapshotIndex {
  let ix = indices.get(snap);
  if (ix === undefined) {
    ix = new SnapshotIndex(snap);
    indices.set(snap, ix);
  }
  return ix;
}
