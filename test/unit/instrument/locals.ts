// Reading locals at a stop the way the debugger will: walk the site's scope chain and
// evaluate each declared name in its level's closure.

import type { TransformResult } from '../../../src/runtime/instrument';
import type { Frame } from './harness';

/** Shown for a name in its temporal dead zone. */
export const UNINITIALIZED = '<uninitialized>';

/** Value of one expression in a closure; TDZ → UNINITIALIZED; other errors → `!message`. */
export function evaluate(closure: (x: string) => unknown, expression: string): unknown {
  try {
    return closure(expression);
  } catch (err) {
    if (err instanceof ReferenceError && /before initialization/.test(err.message))
      return UNINITIALIZED;
    return `!${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Locals per scope level at site `siteId` in `frame`, innermost level first. */
export function readLocals(
  result: TransformResult,
  frame: Frame,
  siteId: number,
  scopeBase = 0,
  siteBase = 0,
): Record<string, unknown>[] {
  const site = result.sites[siteId - siteBase];
  if (!site) throw new Error(`no site ${siteId}`);
  const levels: Record<string, unknown>[] = [];
  for (let id = site.scope; id >= 0;) {
    const scope = result.scopes[id - scopeBase]!;
    const closure = frame.s[scope.depth];
    if (!closure) throw new Error(`no closure at depth ${scope.depth}`);
    const values: Record<string, unknown> = {};
    for (const name of scope.names) values[name] = evaluate(closure, name);
    levels.push(values);
    id = scope.parent;
  }
  return levels;
}

/** The id of the first site on `line` (1-based). */
export function siteAt(result: TransformResult, line: number, kind = 'statement'): number {
  const site = result.sites.find((s) => s.line === line && s.kind === kind);
  if (!site) throw new Error(`no ${kind} site on line ${line}`);
  return site.id;
}
