/**
 * A generic PCI(e) function: its 4 KiB configuration space, COMMAND register, memory BARs and a
 * standard capability list with an optional MSI-X capability.
 *
 * Config space is a byte array with a per-byte write mask (the QEMU way): a write keeps the
 * read-only bits and replaces the writable ones, so BAR sizing (write all 1s, read back the
 * size mask) works as on hardware. Layouts follow the PCI Local Bus / PCIe specs and
 * include/uapi/linux/pci_regs.h. Config accesses have no read side effects.
 *
 * Function Level Reset (PCIe Base spec r6.0 §6.6.2, §7.5.3.3/.4): a function with the PCI
 * Express capability reports FLR capability in Device Capabilities bit 28; writing 1 to Device
 * Control bit 15 (Initiate FLR, always reads 0) resets it at once. Config space goes back to
 * its reset values: COMMAND 0 (no decoding, no bus mastering), the BARs' address bits 0 (the
 * firmware's assignment is gone; software restores it, as Linux's pci_restore_state does),
 * MSI-X disabled, Device Control at its defaults; then the function's own state is reset by
 * whoever listens (`onFunctionLevelReset`). The function is ready for config requests right
 * away (no Configuration RRS), and Transactions Pending always reads 0: this model has no
 * outstanding non-posted requests to wait for.
 */
import { hex } from '../bits';
import { parseBdf, formatBdf, requesterId as ridOf } from './bdf';
import * as R from './regs';
import type { MsixControl } from './msix';

/** A memory BAR. The machine chooses the address; the function decodes it when Memory Space is on. */
export interface PciBar {
  /** BAR number 0..5 (a 64-bit BAR also uses the next register). */
  readonly index: number;
  /** Size in bytes: a power of two, at least 16. */
  readonly size: number;
  /** Physical base address (size aligned). */
  readonly address: number;
  /** 64-bit BAR (default true, as PCIe endpoints use). */
  readonly is64?: boolean;
  readonly prefetchable?: boolean;
}

/** Where the MSI-X table and PBA live (PCI spec 6.8.2.4/.5: BIR + QWORD-aligned offset). */
export interface PciMsixCapOptions {
  /** Number of entries, 1..2048 (QSIZE = tableSize - 1). */
  readonly tableSize: number;
  readonly tableBar: number;
  /** Byte offset of the table in its BAR (8-byte aligned). */
  readonly tableOffset: number;
  readonly pbaBar: number;
  /** Byte offset of the PBA in its BAR (8-byte aligned). */
  readonly pbaOffset: number;
}

export interface PciFunctionOptions {
  /** `dddd:bb:dd.f`. */
  readonly bdf: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly revisionId?: number;
  /** 24-bit class code (base << 16 | sub << 8 | prog-if). */
  readonly classCode?: number;
  readonly subsystemVendorId?: number;
  readonly subsystemId?: number;
  readonly bars: readonly PciBar[];
  /** Adds a PCI Express capability (version 2) with this device/port type, e.g. 9 = RCiEP. */
  readonly pcieType?: number;
  /** With `pcieType`: Device Capabilities reports FLR (bit 28) and Device Control bit 15 resets
   * the function. Default true. */
  readonly flr?: boolean;
  readonly msix?: PciMsixCapOptions;
  /** Reports what hardware would silently ignore (e.g. a BAR moved away from its mapping). */
  readonly onAnomaly?: (text: string) => void;
}

const CAP_AREA_END = 0x100;

export class PciFunction implements MsixControl {
  readonly bdf: string;
  /** bus << 8 | devfn, the SID of this function's messages. */
  readonly requesterId: number;
  /** Config offset of the MSI-X capability, or 0 when there is none. */
  readonly msixCap: number;
  /** Config offset of the PCI Express capability, or 0. */
  readonly pcieCap: number;
  readonly bars: readonly PciBar[];
  private readonly cfg = new Uint8Array(R.PCI_CFG_SPACE_EXP_SIZE);
  private readonly wmask = new Uint8Array(R.PCI_CFG_SPACE_EXP_SIZE);
  private readonly resetImage: Uint8Array;
  /** The reset image with the BARs' address bits cleared: config space after an FLR. */
  private readonly flrImage: Uint8Array;
  private readonly msixListeners: (() => void)[] = [];
  private readonly flrListeners: (() => void)[] = [];
  private readonly onAnomaly: (text: string) => void;
  private nextCap = 0x40;
  private lastCap = 0;
  /** Who is writing config space now (set by the kernel around its writes), for `msixDisabledBy`. */
  private writer: string | null = null;
  /**
   * What cleared MSI-X Enable last (a kernel function, or "a config write to Message Control"),
   * or null while MSI-X is enabled or was never enabled. Debugger bookkeeping, not hardware.
   */
  msixDisabledBy: string | null = null;

  /** Throws RangeError for a malformed BDF, BAR or MSI-X layout. */
  constructor(opts: PciFunctionOptions) {
    const b = parseBdf(opts.bdf);
    this.bdf = formatBdf(b);
    this.requesterId = ridOf(b);
    this.onAnomaly = opts.onAnomaly ?? (() => undefined);
    this.bars = opts.bars;
    this.put(R.PCI_VENDOR_ID, 2, opts.vendorId);
    this.put(R.PCI_DEVICE_ID, 2, opts.deviceId);
    this.put(R.PCI_REVISION_ID, 1, opts.revisionId ?? 0);
    this.put(R.PCI_CLASS_PROG, 3, opts.classCode ?? 0x088000); // 08 80 00: system peripheral
    this.put(R.PCI_SUBSYSTEM_VENDOR_ID, 2, opts.subsystemVendorId ?? opts.vendorId);
    this.put(R.PCI_SUBSYSTEM_ID, 2, opts.subsystemId ?? 0);
    this.put(R.PCI_HEADER_TYPE, 1, 0);
    const cmdMask =
      R.PCI_COMMAND_MEMORY |
      R.PCI_COMMAND_MASTER |
      R.PCI_COMMAND_PARITY |
      R.PCI_COMMAND_SERR |
      R.PCI_COMMAND_INTX_DISABLE;
    this.putMask(R.PCI_COMMAND, 2, cmdMask);
    for (const bar of opts.bars) this.setupBar(bar);
    this.pcieCap =
      opts.pcieType === undefined ? 0 : this.addPcieCap(opts.pcieType, opts.flr !== false);
    this.msixCap = opts.msix === undefined ? 0 : this.addMsixCap(opts.msix);
    this.resetImage = this.cfg.slice();
    this.flrImage = this.cfg.slice();
    for (const bar of opts.bars) {
      const off = R.PCI_BASE_ADDRESS_0 + 4 * bar.index;
      this.flrImage[off]! &= 0xf;
      this.flrImage.fill(0, off + 1, off + (bar.is64 === false ? 4 : 8));
    }
  }

  // ---- config accesses ----

  /** 8-bit config read. Throws RangeError outside 0..4095. */
  readConfig8(offset: number): number {
    this.check(offset, 1);
    return this.cfg[offset]!;
  }

  /** 16-bit config read (offset 2-byte aligned). */
  readConfig16(offset: number): number {
    this.check(offset, 2);
    return this.get(offset, 2);
  }

  /** 32-bit config read (offset 4-byte aligned). */
  readConfig32(offset: number): number {
    this.check(offset, 4);
    return this.get(offset, 4);
  }

  writeConfig8(offset: number, value: number): void {
    this.write(offset, 1, value);
  }

  writeConfig16(offset: number, value: number): void {
    this.write(offset, 2, value);
  }

  writeConfig32(offset: number, value: number): void {
    this.write(offset, 4, value);
  }

  // ---- decoded state ----

  /** COMMAND.Memory Space Enable (bit 1): the function decodes its memory BARs. */
  get memorySpaceEnabled(): boolean {
    return (this.cfg[R.PCI_COMMAND]! & R.PCI_COMMAND_MEMORY) !== 0;
  }

  /** COMMAND.Bus Master Enable (bit 2): the function may issue memory writes (DMA, MSI/MSI-X). */
  get busMasterEnabled(): boolean {
    return (this.cfg[R.PCI_COMMAND]! & R.PCI_COMMAND_MASTER) !== 0;
  }

  /** MSI-X Message Control Enable (bit 15). False when there is no MSI-X capability. */
  get msixEnabled(): boolean {
    return this.msixCap !== 0 && (this.get(this.msixCap + 2, 2) & R.PCI_MSIX_FLAGS_ENABLE) !== 0;
  }

  /** MSI-X Message Control Function Mask (bit 14). */
  get msixFunctionMasked(): boolean {
    return this.msixCap !== 0 && (this.get(this.msixCap + 2, 2) & R.PCI_MSIX_FLAGS_MASKALL) !== 0;
  }

  /** The address currently programmed in BAR `index` (64-bit BARs combine both registers). */
  barAddress(index: number): number {
    const bar = this.bars.find((b) => b.index === index);
    if (bar === undefined) throw new RangeError(`${this.bdf} has no BAR${index}`);
    const off = R.PCI_BASE_ADDRESS_0 + 4 * index;
    const lo = (this.get(off, 4) & ~0xf) >>> 0;
    const hi = bar.is64 === false ? 0 : this.get(off + 4, 4);
    return hi * 0x1_0000_0000 + lo;
  }

  /**
   * Runs `fn` with config writes attributed to `writer` (e.g. `pci_free_irq_vectors()`), so that
   * a message dropped while MSI-X is disabled can name what disabled it.
   */
  attributeWrites<T>(writer: string, fn: () => T): T {
    const prev = this.writer;
    this.writer = writer;
    try {
      return fn();
    } finally {
      this.writer = prev;
    }
  }

  /**
   * Registers `listener`, called after any write that changes MSI-X Enable or Function Mask, or
   * that sets Bus Master Enable (messages held pending while it was clear can go out now).
   */
  onMsixControlChange(listener: () => void): void {
    this.msixListeners.push(listener);
  }

  /**
   * Appends a standard capability of `length` bytes (zeroed, read-only) to the capability list
   * and returns its config offset. Throws RangeError when the 0x40..0xff area is full.
   */
  addCapability(id: number, length: number): number {
    const at = (this.nextCap + 3) & ~3;
    if (at + length > CAP_AREA_END) {
      throw new RangeError(`${this.bdf}: no room for capability 0x${id.toString(16)}`);
    }
    this.cfg[at + R.PCI_CAP_LIST_ID] = id;
    this.cfg[at + R.PCI_CAP_LIST_NEXT] = 0;
    if (this.lastCap === 0) this.cfg[R.PCI_CAPABILITY_LIST] = at;
    else this.cfg[this.lastCap + R.PCI_CAP_LIST_NEXT] = at;
    this.put(R.PCI_STATUS, 2, this.get(R.PCI_STATUS, 2) | R.PCI_STATUS_CAP_LIST);
    this.lastCap = at;
    this.nextCap = at + length;
    return at;
  }

  /** Device Capabilities reports Function Level Reset (bit 28). */
  get flrCapable(): boolean {
    return (
      this.pcieCap !== 0 &&
      (this.get(this.pcieCap + R.PCI_EXP_DEVCAP, 4) & R.PCI_EXP_DEVCAP_FLR) !== 0
    );
  }

  /**
   * Registers `listener`, called after a Function Level Reset has put config space back to its
   * reset values (the owner resets the function's internal state there).
   */
  onFunctionLevelReset(listener: () => void): void {
    this.flrListeners.push(listener);
  }

  /**
   * Back to the power-on image, firmware-assigned BAR addresses included (the machine's power
   * on). No FLR listener runs; a Function Level Reset is a write to Device Control.
   */
  reset(): void {
    this.load(this.resetImage, 'a reset of the function');
  }

  /** Config space after an FLR, then the FLR listeners. */
  private functionLevelReset(): void {
    this.load(this.flrImage, 'a Function Level Reset');
    for (const l of this.flrListeners) l();
  }

  private load(image: Uint8Array, why: string): void {
    const before = this.msixEnabled || this.msixFunctionMasked;
    if (this.msixEnabled) this.msixDisabledBy = why;
    this.cfg.set(image);
    if (before) for (const l of this.msixListeners) l();
  }

  // ---- internals ----

  private setupBar(bar: PciBar): void {
    const { index, size, address } = bar;
    const is64 = bar.is64 !== false;
    if (index < 0 || index > (is64 ? 4 : 5) || size < 16 || (size & (size - 1)) !== 0) {
      throw new RangeError(`${this.bdf}: bad BAR${index} (size ${size})`);
    }
    if (address % size !== 0) {
      throw new RangeError(`${this.bdf}: BAR${index} address ${hex(address)} not size aligned`);
    }
    const off = R.PCI_BASE_ADDRESS_0 + 4 * index;
    const flags =
      (is64 ? R.PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
      (bar.prefetchable === true ? R.PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
    this.put(off, 4, ((address >>> 0) & ~0xf) | flags);
    this.putMask(off, 4, (size >= 0x1_0000_0000 ? 0 : ~(size - 1) & ~0xf) >>> 0);
    if (is64) {
      this.put(off + 4, 4, Math.floor(address / 0x1_0000_0000));
      this.putMask(off + 4, 4, 0xffffffff);
    }
  }

  /**
   * The PCI Express capability, version 2: the type; Device Capabilities with Max_Payload 128
   * bytes and, if `flr`, FLR capability; Device Control with its reset values (Relaxed Ordering
   * and No Snoop enabled, Max_Read_Request 512 bytes — PCIe r6.0 §7.5.3.4) and its RW fields
   * writable (Initiate FLR only when FLR capable). No link or slot registers (an RCiEP has
   * none).
   */
  private addPcieCap(type: number, flr: boolean): number {
    const at = this.addCapability(R.PCI_CAP_ID_EXP, R.PCI_CAP_EXP_SIZEOF);
    this.put(at + R.PCI_EXP_FLAGS, 2, 0x2 | ((type & 0xf) << 4));
    this.put(at + R.PCI_EXP_DEVCAP, 4, flr ? R.PCI_EXP_DEVCAP_FLR : 0);
    this.put(
      at + R.PCI_EXP_DEVCTL,
      2,
      R.PCI_EXP_DEVCTL_RELAX_EN | R.PCI_EXP_DEVCTL_NOSNOOP_EN | R.PCI_EXP_DEVCTL_READRQ_512B,
    );
    this.putMask(
      at + R.PCI_EXP_DEVCTL,
      2,
      R.PCI_EXP_DEVCTL_CERE |
        R.PCI_EXP_DEVCTL_NFERE |
        R.PCI_EXP_DEVCTL_FERE |
        R.PCI_EXP_DEVCTL_URRE |
        R.PCI_EXP_DEVCTL_RELAX_EN |
        R.PCI_EXP_DEVCTL_PAYLOAD |
        R.PCI_EXP_DEVCTL_EXT_TAG |
        R.PCI_EXP_DEVCTL_NOSNOOP_EN |
        R.PCI_EXP_DEVCTL_READRQ |
        (flr ? R.PCI_EXP_DEVCTL_BCR_FLR : 0),
    );
    return at;
  }

  private addMsixCap(m: PciMsixCapOptions): number {
    if (m.tableSize < 1 || m.tableSize > 2048 || m.tableOffset % 8 !== 0 || m.pbaOffset % 8 !== 0) {
      throw new RangeError(`${this.bdf}: bad MSI-X layout`);
    }
    const at = this.addCapability(R.PCI_CAP_ID_MSIX, R.PCI_CAP_MSIX_SIZEOF);
    this.put(at + R.PCI_MSIX_FLAGS, 2, m.tableSize - 1);
    this.putMask(at + R.PCI_MSIX_FLAGS, 2, R.PCI_MSIX_FLAGS_ENABLE | R.PCI_MSIX_FLAGS_MASKALL);
    this.put(at + R.PCI_MSIX_TABLE, 4, (m.tableOffset | (m.tableBar & 7)) >>> 0);
    this.put(at + R.PCI_MSIX_PBA, 4, (m.pbaOffset | (m.pbaBar & 7)) >>> 0);
    return at;
  }

  private check(offset: number, width: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > R.PCI_CFG_SPACE_EXP_SIZE) {
      throw new RangeError(`${this.bdf}: config offset ${offset} out of range`);
    }
    if (offset % width !== 0) {
      throw new RangeError(
        `${this.bdf}: ${width * 8}-bit config access at unaligned ${hex(offset)}`,
      );
    }
  }

  private write(offset: number, width: number, value: number): void {
    this.check(offset, width);
    const cmdBefore = this.cfg[R.PCI_COMMAND]!;
    const msixBefore = this.msixCap === 0 ? 0 : this.get(this.msixCap + 2, 2);
    for (let i = 0; i < width; i++) {
      const m = this.wmask[offset + i]!;
      const v = (value >>> (8 * i)) & 0xff;
      this.cfg[offset + i] = (this.cfg[offset + i]! & ~m) | (v & m);
    }
    const msixChanged = this.msixCap !== 0 && this.get(this.msixCap + 2, 2) !== msixBefore;
    if (msixChanged) {
      const wasOn = (msixBefore & R.PCI_MSIX_FLAGS_ENABLE) !== 0;
      if (wasOn && !this.msixEnabled)
        this.msixDisabledBy = this.writer ?? 'a config write to Message Control';
      else if (this.msixEnabled) this.msixDisabledBy = null;
    }
    // Bus Master Enable back on: the function may send what its unmasked entries hold pending.
    const masterTurnedOn = (cmdBefore & R.PCI_COMMAND_MASTER) === 0 && this.busMasterEnabled;
    if (msixChanged || masterTurnedOn) for (const l of this.msixListeners) l();
    const touchesBars = offset < R.PCI_BASE_ADDRESS_0 + 24 && offset + width > R.PCI_BASE_ADDRESS_0;
    const memoryTurnedOn = (cmdBefore & R.PCI_COMMAND_MEMORY) === 0 && this.memorySpaceEnabled;
    if ((touchesBars && this.memorySpaceEnabled) || memoryTurnedOn) this.checkBars();
    const devctl = this.pcieCap + R.PCI_EXP_DEVCTL;
    if (this.pcieCap !== 0 && (this.get(devctl, 2) & R.PCI_EXP_DEVCTL_BCR_FLR) !== 0) {
      this.put(devctl, 2, this.get(devctl, 2) & ~R.PCI_EXP_DEVCTL_BCR_FLR);
      this.functionLevelReset();
    }
  }

  /** The machine maps BARs where it placed them; say so when software programs them elsewhere. */
  private checkBars(): void {
    for (const bar of this.bars) {
      const now = this.barAddress(bar.index);
      if (now !== bar.address) {
        this.onAnomaly(
          `${this.bdf}: BAR${bar.index} programmed to ${hex(now)} while decoding is on, but the ` +
            `platform maps it at ${hex(bar.address)}; accesses still go to ${hex(bar.address)}`,
        );
      }
    }
  }

  private get(offset: number, width: number): number {
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = v * 256 + this.cfg[offset + i]!;
    return v;
  }

  private put(offset: number, width: number, value: number): void {
    for (let i = 0; i < width; i++) this.cfg[offset + i] = (value >>> (8 * i)) & 0xff;
  }

  private putMask(offset: number, width: number, mask: number): void {
    for (let i = 0; i < width; i++) this.wmask[offset + i] = (mask >>> (8 * i)) & 0xff;
  }
}
