/**
 * The protocol between the debugger (main thread) and the model worker.
 *
 * Control words live in a SharedArrayBuffer: the statement hook reads CTRL with a plain load on
 * its fast path; the main thread sets bits with Atomics and rings DOORBELL (Atomics.notify) after
 * each message so that a paused worker — blocked in Atomics.wait — wakes and drains its port
 * with receiveMessageOnPort. Breakpoint bytes (one per site) are written by the worker.
 */

import type { PageRequest } from '../platform/snapshot/pages';

import type { LoggedEffect, Position } from './replay-log';

/** Int32 indices in the control buffer. */
export const CTRL = 0;
export const DOORBELL = 1;
export const CTRL_WORDS = 2;

/** CTRL bits (set by the main thread). */
export const CTRL_PAUSE = 1;
export const CTRL_MESSAGE = 2;

/** Sites a run may have (one breakpoint byte each). */
export const MAX_SITES = 1 << 20;

/** How the worker is started (workerData). */
export interface WorkerInit {
  program: string;
  config?: string | undefined;
  cpus?: number | undefined;
  devices?: number | undefined;
  irUnits?: number | undefined;
  dmarFaultInterrupt?: boolean | undefined;
  noDebug: boolean;
  stopOnEntry: boolean;
  traceOutput: boolean;
  ctrl: SharedArrayBuffer;
  breakpoints: SharedArrayBuffer;
}

// ---- runtime-native shapes (the adapter maps them to DAP) ----

export type StopReason =
  | 'entry'
  | 'step'
  | 'breakpoint'
  | 'pause'
  | 'exception'
  | 'function breakpoint'
  | 'data breakpoint';

export interface StopInfo {
  reason: StopReason;
  /** CPU whose code stopped. */
  cpu: number;
  description?: string;
  /** Short text: exception name or filter label. */
  text?: string;
  /** Breakpoint ids hit. */
  hitBreakpointIds?: number[];
  /** For exceptions: the filter id that matched (uncaught, interrupt, remapFault, maskedMessage). */
  filterId?: string;
}

export interface SourceRef {
  path: string;
  name: string;
}

export interface RuntimeFrame {
  id: number;
  name: string;
  source?: SourceRef;
  line: number;
  column: number;
  /** kernel = a kernel API call; irq = interrupt entry; idle = a CPU with nothing to run. */
  kind: 'model' | 'kernel' | 'irq' | 'idle';
}

export interface RuntimeScope {
  name: string;
  variablesReference: number;
  expensive: boolean;
  /** 'locals' | 'registers' for DAP's presentationHint. */
  hint?: 'locals' | 'registers';
  /** Children paged as DAP's indexed variables (a long list), and named ones besides. */
  indexedVariables?: number;
  namedVariables?: number;
}

export interface RuntimeVariable {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
  indexedVariables?: number;
  namedVariables?: number;
  evaluateName?: string;
  /** Register-like value (the views and DAP hint it as such). */
  register?: boolean;
  /** A register or field that setVariable writes (through the MMIO path); others are read-only. */
  editable?: boolean;
  /** Physical address of the bytes behind the value (`0x…`), for readMemory and memory views. */
  memoryReference?: string;
}

/** A data breakpoint as the adapter sends it (dataId from dataBreakpointInfo). */
export interface DataBreakpointSpec {
  id: number;
  dataId: string;
  accessType?: 'read' | 'write' | 'readWrite' | undefined;
  condition?: string | undefined;
  hitCondition?: string | undefined;
}

/** dataBreakpointInfo's answer: a dataId, or null with the reason in `description`. */
export interface DataBreakpointInfo {
  dataId: string | null;
  description: string;
  accessTypes?: ('read' | 'write' | 'readWrite')[];
  canPersist?: boolean;
}

/** A text to show beside a line of a model (the `inlineValues` request). */
export interface InlineValueItem {
  /** 1-based line and column (the statement's start) in the file. */
  line: number;
  column: number;
  text: string;
}

/** The `inlineValues` answer: texts by line, and the asked frame's locals when it is in the file. */
export interface InlineValues {
  items: InlineValueItem[];
  /** The Locals of the frame and the lines (1-based) from its function's start to its statement. */
  frame?: { names: string[]; startLine: number; stopLine: number };
}

/** readMemory's answer: `data` base64; `unreadableBytes` follow the data. */
export interface MemoryReadResult {
  address: number;
  data: string;
  unreadableBytes: number;
}

export interface BreakpointSpec {
  /** Adapter-assigned id (stable across setBreakpoints calls for the same line). */
  id: number;
  line: number;
  column?: number | undefined;
  condition?: string | undefined;
  hitCondition?: string | undefined;
  logMessage?: string | undefined;
}

export interface BreakpointResult {
  id: number;
  verified: boolean;
  line?: number;
  column?: number;
  message?: string;
}

/** A named interrupt breakpoint (a DAP function breakpoint): see src/runtime/interrupt-breakpoint.ts. */
export interface FunctionBreakpointSpec {
  id: number;
  name: string;
  condition?: string | undefined;
  hitCondition?: string | undefined;
  logMessage?: string | undefined;
}

export interface ExceptionFilterSetting {
  filterId: string;
  condition?: string | undefined;
}

export interface ThreadInfo {
  id: number;
  name: string;
}

/** Where a replay goes: the `replay` request starts a fresh worker's run instead of `start`. */
export interface ReplayPlan {
  /** Where to stop (stops on the way are not made; output is not sent). */
  target: Position;
  /** How the stop there is reported, unless the run stops there by itself (a breakpoint). */
  stop: StopInfo;
  /** The run's side effects, re-applied at their positions; those after `target` stay ahead. */
  effects: LoggedEffect[];
}

/** `travelTarget`'s answer: where the stopped worker is and where a step back would go. */
export interface TravelTarget {
  at: Position;
  stop: StopInfo | undefined;
  /** The destination; 'none' at the start of the run; 'unknown' when only a replay can tell. */
  target: { at: Position; stop: StopInfo } | 'none' | 'unknown';
  effects: LoggedEffect[];
}

/** Requests the main thread sends (command → arguments). */
export interface RequestMap {
  start: Record<string, never>;
  continue: Record<string, never>;
  next: Record<string, never>;
  stepIn: Record<string, never>;
  stepOut: Record<string, never>;
  threads: Record<string, never>;
  stackTrace: { cpu: number };
  scopes: { frameId: number };
  variables: {
    variablesReference: number;
    filter?: 'indexed' | 'named';
    start?: number;
    count?: number;
    hex?: boolean;
  };
  evaluate: { expression: string; frameId?: number; context?: string; hex?: boolean };
  setBreakpoints: { path: string; breakpoints: BreakpointSpec[] };
  setExceptionFilters: { filters: ExceptionFilterSetting[] };
  setFunctionBreakpoints: { breakpoints: FunctionBreakpointSpec[] };
  exceptionInfo: Record<string, never>;
  /** The views' snapshot; lists longer than `inlineLimit` come as totals (src/platform/snapshot). */
  snapshot: { inlineLimit?: number };
  /** `column` and `line` are 1-based; `line` defaults to the text's first. */
  completions: { text: string; column: number; line?: number; frameId?: number };
  setVariable: { variablesReference: number; name: string; value: string; hex?: boolean };
  setExpression: { expression: string; value: string; frameId?: number; hex?: boolean };
  readMemory: { address: number; count: number };
  writeMemory: { address: number; data: string; allowPartial?: boolean };
  dataBreakpointInfo: {
    variablesReference?: number;
    name: string;
    frameId?: number;
    /** With asAddress: `name` is an address and `bytes` the length to watch. */
    bytes?: number;
    asAddress?: boolean;
  };
  setDataBreakpoints: { breakpoints: DataBreakpointSpec[] };
  /** The CMSIS-SVD XML of the machine's DSA registers and IMS tables. */
  svd: Record<string, never>;
  /** The interrupt timeline so far as Chrome/Perfetto trace events (src/platform/chrome-trace). */
  trace: Record<string, never>;
  /** Rows of one long list of the views' snapshot (src/platform/snapshot/pages.ts). */
  page: PageRequest;
  /** Sets or clears an IMS slot's or MSI-X entry's mask bit through the MMIO path. */
  maskEntry: { device: string; table: 'ims' | 'msix'; index: number; mask: boolean };
  /** Injects Linux irq `irq` as `echo trigger > /sys/kernel/debug/irq/irqs/<irq>` does. */
  inject: { irq: number };
  /** The whole platform state: the complete snapshot as JSON, or the debugfs files as text. */
  exportState: { format: 'json' | 'debugfs' };
  /** What the kernel calls on lines startLine..endLine (1-based) of `path` did: InlineValues. */
  inlineValues: { path: string; startLine: number; endLine: number; frameId?: number };
  terminate: Record<string, never>;
  /** Step back and reverse continue (src/runtime/replay.ts). */
  replay: ReplayPlan;
  travelTarget: { kind: 'stepBack' | 'reverseContinue' };
}

export type Command = keyof RequestMap;

export interface RequestMessage<C extends Command = Command> {
  type: 'request';
  seq: number;
  command: C;
  args: RequestMap[C];
}

export interface ResponseMessage {
  type: 'response';
  seq: number;
  ok: boolean;
  body?: unknown;
  error?: string;
}

/** Events the worker sends. */
export type WorkerEvent =
  | { type: 'ready'; files: string[] }
  | { type: 'launchError'; message: string; path?: string; line?: number; column?: number }
  | { type: 'stopped'; stop: StopInfo }
  | { type: 'continued' }
  | {
      type: 'output';
      category: 'console' | 'stdout' | 'stderr' | 'important';
      text: string;
      path?: string;
      line?: number;
    }
  | { type: 'breakpoints'; path: string; results: BreakpointResult[] }
  /** runMs: wall time of the model's run inside the worker (launch excluded), for benchmarks. */
  | { type: 'exited'; exitCode: number; runMs?: number }
  | { type: 'terminated' }
  /** A long replay's progress: `done` of `target` counted places. */
  | { type: 'replayProgress'; done: number; target: number };

export type WorkerMessage = ResponseMessage | WorkerEvent;
