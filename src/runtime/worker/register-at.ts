/**
 * Which registers an MMIO access touched, by the register tables: a DSA's BAR0 register file
 * (top-level registers, GRPCFG, WQCFG, MSIX_PERM…), its MSI-X table and its IMS slots. An access
 * may cover part of a register (a readl of one dword of a 64-bit register) or more than one (a
 * readq over two 32-bit registers): it is split into one piece per register, each with the bits
 * of the register it covered. Addresses outside every table are named by their MMIO range
 * (`0000:6a:01.0 BAR0 +0x2008`, `dmar0 +0x18`).
 */
import type { PhysMemory } from '../../platform/memory';
import type { RegisterDef, TableLayout } from '../../platform/idxd/regdef';
import type { DeviceLayout } from './reg-targets';

/** The part of one register an access covered. */
export interface RegisterPiece {
  /** `GENSTS`, `WQCFG[0].size`, `IMS[3].ctrl`; with the bit range when partial: `GENCAP[63:32]`. */
  readonly name: string;
  /** The register's definition; undefined for an address no table describes. */
  readonly def: RegisterDef | undefined;
  /** Covered bits of the register, inclusive (lo = 0, hi = width − 1 for a whole register). */
  readonly lo: number;
  readonly hi: number;
  /** The covered bits' value, as bits lo..hi of the register (shifted down to bit 0). */
  readonly value: bigint;
  /** Physical address of the first covered byte, and how many bytes. */
  readonly address: number;
  readonly bytes: number;
  /** BDF of the DSA the register belongs to, if it is one. */
  readonly device: string | undefined;
}

/** A register placed at a physical address. */
interface Placed {
  readonly name: string;
  readonly def: RegisterDef;
  readonly address: number;
}

/**
 * Splits the access of `bytes` bytes at `address` carrying `value` (little-endian, as the bus
 * sees it) into register pieces, lowest address first.
 */
export function registersOf(
  devices: ReadonlyMap<string, DeviceLayout>,
  memory: PhysMemory,
  address: number,
  bytes: number,
  value: bigint,
): RegisterPiece[] {
  const out: RegisterPiece[] = [];
  let done = 0;
  while (done < bytes) {
    const a = address + done;
    const dev = deviceAt(devices, memory, a);
    const reg = dev === undefined ? undefined : placedAt(dev, a - dev.bar0);
    const rest = value >> BigInt(done * 8);
    if (reg === undefined) {
      // No table names these bytes: a device's dword (the next may be a register again), or the
      // rest of the access elsewhere, named by its MMIO range.
      const n = dev === undefined ? bytes - done : Math.min(bytes - done, 4 - (a % 4));
      out.push({
        name: rangeName(memory, a),
        def: undefined,
        lo: 0,
        hi: n * 8 - 1,
        value: rest & ((1n << BigInt(n * 8)) - 1n),
        address: a,
        bytes: n,
        device: dev?.bdf,
      });
      done += n;
      continue;
    }
    const first = a - reg.address;
    const n = Math.min(bytes - done, reg.def.width / 8 - first);
    const lo = first * 8;
    const hi = lo + n * 8 - 1;
    const whole = lo === 0 && hi === reg.def.width - 1;
    out.push({
      name: whole ? reg.name : `${reg.name}[${hi}:${lo}]`,
      def: reg.def,
      lo,
      hi,
      value: rest & ((1n << BigInt(n * 8)) - 1n),
      address: a,
      bytes: n,
      device: dev!.bdf,
    });
    done += n;
  }
  return out;
}

/** The DSA whose BAR0 holds `address`. */
function deviceAt(
  devices: ReadonlyMap<string, DeviceLayout>,
  memory: PhysMemory,
  address: number,
): DeviceLayout | undefined {
  const r = memory.mmioAt(address);
  if (r === undefined) return undefined;
  for (const d of devices.values()) if (d.bar0 === r.base) return d;
  return undefined;
}

/** The register at BAR0 offset `offset` of `dev`: IMS slot, MSI-X entry or register file. */
function placedAt(dev: DeviceLayout, offset: number): Placed | undefined {
  const slot =
    entryAt(dev.tables.ims, dev.imsOffset, dev.imsSlots, offset) ??
    entryAt(dev.tables.msix, dev.msixTableOffset, dev.msixCount, offset);
  if (slot !== undefined) {
    const def = slot.layout.registers.find(
      (r) => slot.rel >= r.offset && slot.rel < r.offset + r.width / 8,
    );
    if (def === undefined) return undefined;
    return {
      name: `${slot.layout.name}[${slot.index}].${def.name}`,
      def,
      address: dev.bar0 + slot.base + def.offset,
    };
  }
  const inst = dev.instanceAt(offset);
  return inst && { name: inst.name, def: inst.def, address: dev.bar0 + inst.offset };
}

/** Entry `index` of a table of `count` entries at `start` holding `offset`, if one does. */
function entryAt(
  layout: TableLayout,
  start: number,
  count: number,
  offset: number,
): { layout: TableLayout; index: number; rel: number; base: number } | undefined {
  if (offset < start || offset >= start + count * layout.stride) return undefined;
  const index = Math.floor((offset - start) / layout.stride);
  const base = start + index * layout.stride;
  return { layout, index, rel: offset - base, base };
}

/** `0000:6a:01.0 BAR0 +0x2008`, or the address itself outside MMIO. */
function rangeName(memory: PhysMemory, address: number): string {
  const r = memory.mmioAt(address);
  return r === undefined
    ? `0x${address.toString(16)}`
    : `${r.name} +0x${(address - r.base).toString(16)}`;
}
