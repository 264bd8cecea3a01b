/**
 * The interrupt entry cache (IEC) of a VT-d unit: IRTEs the hardware has fetched, which it uses
 * instead of the table in memory until software invalidates them.
 *
 * VT-d spec §6.5.2.x / §9.10: hardware may cache IRTEs; software that changes an entry must
 * invalidate it (an Interrupt Entry Cache Invalidate Descriptor through the invalidation queue,
 * §6.5.2.7) before the change is guaranteed to be seen. Linux does it in modify_irte() and
 * clear_entries() (drivers/iommu/intel/irq_remapping.c: qi_flush_iec), and globally after
 * setting the table pointer (iommu_set_irq_remapping: qi_global_iec, unless CAP.ESIRTPS).
 *
 * Model: with CAP.CM = 0 (as the unit reports) hardware caches only entries that passed the
 * Present and reserved-bit checks — a not-present or erroneous entry is fetched again on every
 * request. Every valid entry that is read is cached and never evicted (a real IEC is small
 * and may drop an entry at any time, so a stale entry *may* be used there; here it always is,
 * which makes a missing invalidation visible). Lookups allocate nothing; a fill allocates once
 * per entry.
 */

/** One cached IRTE: its four 32-bit words as fetched (w0 = bits 31:0). */
export type IecEntry = Uint32Array;

export class InterruptEntryCache {
  private readonly entries = new Map<number, IecEntry>();
  /** Requests served from the cache / fetched from memory, and invalidations, since reset. */
  hits = 0;
  misses = 0;
  invalidations = 0;

  /** The cached words of IRTE `index`, or undefined. Counts a hit or a miss. */
  lookup(index: number): IecEntry | undefined {
    const e = this.entries.get(index);
    if (e === undefined) this.misses++;
    else this.hits++;
    return e;
  }

  /** The cached words of IRTE `index` without counting (for views and the debugger). */
  peek(index: number): IecEntry | undefined {
    return this.entries.get(index);
  }

  /** Caches IRTE `index` with the words just fetched. */
  fill(index: number, w0: number, w1: number, w2: number, w3: number): void {
    let e = this.entries.get(index);
    if (e === undefined) {
      e = new Uint32Array(4);
      this.entries.set(index, e);
    }
    e[0] = w0;
    e[1] = w1;
    e[2] = w2;
    e[3] = w3;
  }

  /**
   * Index-selective invalidation (G = 1): the 2^`im` entries of the naturally aligned block
   * holding `index` (IIDX with its low IM bits ignored, VT-d §6.5.2.7). Returns how many
   * cached entries were dropped.
   */
  invalidate(index: number, im: number): number {
    const size = 2 ** im;
    const base = index - (index % size);
    let n = 0;
    if (size >= this.entries.size) {
      for (const k of [...this.entries.keys()])
        if (k >= base && k < base + size && this.entries.delete(k)) n++;
    } else {
      for (let i = base; i < base + size; i++) if (this.entries.delete(i)) n++;
    }
    this.invalidations++;
    return n;
  }

  /** Global invalidation (G = 0): drops every entry. Returns how many were dropped. */
  invalidateAll(): number {
    const n = this.entries.size;
    this.entries.clear();
    this.invalidations++;
    return n;
  }

  /** Cached indices, ascending. */
  indices(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  get size(): number {
    return this.entries.size;
  }
}
