/**
 * Real platform snapshots for the view tests: the bundled example (examples/idxd-ims) runs
 * instrumented, and a snapshot is built at chosen statement boundaries — as the debugger does at
 * a stop. Nothing is mocked: the snapshots come from the platform running the model.
 */
import path from 'node:path';
import { buildSnapshot } from '../../../src/platform/snapshot/build';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';
import type { Machine } from '../../../src/platform/machine/machine';
import { ModelLoader, NO_HOOKS } from '../../../src/runtime/loader';
import { installKernelGlobals, runModel } from '../../../src/runtime/model-run';
import { setupRun } from '../../../src/runtime/setup';

export const EXAMPLE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'examples',
  'idxd-ims',
  'driver.js',
);

/** Snapshots at the first statement of each WQ's completion handler (action `idxd-portal`). */
export interface HandlerStops {
  /** In wq0's handler: irq 33 in service on CPU 1. */
  readonly first: PlatformSnapshot;
  /** In wq1's handler, the next stop: irq 34 in service on CPU 2. */
  readonly second: PlatformSnapshot;
}

/** The irq a CPU is running the handler of, when its action is `action`. */
function handlerIrq(m: Machine, action: string): number | undefined {
  for (const c of m.cpus) {
    for (const s of c.inService) {
      if (m.core.descs.all().find((d) => d.irq === s.irq)?.actionName === action) return s.irq;
    }
  }
  return undefined;
}

/**
 * Runs the example; `onStatement(m)` runs before every model statement, `onSetup(m)` once
 * before the model loads.
 */
function runExample(onStatement: (m: Machine) => void, onSetup: (m: Machine) => void = () => {}) {
  const setup = setupRun({ program: EXAMPLE });
  installKernelGlobals(setup);
  const m = setup.machine;
  onSetup(m);
  const loader = new ModelLoader(path.dirname(EXAMPLE), true, {
    ...NO_HOOKS,
    hook: () => onStatement(m),
  });
  const outcome = runModel(setup, loader);
  if (outcome.problems.length > 0) throw new Error(outcome.problems.join('\n'));
}

let handlerStops: HandlerStops | undefined;

/** The two completion-handler stops of the example (run once per test process). */
export function exampleHandlerStops(): HandlerStops {
  if (handlerStops !== undefined) return handlerStops;
  const snaps: PlatformSnapshot[] = [];
  const seen = new Set<number>();
  runExample((m) => {
    const irq = handlerIrq(m, 'idxd-portal');
    if (irq !== undefined && !seen.has(irq)) {
      seen.add(irq);
      snaps.push(buildSnapshot(m, { seq: snaps.length + 1 }));
    }
  });
  if (snaps.length < 2) throw new Error(`expected two completion handlers, saw ${snaps.length}`);
  handlerStops = { first: snaps[0]!, second: snaps[1]! };
  return handlerStops;
}

/** A stop where IMS slot 1's message is held masked, and the stop before it. */
export interface MaskedStops {
  /** In wq0's handler, after the debugger set IMS slot 1's ctrl.mask (one MMIO write). */
  readonly masked: PlatformSnapshot;
  /** When wq1's completion interrupt arrived at the masked slot: pending, held. */
  readonly pending: PlatformSnapshot;
}

let maskedStops: MaskedStops | undefined;

/**
 * Runs the example, masking IMS slot 1 in wq0's completion handler as a user would by setting
 * the slot's ctrl.mask field (a write through the MMIO path). wq1's completion message then
 * pends; a snapshot is taken right after (a clock event at the same time, so the device has
 * finished its work), and the slot is unmasked 1 µs later so that the model completes.
 */
export function exampleMaskedStops(): MaskedStops {
  if (maskedStops !== undefined) return maskedStops;
  let masked: PlatformSnapshot | undefined;
  let pending: PlatformSnapshot | undefined;
  let ctrlAddress = 0;
  runExample(
    (m) => {
      if (masked !== undefined || handlerIrq(m, 'idxd-portal') === undefined) return;
      const snap = buildSnapshot(m, { seq: 1 });
      const dsa = snap.devices[0]!.dsa!;
      const table = dsa.registers.find((r) => r.name === 'TABLE')!;
      const ims = BigInt(table.fields.find((f) => f.name === 'ims')!.value);
      ctrlAddress = Number(BigInt(dsa.bar0) + ims * 0x100n) + 1 * 16 + 12;
      m.memory.write32(ctrlAddress, m.memory.read32(ctrlAddress) | 1);
      masked = buildSnapshot(m, { seq: 1 });
    },
    (m) => {
      m.trace.subscribe((seq) => {
        const e = m.trace.event(seq);
        if (e?.kind !== 'pending' || pending !== undefined) return;
        m.clock.schedule(1000, 'debugger: clear IMS slot 1 ctrl.mask', () =>
          m.memory.write32(ctrlAddress, m.memory.read32(ctrlAddress) & ~1),
        );
        m.clock.schedule(0, 'test: snapshot', () => {
          pending = buildSnapshot(m, { seq: 2 });
        });
      });
    },
  );
  if (masked === undefined || pending === undefined)
    throw new Error('the masked stops were not reached');
  maskedStops = { masked, pending };
  return maskedStops;
}
