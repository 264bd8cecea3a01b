/**
 * CMSIS-SVD (System View Description, schema 1.3) from register-table data: the same
 * `RegisterDef`/`TableLayout` tables that drive MMIO decode and the debugger's register views
 * (src/platform/idxd/regdef.ts), so the SVD cannot disagree with the emulated device.
 *
 * SVD viewers (mcu-debug/peripheral-viewer, Cortex-Debug) read registers of 8, 16 or 32 bits
 * only, and the DSA's BAR0 takes 32-bit accesses (64-bit ones are two dwords), so registers
 * wider than 32 bits are written as their dwords, `NAME_DW0` (bits 31:0), `NAME_DW1`, …; a field
 * that crosses a dword boundary becomes one field per dword, named `field_<hi>_<lo>` after the
 * bits of the field it holds. Reserved fields (RsvdZ, RsvdP) are left out, as SVD files do.
 * Tables (WQCFG, GRPCFG, MSI-X, IMS…) are `<cluster>` arrays with `dim`/`dimIncrement`.
 *
 * Access: RO → read-only, RW → read-write, WO → write-only, RW1C → read-write with
 * modifiedWriteValues oneToClear (CMSIS-SVD `accessType` and `modifiedWriteValuesType`).
 */
import type { Access, FieldSpec, RegisterDef, TableLayout } from '../idxd/regdef';
import { XmlWriter } from './xml';

/** A register table placed in a peripheral: `count` entries of `layout` from `offset`. */
export interface SvdTable {
  readonly layout: TableLayout;
  /** Byte offset of entry 0 from the peripheral's base address. */
  readonly offset: number;
  readonly count: number;
}

export interface SvdPeripheral {
  /** An identifier: `DSA0`, `DSA0_IMS`. */
  readonly name: string;
  readonly description: string;
  readonly groupName: string;
  readonly baseAddress: number;
  /** Bytes of the address block. */
  readonly size: number;
  /** Registers at offsets relative to `baseAddress`. */
  readonly registers: readonly RegisterDef[];
  readonly tables: readonly SvdTable[];
}

export interface SvdDevice {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly peripherals: readonly SvdPeripheral[];
}

/** One SVD field: a table field, or the part of one that lies in one dword. */
export interface SvdField {
  readonly name: string;
  /** Bits within the SVD register (dword). */
  readonly hi: number;
  readonly lo: number;
  readonly access: Access;
  readonly description: string;
  /** Enumerated values [name, value] (fields wholly inside one dword only). */
  readonly enums: readonly (readonly [string, number])[];
}

/** One SVD register: a register of 32 bits or less, or one dword of a wider one. */
export interface SvdRegister {
  readonly name: string;
  /** Byte offset relative to the enclosing peripheral or cluster entry. */
  readonly offset: number;
  readonly size: 32;
  readonly description: string;
  readonly access: 'read-only' | 'read-write' | 'write-only';
  readonly reset: number;
  readonly fields: readonly SvdField[];
  /** The table register it comes from and which dword of it. */
  readonly source: { readonly register: string; readonly dword: number; readonly dwords: number };
}

const RESERVED: readonly Access[] = ['RsvdZ', 'RsvdP'];

/**
 * Splits a table register into the SVD registers that describe it (one per dword when it is
 * wider than 32 bits). Pure; used by the generator and by tests that check coverage.
 */
export function svdRegisters(def: RegisterDef): SvdRegister[] {
  const dwords = Math.max(1, def.width / 32);
  const out: SvdRegister[] = [];
  for (let d = 0; d < dwords; d++) {
    const base = 32 * d;
    const fields: SvdField[] = [];
    for (const f of def.fields) {
      if (RESERVED.includes(f.access) || f.hi < base || f.lo > base + 31) continue;
      const lo = Math.max(f.lo, base);
      const hi = Math.min(f.hi, base + 31);
      const whole = lo === f.lo && hi === f.hi;
      fields.push({
        name: whole ? f.name : `${f.name}_${hi - f.lo}_${lo - f.lo}`,
        hi: hi - base,
        lo: lo - base,
        access: f.access,
        description: whole
          ? f.description
          : `${f.description} (bits ${hi - f.lo}:${lo - f.lo} of ${f.name} [${f.hi}:${f.lo}])`,
        enums: whole ? enumsOf(f) : [],
      });
    }
    out.push({
      name: dwords === 1 ? def.name : `${def.name}_DW${d}`,
      offset: def.offset + 4 * d,
      size: 32,
      description:
        dwords === 1
          ? def.description
          : `${def.description} (bits ${base + 31}:${base} of the ${def.width}-bit ${def.name})`,
      access: registerAccess(fields),
      reset: Number(BigInt.asUintN(32, def.reset >> BigInt(base))),
      fields,
      source: { register: def.name, dword: d, dwords },
    });
  }
  return out;
}

/** The SVD document for `device`. */
export function generateSvd(device: SvdDevice): string {
  const w = new XmlWriter();
  w.start('device', {
    schemaVersion: '1.3',
    'xmlns:xs': 'http://www.w3.org/2001/XMLSchema-instance',
    'xs:noNamespaceSchemaLocation': 'CMSIS-SVD.xsd',
  });
  w.leaf('name', identifier(device.name));
  w.leaf('version', device.version);
  w.leaf('description', device.description);
  w.leaf('addressUnitBits', 8);
  w.leaf('width', 32);
  w.leaf('size', 32);
  w.leaf('access', 'read-write');
  w.leaf('resetValue', '0x00000000');
  w.leaf('resetMask', '0xFFFFFFFF');
  w.start('peripherals');
  for (const p of device.peripherals) peripheral(w, p);
  w.end();
  w.end();
  return w.toString();
}

function peripheral(w: XmlWriter, p: SvdPeripheral): void {
  w.start('peripheral');
  w.leaf('name', identifier(p.name));
  w.leaf('description', p.description);
  w.leaf('groupName', identifier(p.groupName));
  w.leaf('baseAddress', hex(p.baseAddress));
  w.start('addressBlock');
  w.leaf('offset', '0x0');
  w.leaf('size', hex(p.size));
  w.leaf('usage', 'registers');
  w.end();
  w.start('registers');
  for (const def of p.registers) for (const r of svdRegisters(def)) register(w, r);
  for (const t of p.tables) {
    if (t.count <= 0) continue;
    w.start('cluster');
    if (t.count > 1) {
      w.leaf('dim', t.count);
      w.leaf('dimIncrement', hex(t.layout.stride));
    }
    w.leaf('name', `${identifier(t.layout.name)}${t.count > 1 ? '[%s]' : ''}`);
    w.leaf('description', `${t.layout.description} Source: ${t.layout.source}.`);
    w.leaf('addressOffset', hex(t.offset));
    for (const def of t.layout.registers) for (const r of svdRegisters(def)) register(w, r);
    w.end();
  }
  w.end();
  w.end();
}

function register(w: XmlWriter, r: SvdRegister): void {
  w.start('register');
  w.leaf('name', identifier(r.name));
  w.leaf('description', r.description);
  w.leaf('addressOffset', hex(r.offset));
  w.leaf('size', r.size);
  w.leaf('access', r.access);
  w.leaf('resetValue', hex(r.reset, 8));
  w.leaf('resetMask', '0xFFFFFFFF');
  if (r.fields.length > 0) {
    w.start('fields');
    for (const f of r.fields) field(w, f);
    w.end();
  }
  w.end();
}

function field(w: XmlWriter, f: SvdField): void {
  w.start('field');
  w.leaf('name', identifier(f.name));
  w.leaf('description', f.description);
  w.leaf('bitRange', `[${f.hi}:${f.lo}]`);
  w.leaf('access', fieldAccess(f.access));
  if (f.access === 'RW1C') w.leaf('modifiedWriteValues', 'oneToClear');
  if (f.enums.length > 0) {
    w.start('enumeratedValues');
    for (const [name, value] of f.enums) {
      w.start('enumeratedValue');
      w.leaf('name', name);
      w.leaf('value', value);
      w.end();
    }
    w.end();
  }
  w.end();
}

function fieldAccess(a: Access): 'read-only' | 'read-write' | 'write-only' {
  return a === 'RO' ? 'read-only' : a === 'WO' ? 'write-only' : 'read-write';
}

/** read-only when every field is, write-only when every field is, else read-write. */
function registerAccess(fields: readonly SvdField[]): SvdRegister['access'] {
  if (fields.length === 0 || fields.every((f) => f.access === 'RO')) return 'read-only';
  if (fields.every((f) => f.access === 'WO')) return 'write-only';
  return 'read-write';
}

/** Enumerated values that fit the field, with names made identifiers and unique. */
function enumsOf(f: FieldSpec): (readonly [string, number])[] {
  if (f.enums === undefined) return [];
  const max = 2 ** (f.hi - f.lo + 1);
  const seen = new Set<string>();
  const out: (readonly [string, number])[] = [];
  for (const [k, v] of Object.entries(f.enums)) {
    const value = Number(k);
    if (!Number.isInteger(value) || value < 0 || value >= max) continue;
    let name = identifier(v);
    while (seen.has(name)) name += '_';
    seen.add(name);
    out.push([name, value]);
  }
  return out;
}

/** An SVD identifier: letters, digits and `_`, not starting with a digit. */
export function identifier(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) || id === '' ? `_${id}` : id;
}

function hex(n: number, digits = 0): string {
  return `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;
}
