/**
 * An Intel DSA (IDXD) PCIe function: PCI config space with MSI-X, BAR0 registers and tables,
 * BAR2 portals, commands, work queues/engines executing descriptors on emulated RAM, the IMS
 * store and interrupt handles. Everything is parameterised (BDF, BAR addresses, capabilities,
 * layout, timing), so a machine can hold several devices.
 *
 * Wiring: construct with the platform's bus, memory and clock, then `mapBars()` (or map
 * `bar0`/`bar2` yourself at `pci.bars`). Device work happens in clock events.
 */
import type { InterruptBus } from '../bus';
import type { Clock } from '../clock';
import type { PhysMemory } from '../memory';
import { PciFunction } from '../pci/config';
import { MsixTable } from '../pci/msix';
import { PCI_EXP_TYPE_RC_END } from '../pci/regs';
import { IdxdBar0 } from './bar0';
import {
  capRegisterValues,
  computeLayout,
  resolveCaps,
  type IdxdCaps,
  type IdxdCapsOptions,
  type IdxdLayout,
  type IdxdLayoutOptions,
} from './caps';
import { CommandUnit } from './commands';
import { ConfigView } from './config-view';
import {
  DSA_COMP,
  EMU_INJECT,
  IDXD_DEVICE_RESET_SOFTWARE,
  IDXD_DEVICE_STATE_HALT,
  IDXD_EMU_INJECT_OFFSET,
  IDXD_GENCTRL_HALT_INT_EN,
  IDXD_INTC_HALT_STATE,
  IDXD_INTC_INT_HANDLE_REVOKED,
  IDXD_MMIO_BAR,
  IDXD_WQ_BAR,
  PCI_DEVICE_ID_INTEL_DSA_SPR0,
  PCI_VENDOR_ID_INTEL,
} from './consts';
import { WorkEngine } from './engine';
import { DEFAULT_TIMING, DescriptorExecutor, type IdxdTiming } from './executor';
import { IntHandleTable } from './handles';
import { ImsStore } from './ims';
import { IdxdInterrupts } from './interrupts';
import { IdxdPortals } from './portal';
import type { RegisterDef, TableLayout } from './regdef';
import { RegisterFile, placeRegisters, placeTable } from './regfile';
import { buildTopRegisters } from './registers';
import { idxdSnapshot, type IdxdSnapshot } from './snapshot';
import { SwErr } from './swerr';
import { grpcfgLayout, imsLayout, msixLayout, msixPermLayout, wqcfgLayout } from './tables';

export const DEFAULT_IDXD_BDF = '0000:6a:01.0';

export interface IdxdDeviceOptions {
  readonly bus: InterruptBus;
  /** Emulated RAM the descriptors and completion records use. */
  readonly memory: PhysMemory;
  readonly clock: Clock;
  /** Physical address of BAR0 (registers), aligned to its size (64 KiB by default). */
  readonly bar0Address: number;
  /** Physical address of BAR2 (portals), aligned to its size (128 KiB for 8 WQs). */
  readonly bar2Address: number;
  /** Default `0000:6a:01.0` (requester id 0x6a08), the first DSA of an SPR socket. */
  readonly bdf?: string;
  readonly caps?: IdxdCapsOptions;
  readonly layout?: IdxdLayoutOptions;
  readonly timing?: Partial<IdxdTiming>;
  /** Writes hardware ignores, reserved bits, locked registers, unaligned accesses... */
  readonly onAnomaly?: (text: string) => void;
}

/** The register tables of a device, for views, hover docs and an SVD export. */
export interface IdxdRegisterTables {
  readonly top: readonly RegisterDef[];
  readonly grpcfg: TableLayout;
  readonly wqcfg: TableLayout;
  readonly msixPerm: TableLayout;
  readonly ims: TableLayout;
  readonly msix: TableLayout;
}

export class IdxdDevice {
  readonly bdf: string;
  readonly requesterId: number;
  readonly caps: IdxdCaps;
  readonly layout: IdxdLayout;
  readonly timing: IdxdTiming;
  readonly tables: IdxdRegisterTables;
  readonly pci: PciFunction;
  readonly registers: RegisterFile;
  readonly msix: MsixTable;
  readonly ims: ImsStore;
  readonly handles: IntHandleTable;
  /** BAR0 MMIO (registers, MSI-X table/PBA, IMS). */
  readonly bar0: IdxdBar0;
  /** BAR2 MMIO (WQ portals; 64-byte writes). */
  readonly bar2: IdxdPortals;
  readonly engine: WorkEngine;
  readonly commands: CommandUnit;
  readonly config: ConfigView;
  private readonly intr: IdxdInterrupts;
  private readonly swerr: SwErr;
  private readonly memory: PhysMemory;
  private readonly onAnomaly: (text: string) => void;
  private readonly label: string;

  /** Throws RangeError for bad capabilities, layout, BDF or BAR addresses. */
  constructor(opts: IdxdDeviceOptions) {
    const onAnomaly = opts.onAnomaly ?? (() => undefined);
    this.onAnomaly = onAnomaly;
    this.caps = resolveCaps(opts.caps);
    this.layout = computeLayout(this.caps, opts.layout);
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.memory = opts.memory;
    const L = this.layout;
    this.pci = new PciFunction({
      bdf: opts.bdf ?? DEFAULT_IDXD_BDF,
      vendorId: PCI_VENDOR_ID_INTEL,
      deviceId: PCI_DEVICE_ID_INTEL_DSA_SPR0,
      bars: [
        { index: IDXD_MMIO_BAR, size: L.bar0Size, address: opts.bar0Address },
        { index: IDXD_WQ_BAR, size: L.bar2Size, address: opts.bar2Address },
      ],
      pcieType: PCI_EXP_TYPE_RC_END,
      msix: {
        tableSize: this.caps.msix_count,
        tableBar: IDXD_MMIO_BAR,
        tableOffset: L.msixTableOffset,
        pbaBar: IDXD_MMIO_BAR,
        pbaOffset: L.msixPbaOffset,
      },
      onAnomaly,
    });
    this.bdf = this.pci.bdf;
    this.requesterId = this.pci.requesterId;
    this.label = `idxd ${this.bdf}`;
    this.tables = {
      top: buildTopRegisters(capRegisterValues(this.caps, L)),
      grpcfg: grpcfgLayout(this.caps.wqcap.num_wqs, this.caps.num_engines),
      wqcfg: wqcfgLayout(L.wqcfgStride, this.caps.wqcap.op_config),
      msixPerm: msixPermLayout(),
      ims: imsLayout(),
      msix: msixLayout(),
    };
    const t = this.tables;
    this.registers = new RegisterFile(
      registerFileSize(this.caps, L),
      [
        ...placeRegisters(t.top),
        ...placeTable(t.msixPerm, L.msixPermOffset, this.caps.msix_count),
        ...placeTable(t.grpcfg, L.grpcfgOffset, this.caps.grpcap.num_groups),
        ...placeTable(t.wqcfg, L.wqcfgOffset, this.caps.wqcap.num_wqs),
      ],
      this.label,
      onAnomaly,
    );
    this.config = new ConfigView(this.registers, this.caps, L);
    const common = { bus: opts.bus, bdf: this.bdf, requesterId: this.requesterId, onAnomaly };
    this.msix = new MsixTable({ ...common, size: this.caps.msix_count, control: this.pci });
    this.pci.onMsixControlChange(() => {
      this.msix.controlChanged();
      this.ims.controlChanged();
    });
    this.pci.onFunctionLevelReset(() => {
      this.resetFunction(`${this.label}: Function Level Reset: pending message discarded`);
    });
    this.ims = new ImsStore({ ...common, slots: L.imsSlots, pci: this.pci });
    this.handles = new IntHandleTable(this.caps.int_handles);
    this.intr = new IdxdInterrupts(this.registers, this.config, this.msix, this.ims, this.handles);
    const swerr = new SwErr(this.registers, this.config, this.intr);
    this.swerr = swerr;
    const exec = new DescriptorExecutor(
      opts.memory,
      this.config,
      this.intr,
      swerr,
      this.timing,
      onAnomaly,
    );
    this.engine = new WorkEngine(opts.clock, this.config, exec, this.label, () => {
      this.commands.workRetired();
    });
    this.commands = new CommandUnit({
      clock: opts.clock,
      regs: this.registers,
      cfg: this.config,
      engine: this.engine,
      intr: this.intr,
      handles: this.handles,
      swerr,
      commandNs: this.timing.commandNs,
      label: this.label,
      busMasterEnabled: () => this.pci.busMasterEnabled,
      resetDevice: () => {
        this.resetDeviceState();
      },
      onAnomaly,
    });
    const decoding = () => this.pci.memorySpaceEnabled;
    this.bar0 = new IdxdBar0(
      this.registers,
      this.config,
      this.msix,
      this.ims,
      this.engine,
      this.commands,
      decoding,
      (value) => {
        this.inject(value);
      },
      this.label,
      onAnomaly,
    );
    this.bar2 = new IdxdPortals(this.config, this.engine, swerr, decoding, this.label, onAnomaly);
  }

  /** Maps BAR0 and BAR2 into the memory given at construction, at their BAR addresses. */
  mapBars(): void {
    const [b0, b2] = this.pci.bars;
    this.memory.mapMmio(b0!.address, b0!.size, `${this.label} BAR0`, this.bar0);
    this.memory.mapMmio(b2!.address, b2!.size, `${this.label} BAR2`, this.bar2);
  }

  /** Removes the BAR mappings. */
  unmapBars(): void {
    for (const b of this.pci.bars) this.memory.unmapMmio(b.address);
  }

  /**
   * Power-on reset: config space back to its power-on image (the firmware's BAR addresses
   * kept), then everything a Function Level Reset resets. A driver triggers an FLR instead,
   * through PCIe Device Control bit 15 (`pcie_flr()`), which also clears COMMAND and the BARs.
   */
  reset(): void {
    this.pci.reset();
    this.resetFunction(`${this.label} was reset: pending message discarded`);
  }

  /**
   * The function's own state after a reset (PCIe r6.0 §6.6.2: all state except sticky bits
   * back to initial values): commands forgotten, MSI-X table and IMS back to reset (entries
   * masked, pending messages dropped with `why`), registers to reset values — GENSTS DISABLED,
   * so a halt of any reset type is over — WQs disabled with their descriptors discarded,
   * interrupt handles gone.
   */
  private resetFunction(why: string): void {
    this.commands.reset();
    this.msix.reset(why);
    this.ims.reset(why);
    this.resetDeviceState();
  }

  /**
   * The device revokes every interrupt handle (as after a host-side FLR or migration): the
   * handle table empties, INTCAUSE.int_handle_revoked is set and the misc interrupt (MSI-X
   * entry 0) fires. Descriptors with old handles then complete with INT_HANDLE_INVAL (0x19)
   * and send no interrupt; REQUEST_INT_HANDLE hands out new numbers (see handles.ts).
   * Returns how many handles were revoked. Never throws.
   */
  revokeIntHandles(): number {
    const n = this.handles.revoke();
    this.intr.cause(IDXD_INTC_INT_HANDLE_REVOKED, true);
    return n;
  }

  /**
   * The device halts, as on an internal hardware error: GENSTS.state = HALT with `resetType`
   * (IDXD_DEVICE_RESET_*: the reset that recovers it), queued and running descriptors are
   * discarded (no completion, no interrupt), a command waiting for a drain ends with HW_ERR,
   * and INTCAUSE.halt_state is set with a misc interrupt when GENCTRL.halt_int_en. With
   * `hwError`, SWERR also records HW_ERR1 (INTCAUSE.err; one message for both causes).
   * While halted, portals take nothing and commands fail with HW_ERR except RESET_DEVICE when
   * `resetType` is SOFTWARE; a Function Level Reset (PCIe Device Control bit 15, `pcie_flr()`)
   * or `reset()` recovers from any halt. A halt of a halted
   * device is reported and ignored. Never throws.
   */
  halt(resetType: number = IDXD_DEVICE_RESET_SOFTWARE, hwError = false): void {
    if (this.config.deviceState === IDXD_DEVICE_STATE_HALT) {
      this.onAnomaly(`${this.label}: halt requested while already halted: ignored`);
      return;
    }
    this.config.setHalted(resetType);
    this.engine.abort(() => true);
    this.commands.halted();
    if (hwError) this.swerr.record({ error: DSA_COMP.HW_ERR1 }, false);
    const haltIrq = (this.config.genctrl & IDXD_GENCTRL_HALT_INT_EN) !== 0;
    this.intr.cause(IDXD_INTC_HALT_STATE, haltIrq || (hwError && this.swerr.interruptEnabled));
  }

  /** Plain JSON-able state for the views. No side effects. */
  snapshot(): IdxdSnapshot {
    return idxdSnapshot(this);
  }

  /** A write of `value` to EMU_INJECT (see consts.ts). */
  private inject(value: number): void {
    if ((value & EMU_INJECT.REVOKE_INT_HANDLES) !== 0) this.revokeIntHandles();
    if ((value & EMU_INJECT.HALT) !== 0) {
      this.halt((value >>> EMU_INJECT.RESET_TYPE_SHIFT) & 3, (value & EMU_INJECT.HW_ERROR) !== 0);
    }
  }

  /**
   * RESET_DEVICE: registers (GENCFG, GRPCFG, WQCFG, MSIX_PERM, SWERR, INTCAUSE...) back to
   * reset values, WQs disabled and their descriptors discarded, handles freed. The MSI-X table
   * and the IMS store are interrupt configuration owned by the irq layer and are kept (our
   * reading; UNCERTAIN for IMS).
   */
  private resetDeviceState(): void {
    this.engine.reset();
    this.registers.reset();
    this.handles.clear();
  }
}

/** Bytes from 0 that cover the registers, MSIX_PERM, GRPCFG, WQCFG and PERFCAP (x 0x100). */
function registerFileSize(caps: IdxdCaps, L: IdxdLayout): number {
  const end = Math.max(
    IDXD_EMU_INJECT_OFFSET + 4,
    L.perfmonOffset + 8,
    L.msixPermOffset + caps.msix_count * 8,
    L.grpcfgOffset + caps.grpcap.num_groups * 64,
    L.wqcfgOffset + caps.wqcap.num_wqs * L.wqcfgStride,
  );
  return Math.ceil(end / 0x100) * 0x100;
}
