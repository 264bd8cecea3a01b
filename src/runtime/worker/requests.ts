/**
 * The requests a stopped model serves: stacks per CPU, scopes (locals through the instrumented
 * scope closures, then the platform scopes), variables, evaluate, completions, breakpoints,
 * exception filters and the platform snapshot.
 */
import path from 'node:path';
import type { Machine } from '../../platform/machine/machine';
import { buildSnapshot } from '../../platform/snapshot/build';
import type { PlatformSnapshot } from '../../platform/snapshot/types';
import type {
  RequestMap,
  RequestMessage,
  RuntimeFrame,
  RuntimeScope,
  RuntimeVariable,
} from '../protocol';
import type { ModelFrame } from './frames';
import { UNINITIALIZED, type WorkerDebugger } from './debugger';
import { platformScopes } from './platform-vars';

export interface RequestContext {
  dbg: WorkerDebugger;
  machine: Machine;
  /** Names of the kernel API (for completions). */
  apiNames: readonly string[];
  /** Called for `start` (the model may run). */
  start: () => void;
}

export function requestHandler(ctx: RequestContext): (msg: RequestMessage) => unknown {
  const { dbg, machine } = ctx;
  // One snapshot per stop — rebuilt after a console evaluate, which may change the platform.
  let snap: { seq: number; value: PlatformSnapshot } | undefined;
  const snapshot = (): PlatformSnapshot => {
    if (snap?.seq !== dbg.stopSeq)
      snap = { seq: dbg.stopSeq, value: buildSnapshot(machine, { seq: dbg.stopSeq }) };
    return snap.value;
  };
  const frameById = (id: number) => {
    const f = dbg.frames.frames[id - 1];
    if (f === undefined) throw new Error(`no frame ${id} (the model has run since)`);
    return f;
  };
  const handlers: { [C in keyof RequestMap]: (args: RequestMap[C]) => unknown } = {
    start: () => {
      ctx.start();
    },
    continue: () => {
      dbg.resume('continue');
    },
    next: () => {
      dbg.resume('over');
    },
    stepIn: () => {
      dbg.resume('in');
    },
    stepOut: () => {
      dbg.resume('out');
    },
    threads: () => machine.cpus.map((c) => ({ id: c.id + 1, name: `CPU ${c.id}` })),
    stackTrace: ({ cpu }) => stackOf(dbg, cpu),
    scopes: ({ frameId }) => {
      const f = frameById(frameId);
      const scopes: RuntimeScope[] = [];
      if (f.kind === 'model')
        scopes.push({
          name: 'Locals',
          hint: 'locals',
          expensive: false,
          variablesReference: dbg.vars.add(() => locals(dbg, f)),
        });
      return [...scopes, ...platformScopes(dbg.vars, snapshot, f.cpu)];
    },
    variables: ({ variablesReference, filter, start, count }) =>
      dbg.vars.get(variablesReference, filter, start, count),
    evaluate: ({ expression, frameId, hex, context }) => {
      const f = frameId === undefined ? dbg.frames.innermostModel() : frameById(frameId);
      const value = dbg.evaluateIn(f, expression);
      if (context === 'repl') snap = undefined;
      const v = dbg.vars.variable('', value, hex ?? false, expression);
      return {
        result: v.value,
        type: v.type,
        variablesReference: v.variablesReference,
        indexedVariables: v.indexedVariables,
        namedVariables: v.namedVariables,
      };
    },
    completions: ({ text, column, frameId }) => {
      const prefix = /[A-Za-z_$][\w$]*$/.exec(text.slice(0, column - 1))?.[0] ?? '';
      const f = frameId === undefined ? undefined : dbg.frames.frames[frameId - 1];
      const names = new Set<string>(f?.kind === 'model' ? locals(dbg, f).map((v) => v.name) : []);
      for (const n of ctx.apiNames) names.add(n);
      return [...names]
        .filter((n) => n.startsWith(prefix))
        .sort()
        .slice(0, 200)
        .map((label) => ({ label, length: prefix.length }));
    },
    setBreakpoints: ({ path: file, breakpoints }) => dbg.breakpoints.set(file, breakpoints),
    setExceptionFilters: ({ filters }) => dbg.filters.set(filters),
    setFunctionBreakpoints: ({ breakpoints }) => dbg.functionBps.set(breakpoints),
    exceptionInfo: () => {
      const s = dbg.lastStop;
      if (s?.reason !== 'exception') throw new Error('the model is not stopped on an exception');
      return {
        exceptionId: s.filterId ?? 'uncaught',
        description: s.description ?? '',
        breakMode: s.filterId === 'uncaught' ? 'unhandled' : 'always',
      };
    },
    snapshot: () => snapshot(),
    terminate: () => process.exit(0),
  };
  return (msg) => {
    const h = handlers[msg.command] as (a: unknown) => unknown;
    return h(msg.args);
  };
}

/** The frames of `cpu`, innermost first (an idle CPU shows one `do_idle` frame). */
function stackOf(dbg: WorkerDebugger, cpu: number): RuntimeFrame[] {
  const out: RuntimeFrame[] = dbg.frames.ofCpu(cpu).map((f): RuntimeFrame => {
    const id = f.index + 1;
    if (f.kind !== 'model')
      return {
        id,
        name: f.kind === 'kernel' ? `${f.name} [kernel]` : f.name,
        line: 0,
        column: 0,
        kind: f.kind,
      };
    const fn = dbg.functions[f.fid];
    const site = dbg.sites[f.site];
    const frame: RuntimeFrame = {
      id,
      name: fn?.name ?? '<unknown>',
      line: site?.line ?? fn?.line ?? 0,
      column: (site?.column ?? fn?.column ?? 0) + 1,
      kind: 'model',
    };
    if (fn) frame.source = { path: fn.file, name: path.basename(fn.file) };
    return frame;
  });
  if (out.length === 0)
    out.push({ id: 0, name: `do_idle [CPU ${cpu} idle]`, line: 0, column: 0, kind: 'idle' });
  return out;
}

/** The locals at a model frame's current statement, innermost scope first, `this` last. */
function locals(dbg: WorkerDebugger, f: ModelFrame): RuntimeVariable[] {
  const site = dbg.sites[f.site];
  const seen = new Set<string>();
  const out: RuntimeVariable[] = [];
  for (
    let sc = site && site.scope >= 0 ? dbg.scopes[site.scope] : undefined;
    sc;
    sc = sc.parent >= 0 ? dbg.scopes[sc.parent] : undefined
  ) {
    const closure = f.s[sc.depth];
    if (!closure) continue;
    for (const name of sc.names) {
      if (seen.has(name)) continue;
      seen.add(name);
      let value: unknown;
      try {
        value = dbg.evaluateIn(f, name);
      } catch (e) {
        value = e instanceof ReferenceError ? UNINITIALIZED : e;
      }
      out.push(
        value === UNINITIALIZED
          ? { name, value: '<uninitialized>', variablesReference: 0 }
          : dbg.vars.variable(name, value, false, name),
      );
    }
  }
  try {
    const self = dbg.evaluateIn(f, 'this');
    if (self !== undefined && self !== globalThis)
      out.push(dbg.vars.variable('this', self, false, 'this'));
  } catch {
    // `this` before super() in a derived constructor
  }
  return out;
}
