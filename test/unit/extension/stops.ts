/**
 * Real platform snapshots for the view tests: the bundled example (examples/idxd-ims) runs
 * instrumented, and a snapshot is built at chosen statement boundaries — as the debugger does at
 * a stop. Nothing is mocked: the snapshots come from the platform running the model.
 */
import path from 'node:path';
import { buildSnapshot } from '../../../src/platform/snapshot/build';
import { listKey, MachineLists } from '../../../src/platform/snapshot/lists';
import { buildPage } from '../../../src/platform/snapshot/pages';
import type { ListRef, PlatformSnapshot, SnapshotPage } from '../../../src/platform/snapshot/types';
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

/** A stop as the views get it: a bounded snapshot, and `ims/page` answered for that stop. */
export interface BoundedStop {
  readonly snapshot: PlatformSnapshot;
  /** Rows [start, start + count) of list `ref`, as ims/page answers (a RangeError otherwise). */
  page(ref: ListRef, start: number, count: number): SnapshotPage;
}

/** Every list of the machine now, read whole (at most 1000 rows each), by list key. */
function allPages(m: Machine, seq: number): Map<string, SnapshotPage> {
  const lists = new MachineLists(m);
  const refs: ListRef[] = [
    { list: 'held' },
    ...m.ir.map((u) => ({ list: 'irtes', unit: u.domain.domain.name }) as const),
    ...m.ir.map((u) => ({ list: 'iec', unit: u.domain.domain.name }) as const),
    ...m.pdevs.map((p) => ({ list: 'imsSlots', device: p.name }) as const),
    ...m.core.domains.map((d) => ({ list: 'domainIrqs', domain: d.name }) as const),
    ...m.cpus.map((c) => ({ list: 'cpuVectors', cpu: c.id }) as const),
  ];
  const out = new Map<string, SnapshotPage>();
  for (const ref of refs) {
    const total = lists.keysOf(ref).length;
    out.set(listKey(ref), buildPage(lists, { ref, start: 0, count: Math.max(1, total) }, seq, 0));
  }
  return out;
}

let boundedStops: { first: BoundedStop; second: BoundedStop } | undefined;

/**
 * The two completion-handler stops of exampleHandlerStops as bounded snapshots (inline limit 2:
 * the IR table, the IMS slots, the MSI-X domain's irqs and the CPUs' vectors come as totals),
 * with their pages.
 */
export function exampleBoundedStops(): { first: BoundedStop; second: BoundedStop } {
  if (boundedStops !== undefined) return boundedStops;
  const stops: BoundedStop[] = [];
  const seen = new Set<number>();
  runExample((m) => {
    const irq = handlerIrq(m, 'idxd-portal');
    if (irq === undefined || seen.has(irq)) return;
    seen.add(irq);
    const seq = stops.length + 1;
    const snapshot = buildSnapshot(m, { seq, inlineLimit: 2 });
    const pages = allPages(m, seq);
    stops.push({
      snapshot,
      page: (ref, start, count) => {
        const all = pages.get(listKey(ref));
        if (all === undefined) throw new RangeError(`no list ${JSON.stringify(ref)}`);
        return { ...all, start, items: all.items.slice(start, start + count) };
      },
    });
  });
  if (stops.length < 2) throw new Error(`expected two completion handlers, saw ${stops.length}`);
  boundedStops = { first: stops[0]!, second: stops[1]! };
  return boundedStops;
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
