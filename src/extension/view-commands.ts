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
  /** Sets / clears the mask bit of an IMS slot or MSI-X entry row (through the MMIO path). */
  mask: 'ims-debug.view.mask',
  unmask: 'ims-debug.view.unmask',
  /** Injects the row's irq, as `echo trigger > /sys/kernel/debug/irq/irqs/<n>` does. */
  inject: 'ims-debug.view.inject',
  /** Adds a named interrupt breakpoint (a function breakpoint) for the row's interrupt. */
  breakOnDelivery: 'ims-debug.view.breakOnDelivery',
  /** Shows the IRTE a slot's, entry's or irq's message names in the Interrupt Remapping view. */
  revealIrte: 'ims-debug.view.revealIrte',
  /** The whole platform state of the stop, as JSON or as debugfs text; argument: a target Uri. */
  exportJson: 'ims-debug.exportStateJson',
  exportDebugfs: 'ims-debug.exportStateDebugfs',
} as const;
