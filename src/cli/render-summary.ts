/**
 * The run's closing summary line —
 *
 *     12 messages: 12 delivered, 0 pending, 0 faulted, 0 dropped; 34.737 µs simulated
 *
 * — counts of trace events per outcome (a message held `pending` and later delivered counts
 * in both), plus the messages still pending at the end, if any.
 */
import type { OutcomeKind } from '../platform/trace';
import type { Palette } from './colour';

export interface SummaryInput {
  /** Messages raised. */
  messages: number;
  /** Events per outcome. */
  totals: Record<OutcomeKind, number>;
  /** Messages still held pending at the end. */
  stillPending: number;
  /** Simulated time at the end, ns. */
  t: number;
}

/** A duration in ns in the largest unit that keeps it ≥ 1: `850 ns`, `34.737 µs`, `1.2 ms`. */
export function formatDuration(ns: number): string {
  const units: [number, string][] = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
  ];
  for (const [scale, unit] of units) {
    if (ns >= scale) return `${trimZeros((ns / scale).toFixed(3))} ${unit}`;
  }
  return `${ns} ns`;
}

function trimZeros(s: string): string {
  return s.replace(/\.?0+$/, '');
}

/** The summary line (no trailing newline). */
export function renderSummary(s: SummaryInput, p: Palette): string {
  const n = (k: OutcomeKind, style: (x: string) => string): string => {
    const text = `${s.totals[k]} ${k}`;
    return s.totals[k] > 0 && k !== 'delivered' ? style(text) : text;
  };
  const counts = [
    n('delivered', p.green),
    n('pending', p.yellow),
    n('faulted', p.red),
    n('dropped', p.magenta),
  ].join(', ');
  const still = s.stillPending > 0 ? p.yellow(` (${s.stillPending} still pending)`) : '';
  const msgs = `${s.messages} message${s.messages === 1 ? '' : 's'}`;
  return `${p.bold(msgs)}: ${counts}${still}; ${formatDuration(s.t)} simulated`;
}
