/**
 * The 32-byte completion record (include/uapi/linux/idxd.h struct dsa_completion_record):
 * byte 0 status, byte 1 result, bytes 4-7 bytes_completed (descs_completed for a batch),
 * bytes 8-15 fault_addr, bytes 16-18 invalid_flags (status 0x11). Software polls the status
 * byte, so the device writes it last: bytes 1..31 first, then byte 0.
 */
import type { PhysMemory } from '../memory';
import type { OpOutcome } from './ops';

export const COMPLETION_RECORD_SIZE = 32;
/** DSA completion records must be 32-byte aligned (IAA: 64). */
export const COMPLETION_RECORD_ALIGN = 32;

/** Writes the record of `o` at `addr` (the caller checked alignment), status byte last. */
export function writeCompletionRecord(mem: PhysMemory, addr: number, o: OpOutcome): void {
  const rec = new Uint8Array(COMPLETION_RECORD_SIZE);
  const dv = new DataView(rec.buffer);
  rec[1] = o.result & 0xff;
  dv.setUint32(4, o.bytes_completed >>> 0, true);
  dv.setUint32(8, o.fault_addr % 0x1_0000_0000, true);
  dv.setUint32(12, Math.floor(o.fault_addr / 0x1_0000_0000), true);
  dv.setUint32(16, o.invalid_flags & 0xffffff, true);
  mem.writeBytes(addr + 1, rec.subarray(1));
  mem.write8(addr, o.status);
}
