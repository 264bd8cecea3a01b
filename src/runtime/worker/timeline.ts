/**
 * The worker's side of step back and reverse continue: where the run is (the position of the
 * current stop), a replay's target and the stop to make there, the side effects to re-apply on
 * the way, the stops the run made or would have made (for reverse continue), and what step
 * back's target is (from the position ring, from the last step, or — in a replay, which sees
 * every statement — exactly, from the last place seen at each depth).
 */
import {
  EffectLog,
  FIRST,
  ORIGIN,
  StopHistory,
  comparePositions,
  type LoggedEffect,
  type Position,
  type SideEffect,
} from '../replay-log';
import type { ReplayPlan, StopInfo, TravelTarget, WorkerEvent } from '../protocol';
import type { PositionRing } from './position-ring';

/** A long replay reports progress after this long (ms), then at most this often. */
const PROGRESS_MS = 500;

export class Timeline {
  /** Stops made or passed (with the breakpoints as they are now). */
  readonly history = new StopHistory<StopInfo>();
  /** Re-applies a logged side effect (set by the worker's entry, which owns the requests). */
  apply: (e: SideEffect) => void = () => undefined;
  /** The position of the current stop (or of the statement running). */
  current: Position = ORIGIN;
  /** While true, the worker replays toward a target: no stops, no output. */
  replaying = false;
  private effects = new EffectLog();
  private target: Position | null = null;
  private arrival: StopInfo | null = null;
  private applying = false;
  /** In a replay from the start: the last place to stop seen at each depth. */
  private lastAt: number[] | null = null;
  /** The current stop is where a step over or in from `from` at `depth` ended (else null). */
  private lastStep: { from: Position; depth: number } | null = null;
  private stepping: { from: Position; depth: number; over: boolean } | null = null;
  private progress = { count: 0, started: 0, reported: 0 };

  constructor(private readonly post: (ev: WorkerEvent) => void) {}

  /** Starts a replay (before the model runs). */
  begin(plan: ReplayPlan): void {
    this.target = plan.target;
    this.arrival = plan.stop;
    this.effects = new EffectLog(plan.effects);
    this.replaying = true;
    this.lastAt = [];
    this.progress = { count: 0, started: performance.now(), reported: 0 };
  }

  /** Whether every statement must go through the debugger's slow path (a target, effects ahead). */
  get active(): boolean {
    return this.target !== null || this.effects.pending;
  }

  /** A request changed the run at `at`: logged (unless it is a re-application). */
  logged(at: Position, effect: SideEffect): void {
    if (!this.applying) this.effects.add(at, effect);
  }

  /**
   * End of a statement's hook at count `n` and `depth` (no stop made there, or resumed from
   * it): applies the effects due, stops when the target is reached, and keeps the depth map.
   * @param stop makes the arrival stop
   */
  hookEnd(n: number, depth: number, stop: (info: StopInfo) => void): void {
    // Every statement of a replay comes here, mostly in cold code: no allocation on the way.
    if (this.effects.pending) this.applyDue({ n, m: 0 });
    const t = this.target;
    if (t !== null) {
      if (n > t.n || (n === t.n && t.m === 0)) stop(this.arrival ?? { reason: 'step', cpu: 0 });
      else if ((++this.progress.count & 0xffff) === 0) this.report(n, t.n);
    }
    if (this.lastAt !== null) this.lastAt[depth] = n;
  }

  /**
   * A stop (real or would-be) at `at` and `depth`: applies the effects due and records it.
   * Returns false when a replay passes it by (before the target; a pause ends the replay where
   * it is).
   */
  arrive(at: Position, info: StopInfo, depth = Infinity): boolean {
    this.applyDue(at);
    if (this.target !== null && comparePositions(at, this.target) < 0 && info.reason !== 'pause') {
      this.history.record(at, info);
      return false;
    }
    this.target = null;
    this.arrival = null;
    this.replaying = false;
    this.history.record(at, info);
    this.current = at;
    // A step's end, whatever the stop's reason (a breakpoint where the step would stop too).
    const s = this.stepping;
    this.lastStep = s !== null && at.m === 0 && (!s.over || depth <= s.depth) ? s : null;
    this.stepping = null;
    return true;
  }

  /**
   * The model resumes at `depth`: a step keeps every statement on the slow path (the depth map
   * stays exact), a continue with nothing ahead does not.
   */
  resumed(kind: 'continue' | 'in' | 'over' | 'out', depth: number): void {
    this.stepping =
      kind === 'in' || kind === 'over'
        ? { from: this.current, depth, over: kind === 'over' }
        : null;
    if (kind === 'continue' && !this.active) this.lastAt = null;
  }

  /** Where step back or reverse continue would go from the current stop. */
  travelTarget(
    kind: 'stepBack' | 'reverseContinue',
    ring: PositionRing,
    depth: number,
    stop: StopInfo | undefined,
  ): TravelTarget {
    const at = this.current;
    const effects = this.effects.all as LoggedEffect[];
    if (kind === 'reverseContinue') {
      const prev = this.history.previous(at);
      if (typeof prev !== 'string') return { at, stop, target: prev, effects };
      if (prev === 'unknown') return { at, stop, target: 'unknown', effects };
      const first = comparePositions(at, FIRST) > 0;
      return {
        at,
        stop,
        target: first ? { at: FIRST, stop: { reason: 'entry', cpu: 0 } } : 'none',
        effects,
      };
    }
    const n = this.stepBackCount(ring, depth);
    return {
      at,
      stop,
      target: typeof n === 'number' ? { at: { n, m: 0 }, stop: { reason: 'step', cpu: 0 } } : n,
      effects,
    };
  }

  /** The last place before the current one at `depth` or shallower. */
  private stepBackCount(ring: PositionRing, depth: number): number | 'none' | 'unknown' {
    const at = this.current;
    const inclusive = at.m > 0;
    if (this.lastAt !== null) {
      let best = 0;
      for (let d = 0; d <= depth && d < this.lastAt.length; d++) {
        const n = this.lastAt[d];
        if (n !== undefined && n > best && (inclusive ? n <= at.n : n < at.n)) best = n;
      }
      return best > 0 ? best : 'none';
    }
    const r = ring.previous(at.n, inclusive, depth);
    if (r !== 'unknown') return r;
    // A step over or in from S stops at the first place at S's depth or shallower: every place
    // in between was deeper, so S is the answer when it is not deeper than here.
    const s = this.lastStep;
    if (s !== null && s.depth <= depth && s.from.m === 0 && s.from.n > 0) return s.from.n;
    return 'unknown';
  }

  private applyDue(at: Position): void {
    if (!this.effects.pending) return;
    this.applying = true;
    try {
      this.effects.due(at, (e) => {
        try {
          this.apply(e);
        } catch {
          // It failed when first made too (or the run went elsewhere): the same outcome.
        }
      });
    } finally {
      this.applying = false;
    }
  }

  private report(done: number, target: number): void {
    const now = performance.now();
    if (now - this.progress.started < PROGRESS_MS || now - this.progress.reported < PROGRESS_MS)
      return;
    this.progress.reported = now;
    this.post({ type: 'replayProgress', done, target });
  }
}
