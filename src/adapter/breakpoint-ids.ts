/**
 * Stable DAP breakpoint ids: the same file and line keep their id across setBreakpoints calls
 * (VS Code resends a file's whole set on every edit), so `breakpoint` changed events and
 * `hitBreakpointIds` refer to what the user sees.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointSpec, FunctionBreakpointSpec } from '../runtime/protocol';

export class BreakpointIds {
  private next = 1;
  private readonly ids = new Map<string, number>();
  /** The last specs per file (replayed on restart). */
  readonly byFile = new Map<string, BreakpointSpec[]>();
  /** The last named interrupt breakpoints (replayed on restart). */
  functions: FunctionBreakpointSpec[] = [];

  private idFor(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(key, id);
    }
    return id;
  }

  /** Specs with ids for a setFunctionBreakpoints request (the id follows the name). */
  functionSpecs(bps: readonly DebugProtocol.FunctionBreakpoint[]): FunctionBreakpointSpec[] {
    this.functions = bps.map((b) => ({
      id: this.idFor(`function:${b.name.trim()}`),
      name: b.name,
      condition: b.condition,
      hitCondition: b.hitCondition,
    }));
    return this.functions;
  }

  /** Specs with ids for a setBreakpoints request. */
  specs(file: string, bps: readonly DebugProtocol.SourceBreakpoint[]): BreakpointSpec[] {
    const specs = bps.map((b) => {
      return {
        id: this.idFor(`${file}:${b.line}`),
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
