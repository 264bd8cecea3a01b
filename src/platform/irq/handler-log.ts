/**
 * When each CPU ran interrupt handlers: one span per hardirq (common_interrupt: from taking the
 * vector to leaving the flow handler, the time the CPU spends with IF clear) and per irq thread
 * run, on the platform's clock. A vector with no irq_desc (spurious, or one nobody claimed) is a
 * span of no length. Timelines read it beside the interrupt trace to show handler execution per
 * CPU; a span still open (the model stopped inside a handler) has no end yet.
 *
 * Kept in a fixed-capacity columnar ring like the trace: recording allocates nothing.
 */

export type HandlerContext = 'hardirq' | 'thread' | 'spurious';
const CONTEXTS: readonly HandlerContext[] = ['hardirq', 'thread', 'spurious'];
const CONTEXT_CODE: Record<HandlerContext, number> = { hardirq: 0, thread: 1, spurious: 2 };

/** One handler run, materialised. */
export interface HandlerSpan {
  /** Span sequence number over the whole run (0-based). */
  seq: number;
  cpu: number;
  /** Linux irq, or null for a vector with no irq_desc. */
  irq: number | null;
  vector: number;
  /** Trace message id that raised it (0 if unknown). */
  messageId: number;
  context: HandlerContext;
  /** request_irq's name of the irq's first action ('' if none). */
  action: string;
  /** Simulated time the CPU took the vector (or woke the thread), ns. */
  begin: number;
  /** Simulated time the handler returned, ns; null while it is still running. */
  end: number | null;
  /**
   * Whether the flow handler ran the irq's actions: false when handle_edge_irq found the irq
   * disabled, in progress or without an action (it marks it pending and masks it). Null while
   * running.
   */
  ran: boolean | null;
}

export class HandlerLog {
  readonly capacity: number;
  private count = 0;
  private readonly cCpu: Uint16Array;
  private readonly cIrq: Int32Array;
  private readonly cVector: Uint8Array;
  private readonly cMessage: Uint32Array;
  private readonly cContext: Uint8Array;
  private readonly cBegin: Float64Array;
  private readonly cEnd: Float64Array;
  private readonly cRan: Uint8Array; // 0 running, 1 ran, 2 did not run the actions
  private readonly cAction: (string | undefined)[];

  /**
   * @param now returns the current simulated time (ns)
   * @param capacity number of most recent spans kept (older ones are overwritten)
   */
  constructor(
    private readonly now: () => number,
    capacity = 1 << 16,
  ) {
    this.capacity = capacity;
    this.cCpu = new Uint16Array(capacity);
    this.cIrq = new Int32Array(capacity);
    this.cVector = new Uint8Array(capacity);
    this.cMessage = new Uint32Array(capacity);
    this.cContext = new Uint8Array(capacity);
    this.cBegin = new Float64Array(capacity);
    this.cEnd = new Float64Array(capacity);
    this.cRan = new Uint8Array(capacity);
    this.cAction = new Array<string | undefined>(capacity);
  }

  /** A handler starts now; returns the span's seq for `end`. */
  begin(
    cpu: number,
    irq: number | null,
    vector: number,
    messageId: number,
    context: HandlerContext,
    action: string,
  ): number {
    const seq = this.count++;
    const slot = seq % this.capacity;
    this.cCpu[slot] = cpu;
    this.cIrq[slot] = irq ?? -1;
    this.cVector[slot] = vector;
    this.cMessage[slot] = messageId;
    this.cContext[slot] = CONTEXT_CODE[context];
    this.cBegin[slot] = this.now();
    this.cEnd[slot] = NaN;
    this.cRan[slot] = 0;
    this.cAction[slot] = action;
    return seq;
  }

  /**
   * The handler of span `seq` returned now (ignored once the span has left the ring).
   * @param ran whether the irq's actions ran
   */
  end(seq: number, ran = true): void {
    if (seq < this.count - this.capacity) return;
    this.cEnd[seq % this.capacity] = this.now();
    this.cRan[seq % this.capacity] = ran ? 1 : 2;
  }

  /** Spans recorded so far, including those overwritten in the ring. */
  get length(): number {
    return this.count;
  }

  /** Materialises span `seq`; undefined if it has left the ring or does not exist yet. */
  span(seq: number): HandlerSpan | undefined {
    if (seq < 0 || seq >= this.count || seq < this.count - this.capacity) return undefined;
    const slot = seq % this.capacity;
    const irq = this.cIrq[slot]!;
    const end = this.cEnd[slot]!;
    const ran = this.cRan[slot]!;
    return {
      seq,
      cpu: this.cCpu[slot]!,
      irq: irq < 0 ? null : irq,
      vector: this.cVector[slot]!,
      messageId: this.cMessage[slot]!,
      context: CONTEXTS[this.cContext[slot]!]!,
      action: this.cAction[slot] ?? '',
      begin: this.cBegin[slot]!,
      end: Number.isNaN(end) ? null : end,
      ran: ran === 0 ? null : ran === 1,
    };
  }

  /** Spans still in the ring, oldest first. */
  spans(): HandlerSpan[] {
    const out: HandlerSpan[] = [];
    for (let s = Math.max(0, this.count - this.capacity); s < this.count; s++)
      out.push(this.span(s)!);
    return out;
  }
}
