/**
 * The `inlineValues` request: for the lines of one model file, what the kernel calls made there
 * did (io-log.ts), as texts to show beside the code.
 *
 * Which value shows: an MMIO line shows the value its last access read or wrote — what the
 * driver saw or put on the bus there — decoded by the register tables, and `· now 0x…` when the
 * register holds something else at this stop (a write-1-to-clear bit cleared, a status that
 * moved on). An irq line shows the irq's path as it stands at this stop (from the stop's
 * snapshot): the path is state that later lines change (request_irq activates it, an affinity
 * change moves it), and what it is now is what a user debugging delivery needs.
 */
import path from 'node:path';
import type { Machine } from '../../platform/machine/machine';
import type { IrqSnapshot } from '../../platform/snapshot/types';
import type { InlineValueItem, InlineValues } from '../protocol';
import type { WorkerDebugger } from './debugger';
import type { Frame } from './frames';
import { scopeNames } from './scope-names';
import { accessValue, MAX_DISTINCT, type IoLog } from './io-log';
import { accessText, irqErrorText, irqPathText, repeatText } from './inline-text';
import { registersOf } from './register-at';
import type { DeviceLayout } from './reg-targets';
import { bytesToBig } from './register-edit';

export interface InlineValuesContext {
  readonly dbg: WorkerDebugger;
  readonly machine: Machine;
  readonly devices: ReadonlyMap<string, DeviceLayout>;
  readonly log: IoLog;
  /** Irq `irq` as the stop's snapshot shows it, or undefined when it does not exist. */
  readonly irq: (irq: number) => IrqSnapshot | undefined;
}

/**
 * The inline values of lines `startLine`..`endLine` (1-based, inclusive) of `file`, by line and
 * column. Lines no recorded call ran on have none.
 */
export function inlineValues(
  ctx: InlineValuesContext,
  file: string,
  startLine: number,
  endLine: number,
): InlineValueItem[] {
  const out: InlineValueItem[] = [];
  const mem = ctx.machine.memory;
  for (const { line, column, records } of byLine(ctx, ctx.log.mmio, file, startLine, endLine)) {
    const r = latest(records);
    const pieces = registersOf(ctx.devices, mem, r.address, r.bytes, accessValue(r));
    const now = pieces.map((p) => {
      const { bytes, readable } = mem.peekBytes(p.address, p.bytes);
      return readable === p.bytes ? bytesToBig(bytes) : undefined;
    });
    const count = records.reduce((n, x) => n + x.count, 0);
    const distinct = new Set(records.flatMap((x) => [...x.addresses])).size;
    const text = accessText(pieces, r.write, now) + repeatText(count, distinct, MAX_DISTINCT);
    out.push({ line, column, text });
  }
  for (const { line, column, records } of byLine(ctx, ctx.log.irqs, file, startLine, endLine)) {
    const r = latest(records);
    const distinct = new Set(records.flatMap((x) => [...x.irqs])).size;
    const text =
      r.irq < 0
        ? irqErrorText(r.fn, r.irq)
        : irqPathText(r.irq, ctx.irq(r.irq), ctx.devices.size > 1) +
          (distinct > 1 ? ` (last of ${distinct} irqs)` : '');
    out.push({ line, column, text });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The frame's part of the answer: the names of its Locals and the lines from its function's
 * first to the statement it is at, when that function is in `file` (the extension shows the
 * locals' values on those lines, as VS Code does without an inline values provider).
 */
export function frameLocals(
  dbg: WorkerDebugger,
  f: Frame | undefined,
  file: string,
): InlineValues['frame'] {
  if (f?.kind !== 'model') return undefined;
  const fn = dbg.functions[f.fid];
  const site = dbg.sites[f.site];
  if (fn === undefined || site === undefined || fn.file !== path.resolve(file)) return undefined;
  return { names: scopeNames(dbg, f), startLine: fn.line, stopLine: site.line };
}

/**
 * The records of `file`'s lines startLine..endLine, grouped by line: a line's statements (a
 * loop's condition is counted with the statement that ran before it) make one value.
 */
function byLine<R>(
  ctx: InlineValuesContext,
  log: ReadonlyMap<number, R>,
  file: string,
  startLine: number,
  endLine: number,
): { line: number; column: number; records: R[] }[] {
  const want = path.resolve(file);
  const lines = new Map<number, { line: number; column: number; records: R[] }>();
  for (const [site, r] of log) {
    const s = ctx.dbg.sites[site];
    if (s === undefined || s.line < startLine || s.line > endLine) continue;
    if (ctx.dbg.functions[s.fid]?.file !== want) continue;
    const g = lines.get(s.line);
    if (g === undefined) lines.set(s.line, { line: s.line, column: s.column + 1, records: [r] });
    else {
      g.column = Math.min(g.column, s.column + 1);
      g.records.push(r);
    }
  }
  return [...lines.values()];
}

function latest<R extends { seq: number }>(records: readonly R[]): R {
  return records.reduce((a, b) => (b.seq > a.seq ? b : a));
}
