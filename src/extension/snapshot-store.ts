/**
 * Per debug session: the snapshot of the current stop, the one of the previous stop, and whether
 * the model is stopped, running or gone. One `ims/snapshot` request per stop feeds every view;
 * requests never overlap (a stop that arrives while one is in flight is fetched after it), and a
 * late answer for an older stop never replaces a newer one. Free of VS Code so it is unit-tested.
 */
import { SNAPSHOT_VERSION, type PlatformSnapshot } from '../platform/snapshot/types';

export type SessionPhase = 'starting' | 'stopped' | 'running' | 'ended';

/** What the views of one session show. */
export interface SessionView {
  readonly phase: SessionPhase;
  /** The snapshot of the latest stop that has been fetched. */
  readonly snapshot: PlatformSnapshot | undefined;
  /** The snapshot of the stop before it (change highlights compare with it). */
  readonly previous: PlatformSnapshot | undefined;
  /** Why the latest fetch failed, if it did. */
  readonly error: string | undefined;
}

/** Sends the `ims/snapshot` request and returns the response body. */
export type SnapshotFetch = () => PromiseLike<unknown>;

interface Entry {
  phase: SessionPhase;
  snapshot: PlatformSnapshot | undefined;
  previous: PlatformSnapshot | undefined;
  error: string | undefined;
  /** Stops seen so far; a fetch belongs to the stop that was current when it started. */
  stop: number;
  /** The stop the shown snapshot belongs to. */
  shownStop: number;
  inflight: boolean;
  queued: SnapshotFetch | undefined;
}

/**
 * Checks a response body of `ims/snapshot` and returns its snapshot.
 * @throws Error naming what is wrong (no snapshot, another version)
 */
export function parseSnapshotResponse(body: unknown): PlatformSnapshot {
  const snap = (body as { snapshot?: unknown } | null | undefined)?.snapshot as
    Partial<PlatformSnapshot> | undefined;
  if (snap === undefined || typeof snap !== 'object') {
    throw new Error('the debug adapter answered ims/snapshot without a snapshot');
  }
  if (snap.version !== SNAPSHOT_VERSION) {
    throw new Error(
      `the debug adapter sent snapshot version ${String(snap.version)}; this extension renders version ${SNAPSHOT_VERSION}`,
    );
  }
  return snap as PlatformSnapshot;
}

export class SnapshotStore {
  private readonly sessions = new Map<string, Entry>();
  private readonly listeners = new Set<(sessionId: string) => void>();

  /** Calls `listener(sessionId)` whenever that session's view changes. */
  onDidChange(listener: (sessionId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The view of session `id`, if it is known. */
  get(id: string): SessionView | undefined {
    const e = this.sessions.get(id);
    return e === undefined
      ? undefined
      : { phase: e.phase, snapshot: e.snapshot, previous: e.previous, error: e.error };
  }

  /** Session `id` started (its views are empty until the first stop). */
  started(id: string): void {
    this.entry(id);
    this.fire(id);
  }

  /** The model stopped: fetch the snapshot of this stop (once). */
  stopped(id: string, fetch: SnapshotFetch): Promise<void> {
    const e = this.entry(id);
    e.phase = 'stopped';
    e.stop++;
    this.fire(id);
    return this.request(id, e, fetch);
  }

  /**
   * The platform changed while stopped (a register write through the debugger): fetch again,
   * keeping the previous stop's snapshot for comparison.
   */
  refresh(id: string, fetch: SnapshotFetch): Promise<void> {
    const e = this.sessions.get(id);
    if (e?.phase !== 'stopped') return Promise.resolve();
    return this.request(id, e, fetch);
  }

  /** The model runs: the shown snapshot is that of the last stop. */
  running(id: string): void {
    const e = this.sessions.get(id);
    if (e === undefined || e.phase === 'running' || e.phase === 'ended') return;
    e.phase = 'running';
    this.fire(id);
  }

  /**
   * The session restarts the model (DAP `restart`): the old run's snapshots mean nothing to the
   * new one, whose stop numbers (`seq`) start again.
   */
  restarting(id: string): void {
    const e = this.sessions.get(id);
    if (e === undefined) return;
    e.phase = 'running';
    e.snapshot = undefined;
    e.previous = undefined;
    e.error = undefined;
    this.fire(id);
  }

  /** The session ended: forget it. */
  ended(id: string): void {
    const e = this.sessions.get(id);
    if (e === undefined) return;
    e.phase = 'ended';
    this.sessions.delete(id);
    this.fire(id);
  }

  private entry(id: string): Entry {
    let e = this.sessions.get(id);
    if (e === undefined) {
      e = {
        phase: 'starting',
        snapshot: undefined,
        previous: undefined,
        error: undefined,
        stop: 0,
        shownStop: 0,
        inflight: false,
        queued: undefined,
      };
      this.sessions.set(id, e);
    }
    return e;
  }

  private async request(id: string, e: Entry, fetch: SnapshotFetch): Promise<void> {
    if (e.inflight) {
      e.queued = fetch;
      return;
    }
    e.inflight = true;
    const stop = e.stop;
    try {
      const snap = parseSnapshotResponse(await fetch());
      if (this.sessions.get(id) === e && !(e.snapshot !== undefined && snap.seq < e.snapshot.seq)) {
        if (stop !== e.shownStop) {
          e.previous = e.snapshot;
          e.shownStop = stop;
        }
        e.snapshot = snap;
        e.error = undefined;
        this.fire(id);
      }
    } catch (err) {
      if (this.sessions.get(id) === e) {
        e.error = err instanceof Error ? err.message : String(err);
        this.fire(id);
      }
    } finally {
      e.inflight = false;
    }
    const next = e.queued;
    e.queued = undefined;
    if (next !== undefined && this.sessions.get(id) === e) await this.request(id, e, next);
  }

  private fire(id: string): void {
    for (const l of this.listeners) l(id);
  }
}
