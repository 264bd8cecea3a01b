/**
 * The session's breakpoints: line breakpoints (with conditions, hit counts and logpoints), named
 * interrupt breakpoints (function breakpoints), the exception filters and data breakpoints. It
 * keeps the last set of each, with stable ids, to set them again in a new worker (restart, replay).
 */
import path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ModelRuntime } from '../runtime/model-runtime';
import type {
  BreakpointResult,
  DataBreakpointInfo,
  ExceptionFilterSetting,
} from '../runtime/protocol';
import { BreakpointIds } from './breakpoint-ids';
import { forward, type DapClient } from './client';
import { toBreakpoint } from './mapping';
import { DataBreakpointIds } from './memory';
import type { RuntimeHost } from './runtime-host';

/** The breakpoint requests, and the breakpoints they set, kept for the next worker. */
export class Breakpoints {
  private readonly bpIds = new BreakpointIds();
  private filters: ExceptionFilterSetting[] = [{ filterId: 'uncaught' }];
  private readonly dataBpIds = new DataBreakpointIds();

  constructor(
    private readonly client: DapClient,
    private readonly host: RuntimeHost,
  ) {}

  /** The breakpoints, filters and data breakpoints of the session, set in `rt`. */
  async configure(rt: ModelRuntime): Promise<void> {
    for (const [file, specs] of this.bpIds.byFile)
      await rt.request('setBreakpoints', { path: file, breakpoints: specs });
    await rt.request('setExceptionFilters', { filters: this.filters });
    await rt.request('setFunctionBreakpoints', { breakpoints: this.bpIds.functions });
    await rt.request('setDataBreakpoints', { breakpoints: this.dataBpIds.specs });
  }

  /** A file's line breakpoints; kept (unverified) until a model runs. */
  async setBreakpoints(
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
      this.client.sendResponse(response);
      return;
    }
    const specs = this.bpIds.specs(path.resolve(file), args.breakpoints ?? []);
    await forward(this.client, response, async () => {
      const runtime = this.host.current;
      const results = runtime
        ? ((await runtime.request('setBreakpoints', {
            path: path.resolve(file),
            breakpoints: specs,
          })) as BreakpointResult[])
        : specs.map((s) => ({ id: s.id, verified: false, line: s.line }));
      response.body = { breakpoints: results.map(toBreakpoint) };
    });
  }

  /** Named interrupt breakpoints (`vector 0x41@cpu2`, `ims 3`, `irte 17`, `fault 0x22`…). */
  async setFunctionBreakpoints(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): Promise<void> {
    const specs = this.bpIds.functionSpecs(args.breakpoints);
    await forward(this.client, response, async () => {
      const results = (await this.host.rt().request('setFunctionBreakpoints', {
        breakpoints: specs,
      })) as BreakpointResult[];
      response.body = { breakpoints: results.map(toBreakpoint) };
    });
  }

  /** The exception filters (capabilities.ts), each with its condition's problem if any. */
  async setExceptionBreakpoints(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<void> {
    this.filters = [
      ...args.filters.map((filterId) => ({ filterId })),
      ...(args.filterOptions ?? []).map((o) => ({ filterId: o.filterId, condition: o.condition })),
    ];
    await forward(this.client, response, async () => {
      const problems = (await this.host.rt().request('setExceptionFilters', {
        filters: this.filters,
      })) as (string | null)[];
      response.body = {
        breakpoints: problems.map((p) =>
          p === null ? { verified: true } : { verified: false, message: p },
        ),
      };
    });
  }

  /** Whether a variable, register or address can take a data breakpoint, and its dataId. */
  async dataBreakpointInfo(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): Promise<void> {
    await forward(this.client, response, async () => {
      response.body = (await this.host.rt().request('dataBreakpointInfo', {
        variablesReference: args.variablesReference,
        name: args.name,
        frameId: args.frameId,
        bytes: args.bytes,
        asAddress: args.asAddress,
      })) as DataBreakpointInfo;
    });
  }

  /** Data breakpoints on variables, registers or addresses (ids from memory.ts). */
  async setDataBreakpoints(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): Promise<void> {
    const specs = this.dataBpIds.assign(args.breakpoints);
    await forward(this.client, response, async () => {
      const results = (await this.host.rt().request('setDataBreakpoints', {
        breakpoints: specs,
      })) as BreakpointResult[];
      response.body = { breakpoints: results.map(toBreakpoint) };
    });
  }
}
