/**
 * include/uapi/linux/idxd.h for models: the descriptor (struct dsa_hw_desc, 64 bytes) and
 * completion record (struct dsa_completion_record, 32 bytes) with the header's field names,
 * and the opcode, flag and status constants (DSA_OPCODE_*, IDXD_OP_FLAG_*, DSA_COMP_*).
 */
import {
  DSA_COMP,
  DSA_COMP_STATUS_MASK,
  DSA_OPCODE,
  IDXD_OP_FLAG,
} from '../../platform/idxd/consts';

/** struct dsa_hw_desc: fields as in the header; `toBytes()` gives the 64 bytes a portal takes. */
export class dsa_hw_desc {
  pasid = 0;
  priv = 0;
  flags = 0;
  opcode = 0;
  completion_addr = 0;
  /** src_addr / rdback_addr / pattern (MEMFILL) / desc_list_addr (BATCH). */
  src_addr: number | bigint = 0;
  /** dst_addr / src2_addr (COMPARE) / comp_pattern (COMPVAL). */
  dst_addr: number | bigint = 0;
  /** xfer_size / desc_count (BATCH). */
  xfer_size = 0;
  int_handle = 0;
  /** Bytes 40..63 (op-specific: expected_res, dest2, crc_seed, …). */
  readonly op_specific = new Uint8Array(24);

  constructor(init: Partial<Omit<dsa_hw_desc, 'toBytes' | 'op_specific'>> = {}) {
    Object.assign(this, init);
  }

  toBytes(): Uint8Array {
    const b = new Uint8Array(64);
    const v = new DataView(b.buffer);
    v.setUint32(0, ((this.pasid & 0xfffff) | ((this.priv & 1) << 31)) >>> 0, true);
    v.setUint32(4, ((this.flags & 0xffffff) | ((this.opcode & 0xff) << 24)) >>> 0, true);
    v.setBigUint64(8, BigInt(this.completion_addr), true);
    v.setBigUint64(16, BigInt.asUintN(64, BigInt(this.src_addr)), true);
    v.setBigUint64(24, BigInt.asUintN(64, BigInt(this.dst_addr)), true);
    v.setUint32(32, this.xfer_size >>> 0, true);
    v.setUint16(36, this.int_handle & 0xffff, true);
    b.set(this.op_specific, 40);
    return b;
  }
}

/** struct dsa_completion_record over 32 bytes of (DMA) memory; fields read live. */
export class dsa_completion_record {
  private readonly v: DataView;
  constructor(private readonly mem: Uint8Array) {
    this.v = new DataView(mem.buffer, mem.byteOffset, 32);
  }
  /** Status byte: [6:0] code, bit 7 fault on write. 0 until the device completes. */
  get status(): number {
    return this.mem[0]!;
  }
  get result(): number {
    return this.mem[1]!;
  }
  get bytes_completed(): number {
    return this.v.getUint32(4, true);
  }
  get fault_addr(): bigint {
    return this.v.getBigUint64(8, true);
  }
  /** Bytes 16..31 (invalid_flags, crc_val, …). */
  get op_specific(): Uint8Array {
    return this.mem.subarray(16, 32);
  }
}

function prefixed(prefix: string, table: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [prefix + k, v]));
}

export const uapiIdxd = {
  dsa_hw_desc,
  dsa_completion_record,
  ...prefixed('DSA_OPCODE_', DSA_OPCODE),
  ...prefixed('IDXD_OP_FLAG_', IDXD_OP_FLAG),
  ...prefixed('DSA_COMP_', DSA_COMP),
  DSA_COMP_STATUS_MASK,
};
