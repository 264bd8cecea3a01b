/**
 * The platform's one clock and event queue.
 *
 * Time is simulated, in nanoseconds since power-on, held as a `number` (exact up to 2^53 ns,
 * about 104 days). Device work (descriptor processing, message writes) is scheduled here and
 * happens only when someone advances the clock; nothing reads the host's time.
 * Events at the same time run in the order they were scheduled (FIFO), so runs are
 * deterministic.
 */

/** A scheduled callback; `label` names it for the views and the trace. */
export interface ClockEvent {
  readonly id: number;
  readonly t: number;
  readonly label: string;
  readonly run: () => void;
}

export class Clock {
  private nowNs = 0;
  private seq = 0;
  // Binary min-heap ordered by (t, id).
  private readonly heap: ClockEvent[] = [];
  private readonly cancelled = new Set<number>();

  /** Current simulated time in ns. */
  get now(): number {
    return this.nowNs;
  }

  /**
   * Schedules `run` at `now + delayNs` and returns the event id.
   * Throws RangeError for a negative or non-finite delay.
   */
  schedule(delayNs: number, label: string, run: () => void): number {
    if (!(delayNs >= 0) || !Number.isFinite(delayNs)) {
      throw new RangeError(
        `event '${label}': delay must be a finite number of ns >= 0, got ${delayNs}`,
      );
    }
    const ev: ClockEvent = { id: ++this.seq, t: this.nowNs + delayNs, label, run };
    this.push(ev);
    return ev.id;
  }

  /** Cancels a scheduled event; unknown or already-run ids are ignored. */
  cancel(id: number): void {
    if (this.heap.some((e) => e.id === id)) this.cancelled.add(id);
  }

  /** Time of the next pending event, or undefined when the queue is empty. */
  nextEventTime(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.t;
  }

  /** Number of pending events. */
  get pending(): number {
    this.dropCancelled();
    return this.heap.length - this.cancelled.size;
  }

  /** Pending events in time order, for the views (a copy; costs O(n log n)). */
  list(): ClockEvent[] {
    return this.heap
      .filter((e) => !this.cancelled.has(e.id))
      .sort((a, b) => a.t - b.t || a.id - b.id);
  }

  /**
   * Runs the next event if it is due at or before `limitNs`: moves the clock to its time and
   * calls it. Returns false (clock unchanged) when no event is due by then.
   */
  runNext(limitNs: number): boolean {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined || top.t > limitNs) return false;
    this.pop();
    if (top.t > this.nowNs) this.nowNs = top.t;
    top.run();
    return true;
  }

  /** Moves the clock forward to `tNs` without running events (callers run them first). */
  advanceTo(tNs: number): void {
    if (tNs > this.nowNs) this.nowNs = tNs;
  }

  private dropCancelled(): void {
    if (this.cancelled.size === 0) return;
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.pop();
    }
  }

  private less(a: ClockEvent, b: ClockEvent): boolean {
    return a.t < b.t || (a.t === b.t && a.id < b.id);
  }

  private push(ev: ClockEvent): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
