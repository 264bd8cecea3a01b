/**
 * What the view builders render from: the snapshot of this stop, the one of the previous stop
 * (for change highlights), and the user's display choices (value format, per-node formats, how
 * many rows of each long list are shown). Pure data; the VS Code glue owns the mutable maps and
 * passes them in.
 */
import type { ListRef, PlatformSnapshot } from '../../platform/snapshot/types';
import { formatValue, type ValueFormat } from './format';
import { parentIdOf } from './node';
import { indexOf, type SnapshotIndex } from './snapshot-index';

/** Default number of rows of a long list before a 'show more' row. */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Longest list the views ask `ims/snapshot` to carry whole (`inlineLimit`): longer ones (a
 * unit's 64K IRTEs, a device's thousands of IMS slots, a domain's irqs) come as totals, start
 * collapsed, and their rows are read page by page (`ims/page`) when shown.
 */
export const INLINE_LIMIT = 64;

export interface RenderOptions {
  /** Format of values without a per-node choice. */
  readonly format: ValueFormat;
  /** Per-node formats, inherited by the node's descendants (by id prefix). */
  readonly formats?: ReadonlyMap<string, ValueFormat>;
  /** Rows per page of long lists. */
  readonly pageSize?: number;
  /** Rows shown so far, per list (the list's parent node id); default one page. */
  readonly shown?: ReadonlyMap<string, number>;
  /** First row shown, per list (after a reveal far down a list); default 0. */
  readonly starts?: ReadonlyMap<string, number>;
  /**
   * Asks for rows [start, start + count) of a list whose rows this stop has not read yet (the
   * views' glue sends `ims/page` and re-renders the list); absent: nothing is loaded.
   */
  readonly load?: (listId: string, ref: ListRef, start: number, count: number) => void;
}

/** Scalars compared between stops. */
export type Comparable = string | number | bigint | boolean | null;

export class RenderContext {
  /** Lookups over this stop's snapshot. */
  readonly cur: SnapshotIndex;
  /** Lookups over the previous stop's snapshot, if there was one. */
  readonly before: SnapshotIndex | undefined;

  constructor(
    readonly snap: PlatformSnapshot,
    readonly prev: PlatformSnapshot | undefined,
    readonly options: RenderOptions,
  ) {
    this.cur = indexOf(snap);
    this.before = prev === undefined ? undefined : indexOf(prev);
  }

  /** The format of node `id`: its own, else its nearest ancestor's, else the default. */
  formatFor(id: string): ValueFormat {
    const formats = this.options.formats;
    if (formats !== undefined && formats.size > 0) {
      for (let p: string | undefined = id; p !== undefined; p = parentIdOf(p)) {
        const f = formats.get(p);
        if (f !== undefined) return f;
      }
    }
    return this.options.format;
  }

  /** `value` (a `bits`-wide quantity shown by node `id`) in that node's format. */
  value(id: string, value: number | bigint, bits: number): string {
    return formatValue(value, bits, this.formatFor(id));
  }

  /**
   * Whether a value changed since the previous stop: false at the first stop; true when the row
   * did not exist then (`before` undefined) or held another value (compared as text, so that
   * 32 and 32n are equal).
   */
  changed(before: Comparable | undefined, now: Comparable): boolean {
    if (this.before === undefined) return false;
    return before === undefined || String(before) !== String(now);
  }

  /** Rows per page. */
  get pageSize(): number {
    return Math.max(1, this.options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /** Rows of list `listId` to show now (from its first shown row). */
  limit(listId: string): number {
    return Math.max(this.pageSize, this.options.shown?.get(listId) ?? 0);
  }

  /** The first row of list `listId` shown now. */
  start(listId: string): number {
    return this.options.starts?.get(listId) ?? 0;
  }

  /**
   * The value a paged row had at the previous stop, for change highlights: `before` when that
   * stop knows how the list stood at `key` (see SnapshotIndex.knows), else `now` (nothing to
   * compare with: no highlight).
   */
  beforeIn<T>(ref: ListRef, key: number, before: T | undefined, now: T): T | undefined {
    if (this.before === undefined || before !== undefined) return before;
    return this.before.knows(ref, key) ? undefined : now;
  }
}
