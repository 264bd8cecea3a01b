/**
 * MMIO accessors (include/asm-generic/io.h, arch/x86/include/asm/io.h): ioremap, readl/writel,
 * readq/writeq, ioread32/iowrite32, and the 64-byte submissions iosubmit_cmds512 (MOVDIR64B)
 * and enqcmds (ENQCMDS). Addresses are `__iomem` cookies; ioremap maps identically, so a
 * cookie is the physical address and pointer arithmetic is plain addition. An access outside
 * every ioremap()'ed range is what it is in the kernel: an oops. An uncached read costs the
 * machine's MMIO read time, a posted write its write time.
 */
import { BusError, type PhysMemory } from '../../platform/memory';
import { KernelError, type KernelContext } from './context';

/** -EAGAIN: ENQCMDS was refused (the shared WQ is full); retry. */
export const EAGAIN = 11;

function toAddr(ctx: KernelContext, addr: unknown, len: number, what: string): number {
  const a = typeof addr === 'bigint' ? Number(addr) : addr;
  if (typeof a !== 'number' || !Number.isInteger(a) || a < 0) {
    throw new KernelError(
      `${what}: the address must be an __iomem cookie (a whole number), got ${String(addr)}`,
    );
  }
  if (!ctx.isMapped(a, len)) throw ctx.pageFault(a, what);
  return a;
}

function u32(v: unknown, what: string): number {
  if (typeof v === 'bigint') return Number(BigInt.asUintN(32, v));
  if (typeof v === 'number' && Number.isFinite(v)) return v >>> 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new KernelError(
    `${what}: the value must be a number, got ${typeof v === 'string' ? JSON.stringify(v) : typeof v}`,
  );
}

function u64(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt.asUintN(64, BigInt(v));
  throw new KernelError(`${what}: the value must be a bigint or a whole number, got ${String(v)}`);
}

function bytesOf(src: unknown, what: string): Uint8Array {
  if (src instanceof Uint8Array) return src;
  if (
    typeof src === 'object' &&
    src !== null &&
    typeof (src as { toBytes?: unknown }).toBytes === 'function'
  ) {
    return (src as { toBytes(): Uint8Array }).toBytes();
  }
  throw new KernelError(
    `${what}: the descriptor must be a Uint8Array (64 bytes) or have toBytes()`,
  );
}

/** The MMIO part of the kernel API. */
export function ioApi(ctx: KernelContext) {
  const m = ctx.machine;
  const read = (): void => m.advance(m.config.mmioReadNs, false);
  const write = (): void => m.advance(m.config.mmioWriteNs, false);
  /**
   * An 8- or 16-bit write: to RAM as asked; to a device's registers — which take 32- and 64-bit
   * accesses — it is dropped and reported, as the hardware ignores it (a read-modify-write
   * would clear write-1-to-clear bits it did not mean to touch).
   */
  const narrowWrite = (a: number, v: number, bytes: 1 | 2): void => {
    const r = m.memory.mmioAt(a);
    if (r !== undefined) {
      m.reportAnomaly(
        `${bytes * 8}-bit write of 0x${v.toString(16)} to ${r.name} +0x${(a - r.base).toString(16)} dropped: its registers take 32- and 64-bit accesses only`,
      );
    } else if (bytes === 1) {
      m.memory.write8(a, v);
    } else {
      m.memory.write16(a, v);
    }
    write();
  };
  const api = {
    /** ioremap(phys, size) → __iomem cookie. Oops if the range is not device memory. */
    ioremap(phys: unknown, size: number): number {
      const p = typeof phys === 'bigint' ? Number(phys) : typeof phys === 'number' ? phys : NaN;
      const r = m.memory.mmioAt(p);
      if (r === undefined || p + size > r.base + r.size || !(size > 0)) {
        throw new KernelError(
          `ioremap(0x${p.toString(16)}, ${size}): no device memory there (a BAR must contain the whole range)`,
        );
      }
      ctx.ioranges.push({ base: p, size });
      return p;
    },
    /** iounmap(addr). */
    iounmap(addr: number): void {
      const i = ctx.ioranges.findIndex((r) => r.base === addr);
      if (i >= 0) ctx.ioranges.splice(i, 1);
    },
    readl(addr: number): number {
      const a = toAddr(ctx, addr, 4, 'readl');
      const v = m.memory.read32(a);
      read();
      return v;
    },
    writel(value: number, addr: number): void {
      const a = toAddr(ctx, addr, 4, 'writel');
      m.memory.write32(a, u32(value, 'writel'));
      write();
    },
    readq(addr: number): bigint {
      const a = toAddr(ctx, addr, 8, 'readq');
      const v = m.memory.read64(a);
      read();
      return v;
    },
    writeq(value: bigint | number, addr: number): void {
      const a = toAddr(ctx, addr, 8, 'writeq');
      m.memory.write64(a, u64(value, 'writeq'));
      write();
    },
    readw(addr: number): number {
      const a = toAddr(ctx, addr, 2, 'readw');
      const v = m.memory.read16(a);
      read();
      return v;
    },
    readb(addr: number): number {
      const a = toAddr(ctx, addr, 1, 'readb');
      const v = m.memory.read8(a);
      read();
      return v;
    },
    writew(value: number, addr: number): void {
      narrowWrite(toAddr(ctx, addr, 2, 'writew'), u32(value, 'writew') & 0xffff, 2);
    },
    writeb(value: number, addr: number): void {
      narrowWrite(toAddr(ctx, addr, 1, 'writeb'), u32(value, 'writeb') & 0xff, 1);
    },
    /**
     * iosubmit_cmds512(dst, src, count): `count` 64-byte MOVDIR64B writes of `src` to the
     * portal `dst` (posted: the device may drop a descriptor it cannot take; SWERR says so).
     */
    iosubmit_cmds512(dst: number, src: Uint8Array, count = 1): void {
      const a = toAddr(ctx, dst, 64, 'iosubmit_cmds512');
      const bytes = bytesOf(src, 'iosubmit_cmds512');
      if (bytes.length < 64 * count)
        throw new KernelError(
          `iosubmit_cmds512: ${count} descriptors need ${64 * count} bytes, got ${bytes.length}`,
        );
      for (let i = 0; i < count; i++) movdir64b(m.memory, a, descriptorAt(bytes, i));
      write();
    },
    /** enqcmds(dst, src): ENQCMDS of one 64-byte descriptor; 0 if accepted, -EAGAIN if refused. */
    enqcmds(dst: number, src: Uint8Array): number {
      const a = toAddr(ctx, dst, 64, 'enqcmds');
      const ok = portal(() =>
        m.memory.write64B(a, bytesOf(src, 'enqcmds').subarray(0, 64), 'enqcmds'),
      );
      read(); // non-posted: the CPU waits for the device's answer
      return ok ? 0 : -EAGAIN;
    },
  };
  return {
    ...api,
    ioread32: (addr: number): number => api.readl(addr),
    iowrite32: (value: number, addr: number): void => {
      api.writel(value, addr);
    },
    ioread64: (addr: number): bigint => api.readq(addr),
    iowrite64: (value: bigint | number, addr: number): void => {
      api.writeq(value, addr);
    },
  };
}

/** Descriptor `i` of `bytes`: `bytes` itself when it is exactly that one (no view made). */
function descriptorAt(bytes: Uint8Array, i: number): Uint8Array {
  return i === 0 && bytes.length === 64 ? bytes : bytes.subarray(i * 64, i * 64 + 64);
}

/** One MOVDIR64B of `bytes` to `addr`; a bus error is the kernel's error (as `portal`). */
function movdir64b(memory: PhysMemory, addr: number, bytes: Uint8Array): void {
  try {
    memory.write64B(addr, bytes, 'movdir64b');
  } catch (e) {
    if (e instanceof BusError) throw new KernelError(e.message);
    throw e;
  }
}

function portal(run: () => boolean): boolean {
  try {
    return run();
  } catch (e) {
    if (e instanceof BusError) throw new KernelError(e.message);
    throw e;
  }
}
