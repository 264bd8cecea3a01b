/**
 * What the timeline shows, and when it asks for it: the trace of one debug session (the active
 * `ims` session, else the last one shown), fetched with `ims/trace` each time the snapshot store
 * has a new snapshot of it — that is, once per stop, and again after a write while stopped —
 * while a panel wants it. One request at a time; a change during a request fetches again
 * after it. When the session runs or ends, the last trace stays with a status saying so.
 * Free of VS Code, so it is unit-tested.
 */
import type { ChromeTrace } from '../../platform/chrome-trace/format';
import type { SessionView } from '../snapshot-store';
import type { TimelinePhase } from './messages';

/** A debug session as the feed needs it. */
export interface FeedSession {
  readonly id: string;
  readonly name: string;
  /** Sends `ims/trace`; resolves with the response body. */
  fetch(): PromiseLike<unknown>;
}

/** What the panel shows. */
export interface FeedState {
  session: { id: string; name: string } | undefined;
  phase: TimelinePhase;
  trace: ChromeTrace | undefined;
  /** Why the last fetch failed. */
  error: string | undefined;
}

/** Checks the body of an `ims/trace` response and returns its trace. */
export function parseTraceResponse(body: unknown): ChromeTrace {
  const trace = (body as { trace?: unknown } | null | undefined)?.trace as
    Partial<ChromeTrace> | undefined;
  if (typeof trace !== 'object' || !Array.isArray(trace.traceEvents))
    throw new Error('the debug adapter answered ims/trace without a trace');
  return trace as ChromeTrace;
}

export class TimelineFeed {
  private session: FeedSession | undefined;
  private phase: TimelinePhase = 'none';
  private trace: ChromeTrace | undefined;
  private error: string | undefined;
  /** The snapshot the shown trace was fetched for, and the one last asked for. */
  private fetchedFor: unknown;
  private requested: unknown;
  private latest: unknown;
  /** The session a request is out for. */
  private inflight: FeedSession | undefined;
  private wanted = false;

  /**
   * @param update called with the new state whenever it changes
   * @param active whether a panel wants traces (no fetches otherwise)
   */
  constructor(
    private readonly update: (s: FeedState) => void,
    private readonly active: () => boolean,
  ) {}

  get state(): FeedState {
    return {
      session: this.session && { id: this.session.id, name: this.session.name },
      phase: this.phase,
      trace: this.trace,
      error: this.error,
    };
  }

  /** The session to follow (the active `ims` session); undefined keeps the last one shown. */
  follow(session: FeedSession | undefined, view: SessionView | undefined): void {
    if (session === undefined || session.id === this.session?.id) return;
    this.session = session;
    this.trace = undefined;
    this.error = undefined;
    this.fetchedFor = undefined;
    this.requested = undefined;
    this.latest = undefined;
    this.changed(session.id, view);
  }

  /** The snapshot store changed for session `id` (its view is `view`; undefined: ended). */
  changed(id: string, view: SessionView | undefined): void {
    if (id !== this.session?.id) return;
    const phase: TimelinePhase = view === undefined ? 'ended' : view.phase;
    const phaseChanged = phase !== this.phase;
    this.phase = phase;
    if (view?.snapshot !== undefined) this.latest = view.snapshot;
    if (phase === 'stopped' && this.latest !== this.requested) this.refresh();
    if (phaseChanged) this.update(this.state);
  }

  /** A panel opened: fetches the trace of the current stop unless it is already here. */
  ensure(): void {
    if (this.trace === undefined || this.latest !== this.fetchedFor) this.refresh();
  }

  /** Fetches the trace of the current stop now, if a panel wants it and the model is stopped. */
  refresh(): void {
    if (this.session === undefined || !this.active() || this.phase !== 'stopped') return;
    if (this.inflight === this.session) {
      this.wanted = true;
      return;
    }
    void this.fetch(this.session);
  }

  private async fetch(session: FeedSession): Promise<void> {
    this.inflight = session;
    const target = this.latest;
    this.requested = target;
    try {
      const trace = parseTraceResponse(await session.fetch());
      if (session === this.session) {
        this.trace = trace;
        this.error = undefined;
        this.fetchedFor = target;
        this.update(this.state);
      }
    } catch (e) {
      if (session === this.session) {
        this.error = e instanceof Error ? e.message : String(e);
        this.update(this.state);
      }
    } finally {
      if (this.inflight === session) this.inflight = undefined;
    }
    if (this.wanted && session === this.session) {
      this.wanted = false;
      if (this.latest !== this.requested) this.refresh();
    }
  }
}
