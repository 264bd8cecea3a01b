/**
 * The DAP session for the `ims` debug type. It translates requests into runtime calls and
 * runtime events into DAP events, and holds no debugging logic of its own: the model runs and
 * stops in the worker (src/runtime), breakpoint ids and shape mapping live in small helpers.
 */
import path from 'node:path';
import {
  InitializedEvent,
  LoggingDebugSession,
  TerminatedEvent,
  ExitedEvent,
  BreakpointEvent,
  Thread,
  InvalidatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ModelRuntime, LaunchError, type LaunchConfig } from '../runtime/model-runtime';
import { TimeTravel, type TravelKind } from '../runtime/replay';
import type {
  BreakpointResult,
  DataBreakpointInfo,
  MemoryReadResult,
  RuntimeFrame,
  RuntimeScope,
  RuntimeVariable,
  WorkerEvent,
  ExceptionFilterSetting,
  ThreadInfo,
} from '../runtime/protocol';
import { EXCEPTION_FILTERS, type ImsLaunchArguments } from './launch-args';
import { CUSTOM_REQUESTS } from './custom-requests';
import { BreakpointIds } from './breakpoint-ids';
import {
  cpuOf,
  toBreakpoint,
  toOutputEvent,
  toScope,
  toStackFrame,
  toStoppedEvent,
  toVariable,
} from './mapping';
import { launchArgsProblem } from './launch-validate';
import { DataBreakpointIds, MemoryViews, addressOf } from './memory';

/** The exception filters shown in the Breakpoints view (ids are DESIGN.md §3's). */
export const EXCEPTION_BREAKPOINT_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: EXCEPTION_FILTERS.interrupt,
    label: 'Interrupt delivered',
    description: 'Stop in the handler when a CPU takes an interrupt',
    supportsCondition: true,
    conditionDescription:
      'e.g. vector == 0x41 && cpu == 2 (also virq, hwirq, slot, index, source, bdf, irte, pasid)',
  },
  {
    filter: EXCEPTION_FILTERS.remapFault,
    label: 'Remapping fault',
    description: 'Stop when an IR unit blocks a message (VT-d fault 0x20–0x26)',
    supportsCondition: true,
    conditionDescription: 'e.g. fault == 0x22 || irte == 17',
  },
  {
    filter: EXCEPTION_FILTERS.maskedMessage,
    label: 'Message to a masked entry',
    description: 'Stop when an MSI-X entry or IMS slot holds a message because it is masked',
    supportsCondition: true,
    conditionDescription: "e.g. source == 'ims' && slot == 3",
  },
  {
    filter: EXCEPTION_FILTERS.uncaught,
    label: 'Uncaught exceptions',
    description: 'Stop where an exception no model code catches is thrown',
    default: true,
  },
];

/** How long a threads request waits for the worker's CPU names before plain ones. */
const THREAD_NAMES_WAIT_MS = 50;

export class ImsDebugSession extends LoggingDebugSession {
  private runtime: ModelRuntime | undefined;
  private args: ImsLaunchArguments | undefined;
  private readonly bpIds = new BreakpointIds();
  private filters: ExceptionFilterSetting[] = [{ filterId: 'uncaught' }];
  private readonly dataBpIds = new DataBreakpointIds();
  private readonly memoryViews = new MemoryViews();
  /** Step back and reverse continue: replays in a fresh worker (src/runtime/replay.ts). */
  private readonly timeTravel = new TimeTravel(
    () => this.launchReplica(),
    (rt) => this.configure(rt),
    (text) =>
      this.sendEvent(toOutputEvent({ type: 'output', category: 'console', text: text + '\n' })),
  );
  private travelling = false;
  /** The client reads completion items' `start` as a 0-based index (VS Code's Debug Console). */
  private completionStartsAt0 = false;

  /** The bundled model worker; next to this bundle (dist/) unless set before a session starts. */
  static workerScript = path.join(__dirname, 'worker.js');

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.memoryViews.enabled = args.supportsMemoryEvent === true;
    this.completionStartsAt0 = args.clientID === 'vscode';
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsFunctionBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.'],
      supportsExceptionInfoRequest: true,
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: EXCEPTION_BREAKPOINT_FILTERS,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsValueFormattingOptions: true,
      supportsSetVariable: true,
      supportsSetExpression: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsStepBack: true,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: ImsLaunchArguments,
  ): Promise<void> {
    const problem = launchArgsProblem(stripDapKeys(args));
    if (problem !== null) {
      this.sendErrorResponse(response, { id: 1001, format: `ims: ${problem}`, showUser: true });
      return;
    }
    this.args = args;
    try {
      await this.startRuntime(args);
    } catch (e) {
      const err =
        e instanceof LaunchError ? e : new LaunchError(e instanceof Error ? e.message : String(e));
      if (err.path !== undefined && err.line !== undefined)
        this.sendEvent(
          toOutputEvent({
            type: 'output',
            category: 'stderr',
            text: err.message + '\n',
            path: err.path,
            line: err.line,
          }),
        );
      this.sendErrorResponse(response, { id: 1002, format: `ims: ${err.message}`, showUser: true });
      return;
    }
    this.sendEvent(new InitializedEvent());
    this.sendResponse(response);
  }

  private async startRuntime(args: ImsLaunchArguments): Promise<void> {
    await this.timeTravel.reset(); // a new run (the model may have been edited)
    const rt = new ModelRuntime(ImsDebugSession.workerScript);
    rt.on('event', (ev) => this.onRuntimeEvent(ev));
    this.runtime = rt;
    await rt.launch(launchConfig(args));
  }

  /** The breakpoints, filters and data breakpoints of the session, set in `rt`. */
  private async configure(rt: ModelRuntime): Promise<void> {
    for (const [file, specs] of this.bpIds.byFile)
      await rt.request('setBreakpoints', { path: file, breakpoints: specs });
    await rt.request('setExceptionFilters', { filters: this.filters });
    await rt.request('setFunctionBreakpoints', { breakpoints: this.bpIds.functions });
    await rt.request('setDataBreakpoints', { breakpoints: this.dataBpIds.specs });
  }

  /** A worker for a replay, with this run's launch configuration; not started. */
  private async launchReplica(): Promise<ModelRuntime> {
    if (this.args === undefined) throw new Error('nothing was launched');
    const rt = new ModelRuntime(ImsDebugSession.workerScript);
    await rt.launch(launchConfig(this.args));
    return rt;
  }

  private onRuntimeEvent(ev: WorkerEvent): void {
    switch (ev.type) {
      case 'stopped':
        this.sendEvent(toStoppedEvent(ev.stop));
        this.timeTravel.warm();
        break;
      case 'output':
        this.sendEvent(toOutputEvent(ev));
        break;
      case 'breakpoints':
        for (const r of ev.results) this.sendEvent(new BreakpointEvent('changed', toBreakpoint(r)));
        break;
      case 'exited':
        this.sendEvent(new ExitedEvent(ev.exitCode));
        break;
      case 'terminated':
        this.sendEvent(new TerminatedEvent());
        break;
      default:
        break;
    }
  }

  protected override async configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
  ): Promise<void> {
    await this.forward(response, () => this.rt().request('start', {}));
  }

  protected override async setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): Promise<void> {
    const file = args.source.path;
    if (file === undefined) {
      response.body = {
        breakpoints: (args.breakpoints ?? []).map(() => ({
          verified: false,
          message: 'only files on disk',
        })),
      };
      this.sendResponse(response);
      return;
    }
    const specs = this.bpIds.specs(path.resolve(file), args.breakpoints ?? []);
    await this.forward(response, async () => {
      const results = this.runtime
        ? ((await this.runtime.request('setBreakpoints', {
            path: path.resolve(file),
            breakpoints: specs,
          })) as BreakpointResult[])
        : specs.map((s) => ({ id: s.id, verified: false, line: s.line }));
      response.body = { breakpoints: results.map(toBreakpoint) };
    });
  }

  /** Named interrupt breakpoints (`vector 0x41@cpu2`, `ims 3`, `irte 17`, `fault 0x22`…). */
  protected override async setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): Promise<void> {
    const specs = this.bpIds.functionSpecs(args.breakpoints);
    await this.forward(response, async () => {
      const results = (await this.rt().request('setFunctionBreakpoints', {
        breakpoints: specs,
      })) as BreakpointResult[];
      response.body = { breakpoints: results.map(toBreakpoint) };
    });
  }

  protected override async setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<void> {
    this.filters = [
      ...args.filters.map((filterId) => ({ filterId })),
      ...(args.filterOptions ?? []).map((o) => ({ filterId: o.filterId, condition: o.condition })),
    ];
    await this.forward(response, async () => {
      const problems = (await this.rt().request('setExceptionFilters', {
        filters: this.filters,
      })) as (string | null)[];
      response.body = {
        breakpoints: problems.map((p) =>
          p === null ? { verified: true } : { verified: false, message: p },
        ),
      };
    });
  }

  protected override async threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    const n = this.runtime?.cpus ?? 0;
    // The worker names offline CPUs (`CPU 2 (offline)`); a running model answers at its next
    // statement, so wait briefly and fall back to plain names.
    const named = this.runtime
      ?.request('threads', {})
      .then((t) => t as ThreadInfo[])
      .catch(() => undefined);
    const names = await Promise.race([
      named,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), THREAD_NAMES_WAIT_MS)),
    ]);
    response.body = {
      threads: Array.from(
        { length: n },
        (_, i) => new Thread(i + 1, names?.[i]?.name ?? `CPU ${i}`),
      ),
    };
    this.sendResponse(response);
  }

  protected override async stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const frames = (await this.rt().request('stackTrace', {
        cpu: cpuOf(args.threadId),
      })) as RuntimeFrame[];
      const start = args.startFrame ?? 0;
      const end = args.levels ? start + args.levels : frames.length;
      response.body = {
        stackFrames: frames.slice(start, end).map(toStackFrame),
        totalFrames: frames.length,
      };
    });
  }

  protected override async scopesRequest(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const scopes = (await this.rt().request('scopes', {
        frameId: args.frameId,
      })) as RuntimeScope[];
      response.body = { scopes: scopes.map(toScope) };
    });
  }

  protected override async variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const vars = (await this.rt().request('variables', {
        variablesReference: args.variablesReference,
        filter: args.filter,
        start: args.start,
        count: args.count,
        hex: args.format?.hex,
      })) as RuntimeVariable[];
      response.body = { variables: vars.map(toVariable) };
    });
  }

  protected override async evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      response.body = (await this.rt().request('evaluate', {
        expression: args.expression,
        frameId: args.frameId,
        context: args.context,
        hex: args.format?.hex,
      })) as DebugProtocol.EvaluateResponse['body'];
      // A console expression may have written registers or memory: scopes and views refresh.
      if (args.context === 'repl') this.sendEvent(new InvalidatedEvent(['variables']));
    });
  }

  /** Writes a local (through its scope) or a register or field (through the MMIO path). */
  protected override async setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const r = (await this.rt().request('setVariable', {
        variablesReference: args.variablesReference,
        name: args.name,
        value: args.value,
        hex: args.format?.hex,
      })) as DebugProtocol.SetVariableResponse['body'] & { changed?: WriteRange };
      const { changed, ...body } = r;
      response.body = body;
      this.written(changed);
    });
  }

  /** Assigns to an expression (an lvalue of the model) in a frame. */
  protected override async setExpressionRequest(
    response: DebugProtocol.SetExpressionResponse,
    args: DebugProtocol.SetExpressionArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      response.body = (await this.rt().request('setExpression', {
        expression: args.expression,
        value: args.value,
        frameId: args.frameId,
        hex: args.format?.hex,
      })) as DebugProtocol.SetExpressionResponse['body'];
      this.written(null);
    });
  }

  /** Emulated RAM and MMIO, read without side effects (MMIO through the devices' peek). */
  protected override async readMemoryRequest(
    response: DebugProtocol.ReadMemoryResponse,
    args: DebugProtocol.ReadMemoryArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const address = addressOf(args.memoryReference, args.offset ?? 0);
      this.memoryViews.seen(args.memoryReference, addressOf(args.memoryReference));
      const r = (await this.rt().request('readMemory', {
        address,
        count: args.count,
      })) as MemoryReadResult;
      response.body = { address: `0x${r.address.toString(16)}`, data: r.data };
      if (r.unreadableBytes > 0) response.body.unreadableBytes = r.unreadableBytes;
    });
  }

  /** RAM stores, or aligned 32-bit MMIO writes with the device's side effects. */
  protected override async writeMemoryRequest(
    response: DebugProtocol.WriteMemoryResponse,
    args: DebugProtocol.WriteMemoryArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const r = (await this.rt().request('writeMemory', {
        address: addressOf(args.memoryReference, args.offset ?? 0),
        data: args.data,
        allowPartial: args.allowPartial,
      })) as { bytesWritten: number; changed: WriteRange };
      response.body = { bytesWritten: r.bytesWritten };
      this.written(r.changed);
    });
  }

  protected override async dataBreakpointInfoRequest(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      response.body = (await this.rt().request('dataBreakpointInfo', {
        variablesReference: args.variablesReference,
        name: args.name,
        frameId: args.frameId,
        bytes: args.bytes,
        asAddress: args.asAddress,
      })) as DataBreakpointInfo;
    });
  }

  protected override async setDataBreakpointsRequest(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): Promise<void> {
    const specs = this.dataBpIds.assign(args.breakpoints);
    await this.forward(response, async () => {
      const results = (await this.rt().request('setDataBreakpoints', {
        breakpoints: specs,
      })) as BreakpointResult[];
      response.body = { breakpoints: results.map(toBreakpoint) };
    });
  }

  /** After a write from the debugger: every view refreshes (variables, custom views, memory). */
  private written(changed: WriteRange | null | undefined): void {
    this.sendEvent(new InvalidatedEvent(['variables']));
    for (const ev of this.memoryViews.events(changed)) this.sendEvent(ev);
  }

  protected override async completionsRequest(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): Promise<void> {
    await this.forward(response, async () => {
      const targets = (await this.rt().request('completions', {
        text: args.text,
        column: this.convertClientColumnToDebugger(args.column),
        line: args.line === undefined ? undefined : this.convertClientLineToDebugger(args.line),
        frameId: args.frameId,
      })) as DebugProtocol.CompletionItem[];
      // `start` is a column of the line, in the client's convention (columnsStartAt1) — except
      // for VS Code, whose Debug Console reads it as a 0-based index into the text (it builds
      // the filter text with text.substring(start, start + length); microsoft/vscode#101623),
      // as vscode-js-debug sends it.
      for (const t of targets)
        if (t.start !== undefined)
          t.start = this.completionStartsAt0
            ? t.start - 1
            : this.convertDebuggerColumnToClient(t.start);
      response.body = { targets };
    });
  }

  protected override async exceptionInfoRequest(
    response: DebugProtocol.ExceptionInfoResponse,
  ): Promise<void> {
    await this.forward(response, async () => {
      response.body = (await this.rt().request(
        'exceptionInfo',
        {},
      )) as DebugProtocol.ExceptionInfoResponse['body'];
    });
  }

  protected override async continueRequest(
    response: DebugProtocol.ContinueResponse,
  ): Promise<void> {
    response.body = { allThreadsContinued: true };
    await this.forward(response, () => this.rt().request('continue', {}));
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.forward(response, () => this.rt().request('next', {}));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.forward(response, () => this.rt().request('stepIn', {}));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.forward(response, () => this.rt().request('stepOut', {}));
  }

  /** The reverse of step over, by replay: the last statement before this one at this depth or shallower. */
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.travel(response, 'stepBack');
  }

  /** Back to the previous place a breakpoint or filter stops at (or the start), by replay. */
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.travel(response, 'reverseContinue');
  }

  /** Answers at once (the client then waits for `stopped`, as after a step), then replays. */
  private travel(response: DebugProtocol.Response, kind: TravelKind): void {
    const current = this.runtime;
    if (current === undefined || current.hasExited || this.travelling) {
      this.sendErrorResponse(response, {
        id: 1003,
        format: this.travelling ? 'a replay is under way' : 'the model is not running',
      });
      return;
    }
    this.sendResponse(response);
    this.travelling = true;
    void this.timeTravel.travel(current, kind).then((r) => {
      this.travelling = false;
      if (this.runtime !== current) {
        void r.runtime?.terminate(); // restarted or ended meanwhile
        return;
      }
      if (r.runtime !== undefined) {
        current.removeAllListeners('event');
        this.runtime = r.runtime;
        r.runtime.on('event', (ev) => this.onRuntimeEvent(ev));
        void current.terminate();
      }
      if (r.message !== undefined)
        this.sendEvent(
          toOutputEvent({ type: 'output', category: 'console', text: `ims-debug: ${r.message}\n` }),
        );
      this.sendEvent(toStoppedEvent(r.stop));
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    if (!this.timeTravel.pause()) this.runtime?.pause();
    this.sendResponse(response);
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse): Promise<void> {
    await this.forward(response, async () => {
      await this.runtime?.terminate();
      if (this.args === undefined) throw new Error('nothing to restart');
      await this.startRuntime(this.args);
      await this.configure(this.rt());
      await this.rt().request('start', {});
    });
  }

  protected override async terminateRequest(
    response: DebugProtocol.TerminateResponse,
  ): Promise<void> {
    await this.timeTravel.cancel();
    await this.runtime?.terminate();
    this.sendEvent(new TerminatedEvent());
    this.sendResponse(response);
  }

  protected override async disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
  ): Promise<void> {
    await this.timeTravel.cancel();
    await this.runtime?.terminate();
    this.runtime = undefined;
    this.sendResponse(response);
  }

  protected override async customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): Promise<void> {
    const spec = Object.hasOwn(CUSTOM_REQUESTS, command) ? CUSTOM_REQUESTS[command] : undefined;
    if (spec === undefined) {
      this.sendErrorResponse(response, { id: 1010, format: `unknown request ${command}` });
      return;
    }
    await this.forward(response, async () => {
      const result = await this.rt().request(spec.worker, args ?? {});
      response.body = { [spec.bodyKey]: result };
      if (spec.writes === true) this.written(null);
    });
  }

  private rt(): ModelRuntime {
    if (this.runtime === undefined) throw new Error('no model is running: launch first');
    return this.runtime;
  }

  /** Runs `work`, then answers `response` — or an error response with the reason. */
  private async forward(
    response: DebugProtocol.Response,
    work: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await work();
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, {
        id: 1000,
        format: e instanceof Error ? e.message : String(e),
      });
    }
  }
}

/** DAP and VS Code keys that are not the `ims` type's own attributes. */
const FOREIGN_KEYS = new Set([
  'type',
  'request',
  'name',
  '__restart',
  '__sessionId',
  '__configurationTarget',
  'noDebug',
  'presentation',
  'internalConsoleOptions',
  'preLaunchTask',
  'postDebugTask',
  'debugServer',
  'suppressMultipleSessionWarning',
  'serverReadyAction',
  // mcu-debug/peripheral-viewer reads the SVD file's path from the launch configuration.
]);

/** What a write may have changed (null: unknown, e.g. an assignment that ran model code). */
type WriteRange = { address: number; size: number } | null;

/** The runtime's launch configuration from the session's launch arguments. */
function launchConfig(args: ImsLaunchArguments): LaunchConfig {
  return {
    program: args.program,
    config: args.config,
    cpus: args.cpus,
    devices: args.devices,
    irUnits: args.irUnits,
    noDebug: args.noDebug,
    stopOnEntry: args.stopOnEntry,
    traceOutput: args.traceOutput,
  };
}

function stripDapKeys(args: ImsLaunchArguments): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => !FOREIGN_KEYS.has(k)));
}
