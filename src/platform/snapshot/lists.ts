/**
 * The keys of the snapshot's long lists at one moment of the machine — which IRTEs a unit has in
 * use, which IMS slots a device has in use, which irqs each domain holds, each CPU's vector_irq,
 * the messages held at masked entries, each interrupt entry cache — computed once and reused by
 * the snapshot and by every page asked for until the machine changes (the debugger's stop, or a
 * write it makes, starts a new MachineLists). Reads have no side effects.
 */
import type { Machine } from '../machine/machine';
import type { DsaPlatformDevice } from '../machine/devices';
import type { IdxdDevice } from '../idxd/device';
import type { IntelIrData } from '../remap/ir-domain';
import type { ListRef } from './types';

/** A message held at a masked entry: where, and its message id. */
export interface HeldKey {
  readonly bdf: string;
  readonly table: 'ims' | 'msix';
  readonly index: number;
  readonly pendingId: number;
}

/** Whether an interrupt source is a device's message table (an MSI-X entry or an IMS slot). */
function isEntrySource(source: string): source is 'ims' | 'msix' {
  return source === 'ims' || source === 'msix';
}

/** A stable text key of a list (`irtes:INTEL-IR-0`), for caches on both sides. */
export function listKey(ref: ListRef): string {
  switch (ref.list) {
    case 'irtes':
    case 'iec':
      return `${ref.list}:${ref.unit}`;
    case 'imsSlots':
      return `${ref.list}:${ref.device}`;
    case 'domainIrqs':
      return `${ref.list}:${ref.domain}`;
    case 'cpuVectors':
      return `${ref.list}:${ref.cpu}`;
    case 'held':
      return ref.list;
  }
}

export class MachineLists {
  private irteKeys = new Map<number, number[]>();
  private irteCounts = new Map<number, number>();
  private irteTables = new Map<number, Uint8Array>();
  private slotKeys = new Map<string, number[]>();
  private domainKeys: Map<string, number[]> | undefined;
  private heldKeys: HeldKey[] | undefined;
  private iecKeys = new Map<number, { indices: number[]; stale: Set<number> }>();

  constructor(readonly m: Machine) {}

  /** The IR unit named `name` (`INTEL-IR-0`), as its index in `m.ir`, or -1. */
  unitSeq(name: string): number {
    return this.m.ir.findIndex((u) => u.domain.domain.name === name);
  }

  /** The DSA at `bdf`, if there is one. */
  dsa(bdf: string): IdxdDevice | undefined {
    const d = this.m.devices.find((x) => x.fn.bdf === bdf);
    return d?.kind === 'dsa' ? (d as DsaPlatformDevice).dsa : undefined;
  }

  /**
   * IRTE indices of unit `seq` that the kernel allocated or that the table holds present (P = 1,
   * found by peeking bit 0 of each entry's first dword), ascending; none while remapping is off.
   */
  irtes(seq: number): number[] {
    let keys = this.irteKeys.get(seq);
    if (keys !== undefined) return keys;
    keys = [];
    const table = this.irteTable(seq);
    for (let i = 0; i < table.length; i += 16) if ((table[i]! & 1) !== 0) keys.push(i / 16);
    this.irteKeys.set(seq, keys);
    return keys;
  }

  /** The IRTE indices at positions [start, start + count) of irtes(seq), found by scanning. */
  irteRange(seq: number, start: number, count: number): number[] {
    const cached = this.irteKeys.get(seq);
    if (cached !== undefined) return cached.slice(start, start + count);
    const table = this.irteTable(seq);
    const out: number[] = [];
    let pos = 0;
    for (let i = 0; i < table.length && out.length < count; i += 16) {
      if ((table[i]! & 1) === 0) continue;
      if (pos++ >= start) out.push(i / 16);
    }
    return out;
  }

  /** The position of IRTE `index` in irtes(seq), or -1 when it is not in use. */
  irteRank(seq: number, index: number): number {
    if (!this.irteInUse(seq, index)) return -1;
    const table = this.irteTable(seq);
    let pos = 0;
    for (let i = 0; i < index * 16; i += 16) pos += table[i]! & 1;
    return pos;
  }

  /** Whether IRTE `index` of unit `seq` is allocated or present. */
  irteInUse(seq: number, index: number): boolean {
    return ((this.irteTable(seq)[index * 16] ?? 0) & 1) !== 0;
  }

  /** How many IRTEs of unit `seq` are allocated or present (irtes(seq).length, cheaper). */
  irteCount(seq: number): number {
    let n = this.irteCounts.get(seq);
    if (n !== undefined) return n;
    n = this.irteKeys.get(seq)?.length;
    if (n === undefined) {
      n = 0;
      const table = this.irteTable(seq);
      for (let i = 0; i < table.length; i += 16) n += table[i]! & 1;
    }
    this.irteCounts.set(seq, n);
    return n;
  }

  /**
   * Unit `seq`'s IR table as bytes with bit 0 of each entry's first byte — P — also set for the
   * entries the kernel allocated (they count as in use even when not present); empty while
   * remapping is off.
   */
  private irteTable(seq: number): Uint8Array {
    let table = this.irteTables.get(seq);
    if (table !== undefined) return table;
    const inst = this.m.ir[seq];
    if (inst?.unit.enabled !== true) table = new Uint8Array(0);
    else {
      const n = inst.unit.tableSize;
      table = this.m.memory.peekRam(inst.unit.tableAddress, n * 16);
      for (const i of inst.domain.allocated()) if (i < n) table[i * 16] = 1;
    }
    this.irteTables.set(seq, table);
    return table;
  }

  /**
   * The Linux irq whose IR level owns IRTE `index` of unit `seq`, or null. The IR domain's hwirq
   * of sub-handle `i` of a block at IRTE `b` is (b << 16) + i (ir-domain.ts), so the owner is
   * found by looking the few candidate blocks up (a multi-MSI block has at most 32 entries).
   */
  irqOfIrte(seq: number, index: number): number | null {
    const revmap = this.m.ir[seq]?.domain.domain.revmap;
    if (revmap === undefined) return null;
    for (let sub = 0; sub < 32 && sub <= index; sub++) {
      const d = revmap.get(((index - sub) << 16) + sub);
      const ird = d?.chip_data as IntelIrData | null | undefined;
      if (d !== undefined && ird != null && ird.irte_index + ird.sub_handle === index) return d.irq;
    }
    return null;
  }

  /** The Linux irq whose message lives in `bdf`'s MSI-X entry or IMS slot `index`, if any. */
  entryIrq(bdf: string, table: 'ims' | 'msix', index: number): number | undefined {
    const pdev = this.m.pdevs.find((p) => p.name === bdf);
    for (const dd of pdev?.msiDomains ?? []) {
      if (dd === undefined) continue;
      if (dd.domain.name.includes('PCI-MSIX-') !== (table === 'msix')) continue;
      const irq = dd.descs.get(index)?.irq;
      if (irq !== undefined && irq !== 0) return irq;
    }
    return undefined;
  }

  /** IMS slots of `bdf` in use (differing from reset or holding a message), ascending. */
  slots(bdf: string): number[] {
    let keys = this.slotKeys.get(bdf);
    if (keys === undefined) {
      keys = this.dsa(bdf)?.ims.inUse() ?? [];
      this.slotKeys.set(bdf, keys);
    }
    return keys;
  }

  /** Irqs whose top level is in domain `name`, ascending. */
  domainIrqs(name: string): number[] {
    if (this.domainKeys === undefined) {
      const byDomain = new Map<string, number[]>(this.m.core.domains.map((d) => [d.name, []]));
      for (const desc of this.m.core.descs.values())
        byDomain.get(desc.irq_data.domain.name)?.push(desc.irq);
      this.domainKeys = new Map(
        [...byDomain].map(([d, irqs]) => [d, Array.from(Int32Array.from(irqs).sort())]),
      );
    }
    return this.domainKeys.get(name) ?? [];
  }

  /** The device vectors of CPU `cpu` (vector_irq entries), ascending. */
  cpuVectors(cpu: number): number[] {
    const out: number[] = [];
    this.m.cpus[cpu]?.vector_irq.forEach((d, v) => {
      if (d) out.push(v);
    });
    return out;
  }

  /** Messages held at masked IMS slots and MSI-X entries, in message order. */
  held(): HeldKey[] {
    if (this.heldKeys === undefined) {
      this.heldKeys = [];
      for (const id of this.m.trace.pendingIds()) {
        const o = this.m.trace.originOf(id);
        // Only device entries hold messages at a mask (not, say, a unit's own event message).
        if (o === undefined || !isEntrySource(o.source)) continue;
        this.heldKeys.push({ bdf: o.bdf, table: o.source, index: o.index, pendingId: id });
      }
    }
    return this.heldKeys;
  }

  /**
   * The cached IRTE indices of unit `seq`'s interrupt entry cache — stale ones (differing from
   * the table, compared by peeking) first, then the others, each ascending — and the stale set.
   */
  iec(seq: number): { indices: number[]; stale: Set<number> } {
    let keys = this.iecKeys.get(seq);
    if (keys !== undefined) return keys;
    const inst = this.m.ir[seq];
    const stale = new Set<number>();
    const fresh: number[] = [];
    if (inst !== undefined) {
      const base = inst.unit.tableAddress;
      const mem = this.m.memory;
      for (const i of inst.unit.iec.indices()) {
        const c = inst.unit.iec.peek(i)!;
        const a = base + i * 16;
        const same =
          mem.peek32(a) === c[0] &&
          mem.peek32(a + 4) === c[1] &&
          mem.peek32(a + 8) === c[2] &&
          mem.peek32(a + 12) === c[3];
        if (same) fresh.push(i);
        else stale.add(i);
      }
    }
    keys = { indices: [...stale, ...fresh], stale };
    this.iecKeys.set(seq, keys);
    return keys;
  }

  /** The keys of list `ref` (see the methods above); empty for an unknown unit or device. */
  keysOf(ref: ListRef): readonly (number | HeldKey)[] {
    switch (ref.list) {
      case 'irtes':
        return this.irtes(this.unitSeq(ref.unit));
      case 'iec':
        return this.iec(this.unitSeq(ref.unit)).indices;
      case 'imsSlots':
        return this.slots(ref.device);
      case 'domainIrqs':
        return this.domainIrqs(ref.domain);
      case 'cpuVectors':
        return this.cpuVectors(ref.cpu);
      case 'held':
        return this.held();
    }
  }
}
