/**
 * The text mode's streaming lines: kernel log lines in dmesg's format, and one line per
 * interrupt-trace event, aligned in columns —
 *
 *     [    0.000023] #6     delivered  IMS slot 0 of 0000:6a:01.0 → IRTE 9 → vector 0x20 → CPU 1 (irq 33)
 *     [    0.000031] #14    faulted    IMS slot 1 of 0000:6a:01.0 → IRTE 10          fault 0x25: …
 *
 * time (simulated, dmesg-style seconds; the JSON output has nanoseconds), the message id (a
 * message that was held `pending` keeps its id when it is later delivered, faulted or
 * dropped), the outcome, the route it took, and the reason where one applies.
 */
import type { LogLine } from '../platform/machine/kernel-log';
import { formatLogLine } from '../platform/machine/kernel-log';
import type { OutcomeKind, TraceEvent } from '../platform/trace';
import { describeOrigin } from '../platform/trace';
import { hex } from '../platform/bits';
import type { Palette } from './colour';

/** The route column is padded to this width so that reasons line up. */
export const ROUTE_WIDTH = 72;
const ID_WIDTH = 6;
const KIND_WIDTH = 9;

/** `[    0.000023]` for a time in ns (dmesg: seconds with microseconds). */
export function dmesgTime(ns: number): string {
  return formatLogLine({ t: ns, level: 'info', text: '', cpu: 0 }).trimEnd();
}

/** A kernel log line as dmesg prints it; errors in red, warnings in yellow. */
export function renderLogLine(l: LogLine, p: Palette): string {
  const text = formatLogLine(l);
  const close = text.indexOf(']') + 1;
  const time = p.dim(text.slice(0, close));
  const rest = text.slice(close);
  if (l.level === 'emerg' || l.level === 'err') return time + p.red(rest);
  if (l.level === 'warn') return time + p.yellow(rest);
  return time + rest;
}

/** The route a message took, without its reason: `IMS slot 0 of … → IRTE 9 → … (irq 33)`. */
export function describeRoute(ev: TraceEvent): string {
  const parts = [describeOrigin(ev.source, ev.index, ev.bdf)];
  if (ev.irte !== null) parts.push(`IRTE ${ev.irte}`);
  if (ev.vector !== null) parts.push(`vector ${hex(ev.vector, 2)}`);
  if (ev.cpu !== null) parts.push(`CPU ${ev.cpu}`);
  const route = parts.join(' → ');
  return ev.virq === null ? route : `${route} (irq ${ev.virq})`;
}

/**
 * The reason column: the fault code and reason for `faulted`; the reason of others, and for a
 * `pending` message without one what pending means (held by its masked entry); else ''.
 */
export function describeReason(ev: TraceEvent): string {
  if (ev.kind === 'faulted') {
    const code = `fault ${hex(ev.fault ?? 0, 2)}`;
    return ev.reason ? `${code}: ${ev.reason}` : code;
  }
  if (ev.kind === 'pending' && !ev.reason) return 'held: the entry is masked';
  return ev.reason ?? '';
}

/** Colour of each outcome. */
function styleKind(kind: OutcomeKind, p: Palette): (s: string) => string {
  switch (kind) {
    case 'delivered':
      return p.green;
    case 'pending':
      return p.yellow;
    case 'faulted':
      return p.red;
    case 'dropped':
      return p.magenta;
  }
}

/**
 * One event as a text line (no trailing newline).
 * @param verbose add the message as written (address_hi:address_lo, data) and the PASID
 */
export function renderEventLine(ev: TraceEvent, p: Palette, verbose = false): string {
  const id = `#${ev.id}`.padEnd(ID_WIDTH);
  const kind = styleKind(ev.kind, p)(ev.kind.padEnd(KIND_WIDTH));
  const route = describeRoute(ev);
  let reason = describeReason(ev);
  if (verbose) {
    const extra: string[] = [];
    if (ev.msg !== null)
      extra.push(
        `msg ${hex(ev.msg.address_hi, 8)}:${hex(ev.msg.address_lo, 8)} data ${hex(ev.msg.data, 8)}`,
      );
    if (ev.pasid !== null) extra.push(`PASID ${ev.pasid}`);
    if (extra.length > 0)
      reason = reason === '' ? extra.join(', ') : `${reason} [${extra.join(', ')}]`;
  }
  const head = `${p.dim(dmesgTime(ev.t))} ${p.dim(id)} ${kind}  `;
  if (reason === '') return head + route;
  return `${head}${route.padEnd(ROUTE_WIDTH)}  ${ev.kind === 'delivered' ? p.dim(reason) : reason}`;
}
