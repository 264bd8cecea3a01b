/**
 * What the model's kernel calls did, by statement: for each statement site, the last MMIO access
 * its accessors made (readl, writel, readq, writeq, readw, readb, writew, writeb, ioread32,
 * iowrite32, ioread64, iowrite64: address, bytes, the value read or written) and the last irq its
 * irq calls named (request_irq, request_threaded_irq, free_irq, enable_irq, disable_irq,
 * irq_set_affinity, pci_irq_vector, pci_ims_alloc_irq, pci_msix_alloc_irq_at). The inline values
 * beside the code are rendered from it (inline-values.ts).
 *
 * A call belongs to the statement the calling model frame is executing — the line where that
 * statement starts. Calls made while the debugger evaluates (console, conditions) are not
 * recorded. Updating a site's record changes it in place (no allocation for 32-bit accesses);
 * there is one record per site that made such a call, so the log is bounded by the model's size.
 */

/** The last MMIO access of one site. */
export interface MmioRecord {
  address: number;
  /** 1, 2, 4 or 8. */
  bytes: number;
  /** The value read or written (bytes ≤ 4: a number; 8: `big`, as passed: see accessValue). */
  value: number;
  big: bigint;
  write: boolean;
  /** The accessor's name (`readl`, `iowrite32`…). */
  fn: string;
  /** Accesses this site made, and the distinct addresses among them (up to MAX_DISTINCT). */
  count: number;
  readonly addresses: Set<number>;
  /** When the last access happened (the log's running count): the latest of a line's sites. */
  seq: number;
}

/** The last irq one site's irq calls named. */
export interface IrqRecord {
  /** The irq (virq); for a failed allocation the negative errno. */
  irq: number;
  fn: string;
  count: number;
  readonly irqs: Set<number>;
  seq: number;
}

/** Distinct addresses or irqs counted per site; beyond, the count says "or more". */
export const MAX_DISTINCT = 64;

type Fn = (...args: unknown[]) => unknown;

const READS: Readonly<Record<string, number>> = {
  readb: 1,
  readw: 2,
  readl: 4,
  ioread32: 4,
  readq: 8,
  ioread64: 8,
};
const WRITES: Readonly<Record<string, number>> = {
  writeb: 1,
  writew: 2,
  writel: 4,
  iowrite32: 4,
  writeq: 8,
  iowrite64: 8,
};
/** Calls whose first argument is the irq. */
const IRQ_ARG = [
  'request_irq',
  'request_threaded_irq',
  'free_irq',
  'enable_irq',
  'disable_irq',
  'disable_irq_nosync',
  'irq_set_affinity',
];
/** Calls that return the irq: a number, or an msi_map `{ index, virq }`. */
const IRQ_RESULT = ['pci_irq_vector', 'pci_ims_alloc_irq', 'pci_msix_alloc_irq_at'];

export class IoLog {
  readonly mmio = new Map<number, MmioRecord>();
  readonly irqs = new Map<number, IrqRecord>();
  private seq = 0;

  /** @param site the statement site the calling model frame executes, or -1 (do not record) */
  constructor(private readonly site: () => number) {}

  /**
   * Replaces the accessors and irq calls of `api` (the kernel API object, before it is made
   * global) with functions that call them and record what they did. Others stay as they are.
   */
  instrument(api: Record<string, unknown>): void {
    for (const [name, bytes] of Object.entries(READS))
      this.wrap(api, name, (args, out) => this.access(name, args[0], bytes, out, false));
    for (const [name, bytes] of Object.entries(WRITES))
      this.wrap(api, name, (args) => this.access(name, args[1], bytes, args[0], true));
    for (const name of IRQ_ARG) this.wrap(api, name, (args) => this.irq(name, args[0]));
    for (const name of IRQ_RESULT) this.wrap(api, name, (_, out) => this.irq(name, irqOf(out)));
  }

  private wrap(
    api: Record<string, unknown>,
    name: string,
    after: (args: unknown[], out: unknown) => void,
  ): void {
    const fn = api[name];
    if (typeof fn !== 'function') return;
    const call = fn as Fn;
    // Keeps the function's name (stack traces, the Variables view).
    const named = {
      [name](this: unknown, ...args: unknown[]): unknown {
        const out = call.apply(this, args);
        after(args, out);
        return out;
      },
    };
    api[name] = named[name];
  }

  /** Records an MMIO access of the current site. */
  access(fn: string, addr: unknown, bytes: number, value: unknown, write: boolean): void {
    const site = this.site();
    if (site < 0) return;
    const address = typeof addr === 'bigint' ? Number(addr) : addr;
    if (typeof address !== 'number') return;
    let r = this.mmio.get(site);
    if (r === undefined) {
      r = {
        address,
        bytes,
        value: 0,
        big: 0n,
        write,
        fn,
        count: 0,
        addresses: new Set(),
        seq: 0,
      };
      this.mmio.set(site, r);
    }
    r.address = address;
    r.bytes = bytes;
    r.write = write;
    r.fn = fn;
    if (bytes === 8) r.big = typeof value === 'bigint' ? value : toU64(value);
    else r.value = toU32(value, bytes);
    r.count++;
    r.seq = ++this.seq;
    if (r.addresses.size < MAX_DISTINCT) r.addresses.add(address);
  }

  /** Records that the current site's call named irq `irq` (a number, else nothing). */
  irq(fn: string, irq: unknown): void {
    const site = this.site();
    if (site < 0 || typeof irq !== 'number' || !Number.isInteger(irq)) return;
    let r = this.irqs.get(site);
    if (r === undefined) {
      r = { irq, fn, count: 0, irqs: new Set(), seq: 0 };
      this.irqs.set(site, r);
    }
    r.irq = irq;
    r.fn = fn;
    r.count++;
    r.seq = ++this.seq;
    if (r.irqs.size < MAX_DISTINCT) r.irqs.add(irq);
  }
}

/** The access's value as a bigint. */
export function accessValue(r: MmioRecord): bigint {
  return r.bytes === 8 ? BigInt.asUintN(64, r.big) : BigInt(r.value);
}

/** The irq an allocation returned: a virq number, or an msi_map's virq (its index if < 0). */
function irqOf(out: unknown): unknown {
  if (typeof out === 'number') return out;
  if (typeof out !== 'object' || out === null) return undefined;
  const m = out as { index?: unknown; virq?: unknown };
  return typeof m.index === 'number' && m.index < 0 ? m.index : m.virq;
}

function toU32(v: unknown, bytes: number): number {
  const n =
    typeof v === 'bigint'
      ? Number(BigInt.asUintN(32, v))
      : typeof v === 'number'
        ? v >>> 0
        : typeof v === 'boolean'
          ? Number(v)
          : 0;
  return bytes === 4 ? n : n & ((1 << (bytes * 8)) - 1);
}

function toU64(v: unknown): bigint {
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt.asUintN(64, BigInt(v));
  return 0n;
}
