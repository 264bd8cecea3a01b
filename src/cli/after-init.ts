/**
 * A look at the machine between module init and module exit. `runModel` (the runtime) runs a
 * model's whole life — load (module init), run until idle, module exit, run until idle — with
 * no callback in between, while the domain tree worth printing is the one the driver built:
 * after module exit its irqs are freed. The first `runUntilIdle` ends module init, so the CLI
 * wraps that method on its own machine, once, and puts it back after the call.
 *
 * Replace this with a runtime hook when `runModel` offers one (an `afterInit` observer).
 */
import type { Machine } from '../platform/machine/machine';

/** Calls `fn` once, right after the machine's next `runUntilIdle` returns. */
export function afterNextIdle(machine: Machine, fn: () => void): void {
  const original = machine.runUntilIdle.bind(machine);
  machine.runUntilIdle = (limitNs?: number): void => {
    machine.runUntilIdle = original;
    original(limitNs);
    fn();
  };
}
