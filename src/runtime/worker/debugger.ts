/**
 * The debugger inside the model worker: the hooks instrumented code calls, stepping, stops, and
 * the loop that serves the main thread while the model is stopped.
 *
 * The statement hook's fast path reads four words — the shared CTRL word (pause, messages), the
 * local flags word (stepping, a stop waiting for the next statement), the platform's attention
 * word (a CPU could take an interrupt) and the site's breakpoint byte — with plain loads, and
 * does nothing else when all are zero. To stop, the worker posts `stopped` and blocks in
 * Atomics.wait on the doorbell; each ring drains the port with receiveMessageOnPort and serves
 * the requests, until one resumes the model.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { SiteInfo, FunctionInfo, ScopeInfo } from '../instrument';
import type { Hooks } from '../loader';
import {
  CTRL,
  CTRL_MESSAGE,
  CTRL_PAUSE,
  DOORBELL,
  type ReplayPlan,
  type RequestMessage,
  type TravelTarget,
  type StopInfo,
  type WorkerEvent,
} from '../protocol';
import { FrameStack, type Frame, type ModelFrame } from './frames';
import { Breakpoints } from './breakpoints';
import { formatPlain, formatValue } from './values';
import { DebugVariables } from './debug-variables';
import { InterruptFilters } from './filters';
import { FunctionBreakpoints } from './function-breakpoints';
import { PositionRing } from './position-ring';
import { Timeline } from './timeline';
import type { Position, SideEffect } from '../replay-log';

/** Marker of a local read before its declaration ran. */
export const UNINITIALIZED = Symbol('uninitialized');

type StepKind = 'in' | 'over' | 'out';

/** Handles a request while stopped; returns the body, throws for an error response. */
export type RequestHandler = (msg: RequestMessage) => unknown;

export class WorkerDebugger {
  readonly frames: FrameStack;
  readonly vars = new DebugVariables();
  readonly filters = new InterruptFilters();
  readonly functionBps = new FunctionBreakpoints();
  readonly breakpoints: Breakpoints;
  readonly sites: SiteInfo[] = [];
  readonly functions: FunctionInfo[] = [];
  readonly scopes: ScopeInfo[] = [];
  /** Bumped at every stop; the snapshot and handles belong to one stop. */
  stopSeq = 0;
  lastStop: StopInfo | undefined;
  /** While true (evaluating for the user, running a condition), hooks never stop. */
  suppress = false;
  /** The run's position: places passed (the hook's one increment; see src/runtime/replay-log.ts). */
  readonly pos = new Float64Array(1);
  /** Recent depth changes by position, for step back. */
  readonly ring = new PositionRing();
  /** Replay, side effects and stop history (step back and reverse continue). */
  readonly timeline = new Timeline((ev) => this.post(ev));
  /** True while a statement's hook decides whether to stop (else a stop is inside a statement). */
  private inHook = false;
  private mid = { n: -1, m: 0 };
  private readonly arrival = (info: StopInfo): void =>
    this.stop({ ...info, cpu: this.frames.top.cpu });
  private readonly ctrl: Int32Array;
  private readonly bp: Uint8Array;
  /** flags[0] ≠ 0: stepping or a stop is waiting for the next statement. */
  private readonly flags = new Int32Array(1);
  private step: { kind: StepKind; depth: number } | null = null;
  private pendingStop: StopInfo | null = null;
  private tryDepth = 0;
  private readonly reported = new WeakSet();
  private lastPrimitiveThrow: unknown = undefined;
  private doorbell = 0;
  private paused = false;
  private handler: RequestHandler = () => undefined;

  /**
   * @param port requests arrive here (drained synchronously)
   * @param attention the platform's "a CPU could take an interrupt" word
   * @param dispatch lets CPUs take interrupts (at statement boundaries)
   * @param currentCpu the CPU executing model code now
   */
  constructor(
    private readonly port: MessagePort,
    ctrl: SharedArrayBuffer,
    breakpoints: SharedArrayBuffer,
    private readonly attention: Int32Array,
    private readonly dispatch: () => void,
    currentCpu: () => number,
  ) {
    this.ctrl = new Int32Array(ctrl);
    this.bp = new Uint8Array(breakpoints);
    this.frames = new FrameStack(currentCpu);
    this.breakpoints = new Breakpoints(this.bp);
  }

  /** Sets the function that serves requests while stopped. */
  setHandler(h: RequestHandler): void {
    this.handler = h;
  }

  /** Posts an event to the main thread (output is not sent while a replay repeats the run). */
  post(ev: WorkerEvent): void {
    if (ev.type === 'output' && this.timeline.replaying) return;
    this.port.postMessage(ev);
  }

  /** An interrupt's frame was pushed or popped (model frames record in the hooks). */
  moved(): void {
    this.ring.record(this.pos[0]!, this.statementDepth());
  }

  /**
   * The depth the next statement runs at: the stack's, less the kernel calls on top — they
   * return before it (kernel frames are not recorded: the MMIO path pays nothing for replay).
   */
  private statementDepth(): number {
    const fs = this.frames.frames;
    let d = fs.length;
    while (d > 0 && fs[d - 1]!.kind === 'kernel') d--;
    return d;
  }

  /** The position now: the current stop's, or the statement running. */
  here(): Position {
    return this.paused ? this.timeline.current : { n: this.pos[0]!, m: 0 };
  }

  /** A request changed the run here: the log replays it (see src/runtime/replay-log.ts). */
  logEffect(effect: SideEffect): void {
    this.timeline.logged(this.here(), effect);
  }

  /** A breakpoint set (`key`) was set to `value` (JSON): the stop history may be incomplete. */
  breakpointsSet(key: string, value: unknown): void {
    this.timeline.history.changed(key, JSON.stringify(value), this.here());
  }

  /** Runs as a replay of `plan` (before `start`). */
  beginReplay(plan: ReplayPlan): void {
    this.timeline.begin(plan);
    this.updateFlags();
  }

  /** Where step back or reverse continue would go from here. */
  travelTarget(kind: 'stepBack' | 'reverseContinue'): TravelTarget {
    return this.timeline.travelTarget(kind, this.ring, this.frames.depth, this.lastStop);
  }

  /** Records a transformed file's tables (global ids index them). */
  addTables(
    sites: readonly SiteInfo[],
    functions: readonly FunctionInfo[],
    scopes: readonly ScopeInfo[],
  ): void {
    for (const s of sites) this.sites[s.id] = s;
    for (const f of functions) this.functions[f.fid] = f;
    for (const s of scopes) this.scopes[s.id] = s;
  }

  /** The five hooks for instrumented code. */
  hooks(): Hooks {
    const ctrl = this.ctrl;
    const flags = this.flags;
    const att = this.attention;
    const bp = this.bp;
    const frames = this.frames;
    const pos = this.pos;
    const ring = this.ring;
    return {
      hook: (site: number): void => {
        pos[0]!++;
        frames.top.site = site;
        if ((ctrl[CTRL]! | flags[0]! | att[0]! | bp[site]!) !== 0) this.slow(site);
      },
      enter: (fid: number) => {
        const f = frames.enter(fid);
        ring.record(pos[0]!, frames.depth);
        return f;
      },
      leave: (f: unknown) => {
        frames.leave(f as Frame);
        ring.record(pos[0]!, frames.top.kind === 'kernel' ? this.statementDepth() : frames.depth);
      },
      throw: (e: unknown, f: unknown) => {
        this.onThrow(e, f as ModelFrame);
      },
      tryCount: (d: number) => {
        this.tryDepth += d;
      },
    };
  }

  /** Requests a stop at the next statement (stopOnEntry, an interrupt filter hit). */
  stopAtNextStatement(info: StopInfo): void {
    this.pendingStop = info;
    this.updateFlags();
  }

  private updateFlags(): void {
    this.flags[0] = this.step !== null || this.pendingStop !== null || this.timeline.active ? 1 : 0;
  }

  private slow(site: number): void {
    if (this.ctrl[CTRL]! & CTRL_MESSAGE) this.drain();
    if (this.attention[0] !== 0 && !this.suppress) this.deliver();
    if (this.suppress) return;
    const n = this.pos[0]!;
    const depth = this.frames.depth;
    this.inHook = true;
    this.checks(site);
    this.timeline.hookEnd(n, depth, this.arrival);
    this.inHook = false;
  }

  /** Lets CPUs take interrupts; handlers that ran make the place after them one of its own. */
  private deliver(): void {
    const n = this.pos[0]!;
    this.dispatch();
    if (this.pos[0] === n) return;
    const t = this.pos[0]! + 1;
    this.pos[0] = t;
    this.ring.tick(t, n);
  }

  /** What a statement's hook stops for: a pause, a pending stop, a breakpoint, a step's end. */
  private checks(site: number): void {
    if (this.ctrl[CTRL]! & CTRL_PAUSE) {
      Atomics.and(this.ctrl, CTRL, ~CTRL_PAUSE);
      this.stop({ reason: 'pause', cpu: this.frames.top.cpu });
      return;
    }
    if (this.pendingStop !== null) {
      const info = { ...this.pendingStop, cpu: this.frames.top.cpu };
      this.pendingStop = null;
      this.step = null;
      this.updateFlags();
      this.stop(info);
      return;
    }
    if (this.bp[site]) {
      const action = this.breakpoints.reached(
        site,
        (expr) => this.evaluateIn(this.frames.top, expr),
        (v) => formatPlain(v),
        (msg) => this.post({ type: 'output', category: 'stderr', text: msg + '\n' }),
      );
      const s = this.sites[site];
      const where = s ? { path: this.functions[s.fid]?.file ?? '', line: s.line } : {};
      for (const text of action.logs)
        this.post({ type: 'output', category: 'stdout', text: text + '\n', ...where });
      if (action.stopIds.length > 0) {
        this.step = null;
        this.updateFlags();
        this.stop({
          reason: 'breakpoint',
          cpu: this.frames.top.cpu,
          hitBreakpointIds: action.stopIds,
        });
        return;
      }
    }
    if (this.step !== null) {
      const d = this.frames.depth;
      const done =
        this.step.kind === 'in' ||
        (this.step.kind === 'over' ? d <= this.step.depth : d < this.step.depth);
      if (done) {
        this.step = null;
        this.updateFlags();
        this.stop({ reason: 'step', cpu: this.frames.top.cpu });
      }
    }
  }

  /** `__throw`: stops at the innermost frame of an exception no model code will catch. */
  private onThrow(e: unknown, frame: ModelFrame): void {
    if (this.suppress || this.tryDepth > 0 || !this.filters.enabled('uncaught')) return;
    if (typeof e === 'object' && e !== null) {
      if (this.reported.has(e)) return;
      this.reported.add(e);
    } else {
      if (this.lastPrimitiveThrow === e && this.frames.depth > 0) return;
      this.lastPrimitiveThrow = e;
    }
    const text = e instanceof Error ? e.name : 'Exception';
    const description =
      e instanceof Error ? `${e.name}: ${e.message}` : `Uncaught ${formatValue(e)}`;
    this.step = null;
    this.updateFlags();
    this.stop({ reason: 'exception', cpu: frame.cpu, text, description, filterId: 'uncaught' });
  }

  /**
   * Stops now: posts `stopped` and serves requests until the model is resumed. Safe to call from
   * inside platform code (a trace listener): the model's frames stay where they are.
   */
  stop(info: StopInfo): void {
    const n = this.pos[0]!;
    const m = this.inHook ? 0 : this.mid.n === n ? this.mid.m + 1 : 1;
    if (m > 0) this.mid = { n, m };
    if (!this.timeline.arrive({ n, m }, info, this.frames.depth)) return; // a replay passes it by
    const mark = this.freeze();
    this.stopSeq++;
    this.lastStop = info;
    this.vars.reset();
    this.post({ type: 'stopped', stop: info });
    this.paused = true;
    this.serve(() => !this.paused);
    this.thaw(mark);
  }

  /** The position and ring now: what the debugger's own evaluations add is taken back. */
  private freeze(): [number, number] {
    return [this.pos[0]!, this.ring.mark()];
  }

  private thaw([n, mark]: [number, number]): void {
    this.pos[0] = n;
    this.ring.rewind(mark);
  }

  /** Resumes the model: `continue` or one of the steps, from the current depth. */
  resume(kind: 'continue' | StepKind): void {
    this.step = kind === 'continue' ? null : { kind, depth: this.frames.depth };
    this.timeline.resumed(kind, this.frames.depth);
    this.updateFlags();
    this.vars.reset();
    this.paused = false;
  }

  /**
   * Serves requests (blocking in Atomics.wait between doorbell rings) until `done()` holds.
   */
  serve(done: () => boolean): void {
    for (;;) {
      this.drain();
      if (done()) return;
      Atomics.wait(this.ctrl, DOORBELL, this.doorbell);
      this.doorbell = Atomics.load(this.ctrl, DOORBELL);
    }
  }

  /** Handles every queued request. */
  drain(): void {
    Atomics.and(this.ctrl, CTRL, ~CTRL_MESSAGE);
    for (
      let m = receiveMessageOnPort(this.port);
      m !== undefined;
      m = receiveMessageOnPort(this.port)
    ) {
      const msg = m.message as RequestMessage;
      try {
        const body = this.handler(msg);
        this.port.postMessage({ type: 'response', seq: msg.seq, ok: true, body });
      } catch (e) {
        this.port.postMessage({
          type: 'response',
          seq: msg.seq,
          ok: false,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
  }

  /**
   * Evaluates `expr` in a frame (its innermost scope closure at the current statement), or
   * globally for frames without one. Hooks do not stop meanwhile.
   */
  evaluateIn(frame: Frame | undefined, expr: string): unknown {
    const closure = frame?.kind === 'model' ? this.closureOf(frame) : undefined;
    const prev = this.suppress;
    this.suppress = true;
    const mark = this.freeze();
    try {
      return closure ? closure(expr) : (0, eval)(expr);
    } finally {
      this.suppress = prev;
      this.thaw(mark);
    }
  }

  /** The innermost scope closure in force at `frame`'s current statement. */
  closureOf(frame: ModelFrame): ((expr: string) => unknown) | undefined {
    const site = this.sites[frame.site];
    for (let d = site?.depth ?? frame.s.length - 1; d >= 0; d--) {
      const c = frame.s[d];
      if (c) return c;
    }
    return undefined;
  }

  /** Whether the model is stopped now. */
  get isPaused(): boolean {
    return this.paused;
  }
}
