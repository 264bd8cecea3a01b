/**
 * The snapshot's records, each built from side-effect-free reads: one Linux irq with its whole
 * path, one IRTE decoded, a held message, an interrupt entry cache entry, an IR unit's queued
 * invalidation state. Shared by the snapshot (build.ts) and its pages (pages.ts).
 */
import type { Machine } from '../machine/machine';
import type { IrqData } from '../irq/irqdata';
import type { IrqDesc } from '../irq/irqdesc';
import type { IntelIrData } from '../remap/ir-domain';
import { IRQD_NAMES } from '../irq/types';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../apic/vectors';
import { decodeIrte, irteFromWords, IRTE_FIELDS, DELIVERY_MODE_NAMES } from '../remap/irte';
import { DMAR_FSTS, FSTS_IQE } from '../remap/unit';
import { ICS_IWC } from '../remap/invalidation-queue';
import { formatSid, hex } from '../bits';
import type { HeldKey, MachineLists } from './lists';
import type {
  HeldEntry,
  IecEntrySnapshot,
  IrqSnapshot,
  IrteSnapshot,
  QiSnapshot,
  VectorIrq,
} from './types';

function levels(d: IrqData): IrqData[] {
  const out: IrqData[] = [];
  for (let p: IrqData | null = d; p; p = p.parent_data) out.push(p);
  return out;
}

/** Linux irq `desc` with its whole path: domain, chip, entry, message, IRTE, vector, state. */
export function irqSnapshot(m: Machine, desc: IrqDesc): IrqSnapshot {
  const top = desc.irq_data;
  const ls = levels(top);
  const ir = ls.find((l) => l.domain.name.startsWith('INTEL-IR-'));
  const ird = ir?.chip_data as IntelIrData | undefined;
  const a = m.vector.apicd(top);
  const msi = top.common.msi_desc;
  const source = msi === null ? null : top.domain.name.includes('PCI-MSIX-') ? 'msix' : 'ims';
  return {
    irq: desc.irq,
    domain: top.domain.name,
    hwirq: top.hwirq,
    chip: top.chip.name,
    action: desc.actionName,
    device: desc.dev ?? null,
    source,
    index: msi?.msi_index ?? null,
    msg: msi ? { ...msi.msg } : null,
    irte: ird ? ird.irte_index + ird.sub_handle : null,
    ir: ir?.domain.name ?? null,
    vector: a?.hw_irq_cfg.vector ?? 0,
    cpu: top.common.effective_affinity[0] ?? 0,
    reserved: (a?.has_reserved ?? false) || a?.hw_irq_cfg.vector === MANAGED_IRQ_SHUTDOWN_VECTOR,
    prevVector: a?.prev_vector ? a.prev_vector : null,
    prevCpu: a?.prev_vector ? a.prev_cpu : null,
    moveInProgress: a?.move_in_progress ?? false,
    state: IRQD_NAMES.filter(([bit]) => (top.common.state & bit) !== 0).map(([, n]) => n),
    count: desc.tot_count,
    perCpu: perCpu(m, desc),
    unhandled: desc.irqs_unhandled,
    icookie: msi && source === 'ims' ? hex(BigInt(msi.data.icookie.value)) : null,
    affinity: [...top.common.affinity],
    pendingMask: [...desc.pending_mask],
    cleanupPending: a?.cleanup_pending ?? false,
  };
}

/** Interrupts handled per CPU, index = CPU number, up to the last CPU that handled one. */
function perCpu(m: Machine, desc: IrqDesc): number[] {
  const out = m.cpus.map((c) => desc.kstat[c.id] ?? 0);
  while (out.length > 0 && out[out.length - 1] === 0) out.pop();
  return out;
}

/** One IRTE decoded for the views; `cache` says what the unit's interrupt entry cache holds. */
export function irteSnapshot(
  raw: bigint,
  index: number,
  irq: number | null,
  cache: IrteSnapshot['cache'] = 'none',
): IrteSnapshot {
  const e = decodeIrte(raw);
  const text = (name: string, v: number): string => {
    if (name === 'dlm') return DELIVERY_MODE_NAMES[v] ?? 'reserved';
    if (name === 'vector') return hex(v, 2);
    if (name === 'sid') return formatSid(v);
    if (name === 'svt') return ['none', 'verify SID/SQ', 'verify bus range', 'reserved'][v] ?? '';
    if (name === 'sq')
      return ['all 16 bits', 'ignore bit 2', 'ignore bits 2:1', 'ignore bits 2:0'][v] ?? '';
    return String(v);
  };
  return {
    index,
    raw: hex(raw, 32),
    present: e.p === 1,
    posted: e.pst === 1,
    fields: IRTE_FIELDS.map(([name, hi, lo, desc]) => {
      const v = Number(e[name]);
      return { name: name.toUpperCase(), hi, lo, value: v, text: `${text(name, v)} — ${desc}` };
    }),
    irq,
    cache,
  };
}

/**
 * IRTE `index` of unit `seq` as the table holds it now, with its owner and cache state; `slim`
 * leaves `fields` empty (the views decode `raw` themselves: a tenth of the bytes to send).
 */
export function unitIrte(
  lists: MachineLists,
  seq: number,
  index: number,
  slim = false,
): IrteSnapshot {
  const u = lists.m.ir[seq]!.unit;
  const cached = u.iec.peek(index);
  const cache =
    cached === undefined ? 'none' : lists.iec(seq).stale.has(index) ? 'stale' : 'cached';
  const raw = u.readIrte(index);
  const irq = lists.irqOfIrte(seq, index);
  if (!slim) return irteSnapshot(raw, index, irq, cache);
  // P is bit 0, PST bit 15 (VT-d §9.10): no need to decode the rest.
  const present = (raw & 1n) !== 0n;
  const posted = ((raw >> 15n) & 1n) !== 0n;
  return { index, raw: hex(raw, 32), present, posted, fields: [], irq, cache };
}

/** The cache entry for IRTE `index` of unit `seq` (which must be cached). */
export function iecEntry(lists: MachineLists, seq: number, index: number): IecEntrySnapshot {
  const u = lists.m.ir[seq]!.unit;
  const c = u.iec.peek(index)!;
  return {
    index,
    raw: hex(irteFromWords(c[0]!, c[1]!, c[2]!, c[3]!), 32),
    table: hex(u.readIrte(index), 32),
    stale: lists.iec(seq).stale.has(index),
  };
}

/** The held message `k` with its entry's words. */
export function heldEntry(lists: MachineLists, k: HeldKey): HeldEntry {
  const dsa = lists.dsa(k.bdf);
  const e =
    dsa === undefined
      ? undefined
      : k.table === 'ims'
        ? (() => {
            const s = dsa.ims.peek(k.index);
            return { ...s, vector_ctrl: s.ctrl };
          })()
        : dsa.msix.peek(k.index);
  return {
    bdf: k.bdf,
    table: k.table,
    index: k.index,
    address_lo: e?.address_lo ?? 0,
    address_hi: e?.address_hi ?? 0,
    data: e?.data ?? 0,
    ctrl: e?.vector_ctrl ?? 0,
    pendingId: k.pendingId,
    entryHolds: e?.pendingId === k.pendingId,
  };
}

/** The vector_irq entry of `vector` on `cpu`. */
export function vectorIrq(m: Machine, cpu: number, vector: number): VectorIrq | undefined {
  const d = m.cpus[cpu]?.vector_irq[vector];
  return d ? { vector, irq: d.irq } : undefined;
}

/** Unit `seq`'s queued invalidation state and the kernel's flush count. */
export function qiSnapshot(m: Machine, seq: number): QiSnapshot {
  const inst = m.ir[seq]!;
  const qi = inst.unit.qi;
  return {
    enabled: qi.enabled,
    iqa: hex(qi.iqa, 16),
    size: qi.length,
    head: qi.head,
    tail: qi.tail,
    error: (inst.unit.peek32(DMAR_FSTS) & FSTS_IQE) !== 0,
    waitComplete: (qi.ics & ICS_IWC) !== 0,
    flushes: inst.iommu.flushes,
    log: qi.log.slice(-16).map((e) => ({ t: e.t, index: e.index, text: e.text })),
  };
}
