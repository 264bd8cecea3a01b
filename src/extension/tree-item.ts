/** Turns a view node into a `vscode.TreeItem` (peripheral-viewer's look). */
import * as vscode from 'vscode';
import { contextValueOf, type ViewNode } from './model/node';

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
  if (node.tooltip !== undefined) {
    const md = new vscode.MarkdownString(node.tooltip);
    md.supportThemeIcons = false;
    item.tooltip = md;
  }
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
