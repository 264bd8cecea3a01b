/**
 * The registers behind the debugger's platform variables: where each lives (an MMIO address, an
 * IRTE in an IR table, a CPU's APIC), how to read it without side effects and how to write it
 * the way software does — DSA registers, WQCFG/GRPCFG entries, IMS slots and MSI-X entries
 * through the MMIO path (PhysMemory.write32, so the device's side effects happen), IRTEs in
 * the IR table in memory (then the entry is invalidated in the unit's interrupt-entry cache),
 * the APIC's TPR directly (an MSR write on x2APIC hardware).
 */
import type { Machine } from '../../platform/machine/machine';
import type { DsaPlatformDevice } from '../../platform/machine/devices';
import { fieldText, type FieldSpec, type RegisterDef } from '../../platform/idxd/regdef';
import type { IdxdRegisterTables } from '../../platform/idxd';
import type { RegisterInstance } from '../../platform/idxd/regfile';
import { IRTE_FIELDS } from '../../platform/remap/irte';
import { LocalApic } from '../../platform/apic/lapic';
import {
  bytesToBig,
  fieldWrites,
  parseRegisterValue,
  registerWrites,
  type EditableRegister,
} from './register-edit';

/** A register behind a variable. */
export type RegisterTarget =
  | {
      readonly kind: 'mmio';
      readonly label: string;
      /** The device's BDF, for messages. */
      readonly device?: string;
      readonly address: number;
      readonly reg: EditableRegister;
    }
  | {
      readonly kind: 'irte';
      readonly label: string;
      readonly unit: number;
      readonly index: number;
      readonly reg: EditableRegister;
    }
  | {
      readonly kind: 'apic';
      readonly label: string;
      readonly cpu: number;
      readonly reg: 'TPR' | 'IRR' | 'ISR';
    };

/** A variable's register, or one field of it. */
export interface VarTarget {
  readonly target: RegisterTarget;
  readonly field?: FieldSpec;
}

/** Where one DSA's registers live, for the variables of a stop. */
export interface DeviceLayout {
  readonly bdf: string;
  readonly bar0: number;
  readonly imsOffset: number;
  readonly msixTableOffset: number;
  /** IMS slots and MSI-X table entries the device has. */
  readonly imsSlots: number;
  readonly msixCount: number;
  readonly tables: IdxdRegisterTables;
  /** The register-table definition of the register at a BAR0 offset. */
  readonly defAt: (offset: number) => RegisterDef | undefined;
  /** The placed register (its name and offset) covering a BAR0 offset of the register file. */
  readonly instanceAt: (offset: number) => RegisterInstance | undefined;
}

/** The DSA devices of `m` by BDF. */
export function deviceLayouts(m: Machine): Map<string, DeviceLayout> {
  const out = new Map<string, DeviceLayout>();
  for (const d of m.devices) {
    if (d.kind !== 'dsa') continue;
    const dsa = (d as DsaPlatformDevice).dsa;
    out.set(dsa.bdf, {
      bdf: dsa.bdf,
      bar0: dsa.pci.barAddress(0),
      imsOffset: dsa.layout.imsOffset,
      msixTableOffset: dsa.layout.msixTableOffset,
      imsSlots: dsa.layout.imsSlots,
      msixCount: dsa.caps.msix_count,
      tables: dsa.tables,
      defAt: (o) => dsa.registers.instanceAt(o)?.def,
      instanceAt: (o) => dsa.registers.instanceAt(o),
    });
  }
  return out;
}

/** The IRTE as an editable 128-bit register: the fields the views decode (all RW: it is memory). */
export const IRTE_REGISTER: EditableRegister = {
  name: 'IRTE',
  width: 128,
  fields: IRTE_FIELDS.map(([name, hi, lo, description]) => ({
    name: name.toUpperCase(),
    hi,
    lo,
    access: 'RW' as const,
    description,
  })),
};

/** How messages name a target: `IMS slot 1 ctrl.mask (0000:6a:01.0)`. */
export function labelOf(vt: VarTarget): string {
  const t = vt.target;
  const device = t.kind === 'mmio' && t.device !== undefined ? ` (${t.device})` : '';
  return `${t.label}${vt.field ? `.${vt.field.name}` : ''}${device}`;
}

/** Physical address of a memory-backed target (MMIO register or IRTE), else undefined. */
export function targetAddress(m: Machine, t: RegisterTarget): number | undefined {
  if (t.kind === 'mmio') return t.address;
  if (t.kind === 'irte') return (m.ir[t.unit]?.unit.tableAddress ?? 0) + t.index * 16;
  return undefined;
}

/** Bytes of a memory-backed target. */
export function targetBytes(t: RegisterTarget): number {
  return t.kind === 'apic' ? (t.reg === 'TPR' ? 1 : 32) : t.reg.width / 8;
}

/** The target's current value, read without side effects (MMIO through peek). */
export function readTarget(m: Machine, t: RegisterTarget): bigint {
  if (t.kind === 'apic') {
    const apic = m.cpus[t.cpu]!.apic;
    if (t.reg === 'TPR') return BigInt(apic.tpr);
    return bytesToBig(new Uint8Array((t.reg === 'IRR' ? apic.irr : apic.isr).slice().buffer));
  }
  return bytesToBig(m.memory.peekBytes(targetAddress(m, t)!, targetBytes(t)).bytes);
}

/** Whether setVariable can write `vt` (RO fields, reserved bits, IRR and ISR cannot be). */
export function isEditable(vt: VarTarget): boolean {
  const t = vt.target;
  if (t.kind === 'apic') return t.reg === 'TPR';
  if (vt.field !== undefined)
    return vt.field.access === 'RW' || vt.field.access === 'RW1C' || vt.field.access === 'WO';
  return t.reg.fields.some((f) => f.access === 'RW' || f.access === 'RW1C' || f.access === 'WO');
}

/**
 * Writes `text` (see parseRegisterValue) to `vt` the way software does (module comment).
 * Returns what the write put on the bus, for the user: e.g. `write32 0xe000800c ← 0x00001009`.
 * Throws RangeError with the reason for a bad or out-of-range value or a read-only target.
 */
export function writeTarget(m: Machine, vt: VarTarget, text: string): string {
  const t = vt.target;
  const f = vt.field;
  if (t.kind === 'apic') {
    if (t.reg !== 'TPR')
      throw new RangeError(
        `${t.label}: ${t.reg} is the APIC's own state (set by messages, cleared by INTA and EOI); it cannot be written`,
      );
    const v = parseRegisterValue(text, 8, `${t.label} TPR`);
    m.cpus[t.cpu]!.apic.tpr = Number(v);
    m.core.updateAttention(); // a lower priority may let a pending vector in
    return `TPR ← ${hex(Number(v), 2)}`;
  }
  const what = labelOf(vt);
  const v = parseRegisterValue(text, f ? f.hi - f.lo + 1 : t.reg.width, what, f?.enums);
  const current = readTarget(m, t);
  if (t.kind === 'irte') {
    // Memory, not a register: the new entry is the old one with the field replaced.
    const next = f ? setField(current, f, v) : v;
    const ir = m.ir[t.unit]!;
    ir.unit.writeIrte(t.index, next);
    // As Linux's modify_irte() follows the write with qi_flush_iec() through the invalidation
    // queue: the unit sees the change, and the queue shows the descriptor.
    ir.iommu.qi_flush_iec(t.index, 0);
    return `IRTE ${t.index} ← ${hex(next, 32)}`;
  }
  const writes = f ? fieldWrites(t.reg, current, f, v) : registerWrites(t.reg, v);
  for (const w of writes) m.memory.write32(t.address + 4 * w.dword, w.value);
  if (writes.length === 0) return `${what}: writing 0 to a write-1-to-clear field changes nothing`;
  return writes
    .map((w) => `write32 ${hex(t.address + 4 * w.dword)} ← ${hex(w.value, 8)}`)
    .join(', ');
}

/** The target's value as the variables show it after a write. */
export function formatTarget(m: Machine, vt: VarTarget): string {
  const t = vt.target;
  const v = readTarget(m, t);
  if (t.kind === 'apic')
    return t.reg === 'TPR'
      ? hex(Number(v), 2)
      : vectorList(t.reg === 'IRR' ? m.cpus[t.cpu]!.apic.irr : m.cpus[t.cpu]!.apic.isr);
  if (vt.field)
    return fieldText(
      vt.field,
      (v >> BigInt(vt.field.lo)) & ((1n << BigInt(vt.field.hi - vt.field.lo + 1)) - 1n),
    );
  return hex(v, t.reg.width / 4);
}

function vectorList(reg: Uint32Array): string {
  const vs = LocalApic.vectors(reg);
  return vs.length === 0 ? 'none' : vs.map((x) => hex(x, 2)).join(' ');
}

function setField(value: bigint, f: FieldSpec, v: bigint): bigint {
  const mask = ((1n << BigInt(f.hi - f.lo + 1)) - 1n) << BigInt(f.lo);
  return (value & ~mask) | (v << BigInt(f.lo));
}

function hex(v: number | bigint, digits = 0): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}
