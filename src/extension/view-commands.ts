/** Commands of the view rows (package.json `contributes.commands`; a test keeps them in step). */
import { SHOW_MORE_COMMAND } from './model/items';

export const VIEW_COMMANDS = {
  /** Shows another page of a long list; argument: the list's id. */
  showMore: SHOW_MORE_COMMAND,
  /** Per-row value formats, inherited by the rows below; argument: the row. */
  formatHex: 'ims-debug.view.formatHex',
  formatDecimal: 'ims-debug.view.formatDecimal',
  formatBinary: 'ims-debug.view.formatBinary',
  /** Copies a row's value. */
  copyValue: 'ims-debug.view.copyValue',
  /** Copies a row and the rows below it as indented text. */
  copyAsText: 'ims-debug.view.copyAsText',
} as const;
