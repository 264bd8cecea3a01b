/**
 * The platform snapshot: one JSON-able picture of the machine per stop, which the views, the
 * CLI's final tree and the DAP variables all render. Values wider than 32 bits are hex strings.
 * Building one has no side effects on the machine.
 */
import type { IdxdSnapshot } from '../idxd';
import type { TraceEvent } from '../trace';
import type { LogLine } from '../machine/kernel-log';

export const SNAPSHOT_VERSION = 1;

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
  /** Device vectors routed to an irq on this CPU (vector_irq). */
  vectors: { vector: number; irq: number }[];
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
  perCpu: number[];
  unhandled: number;
  /** The IMS icookie (PASID for IDXD), as hex. */
  icookie: string | null;
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
  /** Linux irqs whose top level is in this domain. */
  irqs: number[];
}

export interface IrteSnapshot {
  index: number;
  /** 128-bit value, hex. */
  raw: string;
  present: boolean;
  posted: boolean;
  fields: { name: string; hi: number; lo: number; value: number; text: string }[];
  /** Linux irq that owns it (IR domain allocation), if any. */
  irq: number | null;
}

export interface IrUnitSnapshot {
  seq: number;
  name: string;
  enabled: boolean;
  eime: boolean;
  tableAddress: string;
  tableSize: number;
  /** IRTEs allocated by the kernel or found present in the table. */
  irtes: IrteSnapshot[];
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
  /** The DSA's own snapshot for kind 'dsa'. */
  dsa: IdxdSnapshot | null;
}

export interface PlatformSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** Stop sequence number (the views compare it to skip stale renders). */
  seq: number;
  /** Simulated time, ns. */
  t: number;
  cpus: CpuSnapshot[];
  domains: DomainSnapshot[];
  irqs: IrqSnapshot[];
  ir: IrUnitSnapshot[];
  devices: DeviceSnapshot[];
  trace: {
    totals: Record<'delivered' | 'pending' | 'faulted' | 'dropped', number>;
    messages: number;
    pendingIds: number[];
    recent: TraceEvent[];
    problems: string[];
  };
  events: { t: number; label: string }[];
  log: LogLine[];
  anomalies: { t: number; text: string }[];
}
