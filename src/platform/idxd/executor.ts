/**
 * Runs one descriptor to completion: checks, the operation (or the batch's members), the
 * completion record (status byte last) or SWERR, then the completion interrupt.
 *
 * Reporting rules (DSA spec): with CRAV the record is written when RCR is set or the status is
 * not SUCCESS; a record address not 32-byte aligned cannot be written, so that error
 * (CRA_ALIGN, 0x1b) goes to SWERR and nothing executes; without CRAV an error goes to SWERR.
 * With RCI, `int_handle` must resolve (else INT_HANDLE_INVAL, 0x19, and no interrupt — the
 * operation is not performed, so Linux's resubmit-after-revocation is safe); the interrupt is
 * sent after the record is written, whatever the status.
 *
 * Latency model (ns): `descriptorNs` per descriptor plus ceil(xfer_size / bytesPerNs) for
 * the data operations (MEMMOVE, MEMFILL, COMPARE, COMPVAL, DUALCAST, CRCGEN, COPY_CRC); a batch costs `descriptorNs` plus the sum over its
 * members. The whole batch executes when its time is up (members are not interleaved).
 */
import type { PhysMemory } from '../memory';
import { EMULATED_OPCODES } from './caps';
import { COMPLETION_RECORD_ALIGN, writeCompletionRecord } from './completion';
import type { ConfigView } from './config-view';
import { DSA_COMP, DSA_OPCODE, IDXD_OP_FLAG } from './consts';
import {
  DESCRIPTOR_SIZE,
  blankDescriptor,
  checkDescriptor,
  decodeDescriptor,
  decodeDescriptorInto,
  opcodeTable,
  type CheckContext,
  type Descriptor,
  type DescriptorSlot,
} from './descriptor';
import { NO_TARGET, type IdxdInterrupts } from './interrupts';
import { executeOp, outcome, type OpOutcome } from './ops';
import type { SwErr } from './swerr';

export interface IdxdTiming {
  /** Fixed cost per descriptor, ns. */
  readonly descriptorNs: number;
  /** Data rate, bytes per ns (30 ≈ 30 GB/s, an SPR DSA's order of magnitude). */
  readonly bytesPerNs: number;
  /** Time from a CMD write to CMDSTS completion, ns. */
  readonly commandNs: number;
}

export const DEFAULT_TIMING: IdxdTiming = { descriptorNs: 200, bytesPerNs: 30, commandNs: 1000 };

/** Who submitted the descriptor: WQ, effective PASID (null: none) and privilege. */
export interface RunContext {
  readonly wq: number;
  readonly pasid: number | null;
  readonly priv: boolean;
}

const F = IDXD_OP_FLAG;
/** 1 per opcode whose time depends on its transfer size (index = opcode). */
const DATA_OPS = opcodeTable([
  DSA_OPCODE.MEMMOVE,
  DSA_OPCODE.MEMFILL,
  DSA_OPCODE.COMPARE,
  DSA_OPCODE.COMPVAL,
  DSA_OPCODE.DUALCAST,
  DSA_OPCODE.CRCGEN,
  DSA_OPCODE.COPY_CRC,
]);

export class DescriptorExecutor {
  private readonly opcap = new Uint8Array(256);
  private readonly emulated = new Uint8Array(256);
  private checkCtx: { -readonly [K in keyof CheckContext]: CheckContext[K] } | undefined;
  /** Levels of `run` (and of a batch's members within it) in progress. */
  private depth = 0;
  /** The reused decoded descriptor of levels 1 and 2 (see `decode`). */
  private readonly slots: DescriptorSlot[] = [blankDescriptor(), blankDescriptor()];

  constructor(
    private readonly mem: PhysMemory,
    private readonly cfg: ConfigView,
    private readonly intr: IdxdInterrupts,
    private readonly swerr: SwErr,
    private readonly timing: IdxdTiming,
    private readonly onAnomaly: (text: string) => void,
  ) {
    for (const op of cfg.caps.opcap) this.opcap[op] = 1;
    for (const op of EMULATED_OPCODES) this.emulated[op] = 1;
  }

  /**
   * Modelled execution time in ns of a descriptor from `wq` (reads a batch's member list from
   * RAM). A transfer or batch over the WQ's limits is refused before any data moves, so it
   * costs `descriptorNs` only. Allocation-free: it runs on the portal-write path.
   */
  estimateNs(desc: Uint8Array, wq: number): number {
    const opcode = desc[7]!;
    const n = le32(desc, 32);
    const maxXfer = this.maxXfer[wq] ?? 2 ** this.cfg.wqMaxXferShift(wq);
    if (opcode !== DSA_OPCODE.BATCH) return this.cost(opcode, n <= maxXfer ? n : 0);
    const list = le32(desc, 16) + le32(desc, 20) * 0x1_0000_0000;
    let ns = this.timing.descriptorNs;
    if (n > (this.maxBatch[wq] ?? 2 ** this.cfg.wqMaxBatchShift(wq))) return ns;
    for (let i = 0; i < n; i++) {
      const a = list + i * DESCRIPTOR_SIZE;
      const bytes = this.mem.read32(a + 32);
      ns += this.cost(this.mem.read32(a + 4) >>> 24, bytes <= maxXfer ? bytes : 0);
    }
    return ns;
  }

  /**
   * Runs the descriptor `desc` (64 bytes) submitted by `ctx`. Never throws: an access the
   * platform cannot carry out (e.g. a byte write into another device's MMIO) ends the
   * descriptor with HW_ERR1 in SWERR and is reported as an anomaly.
   */
  run(desc: Uint8Array, ctx: RunContext): void {
    this.depth++;
    try {
      this.runOne(this.decode(desc), ctx, -1);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.onAnomaly(`WQ ${ctx.wq} descriptor (opcode ${desc[7]}) failed: ${why}`);
      this.swerr.record({ error: DSA_COMP.HW_ERR1, wq: ctx.wq });
    } finally {
      this.depth--;
    }
  }

  /**
   * Decodes the descriptor of the innermost level in progress (`depth`): a descriptor, then its
   * batch members one after another. The first two levels reuse their objects, so decoding
   * allocates nothing; a deeper level (a run started while another runs) gets a new one.
   */
  private decode(bytes: Uint8Array): Descriptor {
    const slot = this.slots[this.depth - 1];
    return slot === undefined ? decodeDescriptor(bytes) : decodeDescriptorInto(bytes, slot);
  }

  private cost(opcode: number, bytes: number): number {
    const data = DATA_OPS[opcode] === 1 ? Math.ceil(bytes / this.timing.bytesPerNs) : 0;
    return this.timing.descriptorNs + data;
  }

  /** Runs one descriptor (a batch member when batchIdx >= 0); returns its status. */
  private runOne(d: Descriptor, ctx: RunContext, batchIdx: number): number {
    const crav = (d.flags & F.CRAV) !== 0;
    if (crav && d.completion_addr % COMPLETION_RECORD_ALIGN !== 0) {
      this.report(d, ctx, batchIdx, outcome(DSA_COMP.CRA_ALIGN));
      return DSA_COMP.CRA_ALIGN;
    }
    const check = checkDescriptor(d, this.context(ctx.wq, batchIdx >= 0));
    if (check.status === DSA_COMP.BAD_OPCODE && this.opcap[d.opcode] === 1) {
      this.onAnomaly(`opcode ${d.opcode} is advertised in OPCAP but not emulated: BAD_OPCODE`);
    }
    const rci = (d.flags & F.RCI) !== 0;
    const target = rci ? this.intr.resolve(d.int_handle) : NO_TARGET;
    let out: OpOutcome;
    if (check.status !== DSA_COMP.NONE) {
      out = outcome(check.status, check.invalidFlags);
    } else if (rci && target === NO_TARGET) {
      out = outcome(DSA_COMP.INT_HANDLE_INVAL);
    } else {
      out = d.opcode === DSA_OPCODE.BATCH ? this.runBatch(d, ctx) : executeOp(this.mem, d);
    }
    if (crav && ((d.flags & F.RCR) !== 0 || out.status !== DSA_COMP.SUCCESS)) {
      writeCompletionRecord(this.mem, d.completion_addr, out);
    } else if (!crav && out.status !== DSA_COMP.SUCCESS && out.status !== DSA_COMP.SUCCESS_PRED) {
      this.report(d, ctx, batchIdx, out);
    }
    if (target !== NO_TARGET) this.intr.completion(target, ctx.pasid);
    return out.status;
  }

  /**
   * Runs the members in order. A member with FENCE after a member that did not end in
   * SUCCESS (including SUCCESS_PRED from a CR check) stops the batch. descs_completed counts
   * the members processed; any member not SUCCESS makes the batch BATCH_FAIL.
   */
  private runBatch(d: Descriptor, ctx: RunContext): OpOutcome {
    let failed = false;
    let done = 0;
    this.depth++;
    try {
      for (; done < d.xfer_size; done++) {
        const m = this.decode(
          this.mem.readBytes(d.src_addr + done * DESCRIPTOR_SIZE, DESCRIPTOR_SIZE),
        );
        if (failed && (m.flags & F.FENCE) !== 0) break;
        if (this.runOne(m, ctx, done) !== DSA_COMP.SUCCESS) failed = true;
      }
    } finally {
      this.depth--;
    }
    const o = outcome(failed ? DSA_COMP.BATCH_FAIL : DSA_COMP.SUCCESS);
    o.bytes_completed = done;
    return o;
  }

  /** WQ limits read at ENABLE_WQ (WQCFG is locked while the WQ is enabled): bytes, descriptors. */
  private readonly maxXfer: number[] = [];
  private readonly maxBatch: number[] = [];

  /** Called when `wq` is enabled: reads its limits once. */
  wqEnabled(wq: number): void {
    this.maxXfer[wq] = 2 ** this.cfg.wqMaxXferShift(wq);
    this.maxBatch[wq] = 2 ** this.cfg.wqMaxBatchShift(wq);
  }

  /** The check context of `wq`, in one reused object (this runs once per descriptor). */
  private context(wq: number, inBatch: boolean): CheckContext {
    const c = (this.checkCtx ??= {
      version: this.cfg.caps.version,
      gencap: this.cfg.caps.gencap,
      opcap: this.opcap,
      emulated: this.emulated,
      maxXfer: 0,
      maxBatch: 0,
      inBatch: false,
    });
    c.maxXfer = this.maxXfer[wq] ?? 2 ** this.cfg.wqMaxXferShift(wq);
    c.maxBatch = this.maxBatch[wq] ?? 2 ** this.cfg.wqMaxBatchShift(wq);
    c.inBatch = inBatch;
    return c;
  }

  private report(d: Descriptor, ctx: RunContext, batchIdx: number, o: OpOutcome): void {
    this.swerr.record({
      error: o.status,
      wq: ctx.wq,
      desc: { opcode: d.opcode, pasid: ctx.pasid ?? 0, priv: ctx.priv },
      ...(batchIdx >= 0 ? { batchIdx } : {}),
      invalidFlags: o.invalid_flags,
      faultAddr: o.fault_addr,
    });
  }
}

/** Little-endian u32 at `off`. */
function le32(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}
