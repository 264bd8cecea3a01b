/**
 * What a register write from the debugger puts on the bus: value parsing (hex, decimal, binary,
 * octal, bigint literals, enumerated names) with range checks, and the dword writes that set
 * one field as a driver would — a read-modify-write that keeps the register's other RW bits —
 * or a whole register. Pure functions over register-table data (src/platform/idxd/regdef.ts).
 */
import type { Access, FieldSpec } from '../../platform/idxd/regdef';

/** A register as the editor sees it: width and fields (with access) over all its bits. */
export interface EditableRegister {
  readonly name: string;
  readonly width: number;
  readonly fields: readonly FieldSpec[];
}

/** One 32-bit write: dword index within the register (0 = bits 31:0) and its value. */
export interface DwordWrite {
  readonly dword: number;
  readonly value: number;
}

const NUMBER = /^(0x[0-9a-f][0-9a-f_]*|0b[01][01_]*|0o[0-7][0-7_]*|[0-9][0-9_]*)n?$/i;

/**
 * Parses what the user typed for a `bits`-wide register or field: `0x1f`, `0b101`, `0o17`, `31`,
 * with `_` separators and an optional bigint `n`; an enumerated name of `enums` (any case);
 * text the views show after the number — `1 (masked)`, `0x1 (1)`, `ENABLED (1)`, `1 — Present`
 * — is ignored. Throws RangeError naming `what` for a negative value, a value that does not fit
 * in `bits` bits, or text that is not a number.
 */
export function parseRegisterValue(
  text: string,
  bits: number,
  what: string,
  enums?: Readonly<Record<number, string>>,
): bigint {
  let t = text.trim();
  const shown = /^(\S+)\s+(?:\(.*\)|—.*)$/.exec(t);
  if (shown) t = shown[1]!;
  if (enums !== undefined) {
    for (const [k, name] of Object.entries(enums))
      if (name.toLowerCase() === t.toLowerCase()) return BigInt(k);
  }
  if (t.startsWith('-'))
    throw new RangeError(`${what}: ${text.trim()} is negative; a register holds 0 or more`);
  if (!NUMBER.test(t))
    throw new RangeError(
      `${what}: "${text.trim()}" is not a number (use 0x…, 0b…, 0o… or decimal${enums ? ', or a name it shows' : ''})`,
    );
  const digits = t.replace(/_/g, '').replace(/n$/i, '');
  const v = BigInt(digits); // a leading 0 is decimal, not octal (use 0o…)
  const max = (1n << BigInt(bits)) - 1n;
  if (v > max)
    throw new RangeError(
      `${what}: ${text.trim()} does not fit in ${bits} bit${bits === 1 ? '' : 's'} (0…0x${max.toString(16)})`,
    );
  return v;
}

/** Bits of `reg` whose fields have one of `accesses`. */
function maskOf(reg: EditableRegister, accesses: readonly Access[], except?: FieldSpec): bigint {
  let m = 0n;
  for (const f of reg.fields) if (f !== except && accesses.includes(f.access)) m |= fieldMask(f);
  return m;
}

function fieldMask(f: Pick<FieldSpec, 'hi' | 'lo'>): bigint {
  return ((1n << BigInt(f.hi - f.lo + 1)) - 1n) << BigInt(f.lo);
}

/**
 * The dword writes that set field `field` of `reg` to `value`, given the register's current
 * value `current` (read without side effects).
 *
 * - An RW or WO field: a read-modify-write, as a driver does it — the register's other RW (and
 *   RsvdP) bits keep their current value; its RW1C bits are written 0, so the write clears no
 *   status bit it was not meant to (writing back a 1 read from an RW1C bit would clear it); RO,
 *   WO and RsvdZ bits are written 0.
 * - An RW1C field: never a read-modify-write. Writing the field means writing 1s to just its
 *   bits (value 1 clears a one-bit status); every other RW1C bit is written 0, RW bits keep
 *   their value. A value of 0 writes nothing (returns no writes): there is nothing to clear.
 *
 * Only the dwords the field lies in are written. Throws RangeError for RO and reserved fields
 * (the device ignores writes to them) and for a value wider than the field.
 */
export function fieldWrites(
  reg: EditableRegister,
  current: bigint,
  field: FieldSpec,
  value: bigint,
): DwordWrite[] {
  const what = `${reg.name}.${field.name}`;
  if (field.access === 'RO')
    throw new RangeError(`${what} is read-only (RO): the device ignores writes to it`);
  if (field.access === 'RsvdZ' || field.access === 'RsvdP')
    throw new RangeError(`${what} is reserved (${field.access}): it cannot be set`);
  const width = field.hi - field.lo + 1;
  if (value < 0n || value >= 1n << BigInt(width))
    throw new RangeError(`${what}: ${value} does not fit in [${field.hi}:${field.lo}]`);
  if (field.access === 'RW1C' && value === 0n) return [];
  const keep = maskOf(reg, ['RW', 'RsvdP'], field);
  const next = (current & keep) | (value << BigInt(field.lo));
  const out: DwordWrite[] = [];
  for (let d = Math.floor(field.lo / 32); d <= Math.floor(field.hi / 32); d++)
    out.push({ dword: d, value: Number(BigInt.asUintN(32, next >> BigInt(32 * d))) });
  return out;
}

/**
 * The dword writes of a whole-register write of `value`, low dword first (as the BAR decodes a
 * 64-bit writeq). Throws RangeError when every field is read-only or reserved, or the value
 * does not fit the register.
 */
export function registerWrites(reg: EditableRegister, value: bigint): DwordWrite[] {
  if (value < 0n || value >= 1n << BigInt(reg.width))
    throw new RangeError(`${reg.name}: ${value} does not fit in ${reg.width} bits`);
  if (reg.fields.length > 0 && maskOf(reg, ['RW', 'RW1C', 'WO']) === 0n)
    throw new RangeError(`${reg.name} is read-only: the device ignores writes to it`);
  const out: DwordWrite[] = [];
  for (let d = 0; d < Math.max(1, reg.width / 32); d++)
    out.push({ dword: d, value: Number(BigInt.asUintN(32, value >> BigInt(32 * d))) });
  return out;
}

/** Little-endian bytes → unsigned bigint. */
export function bytesToBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}
