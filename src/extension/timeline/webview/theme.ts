/**
 * The timeline's colours, from the VS Code theme's CSS variables (read again when the theme
 * changes): an outcome colour per item class, and the colours of text, grid and selection.
 */
import type { ItemClass } from '../layout';

export interface Theme {
  item: Record<ItemClass, string>;
  flow: string;
  text: string;
  muted: string;
  grid: string;
  header: string;
  background: string;
  focus: string;
  now: string;
  font: string;
}

const ITEM_VARS: Record<ItemClass, [string, string]> = {
  delivered: ['--vscode-charts-green', '#89d185'],
  held: ['--vscode-charts-yellow', '#cca700'],
  pending: ['--vscode-charts-yellow', '#cca700'],
  faulted: ['--vscode-charts-red', '#f14c4c'],
  dropped: ['--vscode-charts-orange', '#d18616'],
  hardirq: ['--vscode-charts-blue', '#3794ff'],
  thread: ['--vscode-charts-purple', '#b180d7'],
  notrun: ['--vscode-disabledForeground', '#808080'],
  running: ['--vscode-charts-blue', '#3794ff'],
  spurious: ['--vscode-charts-orange', '#d18616'],
};

/** Reads the theme from the document's CSS variables. */
export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  const item = {} as Record<ItemClass, string>;
  for (const [cls, [name, fallback]] of Object.entries(ITEM_VARS) as [
    ItemClass,
    [string, string],
  ][])
    item[cls] = v(name, fallback);
  const size = v('--vscode-font-size', '13px');
  const family = v('--vscode-font-family', 'sans-serif');
  return {
    item,
    flow: v('--vscode-charts-lines', '#808080'),
    text: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-editorIndentGuide-background1', v('--vscode-panel-border', '#80808040')),
    header: v('--vscode-sideBarSectionHeader-background', '#80808020'),
    background: v('--vscode-editor-background', '#1e1e1e'),
    focus: v('--vscode-focusBorder', '#007fd4'),
    now: v('--vscode-debugIcon-stopForeground', v('--vscode-charts-red', '#f14c4c')),
    font: `${size} ${family}`,
  };
}
