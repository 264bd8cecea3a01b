/** The timeline's commands (package.json `contributes.commands`; a test keeps them in step). */
export const TIMELINE_COMMANDS = {
  /** IMS Debug: Show Interrupt Timeline. */
  show: 'ims-debug.showTimeline',
  /** IMS Debug: Export Interrupt Trace… — an optional target Uri skips the save dialog. */
  export: 'ims-debug.exportTrace',
} as const;
