/**
 * Watches the DAP traffic of every `ims` session (a DebugAdapterTracker) and tells the snapshot
 * store about stops, runs and writes; the store then sends one `ims/snapshot` request per stop.
 */
import * as vscode from 'vscode';
import { SNAPSHOT_REQUEST } from '../adapter/launch-args';
import { onAdapterMessage, onClientMessage } from './adapter-messages';
import { INLINE_LIMIT } from './model/context';
import type { SnapshotStore } from './snapshot-store';

export class SnapshotTrackerFactory implements vscode.DebugAdapterTrackerFactory {
  constructor(private readonly store: SnapshotStore) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const store = this.store;
    // Lists longer than INLINE_LIMIT come as totals; the views read their rows page by page.
    const fetch = () => session.customRequest(SNAPSHOT_REQUEST, { inlineLimit: INLINE_LIMIT });
    return {
      onWillStartSession: () => store.started(session.id),
      onWillReceiveMessage: (m: unknown) => onClientMessage(store, session.id, m),
      onDidSendMessage: (m: unknown) => onAdapterMessage(store, session.id, m, fetch),
      onExit: () => store.ended(session.id),
    };
  }
}
