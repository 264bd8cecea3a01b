/**
 * The model worker's entry (dist/worker.js): builds the machine and the kernel API, loads the
 * model (instrumented unless noDebug), reports `ready` (or `launchError` with the line of a
 * syntax error), waits for `start`, runs the model's life, reports how it ended, and then keeps
 * serving requests (the final snapshot) until terminated.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import path from 'node:path';
import { format } from 'node:util';
import { ModelLoader, NO_HOOKS } from '../loader';
import { setupRun, type RunSetup } from '../setup';
import { installKernelGlobals, runModel } from '../model-run';
import { ModelSyntaxError } from '../instrument';
import { formatLogLine } from '../../platform/machine/kernel-log';
import type { WorkerInit } from '../protocol';
import { WorkerDebugger } from './debugger';
import { requestHandler } from './requests';
import { InterruptStops } from './interrupt-stops';
import { errorLocation } from './error-location';
import { IoLog } from './io-log';
import { effectApplier } from './replay-effects';
import { makeDeterministic } from './determinism';

/** Trace events printed to the debug console per run, at most. */
const TRACE_OUTPUT_LIMIT = 10_000;

const init = workerData as WorkerInit & { port: MessagePort };
const port = init.port;
// eslint-disable-next-line prefer-const -- assigned once the machine exists; the kernel hooks close over it
let dbg!: WorkerDebugger;
let setup: RunSetup;

try {
  setup = setupRun(
    {
      program: init.program,
      config: init.config,
      cpus: init.cpus,
      devices: init.devices,
      irUnits: init.irUnits,
      dmarFaultInterrupt: init.dmarFaultInterrupt,
    },
    init.noDebug
      ? {}
      : { enter: (name) => dbg.frames.pushKernel(name), leave: () => dbg.frames.pop() },
  );
} catch (e) {
  port.postMessage({ type: 'launchError', message: e instanceof Error ? e.message : String(e) });
  throw new Error('launch failed', { cause: e });
}

const m = setup.machine;
dbg = new WorkerDebugger(
  port,
  init.ctrl,
  init.breakpoints,
  m.core.attention,
  () => m.dispatch(),
  () => m.core.currentCpu,
);
let started = false;
// The MMIO accesses and irqs of the model's kernel calls, by statement, for the inline values;
// nothing is recorded while the debugger evaluates.
const io = new IoLog(() => {
  const top = dbg.frames.top;
  return top.kind === 'model' && !dbg.suppress ? top.site : -1;
});
if (!init.noDebug) io.instrument(setup.api);
// Uncaught exceptions stop by default, as the filter's default says, until the client sets filters.
dbg.filters.set([{ filterId: 'uncaught' }]);
const handler = requestHandler({
  dbg,
  machine: m,
  apiNames: Object.keys(setup.api),
  io,
  start: () => (started = true),
});
dbg.setHandler(handler);
// Step back replays the run: what the user changed is re-applied, and nothing else may differ.
dbg.timeline.apply = effectApplier(handler, m);
if (!init.noDebug) makeDeterministic(() => m.clock.now);

const out = (
  category: 'console' | 'stdout' | 'stderr' | 'important',
  text: string,
  where?: { path: string; line: number },
): void => {
  dbg.post({ type: 'output', category, text, ...where });
};
for (const w of setup.warnings) out('stderr', `accel-config: ${w}\n`);
if (setup.configFile)
  out(
    'console',
    `accel-config: ${path.relative(path.dirname(setup.program), setup.configFile) || setup.configFile}\n`,
  );
m.log.subscribe((l) => out('console', formatLogLine(l) + '\n'));
m.onAnomaly((a) =>
  out(
    'console',
    formatLogLine({ t: a.t, level: 'warn', cpu: m.core.currentCpu, text: `⚠ ${a.text}` }) + '\n',
  ),
);
console.log = (...a: unknown[]) => out('stdout', format(...a) + '\n');
console.info = console.log;
console.warn = (...a: unknown[]) => out('stderr', format(...a) + '\n');
console.error = console.warn;

const stops = new InterruptStops(dbg, m, out);
let traced = 0;
m.trace.subscribe((seq) => {
  const ev = m.trace.event(seq)!;
  if (init.traceOutput && traced < TRACE_OUTPUT_LIMIT) {
    traced++;
    const t = (ev.t / 1000).toFixed(3).padStart(10);
    out('console', `[${t} µs] ⚡ ${ev.kind.padEnd(9)} ${ev.path}\n`);
    if (traced === TRACE_OUTPUT_LIMIT)
      out(
        'console',
        `(trace output stops after ${TRACE_OUTPUT_LIMIT} events; the views keep showing the state)\n`,
      );
  }
  if (started && !init.noDebug) stops.traceEvent(ev);
});

m.core.observer = init.noDebug
  ? {}
  : {
      irqEnter: (e, context) => {
        const chip = e.desc.irq_data.chip.name;
        dbg.frames.pushIrq(
          context === 'hardirq'
            ? `irq ${e.irq} vector 0x${e.vector.toString(16)} (${chip})`
            : `irq/${e.irq}-${e.desc.actionName} (thread)`,
          e.cpu,
          e.irq,
          e.vector,
        );
        dbg.moved();
      },
      irqExit: () => {
        dbg.frames.pop();
        dbg.moved();
      },
      handlerEntry: (e, context) => {
        if (context === 'hardirq') stops.handlerEntry(e);
      },
    };

const loader = new ModelLoader(
  path.dirname(setup.program),
  !init.noDebug,
  init.noDebug ? NO_HOOKS : dbg.hooks(),
);
loader.onLoad = (f) => {
  dbg.addTables(f.transform.sites, f.transform.functions, f.transform.scopes);
  const results = dbg.breakpoints.fileLoaded(f.file, f.transform.sites);
  if (results) dbg.post({ type: 'breakpoints', path: f.file, results });
};

try {
  loader.prepare(setup.program);
} catch (e) {
  if (e instanceof ModelSyntaxError) {
    port.postMessage({
      type: 'launchError',
      message: `${path.basename(e.file)}:${e.line}:${e.column + 1}: SyntaxError: ${e.message}`,
      path: e.file,
      line: e.line,
      column: e.column + 1,
    });
  } else {
    port.postMessage({ type: 'launchError', message: e instanceof Error ? e.message : String(e) });
  }
  throw new Error('launch failed', { cause: e });
}

dbg.post({ type: 'ready', files: loader.files.map((f) => f.file) });
dbg.serve(() => started);

installKernelGlobals(setup);
if (init.stopOnEntry && !init.noDebug) dbg.stopAtNextStatement({ reason: 'entry', cpu: 0 });
let exitCode = 0;
const t0 = performance.now();
try {
  const { problems } = runModel(setup, loader);
  if (problems.length > 0) {
    exitCode = 1;
    out('stderr', `interrupt trace: conservation broken:\n  ${problems.join('\n  ')}\n`);
  }
  const t = m.trace.totals;
  out(
    'console',
    `${m.trace.messageCount} messages: ${t.delivered} delivered, ${m.trace.pending} pending, ${t.faulted} faulted, ${t.dropped} dropped; ${(m.clock.now / 1000).toFixed(3)} µs simulated\n`,
  );
} catch (e) {
  exitCode = 1;
  const where = errorLocation(
    e,
    loader.files.map((f) => f.file),
  );
  const text = e instanceof Error ? `${e.name}: ${e.message}` : `Uncaught ${String(e)}`;
  out(
    'stderr',
    `${where ? `${path.basename(where.path)}:${where.line}:${where.column}: ` : ''}${text}\n`,
    where ? { path: where.path, line: where.line } : undefined,
  );
}
dbg.post({ type: 'exited', exitCode, runMs: performance.now() - t0 });
dbg.post({ type: 'terminated' });
dbg.serve(() => false);
