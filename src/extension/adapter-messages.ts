/**
 * Which Debug Adapter Protocol traffic changes what the views show: `stopped` fetches a new
 * snapshot; a request that lets the model run (continue, next, stepIn, …) or a `continued` event
 * marks the snapshot as the last stop's; `restart` forgets the old run's snapshots; a successful register or memory write, or an
 * `invalidated`/`memory` event, fetches the same stop again; `terminated` ends the session.
 * VS Code-free, so it is unit-tested; `tracker.ts` feeds it from a DebugAdapterTracker.
 */
import type { SnapshotFetch, SnapshotStore } from './snapshot-store';

/** Requests after which the model runs until the next `stopped`. */
export const RESUMING_REQUESTS: ReadonlySet<string> = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
  'restartFrame',
  'goto',
]);

/** Requests whose success changes the platform while it stays stopped. */
export const WRITING_REQUESTS: ReadonlySet<string> = new Set([
  'setVariable',
  'setExpression',
  'writeMemory',
]);

interface Message {
  readonly type?: unknown;
  readonly event?: unknown;
  readonly command?: unknown;
  readonly success?: unknown;
}

/** A message the client is about to send to the adapter. */
export function onClientMessage(store: SnapshotStore, sessionId: string, msg: unknown): void {
  const m = msg as Message;
  if (m.type !== 'request' || typeof m.command !== 'string') return;
  if (m.command === 'restart') store.restarting(sessionId);
  else if (RESUMING_REQUESTS.has(m.command)) store.running(sessionId);
}

/** A message the adapter sent to the client. */
export function onAdapterMessage(
  store: SnapshotStore,
  sessionId: string,
  msg: unknown,
  fetch: SnapshotFetch,
): void {
  const m = msg as Message;
  if (m.type === 'event') {
    switch (m.event) {
      case 'stopped':
        void store.stopped(sessionId, fetch);
        break;
      case 'continued':
        store.running(sessionId);
        break;
      case 'invalidated':
      case 'memory':
        void store.refresh(sessionId, fetch);
        break;
      case 'terminated':
      case 'exited':
        store.ended(sessionId);
        break;
    }
  } else if (
    m.type === 'response' &&
    m.success === true &&
    typeof m.command === 'string' &&
    WRITING_REQUESTS.has(m.command)
  ) {
    void store.refresh(sessionId, fetch);
  }
}
