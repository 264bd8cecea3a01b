/** Turns a view node into a `vscode.TreeItem` (peripheral-viewer's look). */
import * as vscode from 'vscode';
import { contextValueOf, type ViewNode } from './model/node';

/** A Markdown tooltip (no theme icons: `$(…)` in register text stays text). */
export function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportThemeIcons = false;
  return md;
}

/** The tree item of `node`; a changed node's label is highlighted from start to end. */
export function toTreeItem(node: ViewNode): vscode.TreeItem {
  const label: vscode.TreeItemLabel = { label: node.label };
  if (node.changed === true) label.highlights = [[0, node.label.length]];
  const state =
    node.children === undefined
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded === true
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(label, state);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  if (node.description !== undefined) item.description = node.description;
  // A tooltip made lazily is made when the row is hovered (the provider's resolveTreeItem).
  if (typeof node.tooltip === 'string') item.tooltip = markdown(node.tooltip);
  if (node.icon !== undefined) {
    item.iconPath = new vscode.ThemeIcon(
      node.icon,
      node.changed === true ? new vscode.ThemeColor('debugIcon.breakpointForeground') : undefined,
    );
  }
  if (node.command !== undefined) {
    item.command = {
      title: node.label,
      command: node.command.id,
      arguments: [...node.command.args],
    };
  }
  return item;
}
