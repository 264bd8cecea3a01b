/**
 * The requests a stopped model serves: stacks per CPU, scopes (locals through the instrumented
 * scope closures, then the platform scopes), variables, evaluate, completions, breakpoints,
 * exception filters and the platform snapshot; setVariable/setExpression (locals through the
 * scope closures, registers through the MMIO path), readMemory/writeMemory, data breakpoints
 * and the SVD of the machine's registers.
 */
import path from 'node:path';
import type { Machine } from '../../platform/machine/machine';
import { buildSnapshot } from '../../platform/snapshot/build';
import { debugfsCommand } from '../../platform/debugfs';
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
import { machineSvd } from '../../platform/svd';
import { machineChromeTrace } from '../../platform/chrome-trace';
import { deviceLayouts, formatTarget, labelOf, targetAddress, writeTarget } from './reg-targets';
import { memberExpression } from './debug-variables';
import { readMemory, writeMemory } from './memory-requests';
import { DataBreakpoints } from './data-breakpoints';
import { ViewRequests } from './view-requests';
import type { IoLog } from './io-log';
import { frameLocals, inlineValues } from './inline-values';
import { completions } from './completions';
import { evaluateSideEffectFree } from './side-effects';
import { scopeNames, visibleNames } from './scope-names';

export interface RequestContext {
  dbg: WorkerDebugger;
  machine: Machine;
  /** Names of the kernel API (for completions). */
  apiNames: readonly string[];
  /** What the model's kernel calls did, by statement (for inline values). */
  io: IoLog;
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
  // Where each DSA's registers live (BAR addresses and layouts are fixed for a run).
  const devices = deviceLayouts(machine);
  const views = new ViewRequests(
    machine,
    () => dbg.stopSeq,
    devices,
    (ev) => dbg.post(ev),
    (e) => dbg.logEffect(e),
  );
  const dataBps = new DataBreakpoints(dbg, machine, (text) =>
    dbg.post({ type: 'output', category: 'stderr', text }),
  );
  /** Assigns `value` (a JavaScript expression) to `lvalue` in `frame`; returns the new value. */
  const assign = (frame: ModelFrame, lvalue: string, value: string): unknown => {
    dbg.evaluateIn(frame, `${lvalue} = (${value})`);
    snap = undefined; // the model may have written registers (a setter) — views re-read
    return dbg.evaluateIn(frame, lvalue);
  };
  /** An address typed by the user: a number literal, else an expression in the frame. */
  const addressOf = (text: string, frameId: number | undefined): number => {
    const t = text.trim();
    const v: unknown = /^(0x[0-9a-f]+|\d+)n?$/i.test(t)
      ? BigInt(t.replace(/n$/i, ''))
      : dbg.evaluateIn(frameId === undefined ? dbg.frames.innermostModel() : frameById(frameId), t);
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      throw new Error(`${text} is not a physical address`);
    return n;
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
    threads: () =>
      machine.cpus.map((c) => ({
        id: c.id + 1,
        name: `CPU ${c.id}${c.online ? '' : ' (offline)'}`,
      })),
    stackTrace: ({ cpu }) => stackOf(dbg, cpu),
    scopes: ({ frameId }) => {
      const f = frameById(frameId);
      const scopes: RuntimeScope[] = [];
      if (f.kind === 'model')
        scopes.push({
          name: 'Locals',
          hint: 'locals',
          expensive: false,
          variablesReference: dbg.vars.addLocals(f, () => locals(dbg, f)),
        });
      return [...scopes, ...platformScopes(dbg.vars, machine, f.cpu, devices)];
    },
    variables: ({ variablesReference, filter, start, count }) =>
      dbg.vars.get(variablesReference, filter, start, count),
    evaluate: ({ expression, frameId, hex, context }) => {
      // The console may change the run (debugfs writes too): a replay repeats it here.
      if (context === 'repl') dbg.logEffect({ kind: 'evaluate', expression, frameId });
      // `cat /sys/kernel/debug/irq/…`, `ls …`, `debugfs <path>` read the emulated debugfs.
      const debugfs = context === 'repl' ? debugfsCommand(machine, expression) : undefined;
      if (debugfs !== undefined) {
        snap = undefined; // `echo trigger > …/irqs/<n>` injects an interrupt
        return { result: debugfs, variablesReference: 0 };
      }
      const f = frameId === undefined ? dbg.frames.innermostModel() : frameById(frameId);
      // A hover evaluates only what cannot change the model (no calls, assignments, model getters).
      const value =
        context === 'hover'
          ? evaluateSideEffectFree(expression, (e) => dbg.evaluateIn(f, e))
          : dbg.evaluateIn(f, expression);
      if (context === 'repl') snap = undefined;
      const v = dbg.vars.within(f?.kind === 'model' ? f : undefined, () =>
        dbg.vars.variable('', value, hex ?? false, expression),
      );
      return {
        result: v.value,
        type: v.type,
        variablesReference: v.variablesReference,
        indexedVariables: v.indexedVariables,
        namedVariables: v.namedVariables,
        memoryReference: v.memoryReference,
      };
    },
    completions: ({ text, column, line, frameId }) => {
      const f =
        frameId === undefined ? dbg.frames.innermostModel() : dbg.frames.frames[frameId - 1];
      const model = f?.kind === 'model' ? f : undefined;
      return completions(text, column, line, {
        names: model ? visibleNames(dbg, model) : [],
        evaluate: (e) => dbg.evaluateIn(model, e),
        apiNames: ctx.apiNames,
      });
    },
    inlineValues: ({ path: file, startLine, endLine, frameId }) => ({
      items: inlineValues(
        {
          dbg,
          machine,
          devices,
          log: ctx.io,
          irq: (n) => snapshot().irqs.find((i) => i.irq === n),
        },
        file,
        startLine,
        endLine,
      ),
      frame: frameLocals(
        dbg,
        frameId === undefined ? undefined : dbg.frames.frames[frameId - 1],
        file,
      ),
    }),
    setBreakpoints: ({ path: file, breakpoints }) => {
      dbg.breakpointsSet(`file ${file}`, breakpoints);
      return dbg.breakpoints.set(file, breakpoints);
    },
    setExceptionFilters: ({ filters }) => {
      dbg.breakpointsSet('filters', filters);
      return dbg.filters.set(filters);
    },
    setFunctionBreakpoints: ({ breakpoints }) => {
      dbg.breakpointsSet('functions', breakpoints);
      return dbg.functionBps.set(breakpoints);
    },
    exceptionInfo: () => {
      const s = dbg.lastStop;
      if (s?.reason !== 'exception') throw new Error('the model is not stopped on an exception');
      return {
        exceptionId: s.filterId ?? 'uncaught',
        description: s.description ?? '',
        breakMode: s.filterId === 'uncaught' ? 'unhandled' : 'always',
      };
    },
    snapshot: (args) => views.snapshot(args),
    page: (req) => views.page(req),
    maskEntry: (args) => views.maskEntry(args),
    inject: (args) => views.inject(args),
    exportState: (args) => views.exportState(args),
    setVariable: ({ variablesReference, name, value, hex }) => {
      const target = dbg.vars.targetOf(variablesReference, name);
      if (target !== undefined) {
        const wrote = writeTarget(machine, target, value);
        dbg.logEffect({ kind: 'register', target, value });
        snap = undefined;
        dbg.post({
          type: 'output',
          category: 'console',
          text: `ims-debug: ${labelOf(target)}: ${wrote}\n`,
        });
        const address = targetAddress(machine, target.target);
        return {
          value: formatTarget(machine, target),
          memoryReference: address === undefined ? undefined : `0x${address.toString(16)}`,
          changed: address === undefined ? null : changedRange(machine, address, 16),
        };
      }
      const owner = dbg.vars.ownerOf(variablesReference);
      if (owner === undefined || !owner.members) throw new Error(`${name} cannot be changed here`);
      if (owner.base === undefined && (name === 'this' || !/^[A-Za-z_$][\w$]*$/.test(name)))
        throw new Error(`${name} cannot be assigned`);
      const lvalue = owner.base === undefined ? name : memberExpression(owner.base, name);
      dbg.logEffect({ kind: 'assign', lvalue, value, frameId: owner.frame.index + 1 });
      const next = assign(owner.frame, lvalue, value);
      const v = dbg.vars.within(owner.frame, () =>
        dbg.vars.variable(name, next, hex ?? false, lvalue),
      );
      return {
        value: v.value,
        type: v.type,
        variablesReference: v.variablesReference,
        indexedVariables: v.indexedVariables,
        namedVariables: v.namedVariables,
        memoryReference: v.memoryReference,
      };
    },
    setExpression: ({ expression, value, frameId, hex }) => {
      const f = frameId === undefined ? dbg.frames.innermostModel() : frameById(frameId);
      if (f?.kind !== 'model') throw new Error('setExpression: no model frame to assign in');
      dbg.logEffect({ kind: 'assign', lvalue: expression, value, frameId: f.index + 1 });
      const next = assign(f, `(${expression})`, value);
      const v = dbg.vars.within(f, () => dbg.vars.variable('', next, hex ?? false, expression));
      return {
        value: v.value,
        type: v.type,
        variablesReference: v.variablesReference,
        indexedVariables: v.indexedVariables,
        namedVariables: v.namedVariables,
        memoryReference: v.memoryReference,
      };
    },
    readMemory: ({ address, count }) => readMemory(machine.memory, address, count),
    writeMemory: ({ address, data, allowPartial }) => {
      dbg.logEffect({ kind: 'writeMemory', address, data, allowPartial });
      const r = writeMemory(machine.memory, address, data, allowPartial);
      snap = undefined;
      return { ...r, changed: changedRange(machine, address, r.bytesWritten) };
    },
    dataBreakpointInfo: ({ variablesReference, name, frameId, bytes, asAddress }) => {
      if (asAddress === true)
        return dataBps.info(dataBps.targetOfAddress(addressOf(name, frameId), bytes ?? 4));
      if (variablesReference !== undefined) {
        const target = dbg.vars.targetOf(variablesReference, name);
        if (target !== undefined) return dataBps.info(dataBps.targetOfRegister(target));
        const owner = dbg.vars.ownerOf(variablesReference);
        if (owner === undefined || !owner.members) return dataBps.info(`${name} cannot be watched`);
        const lvalue = owner.base === undefined ? name : memberExpression(owner.base, name);
        return dataBps.info(dataBps.targetOfValue(lvalue, dbg.evaluateIn(owner.frame, lvalue)));
      }
      const f = frameId === undefined ? dbg.frames.innermostModel() : frameById(frameId);
      return dataBps.info(dataBps.targetOfValue(name, dbg.evaluateIn(f, name)));
    },
    setDataBreakpoints: ({ breakpoints }) => {
      dbg.breakpointsSet('data', breakpoints);
      return dataBps.set(breakpoints);
    },
    svd: () => machineSvd(machine),
    trace: () => machineChromeTrace(machine),
    terminate: () => process.exit(0),
    replay: (plan) => {
      dbg.beginReplay(plan);
      ctx.start();
    },
    travelTarget: ({ kind }) => dbg.travelTarget(kind),
  };
  return (msg) => {
    const h = handlers[msg.command] as (a: unknown) => unknown;
    const result = h(msg.args);
    // A write from the debugger starts a new generation of the views' snapshot and pages.
    if (
      WRITING_COMMANDS.has(msg.command) ||
      (msg.command === 'evaluate' && (msg.args as RequestMap['evaluate']).context === 'repl')
    )
      views.changed();
    return result;
  };
}

/** Requests that change the machine while it is stopped (a console evaluate does too). */
const WRITING_COMMANDS: ReadonlySet<string> = new Set([
  'setVariable',
  'setExpression',
  'writeMemory',
]);

/**
 * The bytes a write may have changed, for memory events: the written range, widened to the
 * whole MMIO range (BAR) it touches — a register write's side effects stay in its device.
 */
function changedRange(
  m: Machine,
  address: number,
  size: number,
): { address: number; size: number } {
  let lo = address;
  let hi = address + size;
  for (const a of [address, address + Math.max(size, 1) - 1]) {
    const r = m.memory.mmioAt(a);
    if (r !== undefined) {
      lo = Math.min(lo, r.base);
      hi = Math.max(hi, r.base + r.size);
    }
  }
  return { address: lo, size: hi - lo };
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
  const out: RuntimeVariable[] = [];
  for (const name of scopeNames(dbg, f)) {
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
  try {
    const self = dbg.evaluateIn(f, 'this');
    if (self !== undefined && self !== globalThis)
      out.push(dbg.vars.variable('this', self, false, 'this'));
  } catch {
    // `this` before super() in a derived constructor
  }
  return out;
}
