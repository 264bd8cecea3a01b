import type {
  DeviceMsiSource,
  InterruptBus,
  MessageOrigin,
  MsiOrigin,
  MsiSource,
} from '../../../src/platform/bus';

/** One recorded bus call. */
export type BusCall =
  | { op: 'raise'; id: number; source: MsiSource; index: number; bdf: string; pasid: number | null }
  | { op: 'pend'; id: number }
  | { op: 'drop'; id: number; reason: string }
  | { op: 'send'; id: number; address_lo: number; address_hi: number; data: number };

/**
 * An InterruptBus that records every call and checks the one-outcome rule: each raised message
 * ends with exactly one send or drop, optionally after one pend.
 */
export class FakeBus implements InterruptBus {
  readonly calls: BusCall[] = [];
  readonly violations: string[] = [];
  private readonly interned = new Map<string, MsiOrigin>();
  private readonly state = new Map<number, 'open' | 'pending' | 'done'>();
  private readonly originOf = new Map<number, MessageOrigin>();
  private nextId = 1;

  origin(bdf: string, requesterId: number, source: DeviceMsiSource, index: number): MsiOrigin {
    const key = `${bdf}/${source}/${index}`;
    let o = this.interned.get(key);
    if (o === undefined) {
      o = { key: this.interned.size, bdf, requesterId, source, index };
      this.interned.set(key, o);
    }
    return o;
  }

  raise(origin: MessageOrigin, pasid: number | null): number {
    const id = this.nextId++;
    this.state.set(id, 'open');
    this.originOf.set(id, origin);
    this.calls.push({
      op: 'raise',
      id,
      source: origin.source,
      index: origin.index,
      bdf: origin.bdf,
      pasid,
    });
    return id;
  }

  pend(id: number): void {
    this.step(id, 'pend', 'pending');
    this.calls.push({ op: 'pend', id });
  }

  drop(id: number, reason: string): void {
    this.step(id, 'drop', 'done');
    this.calls.push({ op: 'drop', id, reason });
  }

  send(id: number, address_lo: number, address_hi: number, data: number): void {
    this.step(id, 'send', 'done');
    this.calls.push({ op: 'send', id, address_lo, address_hi, data });
  }

  /** Calls after `mark` (an index into `calls`), for "what happened since". */
  since(mark: number): BusCall[] {
    return this.calls.slice(mark);
  }

  /** The raise calls, in order. */
  raised(): Extract<BusCall, { op: 'raise' }>[] {
    return this.calls.filter((c): c is Extract<BusCall, { op: 'raise' }> => c.op === 'raise');
  }

  /** Messages raised but not yet finished (open or pending). */
  unfinished(): number[] {
    return [...this.state].filter(([, s]) => s !== 'done').map(([id]) => id);
  }

  /** The origin a message was raised from. */
  originOfMessage(id: number): MessageOrigin | undefined {
    return this.originOf.get(id);
  }

  private step(id: number, op: string, next: 'pending' | 'done'): void {
    const s = this.state.get(id);
    if (s === undefined || s === 'done' || (s === 'pending' && next === 'pending')) {
      this.violations.push(`${op} on message #${id} in state ${s ?? 'never raised'}`);
    }
    this.state.set(id, next);
  }
}
