/** (b) Delivered interrupts per second through the full path, headless. */
import path from 'node:path';
import { setupRun } from '../src/runtime/setup';
import { ModelLoader } from '../src/runtime/loader';
import { installKernelGlobals, runModel } from '../src/runtime/model-run';

export function interruptRate(
  root: string,
  n: number,
): { delivered: number; ms: number; perSecond: number } {
  process.env.IMS_BENCH_IRQS = String(n);
  const program = path.join(root, 'bench', 'models', 'irq-storm.js');
  const setup = setupRun({ program });
  installKernelGlobals(setup);
  const t0 = performance.now();
  const { problems } = runModel(setup, new ModelLoader(path.dirname(program), false));
  const ms = performance.now() - t0;
  if (problems.length > 0) throw new Error(`conservation broken: ${problems.join('; ')}`);
  const delivered = setup.machine.trace.totals.delivered;
  return { delivered, ms, perSecond: (delivered / ms) * 1000 };
}
