/**
 * Bit-field helpers shared by the register tables and the codecs.
 *
 * 32-bit fields work on `number` (unsigned results via `>>> 0`); fields of 64- and 128-bit
 * registers work on `bigint`. Bit ranges are inclusive `[hi:lo]`, LSB = bit 0, as the specs and
 * the Linux headers write them.
 */

/** Mask of bits `[hi:lo]` of a 32-bit word. Throws RangeError if the range is not within 0..31. */
export function mask32(hi: number, lo: number): number {
  if (lo < 0 || hi > 31 || hi < lo) throw new RangeError(`bad bit range [${hi}:${lo}] for 32 bits`);
  const width = hi - lo + 1;
  return width === 32 ? 0xffffffff : (((1 << width) - 1) << lo) >>> 0;
}

/**
 * Field `[hi:lo]` of a 32-bit word, as an unsigned number. On hot paths: the range is not
 * checked (callers pass constant ranges; use mask32 to validate one).
 */
export function get32(word: number, hi: number, lo: number): number {
  const w = hi - lo + 1;
  return w >= 32 ? word >>> 0 : ((word >>> lo) & ((1 << w) - 1)) >>> 0;
}

/** `word` with field `[hi:lo]` replaced by `value` (value bits beyond the field are discarded). */
export function set32(word: number, hi: number, lo: number, value: number): number {
  const m = mask32(hi, lo);
  return ((word & ~m) | ((value << lo) & m)) >>> 0;
}

/** Mask of bits `[hi:lo]` as a bigint, for registers up to 128 bits. */
export function maskBig(hi: number, lo: number): bigint {
  if (lo < 0 || hi < lo) throw new RangeError(`bad bit range [${hi}:${lo}]`);
  return ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
}

/** Field `[hi:lo]` of a bigint register value. */
export function getBig(value: bigint, hi: number, lo: number): bigint {
  return (value & maskBig(hi, lo)) >> BigInt(lo);
}

/** `value` with field `[hi:lo]` replaced by `field`. */
export function setBig(value: bigint, hi: number, lo: number, field: bigint): bigint {
  const m = maskBig(hi, lo);
  return (value & ~m) | ((field << BigInt(lo)) & m);
}

/** Lower-case hex with `0x` prefix, zero-padded to `digits`: hex(0x41, 2) === '0x41'. */
export function hex(value: number | bigint, digits = 0): string {
  const v =
    typeof value === 'bigint' ? value : BigInt(value >>> 0 === value ? value : Math.trunc(value));
  const s = (v < 0n ? -v : v).toString(16).padStart(digits, '0');
  return (v < 0n ? '-0x' : '0x') + s;
}

/** Formats a PCI requester id (bus << 8 | devfn) as `bb:dd.f`, as Linux prints SIDs in IR faults. */
export function formatSid(sid: number): string {
  const bus = (sid >> 8) & 0xff;
  const dev = (sid >> 3) & 0x1f;
  const fn = sid & 0x7;
  return `${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${fn}`;
}

/** Formats a list of set bit numbers as Linux's `%*pbl` does: `0-19,32,50,236-255`. */
export function formatBitList(bits: Iterable<number>): string {
  const sorted = [...bits].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
