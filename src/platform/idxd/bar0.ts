/**
 * BAR0 MMIO decode: the register file (top-level registers, MSIX_PERM, GRPCFG, WQCFG,
 * PERFCAP), the MSI-X table and PBA, and the IMS table, at the offsets of the device layout.
 *
 * 64-bit accesses are two 32-bit ones (low dword first). Unaligned accesses, writes to
 * undefined offsets and accesses while PCI COMMAND.Memory Space is off do what hardware does
 * (ignored; undecoded reads return all 1s) and are reported. Configuration locks: GENCFG and
 * GRPCFG change only while the device is disabled (except GRPWQCFG bits of disabled WQs),
 * WQCFG of a WQ only while that WQ is disabled, and none of them without GENCAP.config_en.
 * A write to EMU_INJECT (the emulator's fault injection, not a DSA register) acts at once.
 */
import { hex } from '../bits';
import type { MmioDevice } from '../memory';
import type { MsixTable } from '../pci/msix';
import type { CommandUnit } from './commands';
import type { ConfigView } from './config-view';
import {
  GRPCFG_SIZE,
  GRPENGCFG_OFFSET,
  IDXD_CMD_OFFSET,
  IDXD_DEVICE_STATE_DISABLED,
  IDXD_EMU_INJECT_OFFSET,
  IDXD_GENCFG_OFFSET,
} from './consts';
import { WQ_DISABLED, type WorkEngine } from './engine';
import type { ImsStore } from './ims';
import { undefinedWriteText, type RegisterFile } from './regfile';

const ALL = 0xffffffff;

export class IdxdBar0 implements MmioDevice {
  private readonly wqLockText: string[] = [];
  private readonly configText: string;
  private readonly grpText: string;
  private readonly gencfgText: string;

  constructor(
    private readonly regs: RegisterFile,
    private readonly cfg: ConfigView,
    private readonly msix: MsixTable,
    private readonly ims: ImsStore,
    private readonly engine: WorkEngine,
    private readonly commands: CommandUnit,
    private readonly decoding: () => boolean,
    /** A write to EMU_INJECT (the emulator's fault injection). */
    private readonly inject: (value: number) => void,
    private readonly label: string,
    private readonly onAnomaly: (text: string) => void,
  ) {
    for (let wq = 0; wq < cfg.numWqs; wq++) {
      this.wqLockText.push(`WQ ${wq} is enabled: WQCFG[${wq}] is read-only until it is disabled`);
    }
    this.configText = 'GENCAP.config_en = 0: the configuration is read-only';
    this.grpText = 'the device is enabled: GRPCFG may only change for disabled WQs';
    this.gencfgText = 'GENCFG is writable only while the device is disabled';
  }

  read32(offset: number): number {
    if (!this.decoding()) {
      this.onAnomaly(
        `${this.label} BAR0 read at ${hex(offset)} while PCI COMMAND.Memory Space is off: all 1s`,
      );
      return ALL;
    }
    if ((offset & 3) !== 0)
      this.onAnomaly(`${this.label} BAR0: unaligned 32-bit read at ${hex(offset)}`);
    return this.peek32(offset);
  }

  /** Side-effect-free read (also while decoding is off), for views. */
  peek32(offset: number): number {
    const o = offset & ~3;
    const L = this.cfg.layout;
    if (within(o, L.msixTableOffset, this.msix.tableBytes))
      return this.msix.readTable32(o - L.msixTableOffset);
    if (within(o, L.msixPbaOffset, this.msix.pbaBytes))
      return this.msix.readPba32(o - L.msixPbaOffset);
    if (within(o, L.imsOffset, this.ims.bytes)) return this.ims.read32(o - L.imsOffset);
    return o < this.regs.size ? this.regs.read32(o) : 0;
  }

  write32(offset: number, value: number): void {
    if (!this.decoding()) {
      this.onAnomaly(
        `${this.label} BAR0 write at ${hex(offset)} while PCI COMMAND.Memory Space is off: ignored`,
      );
      return;
    }
    if ((offset & 3) !== 0) {
      this.onAnomaly(`${this.label} BAR0: unaligned 32-bit write at ${hex(offset)} ignored`);
      return;
    }
    const L = this.cfg.layout;
    if (within(offset, L.msixTableOffset, this.msix.tableBytes)) {
      this.msix.writeTable32(offset - L.msixTableOffset, value);
    } else if (within(offset, L.msixPbaOffset, this.msix.pbaBytes)) {
      this.msix.writePba32(offset - L.msixPbaOffset, value);
    } else if (within(offset, L.imsOffset, this.ims.bytes)) {
      this.ims.write32(offset - L.imsOffset, value);
    } else if (offset < this.regs.size) {
      this.writeRegister(offset, value);
    } else {
      this.onAnomaly(undefinedWriteText(this.label, offset, value));
    }
  }

  read64(offset: number): bigint {
    return BigInt(this.read32(offset)) | (BigInt(this.read32(offset + 4)) << 32n);
  }

  write64(offset: number, value: bigint): void {
    this.write32(offset, Number(value & 0xffffffffn));
    this.write32(offset + 4, Number((value >> 32n) & 0xffffffffn));
  }

  private writeRegister(offset: number, value: number): void {
    if (offset === IDXD_EMU_INJECT_OFFSET) {
      this.regs.write32(offset, value);
      this.regs.setHw32(offset, 0);
      this.inject(value & 0x1f);
      return;
    }
    if (offset === IDXD_CMD_OFFSET) {
      if (!this.commands.busy) this.regs.write32(offset, value);
      this.commands.start(this.commands.busy ? value : this.regs.hw32(offset));
      return;
    }
    const lock = this.lockOf(offset);
    if (lock === 0) {
      this.regs.write32(offset, value);
      return;
    }
    if (this.regs.write32(offset, value, lock) !== 0) {
      const inst = this.regs.instanceAt(offset);
      this.onAnomaly(
        `${this.label}: write of ${hex(value >>> 0, 8)} to ${inst?.name ?? hex(offset)} ignored: ` +
          this.lockText(offset),
      );
    }
  }

  /** Bits of the dword at `offset` the device state locks. */
  private lockOf(offset: number): number {
    const L = this.cfg.layout;
    const configEn = this.cfg.caps.gencap.config_en;
    const enabled = this.cfg.deviceState !== IDXD_DEVICE_STATE_DISABLED;
    if (within(offset, L.wqcfgOffset, this.cfg.numWqs * L.wqcfgStride)) {
      const wq = Math.floor((offset - L.wqcfgOffset) / L.wqcfgStride);
      return !configEn || this.engine.wqState[wq] !== WQ_DISABLED ? ALL : 0;
    }
    if (within(offset, L.grpcfgOffset, this.cfg.numGroups * GRPCFG_SIZE)) {
      if (!configEn) return ALL;
      if (!enabled) return 0;
      const rel = (offset - L.grpcfgOffset) % GRPCFG_SIZE;
      return rel < GRPENGCFG_OFFSET ? this.enabledWqBits(rel >>> 2) : ALL;
    }
    if (offset === IDXD_GENCFG_OFFSET) return !configEn || enabled ? ALL : 0;
    return 0;
  }

  /** GRPWQCFG dword `d`: bits of WQs that are not disabled. */
  private enabledWqBits(d: number): number {
    let m = 0;
    for (let b = 0; b < 32; b++) {
      const wq = d * 32 + b;
      if (wq < this.cfg.numWqs && this.engine.wqState[wq] !== WQ_DISABLED) m |= 1 << b;
    }
    return m >>> 0;
  }

  private lockText(offset: number): string {
    const L = this.cfg.layout;
    if (!this.cfg.caps.gencap.config_en) return this.configText;
    if (within(offset, L.wqcfgOffset, this.cfg.numWqs * L.wqcfgStride)) {
      return this.wqLockText[Math.floor((offset - L.wqcfgOffset) / L.wqcfgStride)]!;
    }
    return offset === IDXD_GENCFG_OFFSET ? this.gencfgText : this.grpText;
  }
}

function within(offset: number, base: number, size: number): boolean {
  return offset >= base && offset < base + size;
}
