/** (a) `next` → `stopped` latency through the stdio adapter. */
import path from 'node:path';
import { launchToLoop, median, percentile } from './adapter-client';

export async function stepLatency(
  root: string,
  steps: number,
): Promise<{ steps: number; p50: number; p90: number }> {
  const dc = await launchToLoop(root, path.join(root, 'bench', 'models', 'steps.js'));
  try {
    const times: number[] = [];
    for (let i = 0; i < steps + 50; i++) {
      const stopped = dc.waitForEvent('stopped');
      const t0 = performance.now();
      await dc.nextRequest({ threadId: 1 });
      await stopped;
      if (i >= 50) times.push(performance.now() - t0);
    }
    return { steps, p50: median(times), p90: percentile(times, 0.9) };
  } finally {
    await dc.stop();
  }
}
