/**
 * Typed, allocation-free reads of the configuration the driver programmed (WQCFG, GRPCFG,
 * GENCFG, GENCTRL, MSIX_PERM) and the device-owned status bits it shows (GENSTS, WQCFG
 * occupancy and wq_state). The register file stays the one source of truth.
 */
import { get32 } from '../bits';
import type { IdxdCaps, IdxdLayout } from './caps';
import {
  GRPENGCFG_OFFSET,
  GRPFLGCFG_OFFSET,
  GRPCFG_SIZE,
  IDXD_GENCFG_OFFSET,
  IDXD_GENCTRL_OFFSET,
  IDXD_DEVICE_STATE_HALT,
  IDXD_GENSTS_OFFSET,
  MSIX_PERM_STRIDE,
} from './consts';
import type { RegisterFile } from './regfile';

/** WQCFG dword indices (union wqcfg). */
const WQCFG_SIZE = 0;
const WQCFG_THRESH = 1;
const WQCFG_MODE = 2;
const WQCFG_MAX = 3;
const WQCFG_STATUS = 6;

export class ConfigView {
  constructor(
    private readonly regs: RegisterFile,
    readonly caps: IdxdCaps,
    readonly layout: IdxdLayout,
  ) {}

  get numWqs(): number {
    return this.caps.wqcap.num_wqs;
  }

  get numGroups(): number {
    return this.caps.grpcap.num_groups;
  }

  // ---- WQCFG ----

  /** BAR0 offset of WQCFG dword `dword` of `wq`. */
  wqcfgOffset(wq: number, dword = 0): number {
    return this.layout.wqcfgOffset + wq * this.layout.wqcfgStride + 4 * dword;
  }

  wqSize(wq: number): number {
    return get32(this.dw(wq, WQCFG_SIZE), 15, 0);
  }

  wqThresh(wq: number): number {
    return get32(this.dw(wq, WQCFG_THRESH), 15, 0);
  }

  /** WQCFG.mode: 1 = dedicated, 0 = shared. */
  wqDedicated(wq: number): boolean {
    return (this.dw(wq, WQCFG_MODE) & 1) !== 0;
  }

  wqBof(wq: number): boolean {
    return (this.dw(wq, WQCFG_MODE) & 2) !== 0;
  }

  wqPriority(wq: number): number {
    return get32(this.dw(wq, WQCFG_MODE), 7, 4);
  }

  /** The dedicated-WQ PASID when pasid_en, else null. */
  wqPasid(wq: number): number | null {
    const m = this.dw(wq, WQCFG_MODE);
    return (m & (1 << 28)) !== 0 ? get32(m, 27, 8) : null;
  }

  wqPriv(wq: number): boolean {
    return (this.dw(wq, WQCFG_MODE) & (1 << 29)) !== 0;
  }

  wqMaxXferShift(wq: number): number {
    return get32(this.dw(wq, WQCFG_MAX), 4, 0);
  }

  wqMaxBatchShift(wq: number): number {
    return get32(this.dw(wq, WQCFG_MAX), 8, 5);
  }

  /** WQCFG.wq_state as the device reports it (0 disabled, 1 enabled). */
  wqStateBits(wq: number): number {
    return this.dw(wq, WQCFG_STATUS) >>> 30;
  }

  /** Device side: sets WQCFG.wq_state. */
  setWqState(wq: number, enabled: boolean): void {
    const off = this.wqcfgOffset(wq, WQCFG_STATUS);
    const v = this.regs.hw32(off) & 0x3fffffff;
    this.regs.setHw32(off, (v | (enabled ? 1 << 30 : 0)) >>> 0);
  }

  /** Device side: sets WQCFG.occupancy. */
  setOccupancy(wq: number, n: number): void {
    const off = this.wqcfgOffset(wq, WQCFG_STATUS);
    this.regs.setHw32(off, ((this.regs.hw32(off) & 0xffff0000) | (n & 0xffff)) >>> 0);
  }

  /** Back to the reset WQCFG of `wq` (RESET_WQ). */
  resetWq(wq: number): void {
    this.regs.resetRange(this.wqcfgOffset(wq), this.layout.wqcfgStride);
  }

  // ---- GRPCFG ----

  grpcfgOffset(group: number): number {
    return this.layout.grpcfgOffset + group * GRPCFG_SIZE;
  }

  /** GRPWQCFG: WQ `wq` is in `group`. */
  wqInGroup(group: number, wq: number): boolean {
    const off = this.grpcfgOffset(group) + 4 * (wq >>> 5);
    return (this.regs.hw32(off) & (1 << (wq & 31))) !== 0;
  }

  /** The group holding `wq`, -1 when none; -2 when more than one. */
  groupOfWq(wq: number): number {
    let found = -1;
    for (let g = 0; g < this.numGroups; g++) {
      if (!this.wqInGroup(g, wq)) continue;
      if (found >= 0) return -2;
      found = g;
    }
    return found;
  }

  /** True when any WQ bit is set in `group`. */
  groupHasWqs(group: number): boolean {
    for (let d = 0; d < 8; d++)
      if (this.regs.hw32(this.grpcfgOffset(group) + 4 * d) !== 0) return true;
    return false;
  }

  /** GRPENGCFG bitmap (engines 0..31). */
  groupEngines(group: number): number {
    return this.regs.hw32(this.grpcfgOffset(group) + GRPENGCFG_OFFSET);
  }

  /** GRPFLGCFG low dword. */
  groupFlags(group: number): number {
    return this.regs.hw32(this.grpcfgOffset(group) + GRPFLGCFG_OFFSET);
  }

  // ---- device-level ----

  /** GENSTS.state. */
  get deviceState(): number {
    return this.regs.hw32(IDXD_GENSTS_OFFSET) & 3;
  }

  set deviceState(state: number) {
    this.regs.setHw32(IDXD_GENSTS_OFFSET, (this.regs.hw32(IDXD_GENSTS_OFFSET) & ~3) | (state & 3));
  }

  /** GENSTS.reset_type (meaningful in HALT). */
  get resetType(): number {
    return (this.regs.hw32(IDXD_GENSTS_OFFSET) >>> 2) & 3;
  }

  /** Device side: GENSTS = HALT with `resetType`. */
  setHalted(resetType: number): void {
    this.regs.setHw32(IDXD_GENSTS_OFFSET, IDXD_DEVICE_STATE_HALT | ((resetType & 3) << 2));
  }

  get gencfg(): number {
    return this.regs.hw32(IDXD_GENCFG_OFFSET);
  }

  get genctrl(): number {
    return this.regs.hw32(IDXD_GENCTRL_OFFSET);
  }

  /** MSIX_PERM entry of MSI-X `index`. */
  msixPerm(index: number): number {
    return this.regs.hw32(this.layout.msixPermOffset + index * MSIX_PERM_STRIDE);
  }

  private dw(wq: number, dword: number): number {
    return this.regs.hw32(this.wqcfgOffset(wq, dword));
  }
}
