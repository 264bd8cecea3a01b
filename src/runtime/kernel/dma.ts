/**
 * Coherent DMA memory (kernel/dma/mapping.c as a driver sees it): dma_alloc_coherent gives a
 * CPU view that aliases emulated RAM — what the device writes by DMA shows in it at once — and
 * the bus address the device uses. The IOMMU maps identically here, so `dma_handle` is the
 * physical address (DMA remapping and PASID translation are not modelled).
 */
import { KernelError, type KernelContext } from './context';

/**
 * The CPU address of a coherent allocation: a Uint8Array over emulated RAM with the
 * allocation's bus address in `dma_handle`.
 */
export class DmaBuffer extends Uint8Array {
  /** Bus (DMA) address of byte 0. */
  dma_handle = 0;

  /** A DataView over the buffer, for multi-byte little-endian fields. */
  view(): DataView {
    return new DataView(this.buffer, this.byteOffset, this.byteLength);
  }
}

export function dmaApi(ctx: KernelContext) {
  const mem = ctx.machine.memory;
  return {
    /**
     * dma_alloc_coherent(dev, size[, gfp]) → DmaBuffer (zeroed, page aligned), its bus address in
     * `.dma_handle`. Throws for a size that is not a positive whole number.
     */
    dma_alloc_coherent(_dev: unknown, size: number): DmaBuffer {
      if (!Number.isInteger(size) || size <= 0)
        throw new KernelError(
          `dma_alloc_coherent: size must be a positive whole number of bytes, got ${String(size)}`,
        );
      const phys = mem.allocate(size);
      const v = mem.view(phys, size);
      const buf = new DmaBuffer(v.buffer as ArrayBuffer, v.byteOffset, size);
      buf.dma_handle = phys;
      return buf;
    },
    /** dma_free_coherent(dev, size, cpu_addr, dma_handle): nothing to give back here (a bump allocator). */
    dma_free_coherent(_dev: unknown, _size: number, _cpu: unknown, _dma: number): void {
      /* RAM is never reused in a run, so stale device writes stay visible for debugging. */
    },
    /** memset(buf, c, n). */
    memset(buf: Uint8Array, c: number, n: number = buf.length): Uint8Array {
      buf.fill(c & 0xff, 0, n);
      return buf;
    },
    /** memcpy(dst, src, n). */
    memcpy(dst: Uint8Array, src: Uint8Array, n: number = src.length): Uint8Array {
      dst.set(src.subarray(0, n));
      return dst;
    },
    /** memcmp(a, b, n): 0 when equal, else the difference of the first differing bytes. */
    memcmp(a: Uint8Array, b: Uint8Array, n: number): number {
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
      return 0;
    },
    /** dma_set_mask_and_coherent(dev, mask): 0 (every mask up to 64 bits is accepted). */
    dma_set_mask_and_coherent(_dev: unknown, _mask: bigint | number): number {
      return 0;
    },
    /** DMA_BIT_MASK(n). */
    DMA_BIT_MASK(n: number): bigint {
      return n >= 64 ? 0xffffffffffffffffn : (1n << BigInt(n)) - 1n;
    },
  };
}
