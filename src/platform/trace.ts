/**
 * The interrupt trace: every message the platform carries gets an id and exactly one outcome.
 *
 * Outcomes (DESIGN.md §3): `delivered` (accepted by the target CPU's local APIC), `faulted`
 * (blocked by an IR unit, with the VT-d fault reason), `dropped` (discarded, with a reason) and
 * `pending` (held by a masked entry). `pending` is the one outcome that can be followed by
 * another: a pended message is later delivered, faulted or dropped under the same id, or is
 * still pending when the run ends. The trace checks these transitions as they happen and
 * counts any breach (`violations`) instead of throwing, so that a broken invariant is reported
 * and never crashes the platform.
 *
 * Events live in a fixed-capacity columnar ring (typed arrays), so recording allocates nothing;
 * `event(seq)` materialises one as an object for views, the CLI and the DAP output.
 */
import type { MessageOrigin, MsiOrigin, MsiSource } from './bus';
import { hex } from './bits';

export type OutcomeKind = 'delivered' | 'pending' | 'faulted' | 'dropped';
const KINDS: readonly OutcomeKind[] = ['delivered', 'pending', 'faulted', 'dropped'];
const KIND_CODE: Record<OutcomeKind, number> = { delivered: 0, pending: 1, faulted: 2, dropped: 3 };

/** One trace event, as the CLI's `--json` prints it (DESIGN.md §3 fields and a few more). */
export interface TraceEvent {
  /** Event sequence number (0-based, over the whole run). */
  seq: number;
  /** Message id (1-based). */
  id: number;
  /** Simulated time, ns. */
  t: number;
  kind: OutcomeKind;
  bdf: string;
  source: MsiSource;
  /** MSI-X entry or IMS slot. */
  index: number;
  pasid: number | null;
  /** The message as written (null while it is held pending). */
  msg: { address_lo: number; address_hi: number; data: number } | null;
  irte: number | null;
  vector: number | null;
  cpu: number | null;
  virq: number | null;
  /** VT-d fault reason code for `faulted`. */
  fault: number | null;
  reason: string | null;
  /** Human-readable path, e.g. `IMS slot 3 of 0000:6a:01.0 → IRTE 17 → vector 0x41 → CPU 2`. */
  path: string;
}

/** Details of a step; unset fields are unknown at that step. */
export interface TraceDetail {
  msg?: { address_lo: number; address_hi: number; data: number };
  irte?: number;
  vector?: number;
  cpu?: number;
  virq?: number;
  fault?: number;
  reason?: string;
}

const ST_NONE = 0;
const ST_OPEN = 1;
const ST_PENDING = 2;
const ST_DONE = 3;

export class InterruptTrace {
  readonly capacity: number;
  private seqCount = 0;
  private messages = 0;
  // Per message id, grown together by doubling (amortised: opening a message allocates nothing).
  private state = new Uint8Array(1024);
  /** Origin key, -1 for an id not raised. */
  private msgOrigin = new Int32Array(1024).fill(-1);
  /** Bound PASID, -1 for none. */
  private msgPasid = new Int32Array(1024);
  /** Seq of the latest event, -1 while none. */
  private msgLastSeq = new Float64Array(1024).fill(-1);
  private readonly origins: MessageOrigin[] = [];
  private readonly listeners: ((seq: number) => void)[] = [];
  private readonly clockNow: () => number;
  private breaches: string[] = [];
  private pendingCount = 0;
  private readonly counts = [0, 0, 0, 0];

  // Columns of the ring.
  private readonly cId: Uint32Array;
  private readonly cT: Float64Array;
  private readonly cKind: Uint8Array;
  private readonly cMsg: Uint32Array; // address_lo, address_hi, data, valid
  private readonly cNum: Int32Array; // irte, vector, cpu, virq, fault
  private readonly cReason: (string | undefined)[];

  /**
   * @param now returns the current simulated time (ns)
   * @param capacity number of most recent events kept (older ones are overwritten)
   */
  constructor(now: () => number, capacity = 1 << 16) {
    this.clockNow = now;
    this.capacity = capacity;
    this.cId = new Uint32Array(capacity);
    this.cT = new Float64Array(capacity);
    this.cKind = new Uint8Array(capacity);
    this.cMsg = new Uint32Array(capacity * 4);
    this.cNum = new Int32Array(capacity * 5);
    this.cReason = new Array<string | undefined>(capacity);
  }

  /** Registers an origin so that messages can refer to it by key; returns the key. */
  addOrigin<O extends MessageOrigin>(make: (key: number) => O): O {
    const o = make(this.origins.length);
    this.origins.push(o);
    return o;
  }

  /** Calls `fn(seq)` after each recorded event. Returns an unsubscribe function. */
  subscribe(fn: (seq: number) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Opens a message and returns its id (1-based). */
  open(origin: MessageOrigin, pasid: number | null): number {
    const id = ++this.messages;
    if (id >= this.state.length) this.grow();
    this.state[id] = ST_OPEN;
    this.msgOrigin[id] = origin.key;
    this.msgPasid[id] = pasid ?? -1;
    return id;
  }

  /** Doubles the per-message columns (new ids: not raised, no event). */
  private grow(): void {
    const n = this.state.length * 2;
    const state = new Uint8Array(n);
    state.set(this.state);
    this.state = state;
    const origin = new Int32Array(n).fill(-1);
    origin.set(this.msgOrigin);
    this.msgOrigin = origin;
    const pasid = new Int32Array(n);
    pasid.set(this.msgPasid);
    this.msgPasid = pasid;
    const lastSeq = new Float64Array(n).fill(-1);
    lastSeq.set(this.msgLastSeq);
    this.msgLastSeq = lastSeq;
  }

  /** Records an outcome step of message `id`. Breaches of the invariant are counted, not thrown. */
  record(id: number, kind: OutcomeKind, d: TraceDetail = {}): void {
    const st = id > 0 && id <= this.messages ? this.state[id]! : ST_NONE;
    if (st === ST_NONE || st === ST_DONE || (st === ST_PENDING && kind === 'pending')) {
      this.breach(
        `message #${id}: '${kind}' after ${st === ST_DONE ? 'its outcome' : st === ST_NONE ? 'nothing (never raised)' : 'pending'}`,
      );
      return;
    }
    if (st === ST_PENDING) this.pendingCount--;
    if (kind === 'pending') {
      this.state[id] = ST_PENDING;
      this.pendingCount++;
    } else {
      this.state[id] = ST_DONE;
    }
    this.counts[KIND_CODE[kind]]!++;
    const seq = this.seqCount++;
    this.msgLastSeq[id] = seq;
    const slot = seq % this.capacity;
    this.cId[slot] = id;
    this.cT[slot] = this.clockNow();
    this.cKind[slot] = KIND_CODE[kind];
    const m = slot * 4;
    if (d.msg) {
      this.cMsg[m] = d.msg.address_lo;
      this.cMsg[m + 1] = d.msg.address_hi;
      this.cMsg[m + 2] = d.msg.data;
      this.cMsg[m + 3] = 1;
    } else {
      this.cMsg[m + 3] = 0;
    }
    const n = slot * 5;
    this.cNum[n] = d.irte ?? -1;
    this.cNum[n + 1] = d.vector ?? -1;
    this.cNum[n + 2] = d.cpu ?? -1;
    this.cNum[n + 3] = d.virq ?? -1;
    this.cNum[n + 4] = d.fault ?? -1;
    this.cReason[slot] = d.reason;
    for (const fn of this.listeners) fn(seq);
  }

  /** The latest event of message `id` (undefined if none, or it has left the ring). */
  lastEventOf(id: number): TraceEvent | undefined {
    const seq = this.msgLastSeq[id];
    return seq === undefined || seq < 0 ? undefined : this.event(seq);
  }

  /** The requester id (SID) of message `id`'s origin. */
  requesterOf(id: number): number {
    return this.origins[this.msgOrigin[id]!]?.requesterId ?? 0;
  }

  /** The device origin (MSI-X entry or IMS slot) of message `id`; undefined for a fault event. */
  originOf(id: number): MsiOrigin | undefined {
    const o = this.origins[this.msgOrigin[id]!];
    return o === undefined || o.source === 'dmar' ? undefined : (o as MsiOrigin);
  }

  /** The origin of message `id`, a VT-d unit's fault event included. */
  messageOriginOf(id: number): MessageOrigin | undefined {
    return this.origins[this.msgOrigin[id]!];
  }

  /** Number of events recorded so far (including those overwritten in the ring). */
  get length(): number {
    return this.seqCount;
  }

  /** Number of messages raised so far. */
  get messageCount(): number {
    return this.messages;
  }

  /** Messages currently held pending. */
  get pending(): number {
    return this.pendingCount;
  }

  /** Counts of recorded events per kind. */
  get totals(): Record<OutcomeKind, number> {
    return {
      delivered: this.counts[0]!,
      pending: this.counts[1]!,
      faulted: this.counts[2]!,
      dropped: this.counts[3]!,
    };
  }

  /** The message ids currently pending. */
  pendingIds(): number[] {
    const out: number[] = [];
    for (let id = 1; id <= this.messages; id++) if (this.state[id] === ST_PENDING) out.push(id);
    return out;
  }

  /** Materialises event `seq`; undefined if it has left the ring or does not exist yet. */
  event(seq: number): TraceEvent | undefined {
    if (seq < 0 || seq >= this.seqCount || seq < this.seqCount - this.capacity) return undefined;
    const slot = seq % this.capacity;
    const id = this.cId[slot]!;
    const origin = this.origins[this.msgOrigin[id]!]!;
    const pasid = this.msgPasid[id]!;
    const m = slot * 4;
    const n = slot * 5;
    const num = (i: number): number | null => {
      const v = this.cNum[n + i]!;
      return v < 0 ? null : v;
    };
    const ev: TraceEvent = {
      seq,
      id,
      t: this.cT[slot]!,
      kind: KINDS[this.cKind[slot]!]!,
      bdf: origin.bdf,
      source: origin.source,
      index: origin.index,
      pasid: pasid < 0 ? null : pasid,
      msg: this.cMsg[m + 3]
        ? { address_lo: this.cMsg[m]!, address_hi: this.cMsg[m + 1]!, data: this.cMsg[m + 2]! }
        : null,
      irte: num(0),
      vector: num(1),
      cpu: num(2),
      virq: num(3),
      fault: num(4),
      reason: this.cReason[slot] ?? null,
      path: '',
    };
    ev.path = describePath(ev);
    return ev;
  }

  /** Events still in the ring, oldest first (optionally only those with seq >= `from`). */
  events(from = 0): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let s = Math.max(from, this.seqCount - this.capacity); s < this.seqCount; s++)
      out.push(this.event(s)!);
    return out;
  }

  /**
   * Checks the conservation invariant now: every raised message has an outcome or is pending,
   * and no breach was seen. Returns the list of problems (empty when it holds).
   */
  check(): string[] {
    const problems = [...this.breaches];
    for (let id = 1; id <= this.messages; id++) {
      if (this.state[id] === ST_OPEN) problems.push(`message #${id} was raised but has no outcome`);
      if (problems.length > 50) break;
    }
    return problems;
  }

  /** Breaches seen while recording. */
  get violations(): readonly string[] {
    return this.breaches;
  }

  private breach(what: string): void {
    if (this.breaches.length < 1000) this.breaches.push(what);
  }
}

/**
 * `IMS slot 3 of 0000:6a:01.0`, `MSI-X entry 0 of 0000:6a:01.0`, `fault event of dmar0` (a VT-d
 * unit's own fault-event message).
 */
export function describeOrigin(source: MsiSource, index: number, bdf: string): string {
  if (source === 'dmar') return `fault event of ${bdf}`;
  return `${source === 'ims' ? 'IMS slot' : 'MSI-X entry'} ${index} of ${bdf}`;
}

/** The path of an event in the arrow notation the views and the CLI use. */
export function describePath(ev: Omit<TraceEvent, 'path'>): string {
  const parts = [describeOrigin(ev.source, ev.index, ev.bdf)];
  if (ev.irte !== null) parts.push(`IRTE ${ev.irte}`);
  if (ev.vector !== null) parts.push(`vector ${hex(ev.vector, 2)}`);
  if (ev.cpu !== null) parts.push(`CPU ${ev.cpu}`);
  let s = parts.join(' → ');
  if (ev.virq !== null) s += ` (irq ${ev.virq})`;
  if (ev.kind === 'faulted') s += ` ✗ fault ${hex(ev.fault ?? 0, 2)}`;
  if (ev.reason) s += `: ${ev.reason}`;
  return s;
}
