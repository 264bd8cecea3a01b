/**
 * Step back and reverse continue by deterministic replay (DESIGN.md §2): runs are
 * deterministic, so going back to a position is running a fresh worker — the same launch
 * configuration, the breakpoints as they are now — from the start to that position with stops
 * and output suppressed and the user's side effects re-applied where they were made, then
 * stopping there. The fresh worker replaces the current one; the views show its state.
 *
 * The current worker says where to go (`travelTarget`): step back from its position ring,
 * reverse continue from its stop history. When it cannot tell (the ring has lost the place,
 * the breakpoints changed since the stops it knows), a first replay to the current position
 * — which sees every statement and every would-be stop — tells, and a second one goes there.
 *
 * A fresh worker's launch (loading the bundle, building the machine, instrumenting the model,
 * all in cold code) costs far more than replaying thousands of statements, so one worker is
 * kept launched ahead once the run has stopped (`warm`): a replay takes it, configures the
 * breakpoints and starts it; the next one is launched in the background.
 *
 * Going forward from a replayed position runs the same run again: the side effects logged
 * after it stay ahead and are re-applied when the run passes their positions (the old future is
 * kept); a new side effect drops those after it.
 */
import type { ModelRuntime } from './model-runtime';
import type { ReplayPlan, StopInfo, TravelTarget } from './protocol';
import { formatPosition } from './replay-log';

export type TravelKind = 'stepBack' | 'reverseContinue';

export interface TravelOutcome {
  /** The worker at the destination, to use from now on; undefined: stay where the run is. */
  runtime?: ModelRuntime;
  /** The stop to report (the current one when staying). */
  stop: StopInfo;
  /** A sentence for the user (nothing to go back to, a replay that failed). */
  message?: string;
}

export class TimeTravel {
  private replaying: ModelRuntime | undefined;
  private standby: Promise<ModelRuntime> | undefined;

  /**
   * @param launch launches a worker with the run's launch configuration; does not start it
   * @param configure sets the current breakpoints, filters and data breakpoints in a worker
   * @param progress called with a sentence while a long replay runs
   */
  constructor(
    private readonly launch: () => Promise<ModelRuntime>,
    private readonly configure: (rt: ModelRuntime) => Promise<void>,
    private readonly progress: (text: string) => void,
  ) {}

  /** Launches the next replay's worker ahead, unless one is ready. */
  warm(): void {
    if (this.standby !== undefined) return;
    const p = this.launch();
    p.catch(() => {
      if (this.standby === p) this.standby = undefined; // launched again when taken
    });
    this.standby = p;
  }

  /** Ends the worker launched ahead (a restart launches with new arguments). */
  async reset(): Promise<void> {
    const p = this.standby;
    this.standby = undefined;
    const rt = await p?.catch(() => undefined);
    await rt?.terminate();
  }

  /** Goes back from `current`'s stop. Never throws: a failure stays, with a message. */
  async travel(current: ModelRuntime, kind: TravelKind): Promise<TravelOutcome> {
    let t = (await current.request('travelTarget', { kind })) as TravelTarget;
    const here: StopInfo = t.stop ?? { reason: 'step', cpu: 0 };
    let scout: ModelRuntime | undefined;
    try {
      if (t.target === 'unknown') {
        scout = (await this.replay({ target: t.at, stop: here, effects: t.effects })).runtime;
        t = (await scout.request('travelTarget', { kind })) as TravelTarget;
      }
      if (typeof t.target === 'string')
        return {
          stop: here,
          message:
            kind === 'stepBack'
              ? 'at the first statement of the run: nothing to step back to'
              : 'at the start of the run: nothing to go back to',
        };
      const to = t.target;
      const r = await this.replay({ target: to.at, stop: to.stop, effects: t.effects });
      return {
        ...r,
        message:
          to.stop.reason === 'entry'
            ? 'no earlier stop: back at the start of the run'
            : r.stop.reason === 'pause'
              ? `the replay was paused before step ${formatPosition(to.at)}`
              : undefined,
      };
    } catch (e) {
      return { stop: here, message: `${kind}: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      if (scout !== undefined) void scout.terminate();
      this.warm();
    }
  }

  /** Pauses a replay under way (true), or does nothing (false). */
  pause(): boolean {
    this.replaying?.pause();
    return this.replaying !== undefined;
  }

  /** Ends a replay under way (its travel then stays where it was) and the worker launched ahead. */
  async cancel(): Promise<void> {
    await this.replaying?.terminate();
    await this.reset();
  }

  /** The worker launched ahead, or a new one; configured with the current breakpoints. */
  private async take(): Promise<ModelRuntime> {
    const p = this.standby ?? this.launch();
    this.standby = undefined;
    const rt = await p;
    try {
      await this.configure(rt);
    } catch (e) {
      await rt.terminate();
      throw e;
    }
    return rt;
  }

  /** Runs a fresh worker to `plan.target`; resolves when it has stopped there. */
  private async replay(plan: ReplayPlan): Promise<{ runtime: ModelRuntime; stop: StopInfo }> {
    const rt = await this.take();
    this.replaying = rt;
    try {
      const stop = await new Promise<StopInfo>((resolve, reject) => {
        rt.on('event', (ev) => {
          if (ev.type === 'stopped') resolve(ev.stop);
          else if (ev.type === 'replayProgress')
            this.progress(
              `replaying to step ${ev.target.toLocaleString('en-US')}: ${Math.floor((100 * ev.done) / ev.target)} %`,
            );
          else if (ev.type === 'exited' || ev.type === 'terminated')
            reject(
              new Error(
                `the replay ended before step ${formatPosition(plan.target)}: the run went another way ` +
                  '(does the model read something outside the emulated platform — files, ' +
                  'performance.now, another process?)',
              ),
            );
        });
        rt.request('replay', plan).catch(reject);
      });
      rt.removeAllListeners('event');
      return { runtime: rt, stop };
    } catch (e) {
      await rt.terminate();
      throw e;
    } finally {
      this.replaying = undefined;
    }
  }
}
