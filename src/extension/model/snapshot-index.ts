/**
 * Lookups over one stop: its platform snapshot and the pages of long lists read since (irq by
 * number or by device entry, IRTE by unit and index, IMS slot, MSI-X entry, …), shared by every
 * view. The maps are built on first use and grow as pages arrive, so a view never scans a table
 * per node. A page that belongs to another stop or generation is refused.
 */
import type { ImsSlotView, MsixEntrySnapshot } from '../../platform/idxd';
import type {
  CpuSnapshot,
  DeviceSnapshot,
  DomainSnapshot,
  IrqSnapshot,
  IrteSnapshot,
  IrUnitSnapshot,
  ListItems,
  ListKind,
  ListRef,
  PlatformSnapshot,
  SnapshotPage,
  VectorIrq,
} from '../../platform/snapshot/types';
import { listRows, listKey, type ListRows } from './lists';

/** A device's message table: MSI-X or IMS (the trace's `source`). */
export type MessageTable = 'msix' | 'ims';

export class SnapshotIndex {
  private irqMap?: Map<number, IrqSnapshot>;
  private entryIrqMap?: Map<string, IrqSnapshot>;
  private domainMap?: Map<string, DomainSnapshot>;
  private readonly irteMaps = new Map<string, Map<number, IrteSnapshot>>();
  private readonly slotMaps = new Map<string, Map<number, ImsSlotView>>();
  private readonly lists = new Map<string, ListRows<unknown>>();
  /** Irqs and IRTEs that pages brought. */
  private readonly pageIrqs: IrqSnapshot[] = [];
  private readonly pageIrtes: { unit: string; entry: IrteSnapshot }[] = [];

  constructor(readonly snap: PlatformSnapshot) {}

  /**
   * The rows of list `ref` known so far: the snapshot's (when it carries the list) and the pages'.
   * Positions not read yet are holes.
   */
  rows<K extends ListKind>(ref: Extract<ListRef, { list: K }>): ListRows<ListItems[K]> {
    const key = listKey(ref);
    let rows = this.lists.get(key);
    if (rows === undefined) {
      rows = listRows(this.snap, ref);
      this.lists.set(key, rows);
    }
    return rows as ListRows<ListItems[K]>;
  }

  /**
   * Adds a page read for this stop. Returns false (and adds nothing) when it belongs to another
   * stop or generation of the machine.
   */
  addPage(page: SnapshotPage): boolean {
    if (page.seq !== this.snap.seq || page.generation !== this.snap.generation) return false;
    const rows = this.rows(page.ref) as ListRows<unknown>;
    rows.total = page.total;
    page.items.forEach((item, i) => {
      rows.items[page.start + i] = item;
    });
    this.pageIrqs.push(...page.irqs);
    this.pageIrtes.push(...page.irtes);
    if (page.ref.list === 'domainIrqs') this.pageIrqs.push(...(page.items as IrqSnapshot[]));
    this.irqMap = undefined;
    this.entryIrqMap = undefined;
    this.irteMaps.clear();
    this.slotMaps.clear();
    return true;
  }

  /** The irq numbered `irq`. */
  irq(irq: number): IrqSnapshot | undefined {
    this.irqMap ??= new Map([...this.snap.irqs, ...this.pageIrqs].map((i) => [i.irq, i]));
    return this.irqMap.get(irq);
  }

  /** The irq whose message lives in `bdf`'s MSI-X entry or IMS slot `index`. */
  irqOfEntry(bdf: string, table: MessageTable, index: number): IrqSnapshot | undefined {
    if (this.entryIrqMap === undefined) {
      this.entryIrqMap = new Map();
      for (const i of [...this.snap.irqs, ...this.pageIrqs]) {
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

  /** IRTE `index` of unit `unit`, when the snapshot or a page brought it. */
  irte(unit: string, index: number): IrteSnapshot | undefined {
    let m = this.irteMaps.get(unit);
    if (m === undefined) {
      const u = this.irUnit(unit);
      m = new Map([...(u?.irtes ?? []), ...(u?.linked ?? [])].map((e) => [e.index, e]));
      for (const x of this.pageIrtes) if (x.unit === unit) m.set(x.entry.index, x.entry);
      for (const e of this.rows({ list: 'irtes', unit }).items) if (e) m.set(e.index, e);
      this.irteMaps.set(unit, m);
    }
    return m.get(index);
  }

  /** The device `bdf`. */
  device(bdf: string): DeviceSnapshot | undefined {
    return this.snap.devices.find((d) => d.bdf === bdf);
  }

  /** IMS slot `slot` of `bdf`, when it is in use and the snapshot or a page brought it. */
  imsSlot(bdf: string, slot: number): ImsSlotView | undefined {
    let m = this.slotMaps.get(bdf);
    if (m === undefined) {
      m = new Map();
      for (const s of this.rows({ list: 'imsSlots', device: bdf }).items) if (s) m.set(s.slot, s);
      this.slotMaps.set(bdf, m);
    }
    return m.get(slot);
  }

  /**
   * Whether this stop knows how list `ref` stood at `key` (an IRTE index, IMS slot, irq or
   * vector; lists in ascending key order): the list is whole, the row was read, or rows on both
   * sides of where it would be were read (then it did not exist). Views compare a row with the
   * previous stop only when that stop knows.
   */
  knows(ref: ListRef, key: number): boolean {
    const rows = this.rows(ref) as ListRows<unknown>;
    if (rows.items.length === rows.total && !rows.items.includes(undefined)) return true;
    let prev: { pos: number; key: number } | undefined;
    let verdict: boolean | undefined;
    rows.items.forEach((item, pos) => {
      if (verdict !== undefined) return;
      const k = rowKey(ref, item);
      // The first row read at or after where `key` would be decides: the row itself, or the
      // row after the gap — known when the row before it was read too (or it is the first).
      if (k === key) verdict = true;
      else if (k > key) verdict = pos === 0 || prev?.pos === pos - 1;
      prev = { pos, key: k };
    });
    if (verdict !== undefined) return verdict;
    // Past the last row read: known when that row is the list's last.
    return prev !== undefined && prev.pos === rows.total - 1;
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

  /** The irq CPU `cpu`'s `vector` is routed to, if the snapshot or a page says. */
  vectorIrq(cpu: number, vector: number): number | undefined {
    const c = this.cpu(cpu);
    const hit = (v: VectorIrq | undefined) => (v?.vector === vector ? v.irq : undefined);
    for (const v of c?.active ?? []) if (v.vector === vector) return v.irq;
    for (const v of this.rows({ list: 'cpuVectors', cpu }).items) {
      const irq = hit(v);
      if (irq !== undefined) return irq;
    }
    return undefined;
  }
}

/** The key a row of list `ref` is ordered by. */
function rowKey(ref: ListRef, item: unknown): number {
  switch (ref.list) {
    case 'irtes':
    case 'iec':
      return (item as { index: number }).index;
    case 'imsSlots':
      return (item as ImsSlotView).slot;
    case 'domainIrqs':
      return (item as IrqSnapshot).irq;
    case 'cpuVectors':
      return (item as VectorIrq).vector;
    case 'held':
      return (item as { pendingId: number }).pendingId;
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
