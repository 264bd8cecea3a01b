/**
 * The IDXD Interrupt Message Store: GENCAP.max_ims_mult * 256 slots of 16 bytes in BAR0
 * (address_lo, address_hi, data, ctrl: bit 0 mask, bit 3 PASID enable, bits 31:12 PASID).
 *
 * A slot behaves like an MSI-X entry without a function-level Enable/Mask: a message to a
 * masked slot pends (one pending message per slot; a second one merges into it) and unmasking
 * sends it with the slot's current address and data. The store reuses the PCI MSI-X message
 * table with the IMS control bits writable and 'ims' as the trace source.
 *
 * PASID check — our reading of the SIOV/IMS design, UNCERTAIN: a slot with PASID enable set
 * may only be used by descriptors whose PASID equals the slot's PASID; a completion interrupt
 * from another PASID (or from a descriptor without one) is dropped with a reason.
 */
import type { InterruptBus } from '../bus';
import { hex } from '../bits';
import { MsixTable, type MsixControl } from '../pci/msix';
import { IMS_SLOT_SIZE } from './consts';
import { accessMask } from './regdef';
import { imsLayout } from './tables';

const CTRL = 12;
const CTRL_PASID_ENABLE = 1 << 3;
const CTRL_PASID_SHIFT = 12;

/** A side-effect-free view of one slot with its decoded control word. */
export interface ImsSlotView {
  readonly slot: number;
  readonly address_lo: number;
  readonly address_hi: number;
  readonly data: number;
  readonly ctrl: number;
  readonly mask: boolean;
  readonly pasid_en: boolean;
  readonly pasid: number;
  readonly pending: boolean;
  readonly pendingId: number | null;
}

export interface ImsStoreOptions {
  readonly bus: InterruptBus;
  readonly bdf: string;
  readonly requesterId: number;
  readonly slots: number;
  /** Only busMasterEnabled matters: IMS has no Message Control of its own. */
  readonly pci: Pick<MsixControl, 'busMasterEnabled'>;
  readonly onAnomaly: (text: string) => void;
}

/**
 * What the store's message table obeys: IMS has no Enable or Function Mask of its own, only the
 * function's Bus Master Enable. A class, so that every store's control has the same shape.
 */
class ImsControl implements MsixControl {
  readonly msixEnabled = true;
  readonly msixFunctionMasked = false;

  constructor(private readonly pci: Pick<MsixControl, 'busMasterEnabled'>) {}

  get busMasterEnabled(): boolean {
    return this.pci.busMasterEnabled;
  }
}

export class ImsStore {
  readonly slots: number;
  private readonly table: MsixTable | undefined;

  constructor(opts: ImsStoreOptions) {
    this.slots = opts.slots;
    const ctrl = imsLayout().registers.find((r) => r.name === 'ctrl')!;
    const { pci } = opts;
    this.table =
      opts.slots === 0
        ? undefined
        : new MsixTable({
            bus: opts.bus,
            bdf: opts.bdf,
            requesterId: opts.requesterId,
            size: opts.slots,
            source: 'ims',
            entryLabel: 'IMS slot',
            ctrlMask: Number(accessMask(ctrl, 'RW')),
            control: new ImsControl(pci),
            onAnomaly: opts.onAnomaly,
          });
  }

  /** Bytes of BAR0 the store occupies. */
  get bytes(): number {
    return this.slots * IMS_SLOT_SIZE;
  }

  /** Reads a slot dword (offset from the IMS base). */
  read32(offset: number): number {
    return this.table?.readTable32(offset) ?? 0;
  }

  /** Writes a slot dword; unmasking a slot with a pending message sends it. */
  write32(offset: number, value: number): void {
    this.table?.writeTable32(offset, value);
  }

  /**
   * A completion interrupt through `slot` for a descriptor with PASID `descPasid` (null: none).
   * Applies the PASID check, then sends, pends or merges. Throws RangeError for a bad slot.
   */
  signal(slot: number, descPasid: number | null): void {
    const t = this.must(slot);
    const ctrl = t.readTable32(slot * IMS_SLOT_SIZE + CTRL);
    if ((ctrl & CTRL_PASID_ENABLE) === 0) {
      t.signal(slot, null);
      return;
    }
    const pasid = ctrl >>> CTRL_PASID_SHIFT;
    if (descPasid === pasid) {
      t.signal(slot, pasid);
      return;
    }
    t.reject(
      slot,
      pasid,
      `IMS slot ${slot} has PASID enable set with PASID ${hex(pasid)} but the descriptor ` +
        `${descPasid === null ? 'has no PASID' : `has PASID ${hex(descPasid)}`}: the device ` +
        `refuses the interrupt (IMS PASID check, our reading of the SIOV design)`,
    );
  }

  /**
   * Call after Bus Master Enable was set: each unmasked slot sends the message it held pending
   * while the function could not issue memory writes.
   */
  controlChanged(): void {
    this.table?.controlChanged();
  }

  /** Back to reset: slots masked and zeroed; pending messages dropped with `reason`. */
  reset(reason: string): void {
    this.table?.reset(reason);
  }

  /** One slot, decoded; no side effects. */
  peek(slot: number): ImsSlotView {
    const e = this.must(slot).peek(slot);
    return {
      slot,
      address_lo: e.address_lo,
      address_hi: e.address_hi,
      data: e.data,
      ctrl: e.vector_ctrl,
      mask: (e.vector_ctrl & 1) !== 0,
      pasid_en: (e.vector_ctrl & CTRL_PASID_ENABLE) !== 0,
      pasid: e.vector_ctrl >>> CTRL_PASID_SHIFT,
      pending: e.pending,
      pendingId: e.pendingId,
    };
  }

  /** Slots that differ from reset (ctrl = 1, zero message) or hold a pending message. */
  inUse(): number[] {
    const out: number[] = [];
    const t = this.table;
    if (t === undefined) return out;
    for (let s = 0; s < this.slots; s++) {
      const b = s * IMS_SLOT_SIZE;
      const changed =
        t.readTable32(b) !== 0 ||
        t.readTable32(b + 4) !== 0 ||
        t.readTable32(b + 8) !== 0 ||
        t.readTable32(b + CTRL) !== 1;
      if (changed || t.peek(s).pending) out.push(s);
    }
    return out;
  }

  private must(slot: number): MsixTable {
    if (this.table === undefined || slot < 0 || slot >= this.slots) {
      throw new RangeError(`IMS slot ${slot} outside the store of ${this.slots}`);
    }
    return this.table;
  }
}
