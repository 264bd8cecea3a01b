/**
 * The 32-byte completion record (include/uapi/linux/idxd.h struct dsa_completion_record):
 * byte 0 status, byte 1 result, bytes 4-7 bytes_completed (descs_completed for a batch),
 * bytes 8-15 fault_addr, bytes 16-18 invalid_flags (status 0x11) or bytes 16-23 crc_val
 * (CRCGEN, COPY_CRC; the 32-bit CRC in bytes 16-19). Software polls the status
 * byte, so the device writes it last: bytes 1..31 first, then byte 0.
 */
import { PAGE_SIZE, type PhysMemory } from '../memory';
import { DSA_COMP } from './consts';
import type { OpOutcome } from './ops';

export const COMPLETION_RECORD_SIZE = 32;
/** DSA completion records must be 32-byte aligned (IAA: 64). */
export const COMPLETION_RECORD_ALIGN = 32;

/** Writes the record of `o` at `addr` (the caller checked alignment), status byte last. */
export function writeCompletionRecord(mem: PhysMemory, addr: number, o: OpOutcome): void {
  const opSpecific =
    o.status === DSA_COMP.INVALID_FLAGS ? o.invalid_flags & 0xffffff : o.crc_val >>> 0;
  const page = mem.ramPageFor(addr, COMPLETION_RECORD_SIZE);
  if (page !== null) {
    storeRecord(page, addr % PAGE_SIZE, o, opSpecific);
    return;
  }
  // Bytes 1..31 first (no allocation: this runs once per descriptor), the status byte last.
  mem.write8(addr + 1, o.result & 0xff);
  mem.write16(addr + 2, 0);
  mem.write32(addr + 4, o.bytes_completed >>> 0);
  mem.write32(addr + 8, o.fault_addr % 0x1_0000_0000);
  mem.write32(addr + 12, Math.floor(o.fault_addr / 0x1_0000_0000));
  mem.write32(addr + 16, opSpecific);
  for (let off = 20; off < COMPLETION_RECORD_SIZE; off += 4) mem.write32(addr + off, 0);
  mem.write8(addr, o.status);
}

/**
 * The same bytes as the per-access writes of `writeCompletionRecord`, stored into a RAM page
 * at `off` (nothing watches the record, so the order of the stores cannot be observed).
 */
function storeRecord(page: DataView, off: number, o: OpOutcome, opSpecific: number): void {
  page.setUint8(off + 1, o.result & 0xff);
  page.setUint16(off + 2, 0, true);
  page.setUint32(off + 4, o.bytes_completed >>> 0, true);
  page.setUint32(off + 8, (o.fault_addr % 0x1_0000_0000) >>> 0, true);
  page.setUint32(off + 12, Math.floor(o.fault_addr / 0x1_0000_0000) >>> 0, true);
  page.setUint32(off + 16, opSpecific >>> 0, true);
  for (let i = 20; i < COMPLETION_RECORD_SIZE; i += 4) page.setUint32(off + i, 0, true);
  page.setUint8(off, o.status & 0xff);
}
