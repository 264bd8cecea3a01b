/** The extension's settings (`ims-debug.*` in package.json's `contributes.configuration`). */
import * as vscode from 'vscode';
import { DEFAULT_PAGE_SIZE } from './model/context';
import { isValueFormat, type ValueFormat } from './model/format';

export const SETTINGS_SECTION = 'ims-debug';

export interface ExtensionSettings {
  /** Run the debug adapter in the extension host (inline) or as `node dist/adapter.js`. */
  readonly adapter: 'inline' | 'executable';
  /** Default format of values in the views. */
  readonly valueFormat: ValueFormat;
  /** Rows of a long list shown before a 'show more' row. */
  readonly pageSize: number;
}

/** Reads the settings, falling back to the defaults for missing or malformed values. */
export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const fmt = c.get<unknown>('valueFormat');
  const page = c.get<unknown>('pageSize');
  return {
    adapter: c.get<unknown>('adapter') === 'executable' ? 'executable' : 'inline',
    valueFormat: isValueFormat(fmt) ? fmt : 'hex',
    pageSize:
      typeof page === 'number' && Number.isInteger(page) && page > 0 ? page : DEFAULT_PAGE_SIZE,
  };
}
