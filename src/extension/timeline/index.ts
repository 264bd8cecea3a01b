/**
 * The interrupt timeline in VS Code: the Show Interrupt Timeline command (a webview panel of the
 * active `ims` session's messages per device, slot and CPU, refreshed at each stop) and the
 * Export Interrupt Trace command (the Chrome/Perfetto trace file). Follows the session's stops
 * through the snapshot store, without changing what the store does.
 */
import * as vscode from 'vscode';
import { TRACE_REQUEST } from '../../adapter/trace-request';
import { DEBUG_TYPE } from '../launch-config';
import type { SnapshotStore } from '../snapshot-store';
import { TIMELINE_COMMANDS } from './commands';
import { exportTrace } from './export';
import { TimelineFeed, type FeedSession } from './feed';
import type { ToWebview } from './messages';
import { TimelinePanel, type Rendered } from './panel';

/** What the extension's API exposes of the timeline (for tests in a real VS Code). */
export interface TimelineApi {
  /** Whether the panel is open. */
  isOpen(): boolean;
  /** The last message of type `type` posted to the panel's page. */
  lastPosted<T extends ToWebview['type']>(type: T): Extract<ToWebview, { type: T }> | undefined;
  /** The page's answer to the last trace it drew. */
  lastRendered(): Rendered | undefined;
}

export function registerTimeline(
  context: vscode.ExtensionContext,
  store: SnapshotStore,
): TimelineApi {
  const feed: TimelineFeed = new TimelineFeed(
    (s) => panel.render(s),
    () => panel.isOpen,
  );
  const panel: TimelinePanel = new TimelinePanel(
    context.extensionUri,
    () => feed.state,
    () => feed.ensure(),
    () => void vscode.commands.executeCommand(TIMELINE_COMMANDS.export),
  );
  const sessionOf = (s: vscode.DebugSession | undefined): FeedSession | undefined =>
    s?.type === DEBUG_TYPE
      ? { id: s.id, name: s.name, fetch: () => s.customRequest(TRACE_REQUEST) }
      : undefined;
  const followActive = () => {
    const s = vscode.debug.activeDebugSession;
    feed.follow(sessionOf(s), s ? store.get(s.id) : undefined);
  };
  followActive();
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand(TIMELINE_COMMANDS.show, () => {
      followActive();
      panel.show();
    }),
    vscode.commands.registerCommand(TIMELINE_COMMANDS.export, (target?: unknown) =>
      exportTrace(target instanceof vscode.Uri ? target : undefined, feed.state.trace),
    ),
    vscode.debug.onDidChangeActiveDebugSession(followActive),
    store.onDidChange((id) => {
      if (vscode.debug.activeDebugSession?.id === id) followActive();
      feed.changed(id, store.get(id));
    }),
  );
  return {
    isOpen: () => panel.isOpen,
    lastPosted: <T extends ToWebview['type']>(type: T) =>
      panel.lastPosted.get(type) as Extract<ToWebview, { type: T }> | undefined,
    lastRendered: () => panel.lastRendered,
  };
}
