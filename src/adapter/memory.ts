/**
 * The adapter's side of memory access, register editing and data breakpoints: memory references
 * (a physical address as `0x…`), stable data breakpoint ids, and the memory events that tell open memory views what changed.
 */
import { MemoryEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DataBreakpointSpec } from '../runtime/protocol';

/** Custom request: the CMSIS-SVD XML of the running machine's DSA registers and IMS tables. */
export const SVD_REQUEST = 'ims/svd';

/**
 * The physical address a memory reference and byte offset name. A reference is an address,
 * hex (`0xfee00000`) or decimal, as the variables hand them out and SVD viewers send them.
 * Throws Error for anything else or an address outside 0..2^53.
 */
export function addressOf(memoryReference: string, offset = 0): number {
  const t = memoryReference.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t))
    throw new Error(`memory reference ${JSON.stringify(memoryReference)} is not an address`);
  const a = Number(BigInt(t)) + offset;
  if (!Number.isSafeInteger(a) || a < 0)
    throw new Error(
      `${memoryReference}${offset >= 0 ? '+' : ''}${offset} is outside the physical address space`,
    );
  return a;
}

/** Stable ids for data breakpoints (the same dataId and access keep theirs), above line ids. */
export class DataBreakpointIds {
  private next = 1_000_000;
  private readonly ids = new Map<string, number>();
  /** The last set (replayed on restart). */
  specs: DataBreakpointSpec[] = [];

  assign(bps: readonly DebugProtocol.DataBreakpoint[]): DataBreakpointSpec[] {
    this.specs = bps.map((b) => {
      const key = `${b.accessType ?? 'write'}:${b.dataId}`;
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.next++;
        this.ids.set(key, id);
      }
      return {
        id,
        dataId: b.dataId,
        accessType: b.accessType,
        condition: b.condition,
        hitCondition: b.hitCondition,
      };
    });
    return this.specs;
  }
}

/**
 * The memory references clients have read (the open memory views) and the memory events to send
 * when the bytes behind them may have changed. A client shows memory by reference, so each event
 * names a reference it used, with offsets relative to it.
 */
export class MemoryViews {
  private readonly refs = new Map<string, number>();
  /** Whether the client asked for memory events (initialize's supportsMemoryEvent). */
  enabled = false;

  /** A readMemory by `memoryReference` (its address is `address`). */
  seen(memoryReference: string, address: number): void {
    if (this.refs.size < 1000) this.refs.set(memoryReference, address);
  }

  /**
   * Events for a change of `[address, address+size)`, or of anything (`changed` null: e.g. an
   * assignment in the model, whose setters may write registers): then every view refreshes the
   * first MiB from its reference.
   */
  events(changed: { address: number; size: number } | null | undefined): MemoryEvent[] {
    if (!this.enabled) return [];
    const out: MemoryEvent[] = [];
    for (const [ref, base] of this.refs) {
      if (changed === null || changed === undefined) {
        out.push(new MemoryEvent(ref, 0, 1 << 20));
        continue;
      }
      const from = Math.max(changed.address, base);
      const to = changed.address + changed.size;
      if (to > from) out.push(new MemoryEvent(ref, from - base, to - from));
    }
    return out;
  }

  clear(): void {
    this.refs.clear();
  }
}
