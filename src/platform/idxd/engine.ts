/**
 * Work queues and engines: where submitted descriptors wait and when they run.
 *
 * Each enabled WQ has a FIFO ring of wq_size 64-byte slots (preallocated at ENABLE_WQ, so a
 * portal write allocates nothing but its clock event). An engine runs one descriptor at a time
 * for the group it belongs to (GRPENGCFG); an idle engine takes the next descriptor from the
 * group's WQs, highest WQCFG.priority first, round-robin among equals. A descriptor counts in
 * its WQ's occupancy from submission until its completion event has run.
 *
 * Engines of a group run in parallel, so descriptors of one WQ can complete out of submission
 * order. A DRAIN descriptor (opcode 0x02) is the exception the DSA spec defines: it completes
 * only after every descriptor submitted before it to the same WQ has completed — in a shared WQ
 * only those with the Drain's PASID (our reading of the spec's Drain description, UNCERTAIN;
 * a dedicated WQ's descriptors all carry the WQ's PASID anyway). Linux relies on this in
 * idxd_int_handle_revoke_drain (drivers/dma/idxd/irq.c): the Drain's completion interrupt
 * arrives after the records of everything queued before it. The WQ is FIFO, so when a Drain
 * reaches an engine everything before it is already on other engines; the Drain holds its engine
 * (the engine is busy, as for any descriptor) until its own processing time is up and the last
 * of those has retired, whichever is later. Any descriptor with the DRAIN opcode waits, even one
 * its checks will reject.
 */
import type { Clock } from '../clock';
import type { ConfigView } from './config-view';
import { DSA_OPCODE } from './consts';
import { DESCRIPTOR_SIZE } from './descriptor';
import type { DescriptorExecutor } from './executor';

export const WQ_DISABLED = 0;
export const WQ_ENABLED = 1;
/** Enabled but no longer accepting descriptors (DISABLE_WQ draining). */
export const WQ_DISABLING = 2;

/** Selects outstanding work for drain/abort: by WQ, PASID (-1: none) and submission number. */
export type WorkFilter = (wq: number, pasid: number, seq: number) => boolean;

const IDLE = -1;
const NO_PASID = -1;
/** engEvent of an engine whose Drain waits for earlier descriptors (no event scheduled). */
const NO_EVENT = -1;
/** Byte 7 of a descriptor: the opcode. */
const OPCODE_BYTE = 7;
/** A descriptor in dwords. */
const DESCRIPTOR_WORDS = DESCRIPTOR_SIZE / 4;

interface Ring {
  readonly cap: number;
  readonly desc: Uint8Array;
  /** `desc` as dwords: a descriptor moves to its engine as 16 dword copies (no view). */
  readonly words: Int32Array;
  readonly pasid: Int32Array;
  readonly priv: Uint8Array;
  readonly seq: Float64Array;
  head: number;
  count: number;
}

export class WorkEngine {
  /** WQ_DISABLED / WQ_ENABLED / WQ_DISABLING per WQ. */
  readonly wqState: Uint8Array;
  private readonly rings: (Ring | undefined)[];
  private readonly occupancy: Int32Array;
  private readonly numEngines: number;
  private readonly engDesc: Uint8Array;
  /** `engDesc` as dwords (the target of a descriptor's copy). */
  private readonly engWords: Int32Array;
  /** Each engine's 64 bytes of `engDesc`, made once: the per-descriptor path makes no views. */
  private readonly engViews: Uint8Array[];
  private readonly engWq: Int32Array;
  private readonly engPasid: Int32Array;
  private readonly engPriv: Uint8Array;
  private readonly engSeq: Float64Array;
  private readonly engEvent: Float64Array;
  /** 1 while the engine's Drain has used its time and waits for earlier descriptors. */
  private readonly engWaiting: Uint8Array;
  private readonly finishers: (() => void)[];
  private readonly labels: string[];
  private readonly rr: Int32Array;
  /**
   * GRPCFG and WQCFG as the engines see them, read when a WQ is enabled or disabled: the
   * registers are locked while their WQs are enabled, so the copy cannot go stale, and the
   * per-descriptor path reads no registers.
   */
  private readonly engGroup: Int32Array;
  private readonly inGroup: Uint8Array;
  private readonly prio: Int32Array;
  /** 1 per dedicated WQ (a Drain in a shared WQ waits only for its own PASID). */
  private readonly dedicated: Uint8Array;
  private seq = 0;
  /** Descriptors waiting in all rings (the sum of their counts): 0 = nothing to dispatch. */
  private queued = 0;

  constructor(
    private readonly clock: Clock,
    private readonly cfg: ConfigView,
    private readonly exec: DescriptorExecutor,
    label: string,
    /** Called after each descriptor retires (commands waiting for a drain check here). */
    private readonly onRetired: () => void,
  ) {
    const nw = cfg.numWqs;
    this.numEngines = cfg.caps.num_engines;
    this.wqState = new Uint8Array(nw);
    this.rings = new Array<Ring | undefined>(nw).fill(undefined);
    this.occupancy = new Int32Array(nw);
    this.engDesc = new Uint8Array(this.numEngines * DESCRIPTOR_SIZE);
    this.engWords = new Int32Array(this.engDesc.buffer);
    this.engViews = [];
    for (let e = 0; e < this.numEngines; e++) {
      this.engViews.push(this.engDesc.subarray(e * DESCRIPTOR_SIZE, (e + 1) * DESCRIPTOR_SIZE));
    }
    this.engWq = new Int32Array(this.numEngines).fill(IDLE);
    this.engPasid = new Int32Array(this.numEngines);
    this.engPriv = new Uint8Array(this.numEngines);
    this.engSeq = new Float64Array(this.numEngines);
    this.engEvent = new Float64Array(this.numEngines);
    this.engWaiting = new Uint8Array(this.numEngines);
    this.finishers = [];
    for (let e = 0; e < this.numEngines; e++) this.finishers.push(() => this.finish(e));
    this.labels = [];
    for (let w = 0; w < nw; w++) this.labels.push(`${label} wq${w} descriptor`);
    this.rr = new Int32Array(cfg.numGroups).fill(-1);
    this.engGroup = new Int32Array(this.numEngines).fill(-1);
    this.inGroup = new Uint8Array(cfg.numGroups * nw);
    this.prio = new Int32Array(nw);
    this.dedicated = new Uint8Array(nw);
  }

  /** Re-reads the engine → group and WQ → group mapping and WQ priorities (see engGroup). */
  private refreshTopology(): void {
    const nw = this.rings.length;
    for (let e = 0; e < this.numEngines; e++) this.engGroup[e] = this.groupOfEngine(e);
    for (let g = 0; g < this.cfg.numGroups; g++) {
      for (let wq = 0; wq < nw; wq++) this.inGroup[g * nw + wq] = this.cfg.wqInGroup(g, wq) ? 1 : 0;
    }
    for (let wq = 0; wq < nw; wq++) {
      this.prio[wq] = this.cfg.wqPriority(wq);
      this.dedicated[wq] = this.cfg.wqDedicated(wq) ? 1 : 0;
    }
  }

  /** Descriptors queued or executing in `wq`. */
  occupancyOf(wq: number): number {
    return this.occupancy[wq]!;
  }

  /** Enables `wq` with a ring of `capacity` entries. */
  enableWq(wq: number, capacity: number): void {
    const desc = new Uint8Array(capacity * DESCRIPTOR_SIZE);
    this.queued -= this.rings[wq]?.count ?? 0;
    this.rings[wq] = {
      cap: capacity,
      desc,
      words: new Int32Array(desc.buffer),
      pasid: new Int32Array(capacity),
      priv: new Uint8Array(capacity),
      seq: new Float64Array(capacity),
      head: 0,
      count: 0,
    };
    this.wqState[wq] = WQ_ENABLED;
    this.cfg.setWqState(wq, true);
    this.refreshTopology();
    this.exec.wqEnabled(wq);
  }

  /** Stops `wq` from accepting descriptors; it stays enabled while it drains. */
  stopAccepting(wq: number): void {
    if (this.wqState[wq] === WQ_ENABLED) this.wqState[wq] = WQ_DISABLING;
  }

  /** Disables `wq` (callers drain or abort it first). */
  disableWq(wq: number): void {
    this.queued -= this.rings[wq]?.count ?? 0;
    this.wqState[wq] = WQ_DISABLED;
    this.rings[wq] = undefined;
    this.cfg.setWqState(wq, false);
    this.refreshTopology();
  }

  /**
   * Queues a descriptor (the portal checked state and capacity) and starts it if an engine
   * of the WQ's group is idle. `bytes` is copied.
   */
  submit(wq: number, bytes: Uint8Array, pasid: number | null, priv: boolean): void {
    const r = this.rings[wq]!;
    const slot = wrap(r.head + r.count, r.cap);
    r.desc.set(bytes, slot * DESCRIPTOR_SIZE);
    r.pasid[slot] = pasid ?? NO_PASID;
    r.priv[slot] = priv ? 1 : 0;
    r.seq[slot] = ++this.seq;
    r.count++;
    this.queued++;
    this.setOccupancy(wq, this.occupancy[wq]! + 1);
    this.dispatch();
  }

  /** Number of the last descriptor submitted (a drain's mark). */
  get lastSeq(): number {
    return this.seq;
  }

  /** True while any queued or executing descriptor matches `f`. */
  hasOutstanding(f: WorkFilter): boolean {
    for (let e = 0; e < this.numEngines; e++) {
      const wq = this.engWq[e]!;
      if (wq !== IDLE && f(wq, this.engPasid[e]!, this.engSeq[e]!)) return true;
    }
    for (let wq = 0; wq < this.rings.length; wq++) {
      const r = this.rings[wq];
      if (r === undefined) continue;
      for (let i = 0; i < r.count; i++) {
        const s = (r.head + i) % r.cap;
        if (f(wq, r.pasid[s]!, r.seq[s]!)) return true;
      }
    }
    return false;
  }

  /**
   * Discards queued and executing descriptors matching `f` (no completion record, no
   * interrupt: the DSA spec lets aborted descriptors go unreported). Returns how many.
   */
  abort(f: WorkFilter): number {
    let n = 0;
    for (let e = 0; e < this.numEngines; e++) {
      const wq = this.engWq[e]!;
      if (wq === IDLE || !f(wq, this.engPasid[e]!, this.engSeq[e]!)) continue;
      if (this.engWaiting[e] === 0) this.clock.cancel(this.engEvent[e]!);
      this.engWaiting[e] = 0;
      this.engWq[e] = IDLE;
      this.setOccupancy(wq, this.occupancy[wq]! - 1);
      n++;
    }
    for (let wq = 0; wq < this.rings.length; wq++) n += this.abortQueued(wq, f);
    this.dispatch();
    this.wakeDrains();
    return n;
  }

  /** Aborts everything and disables every WQ (RESET_DEVICE). */
  reset(): void {
    this.abort(() => true);
    for (let wq = 0; wq < this.rings.length; wq++) this.disableWq(wq);
    this.rr.fill(-1);
  }

  private abortQueued(wq: number, f: WorkFilter): number {
    const r = this.rings[wq];
    if (r === undefined) return 0;
    let kept = 0;
    const count = r.count;
    for (let i = 0; i < count; i++) {
      const s = (r.head + i) % r.cap;
      if (f(wq, r.pasid[s]!, r.seq[s]!)) continue;
      const d = (r.head + kept) % r.cap;
      if (d !== s) {
        r.desc.copyWithin(d * DESCRIPTOR_SIZE, s * DESCRIPTOR_SIZE, (s + 1) * DESCRIPTOR_SIZE);
        r.pasid[d] = r.pasid[s]!;
        r.priv[d] = r.priv[s]!;
        r.seq[d] = r.seq[s]!;
      }
      kept++;
    }
    r.count = kept;
    this.queued -= count - kept;
    this.setOccupancy(wq, this.occupancy[wq]! - (count - kept));
    return count - kept;
  }

  private setOccupancy(wq: number, n: number): void {
    this.occupancy[wq] = n;
    this.cfg.setOccupancy(wq, n);
  }

  /** Gives every idle engine the next descriptor of its group, if any. */
  private dispatch(): void {
    if (this.queued === 0) return;
    for (let e = 0; e < this.numEngines; e++) {
      if (this.engWq[e] !== IDLE) continue;
      const g = this.engGroup[e]!;
      if (g < 0) continue;
      const wq = this.pickWq(g);
      if (wq >= 0) this.start(e, wq);
    }
  }

  private groupOfEngine(e: number): number {
    for (let g = 0; g < this.cfg.numGroups; g++) {
      if ((this.cfg.groupEngines(g) & (1 << e)) !== 0) return g;
    }
    return -1;
  }

  private pickWq(g: number): number {
    const nw = this.rings.length;
    let best = -1;
    let bestPrio = -1;
    for (let k = 1; k <= nw; k++) {
      const wq = wrap(this.rr[g]! + k + nw, nw);
      const r = this.rings[wq];
      if (r === undefined || r.count === 0 || this.inGroup[g * nw + wq] === 0) continue;
      const prio = this.prio[wq]!;
      if (prio > bestPrio) {
        best = wq;
        bestPrio = prio;
      }
    }
    if (best >= 0) this.rr[g] = best;
    return best;
  }

  private start(e: number, wq: number): void {
    const r = this.rings[wq]!;
    const s = r.head;
    const from = s * DESCRIPTOR_WORDS;
    const to = e * DESCRIPTOR_WORDS;
    for (let i = 0; i < DESCRIPTOR_WORDS; i++) this.engWords[to + i] = r.words[from + i]!;
    this.engWq[e] = wq;
    this.engPasid[e] = r.pasid[s]!;
    this.engPriv[e] = r.priv[s]!;
    this.engSeq[e] = r.seq[s]!;
    r.head = wrap(r.head + 1, r.cap);
    r.count--;
    this.queued--;
    this.engEvent[e] = this.clock.schedule(
      this.exec.estimateNs(this.engViews[e]!, wq),
      this.labels[wq]!,
      this.finishers[e]!,
    );
  }

  /**
   * True while a descriptor submitted before engine `e`'s Drain to the same WQ is still on an
   * engine (in a shared WQ: one with the Drain's PASID). Queued descriptors of the WQ cannot be
   * earlier: the WQ is FIFO and the Drain left it first.
   */
  private drainBlocked(e: number): boolean {
    const wq = this.engWq[e]!;
    const seq = this.engSeq[e]!;
    const pasid = this.engPasid[e]!;
    const anyPasid = this.dedicated[wq] === 1;
    for (let o = 0; o < this.numEngines; o++) {
      if (o === e || this.engWq[o] !== wq || this.engSeq[o]! >= seq) continue;
      if (anyPasid || this.engPasid[o] === pasid) return true;
    }
    return false;
  }

  /** Schedules the completion of each waiting Drain whose earlier descriptors have retired. */
  private wakeDrains(): void {
    for (let e = 0; e < this.numEngines; e++) {
      if (this.engWaiting[e] === 0 || this.drainBlocked(e)) continue;
      this.engWaiting[e] = 0;
      this.engEvent[e] = this.clock.schedule(0, this.labels[this.engWq[e]!]!, this.finishers[e]!);
    }
  }

  private finish(e: number): void {
    const wq = this.engWq[e]!;
    if (wq === IDLE) return;
    if (
      this.engDesc[e * DESCRIPTOR_SIZE + OPCODE_BYTE] === DSA_OPCODE.DRAIN &&
      this.drainBlocked(e)
    ) {
      this.engWaiting[e] = 1;
      this.engEvent[e] = NO_EVENT;
      return;
    }
    const pasid = this.engPasid[e]!;
    this.engWq[e] = IDLE;
    // A view, not a copy: the engine's slot is not reused before run() returns.
    this.exec.run(this.engViews[e]!, {
      wq,
      pasid: pasid === NO_PASID ? null : pasid,
      priv: this.engPriv[e] === 1,
    });
    this.setOccupancy(wq, this.occupancy[wq]! - 1);
    this.dispatch();
    this.wakeDrains();
    this.onRetired();
  }
}

/**
 * `i % n` for `i >= 0`, without the division when `i < 2n` (ring and round-robin indexes step
 * past the end by less than one turn).
 */
function wrap(i: number, n: number): number {
  if (i < n) return i;
  return i < 2 * n ? i - n : i % n;
}
