/**
 * 256-bit opcode masks (OPCAP, a WQ's op_config) as 4 × u64, opcode N = bit N % 64 of word N / 64
 * — the layout of WQCFG.op_config[4] (drivers/dma/idxd/registers.h).
 *
 * Text form is the kernel's `%*pb` bitmap, which sysfs `op_cap` / `op_config` print and
 * `bitmap_parse` reads back: comma-separated 32-bit hex words, most significant first, e.g.
 * `00000000,00000000,00000000,00000000,00000000,00000000,00000001,003f027d`. Fewer words are
 * allowed on input; they are the low ones.
 */

const WORDS32 = 8;

/** Parses a `%*pb` bitmap (words separated by ',' or ' '). Throws RangeError if malformed. */
export function parseOpMask(text: string): bigint[] {
  const words = text.trim().split(/[, ]/);
  if (words.length > WORDS32 || !words.every((w) => /^[0-9a-fA-F]{1,8}$/.test(w))) {
    throw new RangeError(`not a 256-bit bitmap: ${JSON.stringify(text)}`);
  }
  const mask = [0n, 0n, 0n, 0n];
  words.reverse().forEach((w, i) => {
    mask[i >> 1]! |= BigInt(`0x${w}`) << BigInt(32 * (i & 1));
  });
  return mask;
}

/** Formats 4 × u64 as a `%*pb` bitmap of eight 32-bit words, most significant first. */
export function formatOpMask(mask: readonly bigint[]): string {
  const words: string[] = [];
  for (let i = WORDS32 - 1; i >= 0; i--) {
    const word = ((mask[i >> 1] ?? 0n) >> BigInt(32 * (i & 1))) & 0xffffffffn;
    words.push(word.toString(16).padStart(8, '0'));
  }
  return words.join(',');
}

/** The opcodes set in `mask` and clear in `allowed`, ascending. */
export function opcodesOutside(mask: readonly bigint[], allowed: readonly bigint[]): number[] {
  const out: number[] = [];
  for (let op = 0; op < 256; op++) {
    const bit = 1n << BigInt(op % 64);
    const word = op >> 6;
    if (((mask[word] ?? 0n) & bit) !== 0n && ((allowed[word] ?? 0n) & bit) === 0n) out.push(op);
  }
  return out;
}
