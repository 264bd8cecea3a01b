/**
 * Bit macros of include/linux/bits.h and bitfield.h. 32-bit forms work on numbers (results are
 * unsigned); the _ULL forms and any bigint operand work on 64-bit bigints.
 */
import { KernelError } from './context';

function mask32(h: number, l: number): number {
  if (!(Number.isInteger(h) && Number.isInteger(l)) || l < 0 || h < l)
    throw new KernelError(`GENMASK(${h}, ${l}): need 31 >= h >= l >= 0`);
  if (h > 31)
    throw new KernelError(
      `GENMASK(${h}, ${l}): beyond 32 bits — use GENMASK_ULL for a 64-bit mask`,
    );
  return h - l === 31 ? 0xffffffff : (((1 << (h - l + 1)) - 1) << l) >>> 0;
}

function lowestBit(mask: number | bigint): number {
  if (typeof mask === 'bigint') {
    if (mask === 0n) throw new KernelError('FIELD_GET/FIELD_PREP: the mask is 0');
    let n = 0;
    while (((mask >> BigInt(n)) & 1n) === 0n) n++;
    return n;
  }
  if (mask === 0) throw new KernelError('FIELD_GET/FIELD_PREP: the mask is 0');
  return 31 - Math.clz32(mask & -mask);
}

export const bitsApi = {
  /** BIT(n): 1 << n as an unsigned number (n 0..31). */
  BIT(n: number): number {
    if (!Number.isInteger(n) || n < 0 || n > 31)
      throw new KernelError(`BIT(${n}): n must be 0..31 — use BIT_ULL for 64 bits`);
    return (1 << n) >>> 0;
  },
  BIT_ULL(n: number): bigint {
    return 1n << BigInt(n);
  },
  GENMASK: mask32,
  GENMASK_ULL(h: number, l: number): bigint {
    return ((1n << BigInt(h - l + 1)) - 1n) << BigInt(l);
  },
  /** FIELD_GET(mask, reg). */
  FIELD_GET(mask: number | bigint, reg: number | bigint): number | bigint {
    const s = lowestBit(mask);
    if (typeof mask === 'bigint' || typeof reg === 'bigint')
      return (BigInt(reg) & BigInt(mask)) >> BigInt(s);
    return ((reg & mask) >>> s) >>> 0;
  },
  /** FIELD_PREP(mask, val). */
  FIELD_PREP(mask: number | bigint, val: number | bigint): number | bigint {
    const s = lowestBit(mask);
    if (typeof mask === 'bigint' || typeof val === 'bigint')
      return (BigInt(val) << BigInt(s)) & BigInt(mask);
    return ((val << s) & mask) >>> 0;
  },
  lower_32_bits(v: number | bigint): number {
    return typeof v === 'bigint' ? Number(v & 0xffffffffn) : v >>> 0;
  },
  upper_32_bits(v: number | bigint): number {
    return typeof v === 'bigint'
      ? Number((v >> 32n) & 0xffffffffn)
      : Math.floor(v / 0x1_0000_0000) >>> 0;
  },
};
