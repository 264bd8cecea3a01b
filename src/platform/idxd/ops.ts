/**
 * The data operations, executed on emulated RAM (PhysMemory) at completion time. Addresses are
 * used as physical addresses (no IOMMU DMA translation is modelled; the PASID only selects
 * interrupt permissions). Large buffers are processed in chunks.
 *
 * Semantics (DSA spec, Linux include/uapi/linux/idxd.h):
 *  - MEMMOVE copies xfer_size bytes src → dst; overlapping buffers behave like memmove.
 *  - MEMFILL repeats the 8-byte pattern (bytes 16-23) over dst.
 *  - COMPARE compares src and src2 (bytes 24-31); COMPVAL compares src with the 8-byte pattern
 *    at bytes 24-31. result = 0 equal / 1 different, bytes_completed = offset of the first
 *    difference. With the CR flag, a result other than expected_res & 1 gives SUCCESS_PRED.
 *  - DUALCAST copies src to dst_addr and to dest2 (op-specific bytes 40-47).
 *  - CRCGEN computes the DSA CRC (crc.ts) of src with crc_seed (bytes 40-43), or with the
 *    32-bit seed at seed_addr (bytes 48-55) under READ_CRC_SEED; COPY_CRC also copies src to
 *    dst. The CRC goes to the completion record's crc_val (bytes 16-23).
 *  - DRAIN: the wait for earlier descriptors is the engine's (engine.ts); when it is over, a
 *    Drain with READBACK_ADDR1/2_VALID reads a dword at each readback address (bytes 16-23 and
 *    24-31) — the read has no result of its own, it flushes earlier writes on the way to that
 *    address (the dword size is our choice, UNCERTAIN). Nothing else is done.
 *  - NOOP does nothing.
 */
import type { PhysMemory } from '../memory';
import { DSA_COMP, DSA_CRC_FLAG, DSA_DRAIN_FLAG, DSA_OPCODE, IDXD_OP_FLAG } from './consts';
import { DsaCrc } from './crc';
import type { Descriptor } from './descriptor';

/** What an operation reports in its completion record. */
export interface OpOutcome {
  status: number;
  result: number;
  /** bytes_completed, or descs_completed for a batch. */
  bytes_completed: number;
  fault_addr: number;
  invalid_flags: number;
  /** CRCGEN / COPY_CRC: the CRC (record bytes 16-19). */
  crc_val: number;
}

const CHUNK = 0x10000;

/** A fresh outcome with `status` and nothing else. */
export function outcome(status: number, invalid_flags = 0): OpOutcome {
  return { status, result: 0, bytes_completed: 0, fault_addr: 0, invalid_flags, crc_val: 0 };
}

/** Executes a non-batch operation. `d` has passed `checkDescriptor`. */
export function executeOp(mem: PhysMemory, d: Descriptor): OpOutcome {
  switch (d.opcode) {
    case DSA_OPCODE.MEMMOVE:
      move(mem, d.src_addr, d.dst_addr, d.xfer_size);
      return outcome(DSA_COMP.SUCCESS);
    case DSA_OPCODE.MEMFILL:
      fill(mem, d.dst_addr, d.xfer_size, d.raw.subarray(16, 24));
      return outcome(DSA_COMP.SUCCESS);
    case DSA_OPCODE.COMPARE:
      return compared(
        d,
        firstDifference(mem, d.src_addr, d.xfer_size, (off, n) =>
          mem.readBytes(d.dst_addr + off, n),
        ),
      );
    case DSA_OPCODE.COMPVAL: {
      const pattern = d.raw.subarray(24, 32);
      return compared(
        d,
        firstDifference(mem, d.src_addr, d.xfer_size, (off, n) => repeat(pattern, off, n)),
      );
    }
    case DSA_OPCODE.DUALCAST:
      for (let off = 0; off < d.xfer_size; off += CHUNK) {
        const chunk = mem.readBytes(d.src_addr + off, Math.min(CHUNK, d.xfer_size - off));
        mem.writeBytes(d.dst_addr + off, chunk);
        mem.writeBytes(d.dest2 + off, chunk);
      }
      return outcome(DSA_COMP.SUCCESS);
    case DSA_OPCODE.CRCGEN:
    case DSA_OPCODE.COPY_CRC:
      return crc(mem, d, d.opcode === DSA_OPCODE.COPY_CRC);
    case DSA_OPCODE.DRAIN:
      if ((d.flags & DSA_DRAIN_FLAG.READBACK_ADDR1_VALID) !== 0) mem.read32(d.src_addr);
      if ((d.flags & DSA_DRAIN_FLAG.READBACK_ADDR2_VALID) !== 0) mem.read32(d.dst_addr);
      return outcome(DSA_COMP.SUCCESS);
    default:
      return outcome(DSA_COMP.SUCCESS);
  }
}

/** CRCGEN (and, with `copy`, COPY_CRC): chunk by chunk, the CRC in the outcome. */
function crc(mem: PhysMemory, d: Descriptor, copy: boolean): OpOutcome {
  const seed = (d.flags & DSA_CRC_FLAG.READ_CRC_SEED) !== 0 ? mem.read32(d.seed_addr) : d.crc_seed;
  const c = new DsaCrc(seed, d.flags);
  for (let off = 0; off < d.xfer_size; off += CHUNK) {
    const chunk = mem.readBytes(d.src_addr + off, Math.min(CHUNK, d.xfer_size - off));
    c.update(chunk);
    if (copy) mem.writeBytes(d.dst_addr + off, chunk);
  }
  const o = outcome(DSA_COMP.SUCCESS);
  o.crc_val = c.finish();
  return o;
}

/** Completion of a compare-type operation whose first difference is at `diff` (-1: equal). */
function compared(d: Descriptor, diff: number): OpOutcome {
  const result = diff < 0 ? 0 : 1;
  const checked = (d.flags & IDXD_OP_FLAG.CR) !== 0;
  const status =
    checked && result !== (d.expected_res & 1) ? DSA_COMP.SUCCESS_PRED : DSA_COMP.SUCCESS;
  const o = outcome(status);
  o.result = result;
  o.bytes_completed = diff < 0 ? 0 : diff;
  return o;
}

/** Offset of the first byte where RAM at `src` differs from `other(off, n)`, or -1. */
function firstDifference(
  mem: PhysMemory,
  src: number,
  len: number,
  other: (off: number, n: number) => Uint8Array,
): number {
  for (let off = 0; off < len; off += CHUNK) {
    const n = Math.min(CHUNK, len - off);
    const a = mem.readBytes(src + off, n);
    const b = other(off, n);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return off + i;
  }
  return -1;
}

/** `n` bytes of `pattern` repeated, starting at pattern phase `off`. */
function repeat(pattern: Uint8Array, off: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = pattern[(off + i) % pattern.length]!;
  return out;
}

/** memmove() in chunks: backwards when dst overlaps the end of src, so no byte is read late. */
function move(mem: PhysMemory, src: number, dst: number, len: number): void {
  if (dst > src && dst < src + len) {
    for (let end = len; end > 0; end -= CHUNK) {
      const off = Math.max(0, end - CHUNK);
      mem.writeBytes(dst + off, mem.readBytes(src + off, end - off));
    }
    return;
  }
  for (let off = 0; off < len; off += CHUNK) {
    mem.writeBytes(dst + off, mem.readBytes(src + off, Math.min(CHUNK, len - off)));
  }
}

function fill(mem: PhysMemory, dst: number, len: number, pattern: Uint8Array): void {
  const chunk = repeat(pattern, 0, Math.min(CHUNK, len));
  for (let off = 0; off < len; off += CHUNK) {
    mem.writeBytes(dst + off, chunk.subarray(0, Math.min(CHUNK, len - off)));
  }
}
