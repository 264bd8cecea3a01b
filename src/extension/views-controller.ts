/**
 * Owns the four tree views: feeds them the active `ims` session's snapshots from the store,
 * reads the rows of long lists page by page (`ims/page`) as the views show them, shows the
 * session's state as the view message (running, failed fetch) and the pending count as the
 * Pending Interrupts view's badge, keeps the user's display choices (per-node formats, rows
 * shown per list) and registers the view commands (the row actions: view-actions.ts).
 */
import * as vscode from 'vscode';
import { PAGE_REQUEST } from '../adapter/view-requests';
import type { ListRef, SnapshotPage } from '../platform/snapshot/types';
import { DEBUG_TYPE } from './launch-config';
import { pendingBadge } from './model/actions';
import type { ValueFormat } from './model/format';
import { formatNs } from './model/format';
import { listKey } from './model/lists';
import { renderText, type ViewNode } from './model/node';
import { indexOf } from './model/snapshot-index';
import { readSettings, SETTINGS_SECTION, type ExtensionSettings } from './settings';
import type { SnapshotStore } from './snapshot-store';
import { SnapshotTreeProvider, type RenderSource } from './tree-provider';
import { registerViewActions } from './view-actions';
import { VIEW_COMMANDS } from './view-commands';
import { VIEWS } from './views';

/** Most rows one `ims/page` request asks for (src/platform/snapshot/pages.ts MAX_PAGE). */
const PAGE_REQUEST_MAX = 1000;

/** The view whose badge counts pending interrupts. */
const PENDING_VIEW = 'ims-debug.pending';

/** What the views offer tests in a real VS Code (part of the extension's exported API). */
export interface ViewsApi {
  /** The text of a view (`ims-debug.irqDomains`, …) for the active session, or undefined. */
  viewText(viewId: string, depth?: number): string | undefined;
  /** The row reached from a view's roots by rows whose labels start with each of `labels`. */
  findRow(viewId: string, labels: readonly string[]): ViewNode | undefined;
  /** The ids of the rows selected in a view. */
  selectedIds(viewId: string): string[];
  /** The badge the view shows (the Pending Interrupts view's pending count), if any. */
  badge(viewId: string): { value: number; tooltip: string } | undefined;
}

export class ViewsController implements vscode.Disposable {
  private readonly disposables: { dispose(): unknown }[] = [];
  private readonly providers: SnapshotTreeProvider[] = [];
  private readonly treeViews: vscode.TreeView<ViewNode>[] = [];
  /** Per-node formats (inherited by descendants), across sessions. */
  private readonly formats = new Map<string, ValueFormat>();
  /** Rows shown per long list; kept across the stops of a session. */
  private readonly shown = new Map<string, number>();
  /** First row shown per long list (after a reveal far down it); kept like `shown`. */
  private readonly starts = new Map<string, number>();
  /** Page requests in flight or refused, by session, stop, generation, list and start. */
  private readonly loads = new Set<string>();
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
      vscode.commands.registerCommand(VIEW_COMMANDS.showMore, (listId: unknown, dir: unknown) =>
        this.showMore(listId, dir),
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
      ...registerViewActions(this),
    );
    this.refreshAll();
  }

  /** The API tests use (see ViewsApi). */
  api(): ViewsApi {
    return {
      viewText: (id, depth) => this.viewText(id, depth),
      findRow: (id, labels) => this.findRow(id, labels),
      selectedIds: (id) => this.treeView(id)?.selection.map((n) => n.id) ?? [],
      badge: (id) => {
        const b = this.treeView(id)?.badge;
        return b === undefined ? undefined : { value: b.value, tooltip: b.tooltip };
      },
    };
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

  /** The row reached from view `viewId`'s roots by labels starting with each of `labels`. */
  findRow(viewId: string, labels: readonly string[]): ViewNode | undefined {
    let level: readonly ViewNode[] = this.provider(viewId)?.roots() ?? [];
    let found: ViewNode | undefined;
    for (const l of labels) {
      found = level.find((n) => n.label.startsWith(l));
      if (found === undefined) return undefined;
      level = found.children?.() ?? [];
    }
    return found;
  }

  /** The provider of view `viewId`. */
  provider(viewId: string): SnapshotTreeProvider | undefined {
    return this.providers.find((x) => x.view.id === viewId);
  }

  /** The tree view `viewId`. */
  treeView(viewId: string): vscode.TreeView<ViewNode> | undefined {
    const i = this.providers.findIndex((x) => x.view.id === viewId);
    return i < 0 ? undefined : this.treeViews[i];
  }

  /**
   * Shows rows of list `listId` (of view `viewId`) from the aligned page holding position
   * `position`, keeping at least one page shown, and re-renders the list.
   */
  showWindow(viewId: string, listId: string, position: number): void {
    const page = this.settings.pageSize;
    const shown = this.shown.get(listId) ?? page;
    const w = ViewsController.shownStart(this.starts.get(listId) ?? 0, shown, position, page);
    this.starts.set(listId, w.start);
    this.shown.set(listId, w.count);
    this.provider(viewId)?.refresh(listId);
  }

  /**
   * The window [start, start + count) of a list after showing `position`: unchanged when it is
   * shown already, else the aligned page of `page` rows that holds it.
   */
  static shownStart(
    start: number,
    count: number,
    position: number,
    page: number,
  ): { start: number; count: number } {
    if (position >= start && position < start + count) return { start, count };
    return { start: position - (position % page), count: page };
  }

  /**
   * Reads page `req` of the active session's current stop (`ims/page`) and adds it to the stop's
   * index. Returns the page, or undefined when the session or stop changed meanwhile.
   * @throws Error from the adapter (an unknown list, a key not in it)
   */
  async readPage(req: {
    ref: ListRef;
    start?: number;
    count: number;
    key?: number;
  }): Promise<SnapshotPage | undefined> {
    const session = vscode.debug.activeDebugSession;
    const snap = this.activeSessionView()?.snapshot;
    if (session === undefined || snap === undefined) return undefined;
    const body = (await session.customRequest(PAGE_REQUEST, req)) as { page: SnapshotPage };
    return indexOf(snap).addPage(body.page) ? body.page : undefined;
  }

  /** The active `ims` session's view in the store. */
  activeSessionView() {
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
        starts: this.starts,
        load: (listId, ref, start, count) => this.loadRows(listId, ref, start, count),
      },
    };
  }

  /**
   * Reads rows [start, start + count) of list `ref` for the active stop, in requests of at most
   * 1000 rows, and re-renders list `listId` when they arrive. Each range is asked for once per
   * stop and generation; a failure shows in the views' message.
   */
  private loadRows(listId: string, ref: ListRef, start: number, count: number): void {
    const session = vscode.debug.activeDebugSession;
    const snap = this.activeSessionView()?.snapshot;
    if (session === undefined || snap === undefined) return;
    const key = `${session.id}|${snap.seq}|${snap.generation}|${listKey(ref)}|${start}|${count}`;
    if (this.loads.has(key)) return;
    this.loads.add(key);
    void (async () => {
      try {
        for (let s = start; s < start + count; s += PAGE_REQUEST_MAX) {
          const n = Math.min(PAGE_REQUEST_MAX, start + count - s);
          if ((await this.readPage({ ref, start: s, count: n })) === undefined) return;
        }
        for (const p of this.providers) p.refresh(listId);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        for (const tv of this.treeViews) tv.message = `Could not read rows of a list: ${why}`;
      }
    })();
  }

  private refreshAll(): void {
    const v = this.activeSessionView();
    const session = vscode.debug.activeDebugSession?.id;
    if (session !== this.shownSession) {
      this.shown.clear();
      this.starts.clear();
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
    const pending = this.treeView(PENDING_VIEW);
    if (pending !== undefined) pending.badge = pendingBadge(v?.snapshot);
    for (const p of this.providers) p.refresh();
  }

  /** 'Show more' (`dir` undefined) or 'show previous' (`dir` 'previous') of list `listId`. */
  private showMore(listId: unknown, dir: unknown): void {
    if (typeof listId !== 'string') return;
    const page = this.settings.pageSize;
    const count = Math.max(this.shown.get(listId) ?? page, page);
    if (dir === 'previous') {
      const start = this.starts.get(listId) ?? 0;
      const back = Math.min(start, page);
      this.starts.set(listId, start - back);
      this.shown.set(listId, count + back);
    } else {
      this.shown.set(listId, count + page);
    }
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
