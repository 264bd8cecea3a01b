/**
 * The life of a driver model, as a module's life in the kernel: module init (the model file
 * runs; module_pci_driver probes the devices), then the machine runs until nothing is left to
 * happen (descriptors complete, interrupts are handled), then module exit (remove), then the
 * trace's conservation invariant is checked. Used by the CLI (uninstrumented) and the debugger
 * worker (instrumented) alike, so both see the same sequence.
 */
import type { RunSetup } from './setup';
import type { ModelLoader } from './loader';

/** How long the machine may keep running after init or exit with work still scheduled (ns). */
export const IDLE_LIMIT_NS = 10e9;

export interface RunOutcome {
  /** Conservation problems found at the end (empty when the invariant holds). */
  problems: string[];
}

/** Makes the kernel API global for the model (the model calls readl, request_irq… directly). */
export function installKernelGlobals(setup: RunSetup): void {
  Object.assign(globalThis, setup.api);
}

/**
 * Runs the whole life of the model. Model exceptions propagate (the caller reports them).
 * @param afterInit called once module init is over and the machine has gone idle, before
 *   module exit (the CLI prints the irq domain tree there)
 */
export function runModel(setup: RunSetup, loader: ModelLoader, afterInit?: () => void): RunOutcome {
  const m = setup.machine;
  loader.load(setup.program);
  m.runUntilIdle(IDLE_LIMIT_NS);
  afterInit?.();
  for (const exit of setup.ctx.exitCalls.splice(0).reverse()) exit();
  m.runUntilIdle(IDLE_LIMIT_NS);
  return { problems: m.trace.check() };
}
