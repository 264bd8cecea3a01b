/**
 * The emulated kernel's log buffer (printk): timestamped lines, kept for the views and the CLI
 * and forwarded to listeners (the debug console).
 */
import type { LogLevel } from '../irq/core';

export interface LogLine {
  /** Simulated time, ns. */
  t: number;
  level: LogLevel;
  text: string;
  /** CPU that printed it. */
  cpu: number;
}

export class KernelLog {
  readonly lines: LogLine[] = [];
  private readonly listeners: ((l: LogLine) => void)[] = [];

  /** @param limit lines kept (older ones are dropped) */
  constructor(private readonly limit = 10_000) {}

  add(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
    for (const l of this.listeners) l(line);
  }

  /** Calls `fn` for each new line; returns an unsubscribe function. */
  subscribe(fn: (l: LogLine) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}

/** dmesg's format: `[    0.000123] text` (seconds with microseconds). */
export function formatLogLine(l: LogLine): string {
  const us = Math.floor(l.t / 1000);
  const s = `${Math.floor(us / 1e6)}`.padStart(5) + '.' + `${us % 1e6}`.padStart(6, '0');
  return `[${s}] ${l.text}`;
}
