/**
 * What the views' context actions send, built from a row's target (node.ts NodeTarget) — free of
 * VS Code, so it is unit-tested: the custom DAP request of Mask / Unmask and Inject Interrupt,
 * the named interrupt breakpoint of Break on Delivery (the grammar of
 * src/runtime/interrupt-breakpoint.ts), the IRTE that Reveal IRTE goes to, and the Pending
 * Interrupts view's badge.
 */
import { INJECT_REQUEST, MASK_ENTRY_REQUEST } from '../../adapter/view-requests';
import type { PlatformSnapshot } from '../../platform/snapshot/types';
import { formatVector } from './format';
import type { IrteRef, NodeTarget } from './node';

/** A custom DAP request: command and arguments. */
export interface ViewRequest {
  readonly command: string;
  readonly args: Record<string, unknown>;
}

/** `ims/maskEntry` setting (`mask` true) or clearing the mask bit of the entry `t` names. */
export function maskRequest(t: NodeTarget | undefined, mask: boolean): ViewRequest | undefined {
  if (t?.kind !== 'entry') return undefined;
  return {
    command: MASK_ENTRY_REQUEST,
    args: { device: t.bdf, table: t.table, index: t.index, mask },
  };
}

/** The irq an Inject Interrupt on `t` injects, if it names one. */
export function injectIrq(t: NodeTarget | undefined): number | undefined {
  if (t === undefined) return undefined;
  if (t.kind === 'entry' || t.kind === 'vector') return t.irq ?? undefined;
  if (t.kind === 'irq') return t.irq;
  return undefined;
}

/** `ims/inject` of the irq `t` names. */
export function injectRequest(t: NodeTarget | undefined): ViewRequest | undefined {
  const irq = injectIrq(t);
  return irq === undefined ? undefined : { command: INJECT_REQUEST, args: { irq } };
}

/** `INTEL-IR-3` → 3 (the unit number of the `irte <unit>:<index>` breakpoint name). */
function unitNumber(unit: string): number | undefined {
  const m = /^INTEL-IR-(\d+)$/.exec(unit);
  return m === null ? undefined : Number(m[1]);
}

/**
 * The named interrupt breakpoint that stops when the interrupt of `t` is delivered:
 * `ims 0000:6a:01.0/3`, `msix 0000:6a:01.0/1`, `irq 33`, `irte 0:17`, `vector 0x41@cpu2`.
 */
export function breakpointName(t: NodeTarget | undefined): string | undefined {
  if (t === undefined) return undefined;
  switch (t.kind) {
    case 'entry':
      return `${t.table} ${t.bdf}/${t.index}`;
    case 'irq':
      return `irq ${t.irq}`;
    case 'irte': {
      const n = unitNumber(t.unit);
      return n === undefined ? `irte ${t.index}` : `irte ${n}:${t.index}`;
    }
    case 'vector':
      return `vector ${formatVector(t.vector)}@cpu${t.cpu}`;
  }
}

/** The IRTE Reveal IRTE goes to for `t`, if it names one. */
export function revealedIrte(t: NodeTarget | undefined): IrteRef | undefined {
  if (t?.kind === 'entry' || t?.kind === 'irq') return t.irte ?? undefined;
  if (t?.kind === 'irte') return { unit: t.unit, index: t.index };
  return undefined;
}

/** The Pending Interrupts view's badge: messages held at masked entries and vectors in IRR. */
export function pendingBadge(
  snap: PlatformSnapshot | undefined,
): { value: number; tooltip: string } | undefined {
  if (snap === undefined) return undefined;
  const held = snap.heldCount;
  const irr = snap.cpus.reduce((n, c) => n + c.irr.length, 0);
  const value = held + irr;
  if (value === 0) return undefined;
  const parts: string[] = [];
  if (held > 0) parts.push(`${held} message${held === 1 ? '' : 's'} held at masked entries`);
  if (irr > 0) parts.push(`${irr} vector${irr === 1 ? '' : 's'} waiting in IRR`);
  return { value, tooltip: `Pending: ${parts.join(', ')}` };
}
