/**
 * (d) Random MMIO against a running machine. The idxd-ims example probes its DSA (MSI-X with
 * the misc irq, the IMS domain, the accel-config WQs enabled with IMS completion interrupts and
 * their handles); then random accesses hit every mapped MMIO window — the DSA's BAR0
 * (registers, tables, MSI-X table and PBA, IMS) and BAR2 (portals), the DMAR unit's registers —
 * and the holes around them: reads and writes of 8, 16, 32 and 64 bits at aligned and unaligned
 * offsets with random values, 64-byte writes (mostly at the example's WQ portals; garbage, or a
 * NOOP asking for a completion interrupt through one of the first handles), interleaved with
 * clock advances (the model's handlers take the interrupts) and dispatch. Random commands and
 * table writes soon disable, reset or halt the device for good, so the run is cut
 * into epochs of `epochOps` operations, each on a freshly probed machine; the example's module
 * exit is not run (no driver could tear down what the fuzz leaves).
 *
 * Escapes (must be 0): an exception out of the platform — except the BusError the bus raises,
 * by design, for a write it cannot carry out (an 8/16-bit write to MMIO, a write that starts in
 * RAM and runs into an MMIO window, a 64-byte write not 64-byte aligned or not at a portal) —
 * and every problem the machine audit finds
 * (conservation, pending messages, vector matrix, irq vectors; src/platform/audit), checked
 * every AUDIT_EVERY operations and at the end of each epoch.
 *
 * Deterministic: a seeded PRNG (mulberry32, inlined so that drawing costs a few ns and the
 * figure measures the platform). The time counts the operations and audits, not the probes;
 * it is wall-clock time, so a loaded machine lowers it.
 */
import path from 'node:path';
import { setupRun } from '../src/runtime/setup';
import { ModelLoader } from '../src/runtime/loader';
import { IDLE_LIMIT_NS, installKernelGlobals } from '../src/runtime/model-run';
import { MachineAudit } from '../src/platform/audit';
import type { Machine } from '../src/platform/machine/machine';
import type { DsaPlatformDevice } from '../src/platform/machine/devices';
import { BusError, type PortalWriteKind } from '../src/platform/memory';
import { DMAR_MMIO_SIZE } from '../src/platform/remap/unit';
import { encodeDescriptor } from '../src/platform/idxd/descriptor';
import * as C from '../src/platform/idxd/consts';

/** Operations between two audits. */
const AUDIT_EVERY = 4096;
/** Bytes around each window that the fuzz also reaches (holes; bounded so RAM stays small). */
const HOLE = 0x2000;
/** Different escape texts kept as samples. */
const SAMPLES = 10;
const KINDS: readonly PortalWriteKind[] = ['movdir64b', 'enqcmd', 'enqcmds'];
const WIDTHS = [1, 2, 4, 8] as const;

export interface FuzzResult {
  ops: number;
  epochs: number;
  /** Time of the operations and audits, ms (probes excluded). */
  ms: number;
  perSecond: number;
  /** Exceptions out of the platform plus audit problems. */
  escapes: number;
  /** Up to SAMPLES distinct escape texts. */
  samples: string[];
  /** BusErrors for accesses the bus refuses by design (not escapes). */
  refused: number;
  /** Messages the devices raised during the fuzz. */
  messages: number;
  /** Trace events during the fuzz by kind (`pending` counts pend events). */
  outcomes: Record<'delivered' | 'pending' | 'faulted' | 'dropped', number>;
}

interface Window {
  base: number;
  size: number;
  /** [offset, length] ranges worth hitting more often (side effects, table entries). */
  hot: readonly (readonly [number, number])[];
  portal: boolean;
}

/** mulberry32: a seeded source of 32-bit values. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A machine the example has probed, audited since power-on, and its MMIO windows. */
function probedExample(root: string): { m: Machine; audit: MachineAudit; windows: Window[] } {
  const program = path.join(root, 'examples', 'idxd-ims', 'driver.js');
  const setup = setupRun({ program });
  installKernelGlobals(setup);
  const m = setup.machine;
  const audit = new MachineAudit(m);
  new ModelLoader(path.dirname(program), false).load(setup.program);
  m.runUntilIdle(IDLE_LIMIT_NS);
  const windows: Window[] = [];
  for (const dev of m.devices) {
    const dsa = (dev as DsaPlatformDevice).dsa;
    const L = dsa.layout;
    const [bar0, bar2] = dev.mmio;
    const hot = [
      [0, 0x100],
      [L.msixPermOffset, 0x300],
      [L.msixTableOffset, dsa.msix.tableBytes],
      [L.msixPbaOffset, 8],
      [L.imsOffset, 64 * 16],
    ] as const;
    windows.push({ base: bar0!.base, size: bar0!.size, portal: false, hot });
    windows.push({ base: bar2!.base, size: bar2!.size, portal: true, hot: [[0, 0x8000]] });
  }
  for (const u of m.ir)
    windows.push({ base: u.mmioBase, size: DMAR_MMIO_SIZE, portal: false, hot: [[0, 0xc0]] });
  return { m, audit, windows };
}

/** Whether the bus refused an access as the CPU could not issue it (see the file comment). */
const REFUSED = 1;

/**
 * REFUSED for the BusError of the CPU's own write of `len` bytes at `addr`; any other exception
 * (a BusError from elsewhere included) is rethrown: an escape.
 */
function refused(e: unknown, addr: number, len: number): number {
  if (e instanceof BusError && e.address >= addr && e.address < addr + len) return REFUSED;
  throw e;
}

/** One epoch's operations on one machine. */
class Epoch {
  private readonly portals: Window[];
  private readonly scratch: number;

  constructor(
    private readonly m: Machine,
    private readonly windows: Window[],
    private readonly rnd: () => number,
  ) {
    this.portals = windows.filter((w) => w.portal);
    this.scratch = m.memory.allocate(0x1000);
  }

  /** One random operation. Returns REFUSED when it was refused by design, else 0. */
  step(): number {
    const { m, rnd } = this;
    const r = rnd();
    const kind = r % 100;
    if (kind < 2) {
      m.advance(rnd() % 20_000, true);
      return 0;
    }
    if (kind < 3) {
      m.dispatch();
      return 0;
    }
    if (kind < 7) return this.portalWrite(r);
    return this.access(r);
  }

  /** A 64-byte write: mostly at a portal of the example's WQs (aligned), else anywhere. */
  private portalWrite(r: number): number {
    const { addr, w } = (r & 0x300) !== 0 ? this.portalAddress() : this.address();
    const at = w.portal && (r & 0x1c00) !== 0 ? addr - (addr % 64) : addr;
    try {
      this.m.memory.write64B(at, this.descriptor(), KINDS[this.rnd() % 3]!);
    } catch (e) {
      return refused(e, at, 64);
    }
    return 0;
  }

  /** A read or write of 8, 16, 32 or 64 bits, aligned or not. */
  private access(r: number): number {
    const mem = this.m.memory;
    const width = WIDTHS[(r >>> 8) & 3]!;
    const raw = this.address().addr;
    const addr = (r & 0x400) === 0 ? raw - (raw % width) : raw;
    if ((r & 0x800) === 0) {
      if (width === 1) mem.read8(addr);
      else if (width === 2) mem.read16(addr);
      else if (width === 4) mem.read32(addr);
      else mem.read64(addr);
      return 0;
    }
    try {
      if (width === 1) mem.write8(addr, this.value32());
      else if (width === 2) mem.write16(addr, this.value32());
      else if (width === 4) mem.write32(addr, this.value32());
      else mem.write64(addr, (BigInt(this.value32()) << 32n) | BigInt(this.value32()));
    } catch (e) {
      return refused(e, addr, width);
    }
    return 0;
  }

  /** An address in a window (a hot range a quarter of the time) or in the holes around it. */
  private address(): { addr: number; w: Window } {
    const { rnd } = this;
    const w = this.windows[rnd() % this.windows.length]!;
    const r = rnd();
    let off: number;
    if ((r & 3) === 0) {
      const [at, len] = w.hot[(r >>> 2) % w.hot.length]!;
      off = at + (rnd() % len);
    } else if ((r & 15) === 1) {
      off = (r & 16) === 0 ? -1 - (rnd() % HOLE) : w.size + (rnd() % HOLE);
    } else {
      off = rnd() % w.size;
    }
    return { addr: w.base + off, w };
  }

  private portalAddress(): { addr: number; w: Window } {
    const w = this.portals[this.rnd() % this.portals.length]!;
    const [at, len] = w.hot[0]!;
    return { addr: w.base + at + (this.rnd() % len), w };
  }

  /** Random bytes, or a NOOP with a completion record and interrupt through handle 0–3. */
  private descriptor(): Uint8Array {
    const { rnd } = this;
    if ((rnd() & 1) === 0) {
      const b = new Uint8Array(64);
      const v = new DataView(b.buffer);
      for (let i = 0; i < 64; i += 4) v.setUint32(i, rnd(), true);
      return b;
    }
    return encodeDescriptor({
      pasid: 1,
      priv: true,
      opcode: C.DSA_OPCODE.NOOP,
      flags: C.IDXD_OP_FLAG.RCR | C.IDXD_OP_FLAG.RCI | C.IDXD_OP_FLAG.CRAV,
      completion_addr: this.scratch + (rnd() % 64) * 64,
      int_handle: rnd() % 4,
    });
  }

  /** A value: random, a byte, a single bit, or one of the usual suspects. */
  private value32(): number {
    const r = this.rnd();
    switch (r & 7) {
      case 0:
        return r >>> 24;
      case 1:
        return [0, 1, 0xffffffff, 0x80000000, 0xfee00000][r % 5]!;
      case 2:
        return (1 << (r >>> 27)) >>> 0;
      default:
        return this.rnd();
    }
  }
}

/**
 * Runs `ops` random operations in epochs of `epochOps`. Rejects only if the example fails to
 * probe (a setup problem, not an escape). Each epoch starts from the event loop (setImmediate):
 * a stack trace captured down to the top-level code of a bundled script costs V8 ~100 µs, and
 * the refused accesses throw tens of thousands of BusErrors.
 * @param root the repository root (the example and its accel-config are found from it)
 */
export async function fuzzMmio(
  root: string,
  ops: number,
  seed = 1,
  epochOps = 20_000,
): Promise<FuzzResult> {
  const rnd = prng(seed);
  const samples = new Set<string>();
  const outcomes = { delivered: 0, pending: 0, faulted: 0, dropped: 0 };
  let escapes = 0;
  let refused = 0;
  let messages = 0;
  let ms = 0;
  let epochs = 0;
  const escape = (text: string): void => {
    escapes++;
    if (samples.size < SAMPLES) samples.add(text);
  };
  for (let done = 0; done < ops; epochs++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { m, audit, windows } = probedExample(root);
    const before = { ...m.trace.totals, messages: m.trace.messageCount };
    const epoch = new Epoch(m, windows, rnd);
    const n = Math.min(epochOps, ops - done);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      try {
        refused += epoch.step();
      } catch (e) {
        escape(
          `epoch ${epochs} op ${i}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
      }
      if ((i + 1) % AUDIT_EVERY === 0)
        for (const p of audit.check()) escape(`epoch ${epochs} op ${i}: ${p}`);
    }
    for (const p of audit.check(true)) escape(`epoch ${epochs} end: ${p}`);
    ms += performance.now() - t0;
    audit.detach();
    done += n;
    messages += m.trace.messageCount - before.messages;
    for (const k of ['delivered', 'pending', 'faulted', 'dropped'] as const)
      outcomes[k] += m.trace.totals[k] - before[k];
  }
  return {
    ops,
    epochs,
    ms,
    perSecond: (ops / ms) * 1000,
    escapes,
    samples: [...samples],
    refused,
    messages,
    outcomes,
  };
}
