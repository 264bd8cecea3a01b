/** (a) `next` → `stopped` latency through the stdio adapter. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';

export async function stepLatency(
  root: string,
  steps: number,
): Promise<{ steps: number; p50: number; p90: number }> {
  const dc = new DebugClient('node', path.join(root, 'dist', 'adapter.js'), 'ims');
  await dc.start();
  try {
    await dc.initializeRequest();
    const init = dc.waitForEvent('initialized');
    const program = path.join(root, 'bench', 'models', 'steps.js');
    const loopLine =
      readFileSync(program, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('const v = readl(base);')) + 1;
    const first = dc.waitForEvent('stopped');
    await dc.launch({ program, traceOutput: false });
    await init;
    await dc.setBreakpointsRequest({
      source: { path: program },
      breakpoints: [{ line: loopLine }],
    });
    await dc.configurationDoneRequest();
    await first;
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    const times: number[] = [];
    for (let i = 0; i < steps + 50; i++) {
      const stopped = dc.waitForEvent('stopped');
      const t0 = performance.now();
      await dc.nextRequest({ threadId: 1 });
      await stopped;
      if (i >= 50) times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    return { steps, p50: times[Math.floor(steps * 0.5)]!, p90: times[Math.floor(steps * 0.9)]! };
  } finally {
    await dc.stop();
  }
}
