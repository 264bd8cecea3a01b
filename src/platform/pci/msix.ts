/**
 * An MSI-X table and Pending Bit Array, usable by any emulated PCI function.
 *
 * PCI spec 6.8.2 (and include/uapi/linux/pci_regs.h): 16-byte entries {Message Address,
 * Message Upper Address, Message Data, Vector Control (bit 0 = mask)}; one pending bit per entry
 * in QWORDs. An entry whose message is generated while it (or the whole function) is masked
 * sets its pending bit; clearing the mask later sends the message with the entry's *current*
 * address and data. With MSI-X disabled the function must not send MSI-X messages at all.
 *
 * Every message goes through the `InterruptBus` with exactly one outcome: `send`, `pend` then
 * `send`/`drop`, or `drop`. A second message on an entry that already has one pending is
 * dropped (the hardware has one pending bit per entry, so the two merge into one delivery).
 *
 * The same 16-byte shape serves a device's own message store: IDXD's IMS uses this class with
 * a wider writable control mask (`ctrlMask`) and 'ims' as the trace source.
 *
 * Storage is typed arrays; accesses allocate nothing.
 */
import type { DeviceMsiSource, InterruptBus, MsiOrigin } from '../bus';
import { hex } from '../bits';
import {
  PCI_MSIX_ENTRY_CTRL_MASKBIT,
  PCI_MSIX_ENTRY_SIZE,
  PCI_MSIX_ENTRY_VECTOR_CTRL,
} from './regs';

/** The function state an MSI-X table obeys (the PCI function's COMMAND and Message Control). */
export interface MsixControl {
  readonly msixEnabled: boolean;
  readonly msixFunctionMasked: boolean;
  /** MSI-X messages are memory writes: without Bus Master Enable none can be issued. */
  readonly busMasterEnabled: boolean;
  /** What cleared MSI-X Enable, when known (named in the reason of a message it drops). */
  readonly msixDisabledBy?: string | null;
}

export interface MsixTableOptions {
  readonly bus: InterruptBus;
  /** The owning function's `dddd:bb:dd.f`. */
  readonly bdf: string;
  /** bus << 8 | devfn. */
  readonly requesterId: number;
  /** Number of entries (PCI MSI-X: 1..2048). */
  readonly size: number;
  readonly control: MsixControl;
  /** Origin kind in the trace; 'msix' unless a device reuses this shape for another store. */
  readonly source?: DeviceMsiSource;
  /**
   * Writable bits of the control word (default: bit 0, the mask; Vector Control's TPH steering
   * tag, bits 31:16, is outside the model: written 1s are ignored and reported, see
   * docs/conformance.md). A device-specific store of the same shape (IDXD IMS) widens it.
   */
  readonly ctrlMask?: number;
  /** How anomaly texts name an entry (default `MSI-X entry`). */
  readonly entryLabel?: string;
  /** Called for writes hardware ignores or that the spec leaves undefined. */
  readonly onAnomaly?: (text: string) => void;
}

/** A side-effect-free view of one entry. */
export interface MsixEntryView {
  readonly index: number;
  readonly address_lo: number;
  readonly address_hi: number;
  readonly data: number;
  readonly vector_ctrl: number;
  readonly masked: boolean;
  readonly pending: boolean;
  /** Id of the pending message, or null. */
  readonly pendingId: number | null;
}

const W_LO = 0;
const W_HI = 1;
const W_DATA = 2;
const W_CTRL = 3;
const NONE = -1;

export class MsixTable {
  readonly size: number;
  /** Bytes of PBA: one bit per entry, in whole QWORDs. */
  readonly pbaBytes: number;
  private readonly words: Uint32Array;
  private readonly pendingIds: Float64Array;
  private readonly origins: (MsiOrigin | undefined)[];
  private readonly bus: InterruptBus;
  private readonly control: MsixControl;
  private readonly bdf: string;
  private readonly requesterId: number;
  private readonly source: DeviceMsiSource;
  private readonly ctrlMask: number;
  private readonly entryLabel: string;
  private readonly onAnomaly: (text: string) => void;

  /** Throws RangeError for a size outside 1..65536 (PCI MSI-X itself allows at most 2048). */
  constructor(opts: MsixTableOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1 || opts.size > 0x10000) {
      throw new RangeError(`message table size must be 1..65536, got ${opts.size}`);
    }
    this.size = opts.size;
    this.pbaBytes = Math.ceil(opts.size / 64) * 8;
    this.words = new Uint32Array(opts.size * 4);
    this.pendingIds = new Float64Array(opts.size).fill(NONE);
    this.origins = new Array<MsiOrigin | undefined>(opts.size).fill(undefined);
    this.bus = opts.bus;
    this.control = opts.control;
    this.bdf = opts.bdf;
    this.requesterId = opts.requesterId;
    this.source = opts.source ?? 'msix';
    this.ctrlMask = (opts.ctrlMask ?? PCI_MSIX_ENTRY_CTRL_MASKBIT) | PCI_MSIX_ENTRY_CTRL_MASKBIT;
    this.entryLabel = opts.entryLabel ?? 'MSI-X entry';
    this.onAnomaly = opts.onAnomaly ?? (() => undefined);
    this.resetEntries();
  }

  /** Table size in bytes (16 per entry). */
  get tableBytes(): number {
    return this.size * PCI_MSIX_ENTRY_SIZE;
  }

  // ---- MMIO (offsets relative to the table / PBA start; 32-bit, aligned) ----

  /** Reads a table dword; offsets past the table read 0. No side effects. */
  readTable32(offset: number): number {
    const w = offset >>> 2;
    return w < this.words.length ? this.words[w]! : 0;
  }

  /**
   * Writes a table dword. Clearing an entry's mask bit releases its pending message. Control
   * bits outside `ctrlMask` are reserved: written 1s are ignored and reported, as is changing
   * address/data of an entry that is live (unmasked, function enabled).
   */
  writeTable32(offset: number, value: number): void {
    const w = offset >>> 2;
    if (w >= this.words.length) return;
    const index = w >>> 2;
    const field = w & 3;
    if (field !== W_CTRL) {
      if (this.words[w] !== value >>> 0 && this.live(index)) {
        this.onAnomaly(
          `${this.bdf} ${this.entryLabel} ${index}: message ` +
            `${field === W_DATA ? 'data' : 'address'} changed while the entry is unmasked ` +
            `(the device may send a torn message; mask it first, as the PCI spec requires for MSI-X)`,
        );
      }
      this.words[w] = value >>> 0;
      return;
    }
    if ((value & ~this.ctrlMask) !== 0) {
      this.onAnomaly(
        `${this.bdf} ${this.entryLabel} ${index}: control ${hex(value >>> 0, 8)} sets reserved ` +
          `bits ${hex((value & ~this.ctrlMask) >>> 0, 8)} (writable: ${hex(this.ctrlMask, 8)}); ` +
          `they are ignored`,
      );
    }
    this.words[w] = (value & this.ctrlMask) >>> 0;
    if ((value & PCI_MSIX_ENTRY_CTRL_MASKBIT) === 0) this.release(index);
  }

  /** Reads a PBA dword (bit n of dword k = entry 32k + n pending). */
  readPba32(offset: number): number {
    const base = (offset >>> 2) * 32;
    let v = 0;
    for (let b = 0; b < 32 && base + b < this.size; b++) {
      if (this.pendingIds[base + b] !== NONE) v |= 1 << b;
    }
    return v >>> 0;
  }

  /** The PBA is read-only: writes are ignored and reported. */
  writePba32(offset: number, value: number): void {
    this.onAnomaly(
      `${this.bdf} PBA +${hex(offset)}: write of ${hex(value >>> 0, 8)} ignored ` +
        `(the Pending Bit Array is read-only)`,
    );
  }

  // ---- signalling ----

  /**
   * The device generates the message of entry `index` (PASID `pasid` bound to it, or null).
   * Outcome: sent now; pended (PBA bit set) if the entry or function is masked; dropped if
   * MSI-X or Bus Master is disabled, or if the entry already holds a pending message.
   * Throws RangeError for an index outside the table.
   */
  signal(index: number, pasid: number | null): void {
    const id = this.bus.raise(this.origin(index), pasid);
    if (!this.control.msixEnabled) {
      const by = this.control.msixDisabledBy;
      this.bus.drop(
        id,
        `lost: MSI-X is disabled in ${this.bdf}'s Message Control (Enable=0` +
          `${by ? `, cleared by ${by}` : ''}): a function may not send MSI-X messages while ` +
          `MSI-X is disabled (PCI spec 6.8.2), and no INTx fallback is modelled, so the ` +
          `interrupt is gone`,
      );
      return;
    }
    if (!this.control.busMasterEnabled) {
      this.bus.drop(
        id,
        `${this.bdf} has Bus Master Enable=0 in PCI COMMAND: it cannot issue the MSI-X memory write`,
      );
      return;
    }
    if (this.masked(index) || this.control.msixFunctionMasked) {
      const held = this.pendingIds[index]!;
      if (held !== NONE) {
        this.bus.drop(id, `merged into pending message #${held} (one pending bit per entry)`);
        return;
      }
      this.pendingIds[index] = id;
      this.bus.pend(id);
      return;
    }
    this.send(index, id);
  }

  /**
   * The device generated the message of entry `index` but a device-specific check refuses it
   * (e.g. a PASID permission): it is raised and dropped with `reason`, so the trace shows it.
   */
  reject(index: number, pasid: number | null, reason: string): void {
    this.bus.drop(this.bus.raise(this.origin(index), pasid), reason);
  }

  /**
   * Call after MSI-X Enable or Function Mask changed, or Bus Master Enable was set: releases what
   * became deliverable.
   */
  controlChanged(): void {
    if (!this.control.msixEnabled || this.control.msixFunctionMasked) return;
    for (let i = 0; i < this.size; i++) this.release(i);
  }

  /** Back to reset (all entries masked, zero message); pending messages are dropped with `reason`. */
  reset(reason: string): void {
    for (let i = 0; i < this.size; i++) {
      const held = this.pendingIds[i]!;
      if (held !== NONE) {
        this.pendingIds[i] = NONE;
        this.bus.drop(held, reason);
      }
    }
    this.resetEntries();
  }

  // ---- views ----

  /** Entry `index` with its mask and pending state; no side effects. */
  peek(index: number): MsixEntryView {
    const b = index * 4;
    const held = this.pendingIds[index]!;
    return {
      index,
      address_lo: this.words[b + W_LO]!,
      address_hi: this.words[b + W_HI]!,
      data: this.words[b + W_DATA]!,
      vector_ctrl: this.words[b + W_CTRL]!,
      masked: this.masked(index),
      pending: held !== NONE,
      pendingId: held === NONE ? null : held,
    };
  }

  /** True when entry `index` has its Vector Control mask bit set. */
  masked(index: number): boolean {
    return (this.words[index * 4 + W_CTRL]! & PCI_MSIX_ENTRY_CTRL_MASKBIT) !== 0;
  }

  /** The interned bus origin of entry `index`. Throws RangeError outside the table. */
  origin(index: number): MsiOrigin {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(
        `${this.bdf}: ${this.entryLabel} ${index} outside table of ${this.size}`,
      );
    }
    let o = this.origins[index];
    if (o === undefined) {
      o = this.bus.origin(this.bdf, this.requesterId, this.source, index);
      this.origins[index] = o;
    }
    return o;
  }

  private live(index: number): boolean {
    return !this.masked(index) && this.control.msixEnabled && !this.control.msixFunctionMasked;
  }

  private release(index: number): void {
    const held = this.pendingIds[index]!;
    if (held === NONE || !this.live(index) || !this.control.busMasterEnabled) return;
    this.pendingIds[index] = NONE;
    this.send(index, held);
  }

  private send(index: number, id: number): void {
    const b = index * 4;
    this.bus.send(id, this.words[b + W_LO]!, this.words[b + W_HI]!, this.words[b + W_DATA]!);
  }

  private resetEntries(): void {
    this.words.fill(0);
    for (let i = 0; i < this.size; i++) {
      this.words[i * 4 + W_CTRL] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
    }
  }
}

/** Byte offset of entry `index`'s Vector Control word, for drivers and tests. */
export function msixVectorCtrlOffset(index: number): number {
  return index * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL;
}
