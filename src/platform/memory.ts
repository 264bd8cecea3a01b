/**
 * Sparse physical memory and MMIO dispatch by address range.
 *
 * Addresses are physical byte addresses held as `number` (exact below 2^53). RAM is kept in
 * 4 KiB pages allocated on first write (reads of untouched RAM return 0). Ranges handed out by
 * `allocate` are backed by one contiguous buffer, so `view` can return a live `Uint8Array`
 * that aliases emulated RAM (what `dma_alloc_coherent` gives a driver: device DMA writes show
 * up in it at once). MMIO ranges dispatch 32- and 64-bit accesses to a device.
 * All multi-byte RAM accesses are little-endian, as on x86.
 *
 * Watches (the debugger's data breakpoints): `setWatches` installs ranges; every access
 * through this class (CPU MMIO accessors, device DMA, IR table fetches) that overlaps one is
 * reported after it completed, with the watched bytes before (writes) and after, read without
 * side effects. With no watches installed an access pays one length test. Stores through a
 * `view` (a typed array aliasing RAM) are plain JavaScript stores and are not seen.
 */

export const PAGE_SIZE = 4096;
/** Entries of PhysMemory's page cache. */
const PAGE_CACHE_SIZE = 16;

/** A device's register window. Offsets are bytes from the start of the mapped range. */
export interface MmioDevice {
  /** 32-bit read with the register's side effects (if any). */
  read32(offset: number): number;
  write32(offset: number, value: number): void;
  /** 64-bit read; devices without 64-bit registers may compose two 32-bit reads. */
  read64(offset: number): bigint;
  write64(offset: number, value: bigint): void;
  /**
   * A 64-byte atomic write (MOVDIR64B, ENQCMD, ENQCMDS). Returns true when the device accepted
   * it; false means "retry" (ENQCMD's ZF=1). Devices without portals need not implement it.
   */
  write64B?(offset: number, bytes: Uint8Array, kind: PortalWriteKind): boolean;
  /** Side-effect-free 32-bit read for views (never clears or pops anything). */
  peek32?(offset: number): number;
}

/** A watched physical range: a data breakpoint's bytes and the accesses it wants to see. */
export interface MemoryWatch {
  readonly base: number;
  readonly size: number;
  readonly read: boolean;
  readonly write: boolean;
}

/** One access that overlapped a watched range, reported after it completed. */
export interface WatchedAccess {
  readonly watch: MemoryWatch;
  readonly kind: 'read' | 'write';
  /** The access itself: first byte and length (it may cover more or less than the watch). */
  readonly address: number;
  readonly size: number;
  /** The watched bytes before a write (null for a read), read without side effects. */
  readonly before: Uint8Array | null;
  /** The watched bytes after the access, read without side effects. */
  readonly after: Uint8Array;
}

/** How a 64-byte write was issued: MOVDIR64B (posted) or ENQCMD/ENQCMDS (non-posted, may retry). */
export type PortalWriteKind = 'movdir64b' | 'enqcmd' | 'enqcmds';

interface MmioRange {
  readonly base: number;
  readonly size: number;
  readonly name: string;
  readonly device: MmioDevice;
}

interface Page {
  readonly u8: Uint8Array;
  readonly dv: DataView;
}

/** Error thrown for an access the platform cannot carry out (unmapped width, crossing MMIO). */
export class BusError extends Error {
  constructor(
    message: string,
    readonly address: number,
  ) {
    super(message);
    this.name = 'BusError';
  }
}

export class PhysMemory {
  private readonly pages = new Map<number, Page>();
  private readonly mmio: MmioRange[] = [];
  private readonly allocations: { base: number; size: number; backing: Uint8Array }[] = [];
  private lastMmio: MmioRange | undefined;
  /** Lowest and highest+1 MMIO addresses: RAM accesses outside skip the range search. */
  private mmioLo = Infinity;
  private mmioHi = -Infinity;
  /**
   * Recently touched RAM pages, direct-mapped by page number (a device's accesses alternate
   * between a few pages: its descriptors, records, the IR table). Holds only existing pages;
   * cleared when `allocate` maps pages.
   */
  private readonly cachedNo = new Float64Array(PAGE_CACHE_SIZE).fill(-1);
  private readonly cachedPage: (Page | undefined)[] = new Array<Page | undefined>(
    PAGE_CACHE_SIZE,
  ).fill(undefined);
  private nextAlloc: number;
  /** Watched ranges (data breakpoints); empty on the hot path. */
  private watches: readonly MemoryWatch[] = [];
  private onWatched: (hits: readonly WatchedAccess[]) => void = () => undefined;

  /** @param allocBase first physical address `allocate` hands out (page aligned). */
  constructor(allocBase = 0x1000_0000) {
    this.nextAlloc = allocBase;
  }

  // ---- MMIO ----

  /** Maps `device` at `[base, base+size)`. Throws if it overlaps RAM allocations or other MMIO. */
  mapMmio(base: number, size: number, name: string, device: MmioDevice): void {
    for (const r of this.mmio) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new RangeError(
          `MMIO ${name} [${base.toString(16)}+${size.toString(16)}] overlaps ${r.name}`,
        );
      }
    }
    this.mmio.push({ base, size, name, device });
    this.mmio.sort((a, b) => a.base - b.base);
    this.updateMmioBounds();
  }

  private updateMmioBounds(): void {
    this.mmioLo = Math.min(...this.mmio.map((r) => r.base));
    this.mmioHi = Math.max(...this.mmio.map((r) => r.base + r.size));
  }

  /** Removes the MMIO mapping that starts at `base` (no-op if none). */
  unmapMmio(base: number): void {
    const i = this.mmio.findIndex((r) => r.base === base);
    if (i >= 0) this.mmio.splice(i, 1);
    this.lastMmio = undefined;
    this.updateMmioBounds();
  }

  /** The MMIO range containing `addr`, if any: `{ name, base, size }`. */
  mmioAt(addr: number): { name: string; base: number; size: number } | undefined {
    return this.findMmio(addr);
  }

  private findMmio(addr: number): MmioRange | undefined {
    if (addr < this.mmioLo || addr >= this.mmioHi) return undefined;
    const last = this.lastMmio;
    if (last !== undefined && addr >= last.base && addr < last.base + last.size) return last;
    for (const r of this.mmio) {
      if (addr >= r.base && addr < r.base + r.size) {
        this.lastMmio = r;
        return r;
      }
    }
    return undefined;
  }

  // ---- RAM allocation ----

  /**
   * Allocates `size` bytes of zeroed, contiguous RAM aligned to `align` (bytes, a power of two,
   * at least a page) and returns its physical address.
   */
  allocate(size: number, align = PAGE_SIZE): number {
    if (!(size > 0)) throw new RangeError(`allocation size must be > 0, got ${size}`);
    const a = Math.max(align, PAGE_SIZE);
    const base = Math.ceil(this.nextAlloc / a) * a;
    const npages = Math.ceil(size / PAGE_SIZE);
    const backing = new Uint8Array(npages * PAGE_SIZE);
    for (let i = 0; i < npages; i++) {
      const u8 = backing.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
      this.pages.set(pageOf(base) + i, {
        u8,
        dv: new DataView(u8.buffer, u8.byteOffset, PAGE_SIZE),
      });
    }
    this.allocations.push({ base, size: npages * PAGE_SIZE, backing });
    this.cachedNo.fill(-1); // the allocation may replace a page created by an earlier write
    this.nextAlloc = base + npages * PAGE_SIZE;
    return base;
  }

  /**
   * A live view of `[addr, addr+len)` of RAM. The range must lie in one `allocate`d block
   * (contiguous backing); throws RangeError otherwise.
   */
  view(addr: number, len: number): Uint8Array {
    const a = this.allocations.find((x) => addr >= x.base && addr + len <= x.base + x.size);
    if (a === undefined) {
      throw new RangeError(`0x${addr.toString(16)}+${len} is not inside one allocated RAM block`);
    }
    return a.backing.subarray(addr - a.base, addr - a.base + len);
  }

  private page(addr: number, create: boolean): Page | undefined {
    const n = pageOf(addr);
    const c = n % PAGE_CACHE_SIZE;
    if (this.cachedNo[c] === n) return this.cachedPage[c];
    let pg = this.pages.get(n);
    if (pg === undefined) {
      if (!create) return undefined;
      const u8 = new Uint8Array(PAGE_SIZE);
      pg = { u8, dv: new DataView(u8.buffer) };
      this.pages.set(n, pg);
    }
    if (c >= 0) {
      this.cachedNo[c] = n;
      this.cachedPage[c] = pg;
    }
    return pg;
  }

  // ---- accesses (RAM or MMIO) ----
  // Each public access runs its raw form and, only when watches are installed, reports it. The
  // raw forms compose raw forms, so one access is reported once.

  read8(addr: number): number {
    const v = this.rawRead8(addr);
    if (this.watches.length !== 0) this.reportRead(addr, 1);
    return v;
  }

  write8(addr: number, value: number): void {
    if (this.watches.length === 0) return this.rawWrite8(addr, value);
    const before = this.beforeWrite(addr, 1);
    this.rawWrite8(addr, value);
    this.reportWrite(addr, 1, before);
  }

  read16(addr: number): number {
    const v = this.rawRead16(addr);
    if (this.watches.length !== 0) this.reportRead(addr, 2);
    return v;
  }

  write16(addr: number, value: number): void {
    if (this.watches.length === 0) return this.rawWrite16(addr, value);
    const before = this.beforeWrite(addr, 2);
    this.rawWrite16(addr, value);
    this.reportWrite(addr, 2, before);
  }

  read32(addr: number): number {
    const v = this.rawRead32(addr);
    if (this.watches.length !== 0) this.reportRead(addr, 4);
    return v;
  }

  write32(addr: number, value: number): void {
    if (this.watches.length === 0) return this.rawWrite32(addr, value);
    const before = this.beforeWrite(addr, 4);
    this.rawWrite32(addr, value);
    this.reportWrite(addr, 4, before);
  }

  read64(addr: number): bigint {
    const v = this.rawRead64(addr);
    if (this.watches.length !== 0) this.reportRead(addr, 8);
    return v;
  }

  write64(addr: number, value: bigint): void {
    if (this.watches.length === 0) return this.rawWrite64(addr, value);
    const before = this.beforeWrite(addr, 8);
    this.rawWrite64(addr, value);
    this.reportWrite(addr, 8, before);
  }

  private rawRead8(addr: number): number {
    // Not `addr & ~3`: bitwise operators truncate to signed 32 bits (MMIO lives above 2 GiB).
    if (this.findMmio(addr)) return (this.rawRead32(addr - (addr % 4)) >>> ((addr % 4) * 8)) & 0xff;
    return this.page(addr, false)?.u8[addr % PAGE_SIZE] ?? 0;
  }

  private rawWrite8(addr: number, value: number): void {
    if (this.findMmio(addr))
      throw new BusError(`8-bit MMIO write at 0x${addr.toString(16)} is not supported`, addr);
    this.page(addr, true)!.u8[addr % PAGE_SIZE] = value & 0xff;
  }

  private rawRead16(addr: number): number {
    return this.rawRead8(addr) | (this.rawRead8(addr + 1) << 8);
  }

  private rawWrite16(addr: number, value: number): void {
    if (addr % PAGE_SIZE === PAGE_SIZE - 1) this.refuseSplitIntoMmio(addr, 2);
    this.rawWrite8(addr, value);
    this.rawWrite8(addr + 1, value >> 8);
  }

  private rawRead32(addr: number): number {
    const r = this.findMmio(addr);
    if (r !== undefined) return r.device.read32(addr - r.base) >>> 0;
    return this.ramRead32(addr);
  }

  /** rawRead32 of an address that is not in an MMIO window (no second window search). */
  private ramRead32(addr: number): number {
    const off = addr % PAGE_SIZE;
    if (off <= PAGE_SIZE - 4) {
      const pg = this.page(addr, false);
      return pg === undefined ? 0 : pg.dv.getUint32(off, true);
    }
    return (this.rawRead16(addr) | (this.rawRead16(addr + 2) << 16)) >>> 0;
  }

  private rawWrite32(addr: number, value: number): void {
    const r = this.findMmio(addr);
    if (r !== undefined) {
      r.device.write32(addr - r.base, value >>> 0);
      return;
    }
    const off = addr % PAGE_SIZE;
    if (off <= PAGE_SIZE - 4) {
      this.page(addr, true)!.dv.setUint32(off, value >>> 0, true);
      return;
    }
    this.refuseSplitIntoMmio(addr, 4);
    this.rawWrite16(addr, value);
    this.rawWrite16(addr + 2, value >>> 16);
  }

  private rawRead64(addr: number): bigint {
    const r = this.findMmio(addr);
    if (r !== undefined) return BigInt.asUintN(64, r.device.read64(addr - r.base));
    return BigInt(this.rawRead32(addr)) | (BigInt(this.rawRead32(addr + 4)) << 32n);
  }

  private rawWrite64(addr: number, value: bigint): void {
    const v = BigInt.asUintN(64, value);
    const r = this.findMmio(addr);
    if (r !== undefined) {
      r.device.write64(addr - r.base, v);
      return;
    }
    this.refuseSplitIntoMmio(addr, 8);
    this.rawWrite32(addr, Number(v & 0xffffffffn));
    this.rawWrite32(addr + 4, Number(v >> 32n));
  }

  /**
   * A RAM write of `len` bytes at `addr` that runs into an MMIO window (windows are page-aligned,
   * so only one that crosses a page) is refused as a whole with BusError, before any byte is
   * written: the platform does not split a CPU store between memory and a device.
   */
  private refuseSplitIntoMmio(addr: number, len: number): void {
    if (pageOf(addr) === pageOf(addr + len - 1)) return;
    for (let a = addr + 1; a < addr + len; a++) {
      if (this.findMmio(a))
        throw new BusError(
          `${len * 8}-bit write at 0x${addr.toString(16)} runs into MMIO at 0x${a.toString(16)}`,
          addr,
        );
    }
  }

  /** Side-effect-free 32-bit read (MMIO through `peek32`, or 0 if the device has none). */
  peek32(addr: number): number {
    const r = this.findMmio(addr);
    if (r !== undefined) return (r.device.peek32?.(addr - r.base) ?? 0) >>> 0;
    return this.ramRead32(addr);
  }

  /**
   * The RAM page holding all of `[addr, addr+len)`, for a device writing a small structure
   * (a completion record) with plain stores at offset `addr % PAGE_SIZE`, or null when the
   * per-access methods must be used instead: a watch is installed (each access is reported),
   * the range leaves its page, an MMIO window overlaps it, or an address is not exact. The
   * page is created if untouched, as a write would.
   */
  ramPageFor(addr: number, len: number): DataView | null {
    if (this.watches.length !== 0 || !(addr >= 0) || !Number.isSafeInteger(addr + len)) return null;
    if (pageOf(addr) !== pageOf(addr + len - 1) || this.overlapsMmio(addr, len)) return null;
    return this.page(addr, true)!.dv;
  }

  /**
   * The RAM page holding all of `[addr, addr+len)` if it exists, for side-effect-free reads at
   * offset `addr % PAGE_SIZE` (what `peek32` would return, in one lookup), or null when the
   * range leaves its page, an MMIO window overlaps it, the page is untouched (reads 0) or an
   * address is not exact. Never creates a page.
   */
  peekRamPage(addr: number, len: number): DataView | null {
    if (!(addr >= 0) || !Number.isSafeInteger(addr + len)) return null;
    if (pageOf(addr) !== pageOf(addr + len - 1) || this.overlapsMmio(addr, len)) return null;
    return this.page(addr, false)?.dv ?? null;
  }

  /** Whether any MMIO window overlaps `[addr, addr+len)`. */
  private overlapsMmio(addr: number, len: number): boolean {
    if (addr + len <= this.mmioLo || addr >= this.mmioHi) return false;
    return this.mmio.some((r) => addr < r.base + r.size && r.base < addr + len);
  }

  /**
   * Side-effect-free copy of `[addr, addr+len)` for debuggers: RAM as stored (untouched RAM
   * reads 0), MMIO through the devices' `peek32`. `readable` counts the leading bytes that could
   * be read: it stops at the first byte of a device without `peek32` or outside the exact
   * range of a `number` address.
   */
  peekBytes(addr: number, len: number): { bytes: Uint8Array; readable: number } {
    const bytes = new Uint8Array(len);
    let word = 0;
    let wordAddr = -1;
    for (let i = 0; i < len; i++) {
      const a = addr + i;
      if (!Number.isSafeInteger(a) || a < 0) return { bytes: bytes.subarray(0, i), readable: i };
      const r = this.findMmio(a);
      if (r === undefined) {
        bytes[i] = this.page(a, false)?.u8[a % PAGE_SIZE] ?? 0;
        continue;
      }
      if (r.device.peek32 === undefined) return { bytes: bytes.subarray(0, i), readable: i };
      const w = a - (a % 4);
      if (w !== wordAddr) {
        word = r.device.peek32(w - r.base) >>> 0;
        wordAddr = w;
      }
      bytes[i] = (word >>> ((a % 4) * 8)) & 0xff;
    }
    return { bytes, readable: len };
  }

  /**
   * Side-effect-free copy of `len` bytes of RAM from `addr`, page by page: MMIO ranges are not
   * read (their bytes stay 0) and watches see nothing. For views scanning large tables in RAM
   * (an IR table of 64K entries is 1 MiB).
   */
  peekRam(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const a = addr + i;
      const off = a % PAGE_SIZE;
      const n = Math.min(len - i, PAGE_SIZE - off);
      const pg = this.page(a, false);
      if (pg !== undefined) out.set(pg.u8.subarray(off, off + n), i);
      i += n;
    }
    return out;
  }

  /** Copies `len` bytes of RAM starting at `addr` (MMIO ranges are not readable this way). */
  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const a = addr + i;
      const off = a % PAGE_SIZE;
      const n = Math.min(len - i, PAGE_SIZE - off);
      const pg = this.page(a, false);
      if (pg !== undefined) out.set(pg.u8.subarray(off, off + n), i);
      i += n;
    }
    if (this.watches.length !== 0) this.reportRead(addr, len);
    return out;
  }

  /** Writes `bytes` to RAM at `addr`. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    const before = this.watches.length === 0 ? null : this.beforeWrite(addr, bytes.length);
    for (let i = 0; i < bytes.length;) {
      const a = addr + i;
      const off = a % PAGE_SIZE;
      const n = Math.min(bytes.length - i, PAGE_SIZE - off);
      this.page(a, true)!.u8.set(bytes.subarray(i, i + n), off);
      i += n;
    }
    if (before !== null) this.reportWrite(addr, bytes.length, before);
  }

  /** Fills `len` bytes of RAM at `addr` with `byte`. */
  fill(addr: number, len: number, byte: number): void {
    const before = this.watches.length === 0 ? null : this.beforeWrite(addr, len);
    for (let i = 0; i < len;) {
      const a = addr + i;
      const off = a % PAGE_SIZE;
      const n = Math.min(len - i, PAGE_SIZE - off);
      this.page(a, true)!.u8.fill(byte & 0xff, off, off + n);
      i += n;
    }
    if (before !== null) this.reportWrite(addr, len, before);
  }

  // ---- watches ----

  /**
   * Installs the watched ranges (replacing earlier ones; an empty list removes them) and the
   * function told of each access that overlaps any: once per access, with one entry per watch
   * it overlaps. It is called after the access completed, may stop the caller (a debugger
   * serving requests), and must not throw.
   */
  setWatches(
    watches: readonly MemoryWatch[],
    onAccess: (hits: readonly WatchedAccess[]) => void,
  ): void {
    this.watches = [...watches];
    this.onWatched = onAccess;
  }

  /** The write watches overlapping `[addr, addr+len)` with their bytes before the write. */
  private beforeWrite(addr: number, len: number): PendingWrite[] | null {
    let out: PendingWrite[] | null = null;
    for (const watch of this.watches) {
      if (!watch.write || !overlaps(watch, addr, len)) continue;
      (out ??= []).push({ watch, before: this.peekBytes(watch.base, watch.size).bytes });
    }
    return out;
  }

  private reportWrite(addr: number, len: number, pending: PendingWrite[] | null): void {
    if (pending === null) return;
    this.onWatched(
      pending.map(({ watch, before }) => ({
        watch,
        kind: 'write',
        address: addr,
        size: len,
        before,
        after: this.peekBytes(watch.base, watch.size).bytes,
      })),
    );
  }

  private reportRead(addr: number, len: number): void {
    let hits: WatchedAccess[] | undefined;
    for (const watch of this.watches) {
      if (!watch.read || !overlaps(watch, addr, len)) continue;
      const after = this.peekBytes(watch.base, watch.size).bytes;
      (hits ??= []).push({ watch, kind: 'read', address: addr, size: len, before: null, after });
    }
    if (hits !== undefined) this.onWatched(hits);
  }

  /**
   * A 64-byte write to an MMIO portal (MOVDIR64B / ENQCMD / ENQCMDS). Returns the device's
   * accept flag. Throws BusError when `addr` is not a portal or not 64-byte aligned.
   */
  write64B(addr: number, bytes: Uint8Array, kind: PortalWriteKind): boolean {
    if (addr % 64 !== 0)
      throw new BusError(`${kind} destination 0x${addr.toString(16)} is not 64-byte aligned`, addr);
    const r = this.findMmio(addr);
    if (r?.device.write64B === undefined) {
      throw new BusError(`${kind} to 0x${addr.toString(16)}: no portal is mapped there`, addr);
    }
    if (this.watches.length === 0) return r.device.write64B(addr - r.base, bytes, kind);
    const before = this.beforeWrite(addr, 64);
    const accepted = r.device.write64B(addr - r.base, bytes, kind);
    this.reportWrite(addr, 64, before);
    return accepted;
  }
}

interface PendingWrite {
  readonly watch: MemoryWatch;
  readonly before: Uint8Array;
}

function overlaps(w: MemoryWatch, addr: number, len: number): boolean {
  return addr < w.base + w.size && w.base < addr + len;
}

function pageOf(addr: number): number {
  return Math.floor(addr / PAGE_SIZE);
}
