/**
 * A ring of the run's recent depth changes, from which step back finds its target without a
 * second replay: the last place before the current one where a step over could have stopped,
 * at the same or a shallower depth.
 *
 * The statement hook only counts (one increment); depth changes — a model function entered or
 * left, an interrupt taken or done — record (count, new depth) here, so statements n in
 * (c_i, c_{i+1}] ran at depth d_i. Kernel API calls are not recorded (the MMIO path stays as
 * it was): a statement never runs with a kernel call on top of its frame, so a pop records the
 * depth below the kernel frames on top, and a push the whole depth. An interrupt delivered at the hook of statement N that
 * ran handler statements makes the place after the handler a place of its own (count T): the
 * ring records (T, N) and N is then no place to stop (a step over stops at T, after the
 * handler). Two float64 slots per entry: [count, depth] or [T, -(N + 1)].
 */

/** What `previous` finds: a count, none (the run's start is within reach), or unknown (lost). */
export type RingAnswer = number | 'none' | 'unknown';

export class PositionRing {
  private readonly slots: Float64Array;
  private readonly mask: number;
  /** Entries ever recorded (the ring holds the last `capacity`). */
  private head = 0;

  /**
   * @param capacity entries kept (a power of two). 16K entries (256 KiB) reach back 8K model
   *   calls; a 1 MiB ring measurably slowed short runs (its allocation brought a GC forward).
   * @param depth the depth at count 0
   */
  constructor(
    readonly capacity = 1 << 14,
    depth = 0,
  ) {
    if ((capacity & (capacity - 1)) !== 0 || capacity < 2)
      throw new RangeError(`capacity ${capacity} is not a power of two`);
    this.slots = new Float64Array(capacity * 2);
    this.mask = capacity - 1;
    this.record(0, depth);
  }

  /** After count `c`, the depth is `depth`. */
  record(c: number, depth: number): void {
    const i = (this.head++ & this.mask) << 1;
    this.slots[i] = c;
    this.slots[i + 1] = depth;
  }

  /** Interrupt handlers ran at the hook of statement `n`; the place after them is `t`. */
  tick(t: number, n: number): void {
    this.record(t, -(n + 1));
  }

  /** A mark to `rewind` to: what the debugger's own evaluations record is taken back. */
  mark(): number {
    return this.head;
  }

  rewind(mark: number): void {
    this.head = mark;
  }

  /**
   * The last count before `limit` (or at it, with `inclusive`) whose statement ran at depth
   * `depth` or shallower and is a place to stop; 'none' when there is no such count since the
   * start of the run, 'unknown' when the ring no longer reaches back far enough.
   */
  previous(limit: number, inclusive: boolean, depth: number): RingAnswer {
    let top = inclusive ? limit : limit - 1;
    let invalid: number[] | undefined;
    const oldest = Math.max(0, this.head - this.capacity);
    for (let k = this.head - 1; k >= oldest; k--) {
      if (top < 1) return 'none';
      const i = (k & this.mask) << 1;
      const c = this.slots[i]!;
      const d = this.slots[i + 1]!;
      if (d < 0) {
        (invalid ??= []).push(-d - 1);
        continue;
      }
      if (d <= depth) {
        let n = top;
        while (n > c && invalid?.includes(n)) n--;
        if (n > c) return n;
      }
      if (c < top) top = c;
    }
    return top < 1 || oldest === 0 ? 'none' : 'unknown';
  }
}
