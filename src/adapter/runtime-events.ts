/**
 * The worker's events as DAP events: stops, output, breakpoints the worker verified or moved,
 * the model's exit and the end of the run. After each stop the next replay's worker is launched
 * ahead, so a step back starts at once.
 */
import { BreakpointEvent, ExitedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { TimeTravel } from '../runtime/replay';
import type { WorkerEvent } from '../runtime/protocol';
import type { DapClient } from './client';
import { toBreakpoint, toOutputEvent, toStoppedEvent } from './mapping';

/** Forwards the current worker's events to the client. */
export class RuntimeEvents {
  constructor(
    private readonly client: DapClient,
    private readonly timeTravel: TimeTravel,
  ) {}

  /** Sends the DAP events of one worker event. */
  forward(ev: WorkerEvent): void {
    switch (ev.type) {
      case 'stopped':
        this.client.sendEvent(toStoppedEvent(ev.stop));
        this.timeTravel.warm();
        break;
      case 'output':
        this.client.sendEvent(toOutputEvent(ev));
        break;
      case 'breakpoints':
        for (const r of ev.results)
          this.client.sendEvent(new BreakpointEvent('changed', toBreakpoint(r)));
        break;
      case 'exited':
        this.client.sendEvent(new ExitedEvent(ev.exitCode));
        break;
      case 'terminated':
        this.client.sendEvent(new TerminatedEvent());
        break;
      default:
        break;
    }
  }
}
