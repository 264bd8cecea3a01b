/**
 * Execution control: continue, the steps, pause, and the two ways back — step back and reverse
 * continue, which replay the run in a fresh worker (src/runtime/replay.ts) and make it current.
 * All CPUs run and stop together, so no request names a thread.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TimeTravel, TravelKind } from '../runtime/replay';
import { forward, type DapClient } from './client';
import { toOutputEvent, toStoppedEvent } from './mapping';
import type { RuntimeHost } from './runtime-host';

/** The run-control requests; one replay at a time. */
export class Execution {
  private travelling = false;

  constructor(
    private readonly client: DapClient,
    private readonly host: RuntimeHost,
    private readonly timeTravel: TimeTravel,
  ) {}

  /** Resumes all CPUs. */
  async continue(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    await forward(this.client, response, () => this.host.rt().request('continue', {}));
  }

  /** Steps over the current statement. */
  async next(response: DebugProtocol.NextResponse): Promise<void> {
    await forward(this.client, response, () => this.host.rt().request('next', {}));
  }

  /** Steps into the call at the current statement. */
  async stepIn(response: DebugProtocol.StepInResponse): Promise<void> {
    await forward(this.client, response, () => this.host.rt().request('stepIn', {}));
  }

  /** Runs to the return of the current function. */
  async stepOut(response: DebugProtocol.StepOutResponse): Promise<void> {
    await forward(this.client, response, () => this.host.rt().request('stepOut', {}));
  }

  /** Pauses a replay under way, or else the running model. */
  pause(response: DebugProtocol.PauseResponse): void {
    if (!this.timeTravel.pause()) this.host.current?.pause();
    this.client.sendResponse(response);
  }

  /** The reverse of step over, by replay: the last statement before this one at this depth or shallower. */
  stepBack(response: DebugProtocol.StepBackResponse): void {
    this.travel(response, 'stepBack');
  }

  /** Back to the previous place a breakpoint or filter stops at (or the start), by replay. */
  reverseContinue(response: DebugProtocol.ReverseContinueResponse): void {
    this.travel(response, 'reverseContinue');
  }

  /** Answers at once (the client then waits for `stopped`, as after a step), then replays. */
  private travel(response: DebugProtocol.Response, kind: TravelKind): void {
    const current = this.host.current;
    if (current === undefined || current.hasExited || this.travelling) {
      this.client.sendErrorResponse(response, {
        id: 1003,
        format: this.travelling ? 'a replay is under way' : 'the model is not running',
      });
      return;
    }
    this.client.sendResponse(response);
    this.travelling = true;
    void this.timeTravel.travel(current, kind).then((r) => {
      this.travelling = false;
      if (this.host.current !== current) {
        void r.runtime?.terminate(); // restarted or ended meanwhile
        return;
      }
      if (r.runtime !== undefined) {
        this.host.replace(current, r.runtime);
        void current.terminate();
      }
      if (r.message !== undefined)
        this.client.sendEvent(
          toOutputEvent({ type: 'output', category: 'console', text: `ims-debug: ${r.message}\n` }),
        );
      this.client.sendEvent(toStoppedEvent(r.stop));
    });
  }
}
