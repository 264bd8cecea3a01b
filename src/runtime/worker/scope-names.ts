/**
 * The names in scope at a model frame's current statement: the instrumenter's scope tables from
 * the statement's innermost scope out to the module scope, each name once (an inner declaration
 * shadows an outer one). Scopes whose closure has not been created yet are left out.
 */
import type { WorkerDebugger } from './debugger';
import type { ModelFrame } from './frames';

/** Names in scope at `f`, innermost scope first. */
export function scopeNames(dbg: WorkerDebugger, f: ModelFrame): string[] {
  const site = dbg.sites[f.site];
  const seen = new Set<string>();
  const out: string[] = [];
  for (
    let sc = site && site.scope >= 0 ? dbg.scopes[site.scope] : undefined;
    sc;
    sc = sc.parent >= 0 ? dbg.scopes[sc.parent] : undefined
  ) {
    if (!f.s[sc.depth]) continue;
    for (const name of sc.names) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

/**
 * Every name visible at `f`'s statement by the source's nesting: the scopes of the model file
 * whose range holds the statement — this function's, then the enclosing functions' out to the
 * module scope — innermost first, each name once. For completions (the Locals view shows the
 * function's own scopes only).
 */
export function visibleNames(dbg: WorkerDebugger, f: ModelFrame): string[] {
  const site = dbg.sites[f.site];
  if (site === undefined) return [];
  const file = dbg.functions[site.fid]?.file;
  const at = (line: number, column: number): number => line * 1e6 + column;
  const pos = at(site.line, site.column);
  const holding = dbg.scopes.filter(
    (sc) =>
      dbg.functions[sc.fid]?.file === file &&
      at(sc.line, sc.column) <= pos &&
      pos <= at(sc.endLine, sc.endColumn),
  );
  // The innermost scope starts last (ranges that hold one position nest); of two starting at one
  // place, a block (parent ≥ 0) is inside its function's level (parent −1).
  holding.sort((a, b) => at(b.line, b.column) - at(a.line, a.column) || b.parent - a.parent);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const sc of holding)
    for (const name of sc.names) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(name);
    }
  return out;
}
