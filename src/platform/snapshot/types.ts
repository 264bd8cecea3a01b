/**
 * The platform snapshot: one JSON-able picture of the machine per stop, which the views, the
 * CLI's final tree and the DAP variables all render. Values wider than 32 bits are hex strings.
 * Building one has no side effects on the machine.
 *
 * A snapshot is *complete* (`inlineLimit` null: every list whole — the CLI and the Variables view
 * use it) or *bounded* (the views' `ims/snapshot`): a long list — a unit's IRTEs, a device's IMS
 * slots in use, a domain's irqs, a CPU's vector_irq, the messages held at masked entries, an
 * interrupt entry cache — comes whole when it has at most `inlineLimit` rows, else as its total
 * alone, its rows read page by page with `ims/page` (SnapshotPage) for the same stop and
 * generation ("inline-limited" below). A bounded snapshot's `irqs` are those its rows name, and each unit's `linked`
 * IRTEs those its rows name that its own list does not carry.
 *
 * A bounded snapshot and its pages are also lean: IRTEs come without `fields` (decode `raw`:
 * irteSnapshot in build.ts) and a DSA without its WQs and groups and with the TABLE register only
 * (what the views read); the complete snapshot has them all.
 *
 * Version 2: lists may come as totals (counts added), IEC and queued-invalidation state, irq
 * cleanup_pending / pending_mask / affinity, held entries, generation.
 */
import type { IdxdSnapshot, ImsSlotView } from '../idxd';
import type { TraceEvent } from '../trace';
import type { LogLine } from '../machine/kernel-log';

export const SNAPSHOT_VERSION = 2;

/** A long list of the snapshot, as `ims/page` names it. */
export type ListRef =
  | { readonly list: 'irtes'; readonly unit: string }
  | { readonly list: 'imsSlots'; readonly device: string }
  | { readonly list: 'domainIrqs'; readonly domain: string }
  | { readonly list: 'cpuVectors'; readonly cpu: number }
  | { readonly list: 'held' }
  | { readonly list: 'iec'; readonly unit: string };

export type ListKind = ListRef['list'];

/** One vector_irq entry: a device vector of a CPU and the irq it is routed to. */
export interface VectorIrq {
  vector: number;
  irq: number;
}

/**
 * A message a device holds at a masked IMS slot or MSI-X entry (one per entry; unmasking sends
 * it with the entry's address and data then).
 */
export interface HeldEntry {
  bdf: string;
  table: 'ims' | 'msix';
  index: number;
  address_lo: number;
  address_hi: number;
  data: number;
  /** IMS ctrl or MSI-X Vector Control. */
  ctrl: number;
  pendingId: number;
  /** The entry's pending state names this message (false would be a platform bug). */
  entryHolds: boolean;
}

/** One IRTE in a unit's interrupt entry cache. */
export interface IecEntrySnapshot {
  index: number;
  /** The cached entry (what translation uses), 128-bit hex. */
  raw: string;
  /** The entry in the table in memory now, 128-bit hex. */
  table: string;
  /** The two differ: software changed the IRTE without invalidating the cache. */
  stale: boolean;
}

/** The rows of one list kind. */
export interface ListItems {
  irtes: IrteSnapshot;
  imsSlots: ImsSlotView;
  domainIrqs: IrqSnapshot;
  cpuVectors: VectorIrq;
  held: HeldEntry;
  iec: IecEntrySnapshot;
}

/** Rows [start, start + items.length) of a list, with the records they name (`ims/page`). */
export interface SnapshotPage<K extends ListKind = ListKind> {
  /** The stop and the generation of the machine state the rows come from. */
  seq: number;
  generation: number;
  ref: Extract<ListRef, { list: K }>;
  start: number;
  total: number;
  items: ListItems[K][];
  /** Irqs the rows name (a slot's or a vector's irq). */
  irqs: IrqSnapshot[];
  /** IRTEs the rows name (a slot's or an irq's), by unit. */
  irtes: { unit: string; entry: IrteSnapshot }[];
}

export interface CpuSnapshot {
  id: number;
  apicId: number;
  online: boolean;
  irqsEnabled: boolean;
  tpr: number;
  ppr: number;
  /** Vectors set in IRR / ISR / TMR. */
  irr: number[];
  isr: number[];
  tmr: number[];
  /** Interrupts this CPU is handling now, outermost first. */
  inService: { irq: number; vector: number; context: 'hardirq' | 'thread'; messageId: number }[];
  /** Device vectors routed to an irq on this CPU (vector_irq), ascending; inline-limited. */
  vectors: VectorIrq[];
  /** How many vector_irq entries the CPU has. */
  vectorCount: number;
  /** The vector_irq entries of the vectors set in IRR, ISR or TMR or in service. */
  active: VectorIrq[];
}

/** One Linux irq with its whole path. */
export interface IrqSnapshot {
  irq: number;
  /** Top domain name. */
  domain: string;
  hwirq: number;
  chip: string;
  /** request_irq name, '' if none. */
  action: string;
  /** Device BDF, if a device owns it. */
  device: string | null;
  source: 'msix' | 'ims' | null;
  /** MSI-X entry or IMS slot. */
  index: number | null;
  /** The message the device holds for it. */
  msg: { address_lo: number; address_hi: number; data: number } | null;
  /** IRTE index (interrupt remapping), or null. */
  irte: number | null;
  ir: string | null;
  vector: number;
  cpu: number;
  /** Still a reservation (MANAGED_IRQ_SHUTDOWN_VECTOR) — not activated. */
  reserved: boolean;
  prevVector: number | null;
  prevCpu: number | null;
  moveInProgress: boolean;
  /** IRQD_* names set. */
  state: string[];
  /** Interrupts handled, total and per CPU. */
  count: number;
  /** Index = CPU number; ends at the last CPU that handled one (the rest handled none). */
  perCpu: number[];
  unhandled: number;
  /** The IMS icookie (PASID for IDXD), as hex. */
  icookie: string | null;
  /** Requested affinity (CPU numbers; empty = every CPU, irq_default_affinity). */
  affinity: number[];
  /** desc->pending_mask: the affinity a deferred move applies (with IRQD_SETAFFINITY_PENDING). */
  pendingMask: number[];
  /** apicd->cleanup_pending: the previous vector awaits cleanup on its old CPU. */
  cleanupPending: boolean;
}

export interface DomainSnapshot {
  name: string;
  parent: string | null;
  flags: number;
  /** hwsize (0 = unlimited). */
  size: number;
  mapped: number;
  busToken: number;
  /** Owning device for per-device domains. */
  dev: string | null;
  /** Linux irqs whose top level is in this domain, ascending; inline-limited. */
  irqs: number[];
  /** How many irqs have their top level in this domain. */
  irqCount: number;
}

export interface IrteSnapshot {
  index: number;
  /** 128-bit value, hex. */
  raw: string;
  present: boolean;
  posted: boolean;
  /** Decoded fields (empty in bounded snapshots and pages: decode `raw`). */
  fields: { name: string; hi: number; lo: number; value: number; text: string }[];
  /** Linux irq that owns it (IR domain allocation), if any. */
  irq: number | null;
  /** The unit's interrupt entry cache: not holding it, holding it, or holding another value. */
  cache: 'none' | 'cached' | 'stale';
}

/** The queued invalidation interface of a unit (VT-d §6.5.2) and the kernel's use of it. */
export interface QiSnapshot {
  /** GSTS.QIES. */
  enabled: boolean;
  /** IQA, 64-bit hex. */
  iqa: string;
  /** Queue length in 128-bit descriptors. */
  size: number;
  /** IQH and IQT as descriptor indices. */
  head: number;
  tail: number;
  /** FSTS.IQE: a descriptor was invalid; the queue stopped at IQH. */
  error: boolean;
  /** ICS.IWC: an invalidation wait descriptor with IF completed. */
  waitComplete: boolean;
  /** Invalidations the kernel submitted (qi_flush_iec, qi_global_iec). */
  flushes: number;
  /** The last descriptors executed, oldest first (at most 16). */
  log: { t: number; index: number; text: string }[];
}

/** A unit's interrupt entry cache. */
export interface IecSnapshot {
  count: number;
  /** Cached entries that differ from the table. */
  staleCount: number;
  hits: number;
  misses: number;
  invalidations: number;
  /** Stale entries first, then the others, each ascending; inline-limited. */
  entries: IecEntrySnapshot[];
}

export interface IrUnitSnapshot {
  seq: number;
  name: string;
  enabled: boolean;
  eime: boolean;
  tableAddress: string;
  tableSize: number;
  /** IRTEs allocated by the kernel or found present in the table, ascending; inline-limited. */
  irtes: IrteSnapshot[];
  /** How many IRTEs are allocated or present. */
  irteCount: number;
  /** IRTEs that rows of the snapshot name and `irtes` does not carry (empty when complete). */
  linked: IrteSnapshot[];
  iec: IecSnapshot;
  qi: QiSnapshot;
  faults: {
    t: number;
    reason: number;
    text: string;
    sid: string;
    index: number;
    recorded: boolean;
    messageId: number;
    note: string | null;
  }[];
}

export interface DeviceSnapshot {
  kind: string;
  bdf: string;
  /** The DSA's own snapshot for kind 'dsa' (its `ims.inUse` inline-limited). */
  dsa: IdxdSnapshot | null;
  /** IMS slots in use (differing from reset or holding a message). */
  imsInUseCount: number;
}

export interface PlatformSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** Stop sequence number (the views compare it to skip stale renders). */
  seq: number;
  /** Changes the debugger made to the machine during this stop (a mask, an injection, a write). */
  generation: number;
  /** Longest list carried whole, or null for a complete snapshot. */
  inlineLimit: number | null;
  /** Simulated time, ns. */
  t: number;
  cpus: CpuSnapshot[];
  domains: DomainSnapshot[];
  /** Every irq (complete) or those the snapshot's rows name (paged), ascending. */
  irqs: IrqSnapshot[];
  /** How many irqs exist. */
  irqCount: number;
  ir: IrUnitSnapshot[];
  devices: DeviceSnapshot[];
  trace: {
    totals: Record<'delivered' | 'pending' | 'faulted' | 'dropped', number>;
    messages: number;
    pendingIds: number[];
    recent: TraceEvent[];
    problems: string[];
  };
  /** Messages held at masked entries, in message order; inline-limited. */
  held: HeldEntry[];
  heldCount: number;
  events: { t: number; label: string }[];
  log: LogLine[];
  anomalies: { t: number; text: string }[];
}
