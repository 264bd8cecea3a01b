/**
 * `ims-debug run`: sets a run up from the options, runs the model headless (uninstrumented),
 * streams the kernel log and the interrupt trace as they happen, and ends with the irq domain
 * tree and a summary. Returns the exit status (see errors.ts).
 *
 * Output, by mode:
 * - text (default) — stdout: kernel log lines and event lines as they happen, then the domain
 *   tree the driver built (after module init, before module exit), with `--dump` the
 *   /sys/kernel/debug/irq files as they were at that same moment, and the summary line;
 *   stderr: config warnings (first), errors, and a broken trace invariant's problems.
 * - `--json` — stdout: one JSON object per event line and nothing else; the model's own
 *   `console` output goes to stderr too. stderr: warnings and errors, with `--verbose`
 *   everything the text mode prints except the event lines (kernel log, tree, summary), and
 *   with `--dump` the debugfs files.
 * - `--trace <file>` (either mode) — the timeline file once the run is over (even when the
 *   model threw: the trace up to there); stderr says where it went, and warns when the trace
 *   ring overwrote events.
 */
import { statSync } from 'node:fs';
import { Console } from 'node:console';
import path from 'node:path';
import { setupRun, type RunSetup } from '../runtime/setup';
import { ModelLoader } from '../runtime/loader';
import { installKernelGlobals, runModel } from '../runtime/model-run';
import { ModelSyntaxError } from '../runtime/instrument/errors';
import { buildSnapshot } from '../platform/snapshot/build';
import type { PlatformSnapshot } from '../platform/snapshot/types';
import { allFiles, debugfsSource, type DebugfsFile } from '../platform/debugfs';
import type { Palette } from './colour';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  modelFailure,
  setupFailure,
  type Failure,
} from './errors';
import { renderEventLine, renderLogLine } from './render-text';
import { renderJsonEvent } from './render-json';
import { renderDomainTree } from './render-tree';
import { renderSummary } from './render-summary';
import { renderDebugfsDump } from './render-debugfs';
import { writeTraceFile } from './trace-file';

/** The options of `ims-debug run`. */
export interface RunRequest {
  /** The driver model's path. */
  model: string;
  /** accel-config file; default `accel-config.conf` beside the model, when it exists. */
  config?: string | undefined;
  /** CPUs (1..64); default 4. */
  cpus?: number | undefined;
  /** DSA devices and IR units (see setupRun). */
  devices?: number | undefined;
  irUnits?: number | undefined;
  /** Model the VT-d fault event interrupt (`--dmar-fault-irq`). */
  dmarFaultInterrupt?: boolean | undefined;
  json: boolean;
  verbose: boolean;
  /** Print every /sys/kernel/debug/irq file as module init left the machine. */
  dump: boolean;
  /** Write the run's interrupt timeline here (Chrome/Perfetto trace events) when it is over. */
  trace?: string | undefined;
}

/** Where the run writes: a line at a time (no trailing newline), each with its palette. */
export interface Terminal {
  out: Sink;
  err: Sink;
  /** The model's console in `--json` mode (stdout must carry JSON only). */
  errStream: NodeJS.WritableStream;
}

export interface Sink {
  write(line: string): void;
  readonly style: Palette;
}

/** `examples/x/driver.js` for a file below the working directory, else the absolute path. */
export function showPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Runs `req`, writing to `term`; returns the exit status. */
export function runCommand(req: RunRequest, term: Terminal): number {
  const usage = checkPaths(req, term.err.style);
  if (usage) return report(usage, term.err);

  let setup: RunSetup;
  try {
    setup = setupRun({
      program: req.model,
      config: req.config,
      cpus: req.cpus,
      devices: req.devices,
      irUnits: req.irUnits,
      dmarFaultInterrupt: req.dmarFaultInterrupt,
    });
  } catch (err) {
    const failure = setupFailure(err, showPath, term.err.style);
    if (failure === undefined) throw err;
    return report(failure, term.err);
  }
  const configFile = setup.configFile;
  for (const w of setup.warnings)
    term.err.write(configFile !== null ? w.replace(configFile, showPath(configFile)) : w);

  const human: Sink | null = req.json ? (req.verbose ? term.err : null) : term.out;
  // The irqs the kernel set up at boot (DMAR-MSI's) are not the driver's to free.
  const bootIrqs = new Set([...setup.machine.core.descs.values()].map((d) => d.irq));
  stream(setup, req, term, human);
  let afterInit: AfterInit | undefined;
  const outcome = runHeadless(setup, req.json ? term.errStream : null, term.err.style, () => {
    afterInit = {
      snap: buildSnapshot(setup.machine),
      exits: setup.ctx.exitCalls.length,
      debugfs: req.dump ? allFiles(debugfsSource(setup.machine)) : [],
    };
  });
  // The dump shows the machine as the tree does: after module init, or where the model stopped.
  const dump =
    req.dump && outcome.started
      ? renderDebugfsDump(afterInit?.debugfs ?? allFiles(debugfsSource(setup.machine)))
      : [];
  if (human && outcome.started)
    for (const l of ending(setup, afterInit, bootIrqs, req.verbose, human.style, dump))
      human.write(l);
  else if (dump.length > 0) for (const l of dump) term.err.write(l);
  const traced =
    req.trace === undefined || writeTraceFile(setup.machine, req.trace, term.err, showPath);
  if (outcome.failure) return report(outcome.failure, term.err);
  if (outcome.problems.length > 0) {
    const p = term.err.style;
    term.err.write(`${p.red('error:')} the interrupt trace's conservation invariant is broken:`);
    for (const problem of outcome.problems) term.err.write(`  ${problem}`);
    return EXIT_FAILURE;
  }
  return traced ? EXIT_OK : EXIT_FAILURE;
}

/**
 * The machine as module init left it, how many module exit calls were then registered, and
 * (with `--dump`) its debugfs files.
 */
interface AfterInit {
  snap: PlatformSnapshot;
  exits: number;
  debugfs: DebugfsFile[];
}

/** Streams the kernel log (to `human`, if any) and the trace events (to stdout) as they happen. */
function stream(setup: RunSetup, req: RunRequest, term: Terminal, human: Sink | null): void {
  const m = setup.machine;
  if (human) {
    for (const l of m.log.lines) human.write(renderLogLine(l, human.style));
    m.log.subscribe((l) => human.write(renderLogLine(l, human.style)));
    m.onAnomaly((a) =>
      human.write(
        renderLogLine(
          { t: a.t, level: 'warn', cpu: m.core.currentCpu, text: `⚠ ${a.text}` },
          human.style,
        ),
      ),
    );
  }
  m.trace.subscribe((seq) => {
    const ev = m.trace.event(seq);
    if (ev === undefined) return;
    if (req.json) term.out.write(renderJsonEvent(ev));
    else term.out.write(renderEventLine(ev, term.out.style, req.verbose));
  });
}

interface HeadlessOutcome {
  /** The model's error, told in its terms. */
  failure: Failure | undefined;
  /** Conservation problems of the trace (checked when the model finished). */
  problems: string[];
  /** Whether any model code ran (false for a syntax error in the main file). */
  started: boolean;
}

/**
 * Runs the model's whole life uninstrumented, its console pointed at `modelConsole` when given.
 */
function runHeadless(
  setup: RunSetup,
  modelConsole: NodeJS.WritableStream | null,
  p: Palette,
  afterInit: () => void,
): HeadlessOutcome {
  const loader = new ModelLoader(path.dirname(setup.program), false);
  const restoreConsole = modelConsole ? redirectConsole(modelConsole) : () => undefined;
  try {
    installKernelGlobals(setup);
    return {
      failure: undefined,
      problems: runModel(setup, loader, afterInit).problems,
      started: true,
    };
  } catch (err) {
    const frames = {
      isModelFile: (f: string) => loader.files.some((x) => x.file === f) || loader.isModelFile(f),
      kernelNames: new Set(Object.keys(setup.api)),
      show: showPath,
    };
    return {
      failure: modelFailure(err, frames, p),
      problems: [],
      started: !(err instanceof ModelSyntaxError && loader.files.length === 0),
    };
  } finally {
    restoreConsole();
  }
}

/**
 * The closing lines: the domain tree as module init left it (or as the model left it when it
 * failed before the end of init), irqs a module exit did not free (not counting `bootIrqs`),
 * the `--dump` lines (if any) and the summary.
 */
function ending(
  setup: RunSetup,
  afterInit: AfterInit | undefined,
  bootIrqs: ReadonlySet<number>,
  verbose: boolean,
  p: Palette,
  dump: readonly string[],
): string[] {
  const m = setup.machine;
  const end = buildSnapshot(m);
  const out = [
    '',
    p.bold(afterInit ? 'irq domains after module init:' : 'irq domains when the model stopped:'),
  ];
  out.push(...renderDomainTree(afterInit?.snap ?? end, p, { all: verbose }));
  const kept = end.irqs.filter((q) => !bootIrqs.has(q.irq));
  if (afterInit && afterInit.exits > 0 && kept.length > 0) {
    const left = kept.map((q) => `${q.irq} (${q.domain}${q.action ? `, ${q.action}` : ''})`);
    out.push(p.yellow(`after module exit, irqs still allocated: ${left.join(', ')}`));
  }
  if (dump.length > 0) out.push('', ...dump);
  const summary = {
    messages: m.trace.messageCount,
    totals: m.trace.totals,
    stillPending: m.trace.pending,
    t: m.clock.now,
  };
  out.push('', renderSummary(summary, p));
  return out;
}

/** The model and the config file must exist and be files; named as the user gave them. */
function checkPaths(req: RunRequest, p: Palette): Failure | undefined {
  const notFile = (option: string, file: string): Failure | undefined => {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st?.isFile() === true) return undefined;
    const what = st === undefined ? 'no such file' : 'not a file';
    return { lines: [`${p.red('error:')} ${option}: ${what}: ${file}`], exitCode: EXIT_USAGE };
  };
  return (
    (req.model === '' ? undefined : notFile('<model>', req.model)) ??
    (req.config === undefined || req.config === '' ? undefined : notFile('--config', req.config))
  );
}

function report(f: Failure, sink: Sink): number {
  for (const l of f.lines) sink.write(l);
  return f.exitCode;
}

/** Points the global console (the model's) at `stream`; returns the function that undoes it. */
function redirectConsole(stream: NodeJS.WritableStream): () => void {
  const saved = globalThis.console;
  globalThis.console = new Console({ stdout: stream, stderr: stream });
  return () => {
    globalThis.console = saved;
  };
}
