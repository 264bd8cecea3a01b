/**
 * The 64-byte DSA descriptor (include/uapi/linux/idxd.h struct dsa_hw_desc) and the checks the
 * device applies before executing one. Addresses are numbers (exact below 2^53).
 */
import type { GenCap } from './caps';
import {
  DEVICE_VERSION_2,
  DSA_COMP,
  DSA_CRC_FLAG,
  DSA_DRAIN_FLAG,
  DSA_OPCODE,
  IDXD_OP_FLAG,
} from './consts';

export const DESCRIPTOR_SIZE = 64;

export interface Descriptor {
  /** Bits 19:0 of dword 0. */
  readonly pasid: number;
  /** Bit 31 of dword 0. */
  readonly priv: boolean;
  /** Bits 30:20 of dword 0 (reserved). */
  readonly rsvdHeader: number;
  /** Bits 23:0 of dword 1. */
  readonly flags: number;
  readonly opcode: number;
  readonly completion_addr: number;
  /** src_addr / pattern (MEMFILL) / desc_list_addr (BATCH). */
  readonly src_addr: number;
  /** dst_addr / src2_addr (COMPARE) / comp_pattern (COMPVAL). */
  readonly dst_addr: number;
  /** xfer_size / desc_count (BATCH). */
  readonly xfer_size: number;
  readonly int_handle: number;
  /** Bytes 38-39 (reserved). */
  readonly rsvd1: number;
  /** Byte 40: expected result for the CR (check result) flag. */
  readonly expected_res: number;
  /** Bytes 40-47: DUALCAST's second destination. */
  readonly dest2: number;
  /** Bytes 40-43: CRCGEN/COPY_CRC seed. */
  readonly crc_seed: number;
  /** Bytes 48-55: CRCGEN/COPY_CRC seed address (READ_CRC_SEED). */
  readonly seed_addr: number;
  /** The 64 bytes as submitted (op-specific fields, patterns). */
  readonly raw: Uint8Array;
}

/** Decodes 64 bytes (little-endian). Throws RangeError for another length. */
export function decodeDescriptor(bytes: Uint8Array): Descriptor {
  return decodeDescriptorInto(bytes, blankDescriptor());
}

/** A Descriptor whose fields `decodeDescriptorInto` overwrites (a decoder reusing one object). */
export type DescriptorSlot = { -readonly [K in keyof Descriptor]: Descriptor[K] };

/** A slot for `decodeDescriptorInto`: every field 0 (raw empty). */
export function blankDescriptor(): DescriptorSlot {
  return {
    pasid: 0,
    priv: false,
    rsvdHeader: 0,
    flags: 0,
    opcode: 0,
    completion_addr: 0,
    src_addr: 0,
    dst_addr: 0,
    xfer_size: 0,
    int_handle: 0,
    rsvd1: 0,
    expected_res: 0,
    dest2: 0,
    crc_seed: 0,
    seed_addr: 0,
    raw: EMPTY,
  };
}

const EMPTY = new Uint8Array(0);

/**
 * Decodes 64 bytes into `d` (every field written) and returns it. Throws RangeError for another
 * length, leaving `d` unchanged.
 */
export function decodeDescriptorInto(bytes: Uint8Array, d: DescriptorSlot): Descriptor {
  if (bytes.length !== DESCRIPTOR_SIZE) {
    throw new RangeError(`a descriptor is 64 bytes, got ${bytes.length}`);
  }
  const w0 = u32(bytes, 0);
  const w1 = u32(bytes, 4);
  d.pasid = w0 & 0xfffff;
  d.priv = w0 >>> 31 === 1;
  d.rsvdHeader = (w0 >>> 20) & 0x7ff;
  d.flags = w1 & 0xffffff;
  d.opcode = w1 >>> 24;
  d.completion_addr = u64(bytes, 8);
  d.src_addr = u64(bytes, 16);
  d.dst_addr = u64(bytes, 24);
  d.xfer_size = u32(bytes, 32);
  d.int_handle = bytes[36]! | (bytes[37]! << 8);
  d.rsvd1 = bytes[38]! | (bytes[39]! << 8);
  d.expected_res = bytes[40]!;
  d.dest2 = u64(bytes, 40);
  d.crc_seed = u32(bytes, 40);
  d.seed_addr = u64(bytes, 48);
  d.raw = bytes;
  return d;
}

/** Little-endian u32 of `bytes` at `o`. */
function u32(bytes: Uint8Array, o: number): number {
  return (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0;
}

/** Little-endian u64 of `bytes` at `o`, as a number (exact below 2^53). */
function u64(bytes: Uint8Array, o: number): number {
  return u32(bytes, o + 4) * 0x1_0000_0000 + u32(bytes, o);
}

/** Fields for building a descriptor (tests, examples); unset fields are 0. */
export interface DescriptorFields {
  pasid?: number;
  priv?: boolean;
  flags?: number;
  opcode: number;
  completion_addr?: number;
  src_addr?: number;
  dst_addr?: number;
  xfer_size?: number;
  int_handle?: number;
  expected_res?: number;
  /** DUALCAST: bytes 40-47 (overrides expected_res). */
  dest2?: number;
  /** CRCGEN/COPY_CRC: bytes 40-43. */
  crc_seed?: number;
  /** CRCGEN/COPY_CRC: bytes 48-55. */
  seed_addr?: number;
}

/** Encodes a descriptor to 64 bytes — the inverse of `decodeDescriptor`. */
export function encodeDescriptor(f: DescriptorFields): Uint8Array {
  const out = new Uint8Array(DESCRIPTOR_SIZE);
  const dv = new DataView(out.buffer);
  const u64 = (o: number, v = 0) => {
    dv.setUint32(o, v % 0x1_0000_0000, true);
    dv.setUint32(o + 4, Math.floor(v / 0x1_0000_0000), true);
  };
  dv.setUint32(0, ((f.pasid ?? 0) & 0xfffff) | (f.priv === true ? 0x80000000 : 0), true);
  dv.setUint32(4, ((f.flags ?? 0) & 0xffffff) | ((f.opcode & 0xff) << 24), true);
  u64(8, f.completion_addr);
  u64(16, f.src_addr);
  u64(24, f.dst_addr);
  dv.setUint32(32, f.xfer_size ?? 0, true);
  dv.setUint16(36, f.int_handle ?? 0, true);
  out[40] = f.expected_res ?? 0;
  if (f.dest2 !== undefined) u64(40, f.dest2);
  if (f.crc_seed !== undefined) dv.setUint32(40, f.crc_seed >>> 0, true);
  if (f.seed_addr !== undefined) u64(48, f.seed_addr);
  return out;
}

/** What the checks need to know about the device and the WQ. */
export interface CheckContext {
  readonly version: number;
  readonly gencap: GenCap;
  /** OPCAP bit per opcode (index = opcode). */
  readonly opcap: Uint8Array;
  /** Opcodes this model can execute (index = opcode). */
  readonly emulated: Uint8Array;
  /** WQ limits: bytes and descriptors. */
  readonly maxXfer: number;
  readonly maxBatch: number;
  readonly inBatch: boolean;
}

/** Result of `checkDescriptor`: NONE (0) when the descriptor may execute. */
export interface CheckResult {
  readonly status: number;
  /** For INVALID_FLAGS: the offending flag bits. */
  readonly invalidFlags: number;
}

const F = IDXD_OP_FLAG;
const BASE_FLAGS =
  F.FENCE |
  F.CRAV |
  F.RCR |
  F.RCI |
  F.CR |
  F.ADDR1_TCS |
  F.ADDR2_TCS |
  F.ADDR3_TCS |
  F.CR_TCS |
  F.STORD;
const CRC_FLAGS =
  DSA_CRC_FLAG.READ_CRC_SEED | DSA_CRC_FLAG.BYPASS_CRC_INV_REF | DSA_CRC_FLAG.BYPASS_DATA_REF;
const DRAIN_FLAGS =
  DSA_DRAIN_FLAG.READBACK_ADDR1_VALID |
  DSA_DRAIN_FLAG.READBACK_ADDR2_VALID |
  DSA_DRAIN_FLAG.SUPPRESS_TC_A_READBACK |
  DSA_DRAIN_FLAG.SUPPRESS_TC_B_READBACK;
const OK: CheckResult = { status: DSA_COMP.NONE, invalidFlags: 0 };
const O = DSA_OPCODE;
/** A 256-entry table with 1 at each of `opcodes` (index = opcode). */
export function opcodeTable(opcodes: readonly number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const op of opcodes) t[op] = 1;
  return t;
}

/** Operations with a transfer size (1..WQ max), 1 per opcode. */
const RANGED = opcodeTable([
  O.MEMMOVE,
  O.MEMFILL,
  O.COMPARE,
  O.COMPVAL,
  O.DUALCAST,
  O.CRCGEN,
  O.COPY_CRC,
]);

/**
 * Flags the device accepts for `opcode`: the base set plus those its capabilities and version
 * allow, the operation-specific bits 23:16 of CRCGEN/COPY_CRC (DSA_CRC_FLAG), and DRAIN's
 * readback bits 19:16 (DSA_DRAIN_FLAG) when GENCAP.drain_readback is set.
 */
export function validFlags(version: number, gencap: GenCap, opcode: number = O.NOOP): number {
  let v = BASE_FLAGS;
  if (gencap.block_on_fault) v |= F.BOF;
  if (gencap.cache_control_mem) v |= F.CC;
  if (gencap.dest_readback) v |= F.DRDBK;
  if (version >= DEVICE_VERSION_2) v |= F.CRSTS | F.DSTS;
  if (opcode === O.CRCGEN || opcode === O.COPY_CRC) v |= CRC_FLAGS;
  if (opcode === O.DRAIN && gencap.drain_readback) v |= DRAIN_FLAGS;
  return v;
}

/** [a, a + n) and [b, b + n) share a byte. */
function overlap(a: number, b: number, n: number): boolean {
  return a < b + n && b < a + n;
}

/**
 * The checks before execution, in this order: opcode (BAD_OPCODE 0x10: not in OPCAP, not
 * emulated, or a BATCH or DRAIN inside a batch), flags (INVALID_FLAGS 0x11), reserved fields
 * (NOZERO_RESERVE 0x12), then per operation: transfer size 1..maxXfer (XFER_ERANGE 0x13),
 * batch count 2..maxBatch (DESC_CNT_ERANGE 0x14), batch list 64-byte aligned (DESCLIST_ALIGN
 * 0x18), DUALCAST destinations with different bits 11:0 (DCAST_ERR 0x17), overlapping buffers
 * (OVERLAP_BUFFERS 0x16): MEMMOVE without GENCAP.overlap_copy, and always for DUALCAST (source
 * and both destinations) and COPY_CRC. The DUALCAST and COPY_CRC rules follow Intel's DML
 * library (sources/core/src/validation.cpp), whose checks mirror the hardware's. A BATCH or
 * DRAIN inside a batch gets BAD_OPCODE: our reading of the DSA spec's batch rules — UNCERTAIN.
 * The completion-record alignment and the interrupt handle are checked by the executor.
 */
export function checkDescriptor(d: Descriptor, c: CheckContext): CheckResult {
  const op = d.opcode;
  const nested = c.inBatch && (op === O.BATCH || op === O.DRAIN);
  if (c.opcap[op] !== 1 || c.emulated[op] !== 1 || nested) {
    return { status: DSA_COMP.BAD_OPCODE, invalidFlags: 0 };
  }
  const bad = d.flags & ~validFlags(c.version, c.gencap, op);
  if (bad !== 0) return { status: DSA_COMP.INVALID_FLAGS, invalidFlags: bad };
  if (d.rsvdHeader !== 0 || d.rsvd1 !== 0)
    return { status: DSA_COMP.NOZERO_RESERVE, invalidFlags: 0 };
  if (RANGED[op] === 1 && (d.xfer_size === 0 || d.xfer_size > c.maxXfer)) {
    return { status: DSA_COMP.XFER_ERANGE, invalidFlags: 0 };
  }
  if (op === O.BATCH) {
    if (d.xfer_size < 2 || d.xfer_size > c.maxBatch) {
      return { status: DSA_COMP.DESC_CNT_ERANGE, invalidFlags: 0 };
    }
    if (d.src_addr % DESCRIPTOR_SIZE !== 0)
      return { status: DSA_COMP.DESCLIST_ALIGN, invalidFlags: 0 };
  }
  const n = d.xfer_size;
  if (op === O.DUALCAST) {
    if (d.dst_addr % 0x1000 !== d.dest2 % 0x1000) {
      return { status: DSA_COMP.DCAST_ERR, invalidFlags: 0 };
    }
    if (
      overlap(d.src_addr, d.dst_addr, n) ||
      overlap(d.src_addr, d.dest2, n) ||
      overlap(d.dst_addr, d.dest2, n)
    ) {
      return { status: DSA_COMP.OVERLAP_BUFFERS, invalidFlags: 0 };
    }
  }
  const copyOverlap =
    (op === O.MEMMOVE && !c.gencap.overlap_copy) || op === O.COPY_CRC
      ? overlap(d.src_addr, d.dst_addr, n)
      : false;
  return copyOverlap ? { status: DSA_COMP.OVERLAP_BUFFERS, invalidFlags: 0 } : OK;
}
