/**
 * Positions in a model's run and the two logs that step back and reverse continue replay by:
 * the debugger's side effects (what the user changed, re-applied at the same position so that a
 * replayed run is the same run) and the stops a run made or would have made (the targets of
 * reverse continue). Pure data structures, shared by the worker and the main thread.
 *
 * A run is deterministic (the platform has one simulated clock and no outside input), so a
 * position is a count: `n` counts the statements executed, plus one for each return from an
 * interrupt delivered at a statement boundary (the place after the handler is a place of its
 * own: a step over the statement stops there). `m` orders the stops made inside statement `n`
 * — a data breakpoint, a remapping fault, a thrown exception — 1, 2, …; 0 is the statement's
 * start, where line breakpoints and steps stop.
 */
/** A place in a run (see the module comment). */
export interface Position {
  readonly n: number;
  readonly m: number;
}

/** Before the first statement. */
export const ORIGIN: Position = { n: 0, m: 0 };
/** The model's first statement (where stopOnEntry stops). */
export const FIRST: Position = { n: 1, m: 0 };

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function comparePositions(a: Position, b: Position): number {
  return a.n - b.n || a.m - b.m;
}

/** `12345` or `12345.2` (a stop inside statement 12345). */
export function formatPosition(p: Position): string {
  return p.m === 0 ? String(p.n) : `${p.n}.${p.m}`;
}

/**
 * A request that changed the run, in a form that can be re-applied in another worker at the
 * same position (frame ids are stack indices + 1: the same at the same position; variable
 * handles are not, so setVariable is logged resolved).
 */
export type SideEffect =
  /** `evaluate` in the repl context. */
  | { readonly kind: 'evaluate'; readonly expression: string; readonly frameId?: number }
  /** setVariable on a local or member (its lvalue), or setExpression. */
  | {
      readonly kind: 'assign';
      readonly lvalue: string;
      readonly value: string;
      readonly frameId?: number;
    }
  /** setVariable on a register or field; `target` is the worker's VarTarget (plain data). */
  | { readonly kind: 'register'; readonly target: unknown; readonly value: string }
  | {
      readonly kind: 'writeMemory';
      readonly address: number;
      readonly data: string;
      readonly allowPartial?: boolean;
    };

export interface LoggedEffect {
  readonly at: Position;
  readonly effect: SideEffect;
}

/**
 * The side effects of a run in position order, with a cursor: effects before it have been
 * applied in this worker, effects from it on are still ahead (a replay re-applies them as it
 * passes their positions; after a step back they are the kept future). Adding an effect drops
 * the effects ahead of it: they were made in a future that no longer happens.
 */
export class EffectLog {
  private readonly entries: LoggedEffect[];
  private next = 0;

  constructor(entries: readonly LoggedEffect[] = []) {
    this.entries = [...entries].sort((a, b) => comparePositions(a.at, b.at));
  }

  /** Records an effect made at `at` (already applied). */
  add(at: Position, effect: SideEffect): void {
    let keep = this.entries.length;
    while (keep > this.next && comparePositions(this.entries[keep - 1]!.at, at) > 0) keep--;
    this.entries.length = keep;
    this.entries.push({ at, effect });
    this.next = this.entries.length;
  }

  /**
   * Calls `apply` for each effect at or before `at` not yet applied, in order, and moves the
   * cursor past it (an effect whose position was skipped — a stop inside a statement that no
   * longer stops — is applied at the first position after it).
   */
  due(at: Position, apply: (e: SideEffect) => void): void {
    while (this.next < this.entries.length) {
      const e = this.entries[this.next]!;
      if (comparePositions(e.at, at) > 0) return;
      this.next++;
      apply(e.effect);
    }
  }

  /** Whether effects are still ahead. */
  get pending(): boolean {
    return this.next < this.entries.length;
  }

  /** Every effect of the run (applied and ahead), in order. */
  get all(): readonly LoggedEffect[] {
    return this.entries;
  }
}

/** A stop as the history keeps it (the protocol's StopInfo). */
export interface HistoryStop {
  readonly reason: string;
}

/** Stop reasons that a forward run stops for by itself (what reverse continue goes back to). */
const REVERSIBLE = new Set<string>([
  'breakpoint',
  'exception',
  'function breakpoint',
  'data breakpoint',
]);

/** The last stop before a position: found, none since the start, or not known here. */
export type PreviousStop<S> = { at: Position; stop: S } | 'start' | 'unknown';

/**
 * The stops a run made or would have made (breakpoints, exception filters, data breakpoints)
 * with the breakpoints as they are now. Valid from `validFrom` on: a change of breakpoints or
 * filters makes what came before unknown (a new breakpoint may have been passed), unless the
 * change is no change (the client re-sends the same set).
 */
export class StopHistory<S extends HistoryStop> {
  private entries: { at: Position; stop: S }[] = [];
  private from: Position = ORIGIN;
  private readonly sets = new Map<string, string>();

  /** @param limit entries kept; older ones are forgotten (and become unknown) */
  constructor(private readonly limit = 100_000) {}

  /** Records a stop at `at` (ignored for steps, pauses and entry). */
  record(at: Position, stop: S): void {
    if (!REVERSIBLE.has(stop.reason)) return;
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && comparePositions(last.at, at) >= 0) return;
    this.entries.push({ at, stop });
    if (this.entries.length > this.limit) {
      this.entries = this.entries.slice(this.entries.length >> 1);
      this.from = this.entries[0]!.at;
    }
  }

  /**
   * The breakpoint set `key` (a file's breakpoints, the filters…) is now `value` (any text that
   * is equal for equal sets); at `at`. A real change forgets what came before.
   */
  changed(key: string, value: string, at: Position): void {
    if (this.sets.get(key) === value) return;
    this.sets.set(key, value);
    if (comparePositions(at, ORIGIN) === 0) return;
    this.entries = [];
    this.from = at;
  }

  /** Since when the history is complete. */
  get validFrom(): Position {
    return this.from;
  }

  /** The last stop strictly before `at`. */
  previous(at: Position): PreviousStop<S> {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (comparePositions(e.at, at) < 0) return e;
    }
    return comparePositions(this.from, ORIGIN) === 0 ? 'start' : 'unknown';
  }
}
