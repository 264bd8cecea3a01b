import { Clock } from '../../../src/platform/clock';
import { PhysMemory } from '../../../src/platform/memory';
import { IdxdDevice, type IdxdDeviceOptions } from '../../../src/platform/idxd/device';
import * as C from '../../../src/platform/idxd/consts';
import { encodeDescriptor, type DescriptorFields } from '../../../src/platform/idxd/descriptor';
import * as R from '../../../src/platform/pci/regs';
import { FakeBus } from '../pci/fake-bus';

export const BAR0 = 0x3_0000_0000;
export const BAR2 = 0x3_0010_0000;

export interface Rig {
  dev: IdxdDevice;
  mem: PhysMemory;
  clock: Clock;
  bus: FakeBus;
  anomalies: string[];
  /** Runs every scheduled event. */
  settle(): void;
  r32(off: number): number;
  w32(off: number, v: number): void;
  r64(off: number): bigint;
  w64(off: number, v: bigint): void;
  /** Issues a command, runs the clock, returns CMDSTS. */
  cmd(code: number, operand?: number, intReq?: boolean): number;
}

export type RigOptions = Partial<Omit<IdxdDeviceOptions, 'bus' | 'memory' | 'clock'>> & {
  /** Leave PCI COMMAND at 0 (no memory decode, no bus master). */
  raw?: boolean;
};

/** A device mapped at BAR0/BAR2, memory decode + bus master on, MSI-X enabled. */
export function rig(opts: RigOptions = {}): Rig {
  const mem = new PhysMemory();
  const clock = new Clock();
  const bus = new FakeBus();
  const anomalies: string[] = [];
  const dev = new IdxdDevice({
    bar0Address: BAR0,
    bar2Address: BAR2,
    ...opts,
    bus,
    memory: mem,
    clock,
    onAnomaly: (t) => anomalies.push(t),
  });
  dev.mapBars();
  if (opts.raw !== true) {
    dev.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY | R.PCI_COMMAND_MASTER);
    dev.pci.writeConfig16(dev.pci.msixCap + R.PCI_MSIX_FLAGS, R.PCI_MSIX_FLAGS_ENABLE);
  }
  const settle = () => {
    while (clock.runNext(Infinity));
  };
  const r: Rig = {
    dev,
    mem,
    clock,
    bus,
    anomalies,
    settle,
    r32: (off) => mem.read32(BAR0 + off),
    w32: (off, v) => {
      mem.write32(BAR0 + off, v);
    },
    r64: (off) => mem.read64(BAR0 + off),
    w64: (off, v) => {
      mem.write64(BAR0 + off, v);
    },
    cmd: (code, operand = 0, intReq = false) => {
      r.w32(C.IDXD_CMD_OFFSET, ((intReq ? 0x80000000 : 0) | (code << 20) | operand) >>> 0);
      settle();
      return r.r32(C.IDXD_CMDSTS_OFFSET);
    },
  };
  return r;
}

export interface WqSetup {
  wq?: number;
  group?: number;
  size?: number;
  dedicated?: boolean;
  thresh?: number;
  priority?: number;
  pasid?: number | null;
  priv?: boolean;
  engines?: number;
  xferShift?: number;
  batchShift?: number;
}

/** Programs WQCFG and GRPCFG for one WQ, Linux-style (dwords), without enabling anything. */
export function configureWq(r: Rig, s: WqSetup = {}): void {
  const wq = s.wq ?? 0;
  const g = s.group ?? 0;
  const L = r.dev.layout;
  const base = L.wqcfgOffset + wq * L.wqcfgStride;
  const pasid = s.pasid ?? null;
  r.w32(base + 0, s.size ?? 16);
  r.w32(base + 4, s.thresh ?? 0);
  const mode =
    (s.dedicated === false ? 0 : 1) |
    ((s.priority ?? 1) << 4) |
    ((pasid ?? 0) << 8) |
    (pasid === null ? 0 : 1 << 28) |
    (s.priv === false ? 0 : 1 << 29);
  r.w32(base + 8, mode >>> 0);
  r.w32(base + 12, (s.xferShift ?? 20) | ((s.batchShift ?? 5) << 5));
  const grp = L.grpcfgOffset + g * C.GRPCFG_SIZE;
  const wqBits = r.r64(grp + 8 * (wq >> 6));
  r.w64(grp + 8 * (wq >> 6), wqBits | (1n << BigInt(wq & 63)));
  r.w64(grp + C.GRPENGCFG_OFFSET, BigInt(s.engines ?? 1));
}

/** configureWq + ENABLE_DEVICE + ENABLE_WQ; throws if a command fails. */
export function enabledWq(r: Rig, s: WqSetup = {}): void {
  configureWq(r, s);
  if ((r.r32(C.IDXD_GENSTS_OFFSET) & 3) !== 1)
    expectOk(r.cmd(C.IDXD_CMD.ENABLE_DEVICE), 'enable device');
  expectOk(r.cmd(C.IDXD_CMD.ENABLE_WQ, s.wq ?? 0), 'enable wq');
}

function expectOk(sts: number, what: string): void {
  if ((sts & 0xff) !== 0) throw new Error(`${what} failed: CMDSTS 0x${sts.toString(16)}`);
}

/** BAR2 address of a WQ's portal (prot 0 unlimited, 1 limited). */
export function portal(wq: number, prot = 0): number {
  return BAR2 + ((wq * 4) << 12) + prot * 0x1000;
}

/** Submits a descriptor with MOVDIR64B (default) or ENQCMD(S); returns the accept flag. */
export function submit(
  r: Rig,
  f: DescriptorFields,
  wq = 0,
  kind: 'movdir64b' | 'enqcmd' | 'enqcmds' = 'movdir64b',
  prot = 0,
): boolean {
  return r.mem.write64B(portal(wq, prot), encodeDescriptor(f), kind);
}

/** Programs and unmasks MSI-X entry `i`. */
export function msixEntry(r: Rig, i: number, addr: number, data: number, unmask = true): void {
  const t = r.dev.layout.msixTableOffset + i * 16;
  r.w32(t, addr);
  r.w32(t + 4, 0);
  r.w32(t + 8, data);
  r.w32(t + 12, unmask ? 0 : 1);
}

/** Programs IMS slot `s` (ctrl as given). */
export function imsSlot(r: Rig, s: number, addr: number, data: number, ctrl: number): void {
  const t = r.dev.layout.imsOffset + s * 16;
  r.w32(t, addr);
  r.w32(t + 4, 0);
  r.w32(t + 8, data);
  r.w32(t + 12, ctrl);
}

/** Reads the 32-byte completion record. */
export function record(r: Rig, addr: number): { status: number; result: number; bytes: number } {
  return {
    status: r.mem.read8(addr),
    result: r.mem.read8(addr + 1),
    bytes: r.mem.read32(addr + 4),
  };
}

export { C };
