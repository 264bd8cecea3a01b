/**
 * (e) Step back at statement ~10,000 through the stdio adapter: `bench/models/steps.js` stopped
 * by a breakpoint on its 5,000th loop iteration (two statements each), then `stepBack`, timed
 * from the request to the `stopped` event — a fresh worker replaying the run to the statement
 * before. Measured with the next replay's worker launched ahead (the adapter launches it at
 * each stop; the bench waits for it), and back to back (each step back then waits for a
 * launch). Also, inside the runtime: the replay alone (request → stopped, worker launched).
 */
import path from 'node:path';
import { launchToLoop, loopLine, median, percentile } from './adapter-client';
import { ModelRuntime } from '../src/runtime/model-runtime';
import type { StopInfo, TravelTarget, WorkerEvent } from '../src/runtime/protocol';

export interface StepBackResult {
  /** The position stepped back from (statements counted). */
  at: number;
  /** request → stopped, ms: with the worker launched ahead (median, p90), back to back (median). */
  warm: { p50: number; p90: number; samples: number };
  backToBack: { p50: number; samples: number };
  /** The replay alone inside the runtime, ms (median). */
  replayMs: number;
  /** A worker's launch, ms (median): what back-to-back step backs wait for. */
  launchMs: number;
}

const ITERATION = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function stepBack(root: string, samples = 9): Promise<StepBackResult> {
  const program = path.join(root, 'bench', 'models', 'steps.js');
  const inRuntime = await replayInRuntime(root, program, loopLine(program));

  const dc = await launchToLoop(root, program, {
    breakpoint: { hitCondition: `== ${ITERATION}` },
    keep: true,
  });
  try {
    const back = async (): Promise<number> => {
      const stopped = dc.waitForEvent('stopped');
      const t0 = performance.now();
      await dc.stepBackRequest({ threadId: 1 });
      await stopped;
      return performance.now() - t0;
    };
    const warm: number[] = [];
    for (let i = 0; i < samples; i++) {
      await sleep(Math.max(1500, 3 * inRuntime.launchMs)); // the next worker is launched ahead
      warm.push(await back());
    }
    const backToBack: number[] = [];
    for (let i = 0; i < 5; i++) backToBack.push(await back());
    return {
      at: inRuntime.at,
      warm: {
        p50: median(warm),
        p90: percentile(warm, 0.9),
        samples,
      },
      backToBack: { p50: median(backToBack), samples: backToBack.length },
      replayMs: inRuntime.replayMs,
      launchMs: inRuntime.launchMs,
    };
  } finally {
    await dc.stop();
  }
}

/** The same stop and the replay to the statement before, timed inside the runtime. */
async function replayInRuntime(
  root: string,
  program: string,
  line: number,
): Promise<{ at: number; replayMs: number; launchMs: number }> {
  const worker = path.join(root, 'dist', 'worker.js');
  const bp = [{ id: 1, line, hitCondition: `== ${ITERATION}` }];
  const launched = async (): Promise<{ rt: ModelRuntime; ms: number }> => {
    const t0 = performance.now();
    const rt = new ModelRuntime(worker);
    await rt.launch({ program, traceOutput: false });
    const ms = performance.now() - t0;
    await rt.request('setBreakpoints', { path: program, breakpoints: bp });
    return { rt, ms };
  };
  const stopped = (rt: ModelRuntime) =>
    new Promise<StopInfo>((resolve) => {
      rt.on('event', (ev: WorkerEvent) => {
        if (ev.type === 'stopped') resolve(ev.stop);
      });
    });
  const { rt: first } = await launched();
  const stop = stopped(first);
  await first.request('start', {});
  await stop;
  const t = (await first.request('travelTarget', { kind: 'stepBack' })) as TravelTarget;
  await first.terminate();
  if (typeof t.target === 'string') throw new Error(`no step back target: ${t.target}`);
  const replays: number[] = [];
  const launches: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { rt, ms } = await launched();
    launches.push(ms);
    await sleep(50);
    const arrived = stopped(rt);
    const t0 = performance.now();
    await rt.request('replay', { target: t.target.at, stop: t.target.stop, effects: t.effects });
    await arrived;
    replays.push(performance.now() - t0);
    await rt.terminate();
  }
  return { at: t.at.n, replayMs: median(replays), launchMs: median(launches) };
}
