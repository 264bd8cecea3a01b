/**
 * The debugger side of a model run: spawns the model worker, sends requests (ringing the
 * doorbell so a stopped worker wakes; setting the message bit so a running one drains its port
 * at the next statement), and turns the worker's messages into events. Knows nothing of DAP.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import {
  CTRL,
  CTRL_MESSAGE,
  CTRL_PAUSE,
  CTRL_WORDS,
  DOORBELL,
  MAX_SITES,
  type Command,
  type RequestMap,
  type WorkerEvent,
  type WorkerInit,
  type WorkerMessage,
} from './protocol';

export interface LaunchConfig {
  program: string;
  config?: string | undefined;
  cpus?: number | undefined;
  devices?: number | undefined;
  irUnits?: number | undefined;
  dmarFaultInterrupt?: boolean | undefined;
  noDebug?: boolean | undefined;
  stopOnEntry?: boolean | undefined;
  traceOutput?: boolean | undefined;
}

/** A launch that failed before the model ran (bad option, config or syntax error). */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly path?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}

export interface ModelRuntimeEvents {
  event: [WorkerEvent];
}

export class ModelRuntime extends EventEmitter<ModelRuntimeEvents> {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly ctrl = new SharedArrayBuffer(CTRL_WORDS * 4);
  private readonly ctrlWords = new Int32Array(this.ctrl);
  private seq = 0;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private exited = false;
  /** Number of CPUs of the machine (for threads while running). */
  cpus = 4;

  /** @param workerScript path of the bundled worker (dist/worker.js) */
  constructor(private readonly workerScript: string) {
    super();
  }

  /**
   * Starts the worker and waits until the model is loaded (breakpoints can bind then).
   * @throws LaunchError for a bad option, config file or syntax error
   */
  async launch(cfg: LaunchConfig): Promise<{ files: string[] }> {
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit & { port: MessagePort } = {
      program: cfg.program,
      config: cfg.config,
      cpus: cfg.cpus,
      devices: cfg.devices,
      irUnits: cfg.irUnits,
      dmarFaultInterrupt: cfg.dmarFaultInterrupt,
      noDebug: cfg.noDebug ?? false,
      stopOnEntry: cfg.stopOnEntry ?? false,
      traceOutput: cfg.traceOutput ?? true,
      ctrl: this.ctrl,
      breakpoints: new SharedArrayBuffer(MAX_SITES),
      port: port2,
    };
    this.cpus = cfg.cpus ?? 4;
    this.port = port1;
    const worker = new Worker(this.workerScript, {
      workerData: init,
      transferList: [port2],
      resourceLimits: { stackSizeMb: 64 },
      stdout: true,
      stderr: true,
    });
    this.worker = worker;
    worker.stdout.on('data', (d: Buffer) =>
      this.emit('event', { type: 'output', category: 'stdout', text: d.toString() }),
    );
    worker.stderr.on('data', (d: Buffer) =>
      this.emit('event', { type: 'output', category: 'stderr', text: d.toString() }),
    );
    return new Promise((resolve, reject) => {
      let ready = false;
      port1.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'response') {
          const p = this.pending.get(msg.seq);
          this.pending.delete(msg.seq);
          if (msg.ok) p?.resolve(msg.body);
          else p?.reject(new Error(msg.error));
          return;
        }
        if (msg.type === 'ready') {
          ready = true;
          resolve({ files: msg.files });
          return;
        }
        if (msg.type === 'launchError') {
          reject(new LaunchError(msg.message, msg.path, msg.line, msg.column));
          return;
        }
        if (msg.type === 'terminated') this.exited = true;
        this.emit('event', msg);
      });
      worker.on('error', (e) => {
        if (!ready) reject(new LaunchError(`the model worker failed: ${e.message}`));
        else
          this.emit('event', {
            type: 'output',
            category: 'stderr',
            text: `ims-debug: the model worker failed: ${e.message}\n`,
          });
      });
      worker.on('exit', () => {
        for (const p of this.pending.values()) p.reject(new Error('the model worker has exited'));
        this.pending.clear();
        if (!ready) reject(new LaunchError('the model worker exited before the model was loaded'));
        else if (!this.exited) {
          this.exited = true;
          this.emit('event', { type: 'terminated' });
        }
      });
    });
  }

  /** Sends a request; resolves with the worker's answer (while running, at its next statement). */
  request<C extends Command>(command: C, args: RequestMap[C]): Promise<unknown> {
    const port = this.port;
    if (port === undefined || this.worker === undefined)
      return Promise.reject(new Error('no model is running'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      port.postMessage({ type: 'request', seq, command, args });
      Atomics.or(this.ctrlWords, CTRL, CTRL_MESSAGE);
      Atomics.add(this.ctrlWords, DOORBELL, 1);
      Atomics.notify(this.ctrlWords, DOORBELL);
    });
  }

  /** Asks a running model to stop at its next statement. */
  pause(): void {
    Atomics.or(this.ctrlWords, CTRL, CTRL_PAUSE);
  }

  /** Whether the model's run has ended. */
  get hasExited(): boolean {
    return this.exited;
  }

  /** Ends the worker. */
  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w === undefined) return;
    for (const p of this.pending.values()) p.reject(new Error('terminated'));
    this.pending.clear();
    this.port?.close();
    await w.terminate();
  }
}
