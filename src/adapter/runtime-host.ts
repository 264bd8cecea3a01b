/**
 * The session's model worker (src/runtime/model-runtime.ts): the one requests go to, created
 * at launch and restart, replaced by a replay's worker after a step back, and launched again for
 * replays with the run's launch arguments. Every worker it holds sends its events to one listener.
 */
import { ModelRuntime, type LaunchConfig } from '../runtime/model-runtime';
import type { WorkerEvent } from '../runtime/protocol';
import type { ImsLaunchArguments } from './launch-args';

/** Holds the session's current model worker. */
export class RuntimeHost {
  private runtime: ModelRuntime | undefined;
  /** The arguments of the last launch (restart and replays launch with them). */
  args: ImsLaunchArguments | undefined;

  /**
   * @param workerScript the bundled worker's path, read each time a worker is created
   * @param onEvent the listener of the current worker's events
   */
  constructor(
    private readonly workerScript: () => string,
    private readonly onEvent: (ev: WorkerEvent) => void,
  ) {}

  /** The current worker, if one was created and the session has not disconnected. */
  get current(): ModelRuntime | undefined {
    return this.runtime;
  }

  /** The current worker; throws Error when no model runs. */
  rt(): ModelRuntime {
    if (this.runtime === undefined) throw new Error('no model is running: launch first');
    return this.runtime;
  }

  /** A new worker, made current and listened to; not launched. */
  create(): ModelRuntime {
    const rt = new ModelRuntime(this.workerScript());
    rt.on('event', (ev) => this.onEvent(ev));
    this.runtime = rt;
    return rt;
  }

  /** A worker for a replay, with this run's launch configuration; not started. */
  async replica(): Promise<ModelRuntime> {
    if (this.args === undefined) throw new Error('nothing was launched');
    const rt = new ModelRuntime(this.workerScript());
    await rt.launch(launchConfig(this.args));
    return rt;
  }

  /** Makes `next` (a replay's worker) current in place of `previous`, which is no longer heard. */
  replace(previous: ModelRuntime, next: ModelRuntime): void {
    previous.removeAllListeners('event');
    this.runtime = next;
    next.on('event', (ev) => this.onEvent(ev));
  }

  /** Forgets the current worker (after it was terminated). */
  clear(): void {
    this.runtime = undefined;
  }
}

/** The runtime's launch configuration from the session's launch arguments. */
export function launchConfig(args: ImsLaunchArguments): LaunchConfig {
  return {
    program: args.program,
    config: args.config,
    cpus: args.cpus,
    devices: args.devices,
    irUnits: args.irUnits,
    dmarFaultInterrupt: args.dmarFaultInterrupt,
    noDebug: args.noDebug,
    stopOnEntry: args.stopOnEntry,
    traceOutput: args.traceOutput,
  };
}
