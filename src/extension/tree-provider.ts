/**
 * The TreeDataProvider of one view: renders the active session's snapshot through the view's
 * builder. Children are built when VS Code asks for them (no platform access: every row comes
 * from the one snapshot of the stop).
 */
import * as vscode from 'vscode';
import { RenderContext, type RenderOptions } from './model/context';
import type { ViewNode } from './model/node';
import type { PlatformSnapshot } from '../platform/snapshot/types';
import { markdown, toTreeItem } from './tree-item';
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
  /** The parent of each node handed out, by the child's id (TreeView.reveal asks getParent). */
  private readonly parents = new Map<string, ViewNode | undefined>();

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
    if (node === undefined) {
      this.nodes.clear();
      this.parents.clear();
    }
    const rows = node === undefined ? this.roots() : [...(node.children?.() ?? [])];
    for (const r of rows) {
      this.nodes.set(r.id, r);
      this.parents.set(r.id, node);
    }
    return rows;
  }

  /** Makes a lazily made tooltip when VS Code is about to show it. */
  resolveTreeItem(item: vscode.TreeItem, node: ViewNode): vscode.TreeItem {
    if (typeof node.tooltip === 'function') item.tooltip = markdown(node.tooltip());
    return item;
  }

  getParent(node: ViewNode): ViewNode | undefined {
    return this.parents.get(node.id);
  }

  /**
   * The node with id `id`, built by walking down from the roots along the ids' prefixes (a
   * child's id starts with its parent's id and '/'), so that getParent knows its ancestors —
   * for TreeView.reveal. Undefined when no row has that id now (e.g. outside a list's window).
   */
  find(id: string): ViewNode | undefined {
    let parent: ViewNode | undefined;
    let level: readonly ViewNode[] = this.roots();
    for (;;) {
      const hit = level.find((n) => n.id === id || id.startsWith(`${n.id}/`));
      if (hit === undefined) return undefined;
      this.parents.set(hit.id, parent);
      if (hit.id === id) return hit;
      parent = hit;
      level = hit.children?.() ?? [];
    }
  }

  /**
   * Re-renders everything, or only the subtree of node `id` when VS Code shows it (a node this
   * view never showed: nothing to do).
   */
  refresh(id?: string): void {
    if (id === undefined) {
      this.changed.fire(undefined);
      return;
    }
    const node = this.nodes.get(id);
    if (node !== undefined) this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
