/**
 * A register file compiled from register-table data: dword storage plus per-dword masks of
 * the software-writable, write-1-to-clear, read-only, write-only and reserved bits.
 *
 * `write32` applies what the hardware does — RW bits take the new value, RW1C bits clear where
 * 1 is written, RO and reserved bits keep their value — and reports writes that hardware would
 * silently ignore (reserved bits set, attempts to change a read-only register, undefined
 * offsets). The device updates its own status bits with `setHw32`. Accesses allocate nothing.
 */
import { hex } from '../bits';
import type { Access, RegisterDef, TableLayout } from './regdef';

/** One placed register: a top-level register or one entry's register of a table. */
export interface RegisterInstance {
  readonly def: RegisterDef;
  /** Display name: `GENCAP`, `WQCFG[3].mode`. */
  readonly name: string;
  /** BAR0 byte offset. */
  readonly offset: number;
  /** Table name and entry index for table registers. */
  readonly table?: string;
  readonly entry?: number;
}

/** Places top-level registers at their own offsets. */
export function placeRegisters(defs: readonly RegisterDef[]): RegisterInstance[] {
  return defs.map((def) => ({ def, name: def.name, offset: def.offset }));
}

/** Places `count` entries of `layout` starting at BAR0 offset `base`. */
export function placeTable(layout: TableLayout, base: number, count: number): RegisterInstance[] {
  const out: RegisterInstance[] = [];
  for (let i = 0; i < count; i++) {
    for (const def of layout.registers) {
      out.push({
        def,
        name: `${layout.name}[${i}].${def.name}`,
        offset: base + i * layout.stride + def.offset,
        table: layout.name,
        entry: i,
      });
    }
  }
  return out;
}

/** The anomaly text for a write to an offset with no register. */
export function undefinedWriteText(label: string, offset: number, value: number): string {
  return `${label}: write of ${hex(value >>> 0, 8)} to undefined BAR0 offset ${hex(offset)} ignored`;
}

export class RegisterFile {
  /** Bytes covered (a multiple of 4). */
  readonly size: number;
  readonly instances: readonly RegisterInstance[];
  private readonly values: Uint32Array;
  private readonly resetValues: Uint32Array;
  private readonly rw: Uint32Array;
  private readonly w1c: Uint32Array;
  private readonly ro: Uint32Array;
  private readonly wo: Uint32Array;
  private readonly rsvdBits: Uint32Array;
  /** Instance index per dword, -1 where nothing is defined. */
  private readonly owner: Int32Array;

  /**
   * @param size bytes of BAR0 this file covers, from offset 0.
   * @param label prefix for anomaly texts (e.g. `idxd 0000:6a:01.0`).
   * Throws RangeError when an instance lies outside `size` or two overlap.
   */
  constructor(
    size: number,
    instances: readonly RegisterInstance[],
    private readonly label: string,
    private readonly onAnomaly: (text: string) => void,
  ) {
    this.size = size;
    this.instances = instances;
    const n = size >>> 2;
    this.values = new Uint32Array(n);
    this.resetValues = new Uint32Array(n);
    this.rw = new Uint32Array(n);
    this.w1c = new Uint32Array(n);
    this.ro = new Uint32Array(n);
    this.wo = new Uint32Array(n);
    this.rsvdBits = new Uint32Array(n);
    this.owner = new Int32Array(n).fill(-1);
    instances.forEach((inst, k) => {
      this.compile(inst, k);
    });
    this.values.set(this.resetValues);
  }

  /** Reads the dword at `offset` (4-byte aligned); write-only bits read 0; undefined reads 0. */
  read32(offset: number): number {
    const i = offset >>> 2;
    return (this.values[i]! & ~this.wo[i]!) >>> 0;
  }

  /**
   * Software write of the dword at `offset`. Bits set in `lock` are treated as read-only (a
   * table locked by device state); the bits of `lock` the write tried to change are returned
   * so the caller can say why they were kept. Reserved bits written as 1, writes to pure
   * read-only dwords, and writes to undefined offsets are reported and ignored.
   */
  write32(offset: number, value: number, lock = 0): number {
    const i = offset >>> 2;
    const k = this.owner[i]!;
    if (k < 0) {
      this.onAnomaly(undefinedWriteText(this.label, offset, value));
      return 0;
    }
    const old = this.values[i]!;
    const rw = this.rw[i]! | this.wo[i]!;
    const writable = rw & ~lock;
    const rejected = ((value ^ old) & rw & lock) >>> 0;
    let next = (old & ~writable) | (value & writable);
    next &= ~(value & this.w1c[i]! & ~lock);
    this.values[i] = next >>> 0;
    if ((value & this.rsvdBits[i]!) !== 0) this.reportReserved(offset, value, k);
    else if (rw === 0 && this.w1c[i] === 0 && value !== 0 && (value ^ old) & this.ro[i]!) {
      this.onAnomaly(
        `${this.label}: write of ${hex(value >>> 0, 8)} to read-only ` +
          `${this.instances[k]!.name} (+${hex(offset - this.instances[k]!.offset)}) ignored`,
      );
    }
    return rejected;
  }

  /** The device's view of the dword (all bits). */
  hw32(offset: number): number {
    return this.values[offset >>> 2]!;
  }

  /** Device-side update of the dword: no masks, no anomalies. */
  setHw32(offset: number, value: number): void {
    this.values[offset >>> 2] = value >>> 0;
  }

  /** The full value of a placed register (for views). */
  value(inst: RegisterInstance): bigint {
    let v = 0n;
    for (let d = inst.def.width / 32 - 1; d >= 0; d--) {
      v = (v << 32n) | BigInt(this.values[(inst.offset >>> 2) + d]!);
    }
    return v;
  }

  /** The instance covering `offset`, if any. */
  instanceAt(offset: number): RegisterInstance | undefined {
    const k = offset >= 0 && offset < this.size ? this.owner[offset >>> 2]! : -1;
    return k < 0 ? undefined : this.instances[k];
  }

  /** The instance named `name` (e.g. 'CMDSTS', 'WQCFG[2].mode'). Throws RangeError if none. */
  byName(name: string): RegisterInstance {
    const inst = this.instances.find((x) => x.name === name);
    if (inst === undefined) throw new RangeError(`no register ${name}`);
    return inst;
  }

  /** Reset values everywhere. */
  reset(): void {
    this.values.set(this.resetValues);
  }

  /** Reset values for the byte range [offset, offset + bytes). */
  resetRange(offset: number, bytes: number): void {
    const a = offset >>> 2;
    this.values.set(this.resetValues.subarray(a, a + (bytes >>> 2)), a);
  }

  private compile(inst: RegisterInstance, k: number): void {
    const dwords = inst.def.width / 32;
    const base = inst.offset >>> 2;
    if (inst.offset % 4 !== 0 || inst.offset + dwords * 4 > this.size) {
      throw new RangeError(`${inst.name} at ${hex(inst.offset)} is outside the register file`);
    }
    for (let d = 0; d < dwords; d++) {
      if (this.owner[base + d] !== -1)
        throw new RangeError(`${inst.name} overlaps another register`);
      this.owner[base + d] = k;
      this.resetValues[base + d] = Number(BigInt.asUintN(32, inst.def.reset >> BigInt(32 * d)));
    }
    for (const f of inst.def.fields) {
      for (let d = Math.floor(f.lo / 32); d <= Math.floor(f.hi / 32); d++) {
        const lo = Math.max(f.lo - 32 * d, 0);
        const hi = Math.min(f.hi - 32 * d, 31);
        const m = (hi - lo === 31 ? 0xffffffff : ((1 << (hi - lo + 1)) - 1) << lo) >>> 0;
        const arr = this.maskArray(f.access);
        arr[base + d] = (arr[base + d]! | m) >>> 0;
      }
    }
  }

  private maskArray(access: Access): Uint32Array {
    switch (access) {
      case 'RW':
        return this.rw;
      case 'RW1C':
        return this.w1c;
      case 'RO':
        return this.ro;
      case 'WO':
        return this.wo;
      case 'RsvdZ':
      case 'RsvdP':
        return this.rsvdBits;
    }
  }

  private reportReserved(offset: number, value: number, k: number): void {
    const inst = this.instances[k]!;
    const bits = (value & this.rsvdBits[offset >>> 2]!) >>> 0;
    this.onAnomaly(
      `${this.label}: write of ${hex(value >>> 0, 8)} to ${inst.name} ` +
        `(+${hex(offset - inst.offset)}) sets reserved bits ${hex(bits, 8)}; they are ignored (RsvdZ)`,
    );
  }
}
