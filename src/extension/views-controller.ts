/**
 * Owns the four tree views: feeds them the active `ims` session's snapshots from the store,
 * shows the session's state as the view message (running, failed fetch), keeps the user's
 * display choices (per-node formats, rows shown per list) and registers the view commands.
 */
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './launch-config';
import type { ValueFormat } from './model/format';
import { formatNs } from './model/format';
import { renderText, type ViewNode } from './model/node';
import { readSettings, SETTINGS_SECTION, type ExtensionSettings } from './settings';
import type { SnapshotStore } from './snapshot-store';
import { SnapshotTreeProvider, type RenderSource } from './tree-provider';
import { VIEW_COMMANDS } from './view-commands';
import { VIEWS } from './views';

export class ViewsController implements vscode.Disposable {
  private readonly disposables: { dispose(): unknown }[] = [];
  private readonly providers: SnapshotTreeProvider[] = [];
  private readonly treeViews: vscode.TreeView<ViewNode>[] = [];
  /** Per-node formats (inherited by descendants), across sessions. */
  private readonly formats = new Map<string, ValueFormat>();
  /** Rows shown per long list; kept across the stops of a session. */
  private readonly shown = new Map<string, number>();
  private settings: ExtensionSettings = readSettings();
  private shownSession: string | undefined;

  constructor(private readonly store: SnapshotStore) {
    for (const view of VIEWS) {
      const provider = new SnapshotTreeProvider(view, () => this.source());
      const treeView = vscode.window.createTreeView(view.id, {
        treeDataProvider: provider,
        showCollapseAll: true,
      });
      this.providers.push(provider);
      this.treeViews.push(treeView);
      this.disposables.push(provider, treeView);
    }
    this.disposables.push(
      store.onDidChange((id) => {
        if (id === vscode.debug.activeDebugSession?.id) this.refreshAll();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) {
          this.settings = readSettings();
          this.refreshAll();
        }
      }),
      vscode.commands.registerCommand(VIEW_COMMANDS.showMore, (listId: unknown) =>
        this.showMore(listId),
      ),
      vscode.commands.registerCommand(VIEW_COMMANDS.formatHex, (n?: ViewNode) =>
        this.setFormat(n, 'hex'),
      ),
      vscode.commands.registerCommand(VIEW_COMMANDS.formatDecimal, (n?: ViewNode) =>
        this.setFormat(n, 'decimal'),
      ),
      vscode.commands.registerCommand(VIEW_COMMANDS.formatBinary, (n?: ViewNode) =>
        this.setFormat(n, 'binary'),
      ),
      vscode.commands.registerCommand(VIEW_COMMANDS.copyValue, (n?: ViewNode) =>
        n === undefined
          ? undefined
          : vscode.env.clipboard.writeText(n.copyText ?? n.description ?? ''),
      ),
      vscode.commands.registerCommand(VIEW_COMMANDS.copyAsText, (n?: ViewNode) =>
        n === undefined ? undefined : vscode.env.clipboard.writeText(renderText([n])),
      ),
    );
    this.refreshAll();
  }

  /**
   * The text of view `viewId` for the active session, expanded `depth` levels (for tests in a
   * real VS Code and for bug reports), or undefined when the view is unknown or empty.
   */
  viewText(viewId: string, depth = Infinity): string | undefined {
    const p = this.providers.find((x) => x.view.id === viewId);
    const roots = p?.roots() ?? [];
    return roots.length === 0 ? undefined : renderText(roots, depth);
  }

  private activeSessionView() {
    const s = vscode.debug.activeDebugSession;
    return s?.type === DEBUG_TYPE ? this.store.get(s.id) : undefined;
  }

  private source(): RenderSource | undefined {
    const v = this.activeSessionView();
    if (v?.snapshot === undefined) return undefined;
    return {
      snapshot: v.snapshot,
      // Highlights mean "changed since the previous stop": only while stopped.
      previous: v.phase === 'stopped' ? v.previous : undefined,
      options: {
        format: this.settings.valueFormat,
        formats: this.formats,
        pageSize: this.settings.pageSize,
        shown: this.shown,
      },
    };
  }

  private refreshAll(): void {
    const v = this.activeSessionView();
    const session = vscode.debug.activeDebugSession?.id;
    if (session !== this.shownSession) {
      this.shown.clear();
      this.shownSession = session;
    }
    const message =
      v === undefined
        ? undefined
        : v.error !== undefined
          ? `Could not get the platform snapshot: ${v.error}`
          : v.phase === 'running' && v.snapshot !== undefined
            ? `Running — showing the state at the last stop (t = ${formatNs(v.snapshot.t)}).`
            : undefined;
    const description = v?.snapshot === undefined ? undefined : `t = ${formatNs(v.snapshot.t)}`;
    for (const tv of this.treeViews) {
      tv.message = message;
      tv.description = description;
    }
    for (const p of this.providers) p.refresh();
  }

  private showMore(listId: unknown): void {
    if (typeof listId !== 'string') return;
    const page = this.settings.pageSize;
    this.shown.set(listId, Math.max(this.shown.get(listId) ?? page, page) + page);
    for (const p of this.providers) p.refresh(listId);
  }

  private setFormat(node: ViewNode | undefined, fmt: ValueFormat): void {
    if (node === undefined) return;
    this.formats.set(node.id, fmt);
    for (const p of this.providers) p.refresh();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
