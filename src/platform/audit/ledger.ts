/**
 * An independent bookkeeper of the conservation invariant (DESIGN.md §trace): it follows every
 * event an `InterruptTrace` records and keeps its own state per message id, so a breach is
 * found even if the trace's own state machine were wrong.
 *
 * Rules checked as events arrive: a message goes none → (pending →) one terminal outcome
 * (delivered, faulted or dropped); `pending` never follows `pending`; nothing follows a
 * terminal outcome; a drop names its reason; a fault carries its VT-d fault reason code and a
 * text; a delivery names its vector and CPU. Rules checked by `check()`: every message the
 * trace opened has an event, the per-kind totals equal the trace's, the messages still pending
 * are the ones the trace says are pending, and the trace itself saw no breach.
 */
import type { InterruptTrace, TraceEvent } from '../trace';

const NONE = 0;
const PENDING = 1;
const DONE = 2;

/** At most this many problems are kept (the first ones tell the story). */
const MAX_PROBLEMS = 50;

export class MessageLedger {
  private state = new Uint8Array(1024);
  /** Message ids below this one all have at least one event (checked incrementally). */
  private settledBelow = 1;
  private readonly pendingIds = new Set<number>();
  private readonly counts = { delivered: 0, pending: 0, faulted: 0, dropped: 0 };
  private readonly found: string[] = [];
  private readonly unsubscribe: () => void;

  /**
   * Starts following `trace`. Events recorded before this call are not seen, so attach the
   * ledger right after the trace is created (a fresh machine has recorded none).
   * Throws Error if the trace has recorded events already.
   */
  constructor(private readonly trace: InterruptTrace) {
    if (trace.length !== 0)
      throw new Error(`the trace has ${trace.length} events already: attach the ledger first`);
    this.unsubscribe = trace.subscribe((seq) => {
      const ev = trace.event(seq);
      if (ev !== undefined) this.observe(ev);
    });
  }

  /** Stops following the trace. */
  detach(): void {
    this.unsubscribe();
  }

  /** Ids of the messages the ledger holds pending now. */
  get pending(): ReadonlySet<number> {
    return this.pendingIds;
  }

  /** Events seen per kind (`pending` counts pend events, the others terminal outcomes). */
  get totals(): Readonly<Record<TraceEvent['kind'], number>> {
    return this.counts;
  }

  /**
   * The problems found so far plus those of the end-of-step rules (see the file comment); empty
   * when the invariant holds. Cheap: amortised O(1) per message, O(pending) per call.
   */
  check(): string[] {
    const problems = [...this.found];
    const n = this.trace.messageCount;
    this.grow(n);
    while (this.settledBelow <= n && this.state[this.settledBelow] !== NONE) this.settledBelow++;
    if (this.settledBelow <= n)
      problems.push(`message #${this.settledBelow} was raised but has no outcome`);
    const t = this.trace.totals;
    for (const k of ['delivered', 'pending', 'faulted', 'dropped'] as const) {
      if (t[k] !== this.counts[k])
        problems.push(`trace total '${k}' is ${t[k]}, but ${this.counts[k]} such events were seen`);
    }
    if (this.trace.pending !== this.pendingIds.size)
      problems.push(
        `the trace holds ${this.trace.pending} messages pending, the ledger ${this.pendingIds.size}`,
      );
    for (const v of this.trace.violations.slice(0, 10)) problems.push(`trace: ${v}`);
    return problems;
  }

  private observe(ev: TraceEvent): void {
    this.grow(ev.id);
    const st = this.state[ev.id]!;
    const what = `message #${ev.id} (${ev.path})`;
    if (st === DONE) return this.problem(`${what}: '${ev.kind}' after its terminal outcome`);
    if (st === PENDING && ev.kind === 'pending') return this.problem(`${what}: pending twice`);
    if (ev.id > this.trace.messageCount) this.problem(`${what}: an outcome for an unopened id`);
    this.counts[ev.kind]++;
    if (ev.kind === 'pending') {
      this.state[ev.id] = PENDING;
      this.pendingIds.add(ev.id);
      return;
    }
    this.state[ev.id] = DONE;
    this.pendingIds.delete(ev.id);
    if (ev.kind === 'dropped' && !ev.reason) this.problem(`${what}: dropped without a reason`);
    if (ev.kind === 'faulted' && (ev.fault === null || !ev.reason))
      this.problem(`${what}: faulted without a fault reason`);
    if (ev.kind === 'delivered' && (ev.vector === null || ev.cpu === null))
      this.problem(`${what}: delivered without a vector and CPU`);
  }

  private problem(text: string): void {
    if (this.found.length < MAX_PROBLEMS) this.found.push(text);
  }

  private grow(id: number): void {
    if (id < this.state.length) return;
    let size = this.state.length;
    while (size <= id) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.state);
    this.state = next;
  }
}
