/**
 * The interface a device uses to signal interrupts: the platform's message fabric.
 *
 * A device calls `raise` when one of its interrupt sources (an MSI-X entry, an IMS slot) fires,
 * then exactly one of `pend` (the entry is masked: the message waits), `drop` (it is discarded,
 * with a reason) or `send` (the DMA write of `data` to `address_hi:address_lo` goes out). A pended
 * message is later sent or dropped with the same id. The fabric records every step in the
 * trace, so that each message ends with exactly one outcome (see `trace.ts`).
 */

/** Where a message comes from. */
export type MsiSource = 'msix' | 'ims';

/** One interrupt source of one device; interned by the bus, so compare by identity. */
export interface MsiOrigin {
  /** Small integer key assigned by the bus. */
  readonly key: number;
  /** Device BDF `dddd:bb:dd.f`. */
  readonly bdf: string;
  readonly source: MsiSource;
  /** MSI-X table entry or IMS slot. */
  readonly index: number;
  /** PCI requester id (bus << 8 | devfn) the message carries: the SID the IR unit checks. */
  readonly requesterId: number;
}

export interface InterruptBus {
  /** The interned origin for a device's entry. Cheap after the first call per entry. */
  origin(bdf: string, requesterId: number, source: MsiSource, index: number): MsiOrigin;
  /** Opens a message from `origin`; `pasid` is the PASID bound to the entry, if any. Returns its id. */
  raise(origin: MsiOrigin, pasid: number | null): number;
  /** The entry is masked: the message waits (PBA bit / IMS pending). */
  pend(id: number): void;
  /** The message is discarded; `reason` says why in a sentence a developer can act on. */
  drop(id: number, reason: string): void;
  /** The device writes `data` (32 bits) to `address_hi:address_lo`; the fabric routes it. */
  send(id: number, address_lo: number, address_hi: number, data: number): void;
}
