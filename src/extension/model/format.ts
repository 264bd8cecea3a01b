/**
 * Number formats of the views: hex by default (the `ims-debug.valueFormat` setting or a per-node
 * command changes it), as mcu-debug/peripheral-viewer shows registers.
 */

export type ValueFormat = 'hex' | 'decimal' | 'binary';

export const VALUE_FORMATS: readonly ValueFormat[] = ['hex', 'decimal', 'binary'];

/** Whether `x` names a format (settings and command arguments are untyped). */
export function isValueFormat(x: unknown): x is ValueFormat {
  return typeof x === 'string' && (VALUE_FORMATS as readonly string[]).includes(x);
}

/**
 * A snapshot value as bigint: numbers are taken as unsigned integers, strings as `0x…` hex (the
 * snapshot's form for values wider than 32 bits). Throws SyntaxError for a malformed string.
 */
export function toBig(v: number | bigint | string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return BigInt(v);
  return BigInt(Math.trunc(v));
}

/**
 * `value` of a `bits`-wide quantity in `fmt`: hex `0x` zero-padded to the width, binary `0b`
 * padded likewise, decimal plain. A single bit shows as `0`/`1` in every format but binary;
 * `bits` 0 means a plain number without a width (no padding).
 */
export function formatValue(value: number | bigint, bits: number, fmt: ValueFormat): string {
  const v = toBig(value);
  if (fmt === 'decimal' || (bits === 1 && fmt === 'hex')) return v.toString();
  if (fmt === 'binary') return '0b' + v.toString(2).padStart(bits, '0');
  return '0x' + v.toString(16).padStart(Math.ceil(bits / 4), '0');
}

/** Vectors are eight bits and read in hex in every Linux report: `0x20`. */
export function formatVector(vector: number): string {
  return '0x' + vector.toString(16).padStart(2, '0');
}

/** A simulated time in ns with thousands separators: `23,477 ns`. */
export function formatNs(ns: number): string {
  return `${Math.round(ns).toLocaleString('en-US')} ns`;
}

/** `n thing`/`n things`. */
export function plural(n: number, thing: string, things = `${thing}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? thing : things}`;
}
