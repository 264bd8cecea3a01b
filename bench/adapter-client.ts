/**
 * What the DAP benchmarks share: a DebugClient on the stdio adapter (`node dist/adapter.js`)
 * launched on a bench model and stopped at its loop's first line (`const v = readl(base);`),
 * and the percentiles they report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The 1-based line of `program`'s loop, where the benchmarks stop and step. */
export function loopLine(program: string): number {
  const i = readFileSync(program, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('const v = readl(base);'));
  if (i < 0) throw new Error(`${program} has no 'const v = readl(base);' line`);
  return i + 1;
}

/**
 * Starts the adapter and launches `program` with `launch` (traceOutput off) and `breakpoint` on
 * its loop line; resolves once the model has stopped there (within `stopMs`, ms). With `keep`
 * false the breakpoint is cleared after that first stop. The caller stops the client.
 */
export async function launchToLoop(
  root: string,
  program: string,
  opts: {
    launch?: Record<string, unknown>;
    breakpoint?: Omit<DebugProtocol.SourceBreakpoint, 'line'>;
    keep?: boolean;
    stopMs?: number;
  } = {},
): Promise<DebugClient> {
  const dc = new DebugClient('node', path.join(root, 'dist', 'adapter.js'), 'ims');
  await dc.start();
  try {
    await dc.initializeRequest();
    const init = dc.waitForEvent('initialized');
    const first = dc.waitForEvent('stopped', opts.stopMs);
    await dc.launch({ program, traceOutput: false, ...opts.launch });
    await init;
    const line = loopLine(program);
    await dc.setBreakpointsRequest({
      source: { path: program },
      breakpoints: [{ ...opts.breakpoint, line }],
    });
    await dc.configurationDoneRequest();
    await first;
    if (opts.keep !== true)
      await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    return dc;
  } catch (e) {
    await dc.stop();
    throw e;
  }
}

/** The DSAs and CPUs of the at-scale benchmarks' machine. */
export const SCALE = { devices: 8, cpus: 64 } as const;

/**
 * `bench/models/many-ims.js` on SCALE's machine (every DSA with all 2,048 IMS slots allocated,
 * all 65,536 IRTEs in use), launched and stopped at its loop with the breakpoint cleared.
 */
export async function launchManyIms(root: string): Promise<DebugClient> {
  const program = path.join(root, 'bench', 'models', 'many-ims.js');
  // The model reads how many devices to fill from the environment the worker inherits.
  process.env.IMS_BENCH_DEVICES = String(SCALE.devices);
  try {
    return await launchToLoop(root, program, {
      launch: { devices: SCALE.devices, cpus: SCALE.cpus },
      stopMs: 300_000,
    });
  } finally {
    delete process.env.IMS_BENCH_DEVICES;
  }
}

/** The value below which `p` (0–1) of `xs` fall (nearest rank, sorted copy). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}
