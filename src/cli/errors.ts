/**
 * What the CLI prints when a run cannot start or does not finish, and the exit status it
 * returns. Users' mistakes (a bad option, a missing file, an invalid accel-config file, a model
 * that does not parse or throws) are told in their own terms — the option, the config file's
 * `file:line:col: place: "field"`, the model's `file:line:col` — and never with a stack of
 * ims-debug's own code. Only a failure of ims-debug itself shows its stack.
 */
import { readFileSync } from 'node:fs';
import { OptionError } from '../runtime/setup';
import { AccelConfigError, formatDiagnostic } from '../platform/accel-config';
import { ModelSyntaxError } from '../runtime/instrument/errors';
import type { Palette } from './colour';
import { displayFunction, parseStack, type StackFrame } from './stack';

/** The run finished, the model raised no error and the trace's invariant holds. */
export const EXIT_OK = 0;
/** The model threw or did not parse, or the trace's conservation invariant broke. */
export const EXIT_FAILURE = 1;
/** Bad usage: an unknown or malformed option, a missing file, an invalid config file. */
export const EXIT_USAGE = 2;

/** Lines to print on stderr (no trailing newlines) and the exit status that goes with them. */
export interface Failure {
  lines: string[];
  exitCode: number;
}

/** How the CLI names each of `setupRun`'s options. */
const OPTION_NAMES: Record<string, string> = {
  program: '<model>',
  config: '--config',
  cpus: '--cpus',
  devices: '--devices',
  irUnits: '--ir-units',
};

/**
 * A usage failure for an error thrown while setting a run up (`setupRun`), or undefined when
 * the error is not one of the user's (then it is ims-debug's own).
 * @param show turns an absolute path into the one to print
 */
export function setupFailure(
  err: unknown,
  show: (file: string) => string,
  p: Palette,
): Failure | undefined {
  if (err instanceof OptionError) {
    const option = OPTION_NAMES[err.field] ?? err.field;
    const reason = err.message.slice(err.field.length + 2);
    return { lines: [`${p.red('error:')} ${option}: ${reason}`], exitCode: EXIT_USAGE };
  }
  if (err instanceof AccelConfigError) {
    const errors = err.errors;
    const lines = errors.map((d) => formatDiagnostic({ ...d, file: show(d.file) }));
    const files = [...new Set(errors.map((d) => show(d.file)))].join(', ');
    lines.push(
      `${p.red('error:')} --config: ${files}: ${errors.length} error${errors.length === 1 ? '' : 's'}; the model was not run`,
    );
    return { lines, exitCode: EXIT_USAGE };
  }
  return undefined;
}

/** `   4 | const broken = ;` and a caret under the column (0-based), or [] if unreadable. */
export function codeFrame(file: string, line: number, column0: number): string[] {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8').split(/\r?\n/)[line - 1];
  } catch {
    return [];
  }
  if (text === undefined) return [];
  const gutter = String(line).padStart(5);
  const lead = text.slice(0, column0).replace(/[^\t]/g, ' ');
  return [`${gutter} | ${text}`, `${' '.repeat(gutter.length)} | ${lead}^`];
}

/** How to recognise the model's own frames and the kernel API's in a stack. */
export interface ModelFrames {
  /** Whether a file is one of the model's (its loader transforms it). */
  isModelFile(file: string): boolean;
  /** Names of the kernel API functions the model calls (readl, request_irq, …). */
  kernelNames: ReadonlySet<string>;
  /** The path to print for a file. */
  show(file: string): string;
}

/**
 * The failure for an error the model raised: a syntax error at its `file:line:col` with the
 * line and a caret; an exception at the innermost model frame (`file:line:col: TypeError: …`,
 * or a kernel oops such as `KernelError: BUG: unable to handle page fault …` at the model's call
 * into the kernel) followed by the model's call stack, with kernel API calls between its frames
 * named but ims-debug's internals left out. An error with no model frame at all is
 * ims-debug's own and is shown with its stack.
 */
export function modelFailure(err: unknown, frames: ModelFrames, p: Palette): Failure {
  if (err instanceof ModelSyntaxError) {
    const where = `${frames.show(err.file)}:${err.line}:${err.column + 1}`;
    return {
      lines: [
        `${p.bold(where)}: ${p.red('SyntaxError:')} ${err.message}`,
        ...codeFrame(err.file, err.line, err.column),
      ],
      exitCode: EXIT_FAILURE,
    };
  }
  if (!(err instanceof Error)) {
    return {
      lines: [`${p.red('error:')} the model threw a non-Error value: ${describeValue(err)}`],
      exitCode: EXIT_FAILURE,
    };
  }
  const stack = parseStack(err.stack ?? '');
  const first = stack.find((f) => frames.isModelFile(f.file));
  const headline = `${err.name}: ${err.message}`;
  if (first === undefined) {
    return {
      lines: [
        `${p.red('internal error:')} ims-debug failed (this is a bug in ims-debug, not in the model)`,
        err.stack ?? headline,
      ],
      exitCode: EXIT_FAILURE,
    };
  }
  const where = `${frames.show(first.file)}:${first.line}:${first.column}`;
  return {
    lines: [
      `${p.bold(where)}: ${p.red(`${err.name}:`)} ${err.message}`,
      ...modelStack(stack, frames).map((l) => p.dim(l)),
    ],
    exitCode: EXIT_FAILURE,
  };
}

/**
 * `    at probe (driver.js:7:14)` for the model's frames, and `    at readl (kernel API)` for the
 * kernel call the model made just above them; nothing from below the outermost model frame.
 */
export function modelStack(stack: readonly StackFrame[], frames: ModelFrames): string[] {
  let last = -1;
  stack.forEach((f, i) => {
    if (frames.isModelFile(f.file)) last = i;
  });
  const out: string[] = [];
  let previousKernel = '';
  for (const f of stack.slice(0, last + 1)) {
    if (frames.isModelFile(f.file)) {
      out.push(`    at ${displayFunction(f.fn)} (${frames.show(f.file)}:${f.line}:${f.column})`);
      previousKernel = '';
      continue;
    }
    const name = displayFunction(f.fn);
    if (frames.kernelNames.has(name) && name !== previousKernel) {
      out.push(`    at ${name} (kernel API)`);
      previousKernel = name;
    }
  }
  return out;
}

function describeValue(v: unknown): string {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
