/**
 * The session's life: `initialize` (capabilities, and what the client says of itself), `launch`
 * (arguments checked, the worker launched, a load error shown at its line), `configurationDone`
 * (the model starts), `restart` (a new worker with the session's breakpoints), `terminate` and
 * `disconnect`.
 */
import { InitializedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { LaunchError } from '../runtime/model-runtime';
import type { TimeTravel } from '../runtime/replay';
import type { Breakpoints } from './breakpoints';
import { capabilities } from './capabilities';
import { forward, type DapClient } from './client';
import type { ImsLaunchArguments } from './launch-args';
import { launchArgsProblem } from './launch-validate';
import { toOutputEvent } from './mapping';
import type { MemoryViews } from './memory';
import { launchConfig, type RuntimeHost } from './runtime-host';

/** The requests that start, restart and end the session's run. */
export class Lifecycle {
  constructor(
    private readonly client: DapClient,
    private readonly host: RuntimeHost,
    private readonly timeTravel: TimeTravel,
    private readonly breakpoints: Breakpoints,
    private readonly memoryViews: MemoryViews,
  ) {}

  /** Notes the client's traits and answers with the adapter's capabilities. */
  initialize(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.memoryViews.enabled = args.supportsMemoryEvent === true;
    this.client.completionStartsAt0 = args.clientID === 'vscode';
    response.body = capabilities();
    this.client.sendResponse(response);
  }

  /** Checks the arguments and launches the model's worker (started by configurationDone). */
  async launch(response: DebugProtocol.LaunchResponse, args: ImsLaunchArguments): Promise<void> {
    const problem = launchArgsProblem(stripDapKeys(args));
    if (problem !== null) {
      this.client.sendErrorResponse(response, {
        id: 1001,
        format: `ims: ${problem}`,
        showUser: true,
      });
      return;
    }
    this.host.args = args;
    try {
      await this.start(args);
    } catch (e) {
      const err =
        e instanceof LaunchError ? e : new LaunchError(e instanceof Error ? e.message : String(e));
      if (err.path !== undefined && err.line !== undefined)
        this.client.sendEvent(
          toOutputEvent({
            type: 'output',
            category: 'stderr',
            text: err.message + '\n',
            path: err.path,
            line: err.line,
          }),
        );
      this.client.sendErrorResponse(response, {
        id: 1002,
        format: `ims: ${err.message}`,
        showUser: true,
      });
      return;
    }
    this.client.sendEvent(new InitializedEvent());
    this.client.sendResponse(response);
  }

  /** A new run's worker, launched (the model may have been edited: the replay worker goes). */
  private async start(args: ImsLaunchArguments): Promise<void> {
    await this.timeTravel.reset();
    const rt = this.host.create();
    await rt.launch(launchConfig(args));
  }

  /** The client has set its breakpoints: the model starts. */
  async configurationDone(response: DebugProtocol.ConfigurationDoneResponse): Promise<void> {
    await forward(this.client, response, () => this.host.rt().request('start', {}));
  }

  /** Ends the run and launches a new one with the same arguments and breakpoints. */
  async restart(response: DebugProtocol.RestartResponse): Promise<void> {
    await forward(this.client, response, async () => {
      await this.host.current?.terminate();
      if (this.host.args === undefined) throw new Error('nothing to restart');
      await this.start(this.host.args);
      await this.breakpoints.configure(this.host.rt());
      await this.host.rt().request('start', {});
    });
  }

  /** Ends the run (and any replay); the session stays for the client to disconnect. */
  async terminate(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.timeTravel.cancel();
    await this.host.current?.terminate();
    this.client.sendEvent(new TerminatedEvent());
    this.client.sendResponse(response);
  }

  /** Ends the run (and any replay) and forgets the worker. */
  async disconnect(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.timeTravel.cancel();
    await this.host.current?.terminate();
    this.host.clear();
    this.client.sendResponse(response);
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

/** The launch arguments without the keys DAP and VS Code add. */
function stripDapKeys(args: ImsLaunchArguments): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => !FOREIGN_KEYS.has(k)));
}
