/**
 * Stable DAP breakpoint ids: the same file and line keep their id across setBreakpoints calls
 * (VS Code resends a file's whole set on every edit), so `breakpoint` changed events and
 * `hitBreakpointIds` refer to what the user sees.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointSpec } from '../runtime/protocol';

export class BreakpointIds {
  private next = 1;
  private readonly ids = new Map<string, number>();
  /** The last specs per file (replayed on restart). */
  readonly byFile = new Map<string, BreakpointSpec[]>();

  /** Specs with ids for a setBreakpoints request. */
  specs(file: string, bps: readonly DebugProtocol.SourceBreakpoint[]): BreakpointSpec[] {
    const specs = bps.map((b) => {
      const key = `${file}:${b.line}`;
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.next++;
        this.ids.set(key, id);
      }
      return {
        id,
        line: b.line,
        column: b.column,
        condition: b.condition,
        hitCondition: b.hitCondition,
        logMessage: b.logMessage,
      };
    });
    this.byFile.set(file, specs);
    return specs;
  }
}
