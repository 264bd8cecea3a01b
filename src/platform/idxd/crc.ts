/**
 * The CRC of the DSA's CRCGEN (0x10) and COPY_CRC (0x11) operations: CRC-32C (Castagnoli,
 * polynomial 0x1EDC6F41, reflected form 0x82F63B78), computed the way intel/idxd-config's
 * test/dsa.c dsa_calculate_crc32() checks the hardware's result and Intel's DML library's
 * software path (sources/core/src/crc.cpp) computes it:
 *
 *   default:               crc = ~seed; crc = reflected CRC-32C update over the bytes; ~crc
 *   BYPASS_CRC_INV_REF:    crc = reverse32(seed); …; reverse32(crc) (no inversions)
 *   BYPASS_DATA_REF:       each byte is bit-reversed before it enters the update
 *
 * So with seed 0 and no flags the result is the standard CRC-32C (iSCSI, Linux's
 * `~crc32c(~0, p, len)`): "123456789" gives 0xe3069283. The seed is the CRC of the data before
 * this buffer, so CRCs chain: crc(A‖B) = crc(B, seed = crc(A)).
 */
import { DSA_CRC_FLAG } from './consts';

const POLY_REFLECTED = 0x82f63b78;

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** Bit-reversed bytes (BYPASS_DATA_REF). */
const REV8: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let k = 0; k < 8; k++) if (i & (1 << k)) r |= 1 << (7 - k);
    t[i] = r;
  }
  return t;
})();

/** The 32 bits of `v` in reverse order. */
export function reverse32(v: number): number {
  return (
    ((REV8[v & 0xff]! << 24) |
      (REV8[(v >>> 8) & 0xff]! << 16) |
      (REV8[(v >>> 16) & 0xff]! << 8) |
      REV8[v >>> 24]!) >>>
    0
  );
}

/** A running DSA CRC over several chunks: `start`, `update` per chunk, then `finish`. */
export class DsaCrc {
  private crc: number;
  private readonly bypassInvRef: boolean;
  private readonly bypassDataRef: boolean;

  /** @param seed the 32-bit seed; @param flags the descriptor flags (DSA_CRC_FLAG bits count). */
  constructor(seed: number, flags: number) {
    this.bypassInvRef = (flags & DSA_CRC_FLAG.BYPASS_CRC_INV_REF) !== 0;
    this.bypassDataRef = (flags & DSA_CRC_FLAG.BYPASS_DATA_REF) !== 0;
    this.crc = this.bypassInvRef ? reverse32(seed >>> 0) : ~seed >>> 0;
  }

  update(bytes: Uint8Array): void {
    let c = this.crc;
    if (this.bypassDataRef) {
      for (const b of bytes) c = TABLE[(c ^ REV8[b]!) & 0xff]! ^ (c >>> 8);
    } else {
      for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
    }
    this.crc = c >>> 0;
  }

  /** The value the completion record's crc_val holds. */
  finish(): number {
    return this.bypassInvRef ? reverse32(this.crc) : ~this.crc >>> 0;
  }
}

/** The DSA CRC of `bytes` with `seed` and `flags` in one call. */
export function dsaCrc32(bytes: Uint8Array, seed = 0, flags = 0): number {
  const c = new DsaCrc(seed, flags);
  c.update(bytes);
  return c.finish();
}
