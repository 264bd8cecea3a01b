/**
 * The interface a device uses to signal interrupts: the platform's message fabric.
 *
 * A device calls `raise` when one of its interrupt sources (an MSI-X entry, an IMS slot) fires,
 * then exactly one of `pend` (the entry is masked: the message waits), `drop` (it is discarded,
 * with a reason) or `send` (the DMA write of `data` to `address_hi:address_lo` goes out). A pended
 * message is later sent or dropped with the same id. The fabric records every step in the
 * trace, so that each message ends with exactly one outcome (see `trace.ts`).
 */

/** Where a device's message comes from: an MSI-X entry or an IMS slot. */
export type DeviceMsiSource = 'msix' | 'ims';

/**
 * Where any traced message comes from: a device's MSI-X entry or IMS slot, or a VT-d unit's own
 * fault event (`dmar`, added after the device sources: consumers that only know `msix` and
 * `ims` see it as a third value).
 */
export type MsiSource = DeviceMsiSource | 'dmar';

/** One source of messages; interned by the bus, so compare by identity. */
export interface MessageOrigin {
  /** Small integer key assigned by the bus. */
  readonly key: number;
  /** Device BDF `dddd:bb:dd.f`; for a VT-d unit's fault event the unit's name, `dmar<n>`. */
  readonly bdf: string;
  readonly source: MsiSource;
  /** MSI-X table entry or IMS slot; 0 for a fault event. */
  readonly index: number;
  /**
   * PCI requester id (bus << 8 | devfn) the message carries: the SID the IR unit checks. 0 for
   * a fault event, which is not remapped.
   */
  readonly requesterId: number;
}

/** One interrupt source of one device. */
export interface MsiOrigin extends MessageOrigin {
  readonly source: DeviceMsiSource;
}

export interface InterruptBus {
  /** The interned origin for a device's entry. Cheap after the first call per entry. */
  origin(bdf: string, requesterId: number, source: DeviceMsiSource, index: number): MsiOrigin;
  /** Opens a message from `origin`; `pasid` is the PASID bound to the entry, if any. Returns its id. */
  raise(origin: MessageOrigin, pasid: number | null): number;
  /** The entry is masked: the message waits (PBA bit / IMS pending). */
  pend(id: number): void;
  /** The message is discarded; `reason` says why in a sentence a developer can act on. */
  drop(id: number, reason: string): void;
  /** The device writes `data` (32 bits) to `address_hi:address_lo`; the fabric routes it. */
  send(id: number, address_lo: number, address_hi: number, data: number): void;
}
