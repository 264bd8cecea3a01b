/**
 * Register layouts as data: registers with fields (bit ranges, access, reset, description) and
 * the source they were taken from. One table drives MMIO masks, decoded views, hover docs and
 * an SVD export, so that none of them can disagree.
 *
 * Offsets of top-level registers are BAR0 byte offsets; offsets inside a `TableLayout` are
 * relative to the start of one entry. Values are bigint so 64/128/256-bit registers fit.
 */
import { getBig, hex, maskBig } from '../bits';

/**
 * Field access, as the DSA spec writes it: RO read-only; RW read-write; RW1C write 1 to clear;
 * WO write-only (reads 0); RsvdZ reserved, must be written 0 (ignored); RsvdP reserved,
 * preserve on write (ignored here too).
 */
export type Access = 'RO' | 'RW' | 'RW1C' | 'WO' | 'RsvdZ' | 'RsvdP';

export interface FieldDef {
  readonly name: string;
  /** Inclusive bit range [hi:lo] within the register, LSB = 0. */
  readonly hi: number;
  readonly lo: number;
  readonly access: Access;
  /** Reset value of the field (already shifted down to bit 0). */
  readonly reset: bigint;
  readonly description: string;
  /** Names of enumerated values, shown instead of the number when one matches. */
  readonly enums?: Readonly<Record<number, string>>;
}

export type RegisterWidth = 32 | 64 | 128 | 256;

export interface RegisterDef {
  readonly name: string;
  /** Byte offset (BAR0, or within a table entry). */
  readonly offset: number;
  readonly width: RegisterWidth;
  readonly fields: readonly FieldDef[];
  readonly reset: bigint;
  readonly description: string;
  /** Where the layout comes from, e.g. "drivers/dma/idxd/registers.h: union gen_cap_reg". */
  readonly source: string;
}

/** The per-entry layout of a register table (GRPCFG, WQCFG, MSIX_PERM, IMS, MSI-X). */
export interface TableLayout {
  readonly name: string;
  /** Bytes from one entry to the next. */
  readonly stride: number;
  readonly registers: readonly RegisterDef[];
  readonly description: string;
  readonly source: string;
}

/** A field as `field()` writes it; the reset value comes from the register. */
export type FieldSpec = Omit<FieldDef, 'reset'>;

/** Shorthand for a field definition (reset is filled in by `register`). */
export function field(
  name: string,
  hi: number,
  lo: number,
  access: Access,
  description: string,
  enums?: Readonly<Record<number, string>>,
): FieldSpec {
  return enums === undefined
    ? { name, hi, lo, access, description }
    : { name, hi, lo, access, description, enums };
}

/** A reserved field of access RsvdZ. */
export function rsvd(hi: number, lo: number, name = 'rsvd'): FieldSpec {
  return field(name, hi, lo, 'RsvdZ', 'Reserved; must be written as 0.');
}

export interface RegisterSpec {
  readonly name: string;
  readonly offset: number;
  readonly width: RegisterWidth;
  readonly fields: readonly FieldSpec[];
  readonly reset?: bigint;
  readonly description: string;
  readonly source: string;
}

/** Builds a register, giving each field its share of the register's reset value. */
export function register(spec: RegisterSpec): RegisterDef {
  const reset = spec.reset ?? 0n;
  return {
    ...spec,
    reset,
    fields: spec.fields.map((f) => ({ ...f, reset: getBig(reset, f.hi, f.lo) })),
  };
}

/** One decoded field of a register value. */
export interface DecodedField {
  readonly field: string;
  readonly hi: number;
  readonly lo: number;
  readonly access: Access;
  readonly value: bigint;
  /** `0x1f (31)`, `1`, or an enumerated name like `ENABLED (1)`. */
  readonly text: string;
}

/** Splits `value` into the register's fields, in table order. */
export function decodeRegister(def: RegisterDef, value: bigint | number): DecodedField[] {
  const v = typeof value === 'bigint' ? value : BigInt(value >>> 0);
  return def.fields.map((f) => {
    const fv = getBig(v, f.hi, f.lo);
    return {
      field: f.name,
      hi: f.hi,
      lo: f.lo,
      access: f.access,
      value: fv,
      text: fieldText(f, fv),
    };
  });
}

/** Human text for a field value: enum name, single bit as 0/1, else hex with decimal. */
export function fieldText(f: FieldSpec, value: bigint): string {
  const name = f.enums?.[Number(value)];
  if (name !== undefined) return `${name} (${value})`;
  if (f.hi === f.lo || value < 10n) return value.toString();
  return `${hex(value)} (${value})`;
}

/** The value of field `name` in `value`. Throws RangeError for an unknown field. */
export function getField(def: RegisterDef, value: bigint, name: string): bigint {
  const f = findField(def, name);
  return getBig(value, f.hi, f.lo);
}

/**
 * Composes a register value from field values (others at 0), e.g. for tests and for the
 * debugger's setVariable. Throws RangeError for an unknown field or a value that does not fit.
 */
export function encodeFields(
  def: Pick<RegisterDef, 'name'> & { readonly fields: readonly FieldSpec[] },
  values: Readonly<Record<string, bigint | number | boolean>>,
): bigint {
  let v = 0n;
  for (const [name, raw] of Object.entries(values)) {
    const f = findField(def, name);
    const fv = typeof raw === 'boolean' ? (raw ? 1n : 0n) : BigInt(raw);
    if (fv < 0n || fv > maskBig(f.hi - f.lo, 0)) {
      throw new RangeError(`${def.name}.${name}: ${raw} does not fit in [${f.hi}:${f.lo}]`);
    }
    v |= fv << BigInt(f.lo);
  }
  return v;
}

/**
 * Checks a register's fields: inside the width, no overlaps, every bit covered. Returns the
 * problems found (empty when the definition is sound); used by the tests over every table.
 */
export function checkRegister(def: RegisterDef): string[] {
  const problems: string[] = [];
  let covered = 0n;
  for (const f of def.fields) {
    if (f.lo < 0 || f.hi < f.lo || f.hi >= def.width) {
      problems.push(`${def.name}.${f.name} [${f.hi}:${f.lo}] is outside ${def.width} bits`);
      continue;
    }
    const m = maskBig(f.hi, f.lo);
    if ((covered & m) !== 0n) problems.push(`${def.name}.${f.name} overlaps another field`);
    covered |= m;
  }
  if (covered !== maskBig(def.width - 1, 0)) {
    problems.push(`${def.name}: bits ${hex(maskBig(def.width - 1, 0) & ~covered)} are not defined`);
  }
  return problems;
}

/** Bits of `def` whose fields have one of `accesses` (e.g. the software-writable mask). */
export function accessMask(
  def: { readonly fields: readonly FieldSpec[] },
  ...accesses: Access[]
): bigint {
  let m = 0n;
  for (const f of def.fields) if (accesses.includes(f.access)) m |= maskBig(f.hi, f.lo);
  return m;
}

function findField<F extends FieldSpec>(
  def: Pick<RegisterDef, 'name'> & { readonly fields: readonly F[] },
  name: string,
): F {
  const f = def.fields.find((x) => x.name === name);
  if (f === undefined) throw new RangeError(`${def.name} has no field '${name}'`);
  return f;
}
