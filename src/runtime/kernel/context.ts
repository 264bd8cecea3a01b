/**
 * What the kernel API needs to run: the machine, the kernel's bookkeeping that lives outside
 * the platform (ioremap'ed ranges, registered drivers), and the debugger's hooks (no-ops in
 * headless runs).
 */
import type { Machine } from '../../platform/machine/machine';
import type { PciDev } from '../../platform/pci-msi/pcidev';
import type { DeviceConfig } from '../../platform/accel-config';
import type { PciDriver } from './pci';

/** A kernel-level failure the real kernel would report as an oops or BUG: stops the model. */
export class KernelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelError';
  }
}

/** Hooks the debugger sets; all optional. */
export interface KernelHooks {
  /** Called when a kernel function is entered and left (for the call stack). */
  enter?(name: string): void;
  leave?(): void;
  /** Model console output (console.log in a model). */
  console?(text: string, category: 'stdout' | 'stderr'): void;
}

export interface IoRange {
  base: number;
  size: number;
}

export class KernelContext {
  /** ioremap()'ed physical ranges (identity-mapped: the __iomem cookie is the address). */
  readonly ioranges: IoRange[] = [];
  /** Registered PCI drivers and the devices each is bound to. */
  readonly drivers: { drv: PciDriver; bound: PciDev[] }[] = [];
  readonly boundTo = new Map<PciDev, PciDriver>();
  /** Module exit work (module_pci_driver's unregister), run when the model's run ends. */
  readonly exitCalls: (() => void)[] = [];
  /** accel-config per device, as load-config wrote it to sysfs. */
  readonly accelConfig = new Map<PciDev, DeviceConfig>();
  private lastRange: IoRange | undefined;

  constructor(
    readonly machine: Machine,
    readonly hooks: KernelHooks = {},
  ) {}

  /** Whether [addr, addr+len) lies in one ioremap()'ed range. */
  isMapped(addr: number, len: number): boolean {
    const r = this.lastRange;
    if (r !== undefined && addr >= r.base && addr + len <= r.base + r.size) return true;
    for (const x of this.ioranges) {
      if (addr >= x.base && addr + len <= x.base + x.size) {
        this.lastRange = x;
        return true;
      }
    }
    return false;
  }

  /** The oops a real kernel prints for an access outside any mapping. */
  pageFault(addr: unknown, what: string): KernelError {
    const a =
      typeof addr === 'number' || typeof addr === 'bigint'
        ? `0x${addr.toString(16)}`
        : String(addr);
    return new KernelError(
      `BUG: unable to handle page fault for address: ${a} (${what}: not inside an ioremap()'ed range)`,
    );
  }

  /** Lets CPUs take deliverable interrupts (called when a kernel function returns). */
  settle(): void {
    if (this.machine.core.attention[0] !== 0) this.machine.dispatch();
  }
}
