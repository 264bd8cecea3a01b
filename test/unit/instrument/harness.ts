// A reference runtime for instrumented models: plain functions that record what the
// generated code calls, plus helpers to run a model with and without instrumentation.

import { compileFunction } from 'node:vm';
import {
  transformModel,
  type TransformOptions,
  type TransformResult,
} from '../../../src/runtime/instrument';

/** A frame as the reference runtime hands it out from `enter`. */
export interface Frame {
  fid: number;
  /** Scope closures by depth, written by the generated code. */
  s: ((expression: string) => unknown)[];
  /** Stack index of this frame. */
  index: number;
}

/** One report of an exception that no model `try` will catch. */
export interface Uncaught {
  error: unknown;
  site: number;
  fids: number[];
  tryDepth: number;
}

/** Records hook calls and keeps a frame stack, as the real runtime would. */
export class ReferenceRuntime {
  readonly stack: Frame[] = [];
  readonly hits: number[] = [];
  readonly uncaught: Uncaught[] = [];
  readonly throws: { error: unknown; fid: number; tryDepth: number }[] = [];
  tryDepth = 0;
  lastSite = -1;
  /** Frames beyond this many make `enter` throw a RangeError. */
  maxDepth = 200;
  /** Called at every hook, after it is recorded. */
  onHook: ((site: number) => void) | undefined;
  private readonly reported = new Set<unknown>();

  readonly h = (site: number): void => {
    this.hits.push(site);
    this.lastSite = site;
    this.onHook?.(site);
  };

  readonly enter = (fid: number): Frame => {
    if (this.stack.length >= this.maxDepth) {
      throw new RangeError('Maximum call stack size exceeded (model)');
    }
    const frame: Frame = { fid, s: [], index: this.stack.length };
    this.stack.push(frame);
    return frame;
  };

  readonly leave = (frame: Frame): void => {
    // Truncating to the frame's index also repairs the stack if a leave was ever missed.
    this.stack.length = frame.index;
  };

  readonly throw = (error: unknown, frame: Frame): void => {
    this.throws.push({ error, fid: frame.fid, tryDepth: this.tryDepth });
    if (this.tryDepth === 0 && !this.reported.has(error)) {
      this.reported.add(error);
      this.uncaught.push({
        error,
        site: this.lastSite,
        fids: this.stack.map((f) => f.fid),
        tryDepth: this.tryDepth,
      });
    }
  };

  readonly t = (delta: number): void => {
    this.tryDepth += delta;
  };

  /** The innermost frame. */
  top(): Frame {
    const f = this.stack[this.stack.length - 1];
    if (!f) throw new Error('no frame');
    return f;
  }
}

/** What a model run produced. */
export interface RunOutcome {
  log: unknown[];
  exports: unknown;
  error?: string;
}

const HOOK_PARAMS = ['__h', '__enter', '__leave', '__throw', '__t'];

/**
 * Runs CommonJS code the way Module._compile does (`vm.compileFunction` of exports,
 * require, module), with `log` and the hooks of `rt` as further parameters. A `log` argument that
 * is a function is called with no arguments and its result logged.
 */
export function runCode(
  code: string,
  rt: ReferenceRuntime | null,
  extra: Record<string, unknown> = {},
): RunOutcome {
  const log: unknown[] = [];
  const module = { exports: {} as unknown };
  const names = ['exports', 'require', 'module', 'log', ...HOOK_PARAMS, ...Object.keys(extra)];
  const hooks = rt ? [rt.h, rt.enter, rt.leave, rt.throw, rt.t] : HOOK_PARAMS.map(() => undefined);
  const fn = compileFunction(code, names, { filename: 'model.js' }) as (
    ...args: unknown[]
  ) => unknown;
  const require = (id: string): unknown => {
    if (id === './dep' || id === 'dep')
      return { __esModule: true, value: 42, default: 'dflt', twice: (x: number) => 2 * x };
    throw new Error(`cannot require ${id}`);
  };
  try {
    fn(
      module.exports,
      require,
      module,
      (v: unknown) => log.push(v),
      ...hooks,
      ...Object.values(extra),
    );
  } catch (err) {
    return { log, exports: module.exports, error: describe(err) };
  }
  return { log, exports: module.exports };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : `thrown ${String(err)}`;
}

/** Transform + run, instrumented with a fresh reference runtime. */
export function runInstrumented(
  source: string,
  file = 'model.js',
  options: TransformOptions = {},
  setup?: (rt: ReferenceRuntime, result: TransformResult) => void,
): { outcome: RunOutcome; rt: ReferenceRuntime; result: TransformResult } {
  const result = transformModel(source, file, options);
  const rt = new ReferenceRuntime();
  setup?.(rt, result);
  const outcome = runCode(result.code, rt);
  return { outcome, rt, result };
}

/** Transform without instrumentation + run. */
export function runPlain(source: string, file = 'model.js'): RunOutcome {
  return runCode(transformModel(source, file, { instrument: false }).code, null);
}

/** Number of lines of a text. */
export function lineCount(text: string): number {
  return text.split('\n').length;
}

/** JSON-comparable snapshot of an outcome (functions and undefined made visible). */
export function snapshot(outcome: RunOutcome): string {
  return JSON.stringify(outcome, (_k, v: unknown) =>
    typeof v === 'function'
      ? `[fn ${(v as { name: string }).name}]`
      : v === undefined
        ? '<undef>'
        : v,
  );
}
