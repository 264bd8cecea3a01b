/**
 * Inspecting and editing the stopped machine: threads (one per emulated CPU), stack traces,
 * scopes, variables, evaluate, setVariable and setExpression (after which the views refresh),
 * completions in the Debug Console and the exception of an exception stop.
 */
import { InvalidatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RuntimeFrame, RuntimeScope, RuntimeVariable, ThreadInfo } from '../runtime/protocol';
import { forward, type DapClient } from './client';
import { cpuOf, toScope, toStackFrame, toVariable } from './mapping';
import type { RuntimeHost } from './runtime-host';
import type { ViewRefresh, WriteRange } from './view-refresh';

/** How long a threads request waits for the worker's CPU names before plain ones. */
const THREAD_NAMES_WAIT_MS = 50;

/** The requests that read the stopped machine, and those that assign to its values. */
export class Inspection {
  constructor(
    private readonly client: DapClient,
    private readonly host: RuntimeHost,
    private readonly refresh: ViewRefresh,
  ) {}

  /** One thread per emulated CPU, named by the worker when it answers in time. */
  async threads(response: DebugProtocol.ThreadsResponse): Promise<void> {
    const runtime = this.host.current;
    const n = runtime?.cpus ?? 0;
    // The worker names offline CPUs (`CPU 2 (offline)`); a running model answers at its next
    // statement, so wait briefly and fall back to plain names.
    const named = runtime
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
    this.client.sendResponse(response);
  }

  /** A CPU's frames, or the page of them asked for. */
  async stackTrace(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const frames = (await this.host.rt().request('stackTrace', {
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

  /** A frame's scopes (its locals, and the platform's scopes). */
  async scopes(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const scopes = (await this.host.rt().request('scopes', {
        frameId: args.frameId,
      })) as RuntimeScope[];
      response.body = { scopes: scopes.map(toScope) };
    });
  }

  /** A variable's children, or a page of an indexed list. */
  async variables(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const vars = (await this.host.rt().request('variables', {
        variablesReference: args.variablesReference,
        filter: args.filter,
        start: args.start,
        count: args.count,
        hex: args.format?.hex,
      })) as RuntimeVariable[];
      response.body = { variables: vars.map(toVariable) };
    });
  }

  /** An expression in a frame (watch, hover, Debug Console). */
  async evaluate(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      response.body = (await this.host.rt().request('evaluate', {
        expression: args.expression,
        frameId: args.frameId,
        context: args.context,
        hex: args.format?.hex,
      })) as DebugProtocol.EvaluateResponse['body'];
      // A console expression may have written registers or memory: scopes and views refresh.
      if (args.context === 'repl') this.client.sendEvent(new InvalidatedEvent(['variables']));
    });
  }

  /** Writes a local (through its scope) or a register or field (through the MMIO path). */
  async setVariable(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const r = (await this.host.rt().request('setVariable', {
        variablesReference: args.variablesReference,
        name: args.name,
        value: args.value,
        hex: args.format?.hex,
      })) as DebugProtocol.SetVariableResponse['body'] & { changed?: WriteRange };
      const { changed, ...body } = r;
      response.body = body;
      this.refresh.written(changed);
    });
  }

  /** Assigns to an expression (an lvalue of the model) in a frame. */
  async setExpression(
    response: DebugProtocol.SetExpressionResponse,
    args: DebugProtocol.SetExpressionArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      response.body = (await this.host.rt().request('setExpression', {
        expression: args.expression,
        value: args.value,
        frameId: args.frameId,
        hex: args.format?.hex,
      })) as DebugProtocol.SetExpressionResponse['body'];
      this.refresh.written(null);
    });
  }

  /** Debug Console completions, with `start` in the client's convention. */
  async completions(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      const targets = (await this.host.rt().request('completions', {
        text: args.text,
        column: this.client.columnToDebugger(args.column),
        line: args.line === undefined ? undefined : this.client.lineToDebugger(args.line),
        frameId: args.frameId,
      })) as DebugProtocol.CompletionItem[];
      // `start` is a column of the line, in the client's convention (columnsStartAt1) — except
      // for VS Code, whose Debug Console reads it as a 0-based index into the text (it builds
      // the filter text with text.substring(start, start + length); microsoft/vscode#101623),
      // as vscode-js-debug sends it.
      for (const t of targets)
        if (t.start !== undefined)
          t.start = this.client.completionStartsAt0
            ? t.start - 1
            : this.client.columnToClient(t.start);
      response.body = { targets };
    });
  }

  /** At an exception stop: the filter that stopped (or the uncaught exception), described. */
  async exceptionInfo(response: DebugProtocol.ExceptionInfoResponse): Promise<void> {
    await forward(this.client, response, async () => {
      response.body = (await this.host
        .rt()
        .request('exceptionInfo', {})) as DebugProtocol.ExceptionInfoResponse['body'];
    });
  }
}
