/**
 * (c) The example's run under the debugger (instrumented worker, no breakpoints) against headless
 * (the same worker, uninstrumented, as noDebug and the CLI run it). Each run is a fresh worker, so
 * both start with cold JIT; the model's whole life is timed inside the worker; medians.
 */
import path from 'node:path';
import { ModelRuntime } from '../src/runtime/model-runtime';
import type { WorkerEvent } from '../src/runtime/protocol';
import { median } from './adapter-client';

/** One run of the example in a fresh worker; returns the model's run time in ms. */
async function runOnce(root: string, program: string, noDebug: boolean): Promise<number> {
  const rt = new ModelRuntime(path.join(root, 'dist', 'worker.js'));
  await rt.launch({ program, noDebug, traceOutput: false });
  const ended = new Promise<number>((resolve) => {
    rt.on('event', (ev: WorkerEvent) => {
      if (ev.type === 'exited') resolve(ev.runMs ?? NaN);
    });
  });
  await rt.request('start', {});
  const ms = await ended;
  await rt.terminate();
  return ms;
}

export async function debuggerRatio(
  root: string,
  runs: number,
): Promise<{ runs: number; headlessMs: number; debugMs: number; ratio: number }> {
  const program = path.join(root, 'examples', 'idxd-ims', 'driver.js');
  const headless: number[] = [];
  const debug: number[] = [];
  for (let i = 0; i < runs; i++) {
    headless.push(await runOnce(root, program, true));
    debug.push(await runOnce(root, program, false));
  }
  const h = median(headless);
  const d = median(debug);
  return { runs, headlessMs: h, debugMs: d, ratio: d / h };
}
