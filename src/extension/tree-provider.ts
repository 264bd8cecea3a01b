/**
 * The TreeDataProvider of one view: renders the active session's snapshot through the view's
 * builder. Children are built when VS Code asks for them (no platform access: every row comes
 * from the one snapshot of the stop).
 */
import * as vscode from 'vscode';
import { RenderContext, type RenderOptions } from './model/context';
import type { ViewNode } from './model/node';
import type { PlatformSnapshot } from '../platform/snapshot/types';
import { toTreeItem } from './tree-item';
import type { ViewDefinition } from './views';

/** What a view renders now. */
export interface RenderSource {
  readonly snapshot: PlatformSnapshot;
  /** The previous stop's snapshot, or undefined for no change highlights. */
  readonly previous: PlatformSnapshot | undefined;
  readonly options: RenderOptions;
}

export class SnapshotTreeProvider implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Nodes handed to VS Code since the last full refresh, by id (to refresh one subtree). */
  private readonly nodes = new Map<string, ViewNode>();

  constructor(
    readonly view: ViewDefinition,
    private readonly source: () => RenderSource | undefined,
  ) {}

  /** The root rows for the current source (also used by the text export). */
  roots(): ViewNode[] {
    const src = this.source();
    if (src === undefined) return [];
    return this.view.render(new RenderContext(src.snapshot, src.previous, src.options));
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (node === undefined) this.nodes.clear();
    const rows = node === undefined ? this.roots() : [...(node.children?.() ?? [])];
    for (const r of rows) this.nodes.set(r.id, r);
    return rows;
  }

  /** Re-renders everything, or only the subtree of node `id` when VS Code still shows it. */
  refresh(id?: string): void {
    const node = id === undefined ? undefined : this.nodes.get(id);
    this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
