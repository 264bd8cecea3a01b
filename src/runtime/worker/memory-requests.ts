/**
 * readMemory and writeMemory over the emulated physical address space, for VS Code's memory
 * view, memory inspectors and SVD peripheral viewers.
 *
 * Reading never has side effects: RAM is copied as stored, MMIO is read through each device's
 * side-effect-free `peek32` (so a read-to-clear or write-1-to-clear register read through the
 * debugger keeps its bits for the model's own read); bytes of a device without `peek32` (the
 * WQ portals) are unreadable, as DAP's `unreadableBytes` says. Writing RAM stores the bytes (a
 * DMA buffer's CPU view aliases them, so the model reads them at once); writing MMIO goes
 * through the MMIO path in aligned 32-bit writes, low address first, with the device's side
 * effects — as a driver's writel would.
 */
import type { PhysMemory } from '../../platform/memory';
import type { MemoryReadResult } from '../protocol';

/** The most bytes one readMemory or writeMemory request may cover. */
export const MAX_MEMORY_REQUEST = 1 << 20;

/**
 * Reads `count` bytes from `address`: the readable bytes from the start, then how many
 * unreadable ones follow. Throws RangeError for a negative or oversized count.
 */
export function readMemory(mem: PhysMemory, address: number, count: number): MemoryReadResult {
  checkRange(address, count);
  const { bytes, readable } = mem.peekBytes(address, count);
  let unreadable = 0;
  if (readable < count) {
    // Skip the unreadable run: whole device ranges without peek, up to `count`.
    let a = address + readable;
    const end = address + count;
    while (a < end && mem.peekBytes(a, 1).readable === 0) {
      const r = mem.mmioAt(a);
      a = r === undefined ? end : Math.min(end, r.base + r.size);
    }
    unreadable = a - (address + readable);
  }
  return {
    address,
    data: Buffer.from(bytes.buffer, bytes.byteOffset, readable).toString('base64'),
    unreadableBytes: unreadable,
  };
}

/**
 * Writes base64 `data` at `address`: RAM as bytes; MMIO in aligned 32-bit writes through the
 * device. With `allowPartial`, stops at the first part it cannot write and returns how many
 * bytes were written; otherwise checks everything first and throws RangeError without
 * writing anything when part of the range cannot be written (MMIO not dword aligned, a WQ
 * portal, an address beyond 2^53).
 */
export function writeMemory(
  mem: PhysMemory,
  address: number,
  data: string,
  allowPartial = false,
): { bytesWritten: number } {
  const bytes = new Uint8Array(Buffer.from(data, 'base64'));
  checkRange(address, bytes.length);
  const parts = segments(mem, address, bytes.length);
  const bad = parts.findIndex((p) => p.problem !== undefined);
  if (bad >= 0 && !allowPartial) throw new RangeError(parts[bad]!.problem);
  let written = 0;
  for (const p of bad >= 0 ? parts.slice(0, bad) : parts) {
    const chunk = bytes.subarray(p.start - address, p.start - address + p.size);
    if (p.mmio) {
      const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let i = 0; i < p.size; i += 4) mem.write32(p.start + i, dv.getUint32(i, true));
    } else {
      mem.writeBytes(p.start, chunk);
    }
    written += p.size;
  }
  return { bytesWritten: written };
}

interface Segment {
  start: number;
  size: number;
  mmio: boolean;
  problem?: string;
}

/** Splits a range at MMIO boundaries and says which parts cannot be written. */
function segments(mem: PhysMemory, address: number, len: number): Segment[] {
  const out: Segment[] = [];
  const end = address + len;
  for (let a = address; a < end;) {
    const r = mem.mmioAt(a);
    if (r === undefined) {
      let b = a + 1;
      while (b < end && mem.mmioAt(b) === undefined) b++; // RAM up to the next MMIO range
      out.push({ start: a, size: b - a, mmio: false });
      a = b;
      continue;
    }
    const b = Math.min(end, r.base + r.size);
    const seg: Segment = { start: a, size: b - a, mmio: true };
    if (mem.peekBytes(a, 1).readable === 0)
      seg.problem = `${r.name} +0x${(a - r.base).toString(16)} takes 64-byte descriptor writes (MOVDIR64B/ENQCMD), not memory writes`;
    else if (a % 4 !== 0 || seg.size % 4 !== 0)
      seg.problem = `${r.name}: registers take aligned 32-bit writes; 0x${a.toString(16)}+${seg.size} is not dword aligned`;
    out.push(seg);
    a = b;
  }
  return out;
}

function checkRange(address: number, count: number): void {
  if (!Number.isSafeInteger(address) || address < 0)
    throw new RangeError(`address 0x${address.toString(16)} is outside the physical address space`);
  if (!Number.isInteger(count) || count < 0 || count > MAX_MEMORY_REQUEST)
    throw new RangeError(`count ${count}: 0 to ${MAX_MEMORY_REQUEST} bytes per request`);
  if (!Number.isSafeInteger(address + count))
    throw new RangeError(`0x${address.toString(16)}+${count} runs past the physical address space`);
}
