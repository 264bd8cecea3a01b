/**
 * The `--json` output: one JSON object per line per interrupt-trace event (DESIGN.md §3).
 * Every key is always present (null where it does not apply), in a fixed order, so that the
 * line format does not change when the platform's event type grows.
 */
import type { MsiSource } from '../platform/bus';
import type { OutcomeKind, TraceEvent } from '../platform/trace';

/** One `--json` line. */
export interface JsonEvent {
  /** Simulated time, ns. */
  t: number;
  kind: OutcomeKind;
  /** Message id (1-based): a `pending` message keeps it for its later outcome. */
  id: number;
  /** Event sequence number (0-based). */
  seq: number;
  bdf: string;
  source: MsiSource;
  /** MSI-X entry or IMS slot. */
  index: number;
  pasid: number | null;
  irte: number | null;
  vector: number | null;
  cpu: number | null;
  virq: number | null;
  /** VT-d fault reason code, for `faulted`. */
  fault: number | null;
  /** Why a message is pending, faulted or dropped; null when none applies. */
  reason: string | null;
  /** The message as the device wrote it (null while held pending). */
  msg: { address_lo: number; address_hi: number; data: number } | null;
  /** `IMS slot 0 of 0000:6a:01.0 → IRTE 9 → vector 0x20 → CPU 1 (irq 33)`. */
  path: string;
}

/** The JSON object of an event. */
export function toJsonEvent(ev: TraceEvent): JsonEvent {
  return {
    t: ev.t,
    kind: ev.kind,
    id: ev.id,
    seq: ev.seq,
    bdf: ev.bdf,
    source: ev.source,
    index: ev.index,
    pasid: ev.pasid,
    irte: ev.irte,
    vector: ev.vector,
    cpu: ev.cpu,
    virq: ev.virq,
    fault: ev.fault,
    reason: ev.reason,
    msg: ev.msg === null ? null : { ...ev.msg },
    path: ev.path,
  };
}

/** One line of `--json` output (no trailing newline). */
export function renderJsonEvent(ev: TraceEvent): string {
  return JSON.stringify(toJsonEvent(ev));
}
