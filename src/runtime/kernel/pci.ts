/**
 * The PCI driver model (drivers/pci/pci-driver.c, include/linux/pci.h) as a model uses it:
 * module_pci_driver / pci_register_driver probe every matching device at once (as module init
 * does), pci_unregister_driver removes; resources, config space and drvdata accessors.
 */
import type { PciDev } from '../../platform/pci-msi/pcidev';
import { pciRegs as R } from '../../platform/pci';
import { errnoName } from '../../platform/irq/types';
import type { DeviceConfig } from '../../platform/accel-config';
import { KernelError, type KernelContext } from './context';

/** struct pci_device_id (the fields matched). */
export interface PciDeviceId {
  vendor: number;
  device: number;
  driver_data?: unknown;
}

/** struct pci_driver. */
export interface PciDriver {
  name: string;
  id_table: readonly PciDeviceId[];
  probe: (pdev: PciDev, id: PciDeviceId) => number | undefined;
  remove?: (pdev: PciDev) => void;
}

/** PCI_ANY_ID. */
export const PCI_ANY_ID = 0xffffffff;

export function pciApi(ctx: KernelContext) {
  const m = ctx.machine;
  const dev = (p: unknown, what: string): PciDev => {
    const d = m.pdevs.find((x) => x === p);
    if (d === undefined) throw new KernelError(`${what}: expected the pci_dev passed to probe()`);
    return d;
  };
  const bar = (p: PciDev, n: number) => p.fn.bars.find((b) => b.index === n);
  const register = (drv: PciDriver): number => {
    if (
      typeof drv !== 'object' ||
      typeof drv.probe !== 'function' ||
      !Array.isArray(drv.id_table)
    ) {
      throw new KernelError(
        'pci_register_driver: the driver needs a name, an id_table array and a probe function',
      );
    }
    const table: readonly PciDeviceId[] = drv.id_table;
    const bound: PciDev[] = [];
    ctx.drivers.push({ drv, bound });
    for (const p of m.pdevs) {
      if (ctx.boundTo.has(p)) continue;
      const id = table.find(
        (i) =>
          (i.vendor === PCI_ANY_ID || i.vendor === p.vendor) &&
          (i.device === PCI_ANY_ID || i.device === p.device),
      );
      if (id === undefined) continue;
      ctx.boundTo.set(p, drv);
      const ret = drv.probe(p, id) ?? 0;
      if (typeof ret === 'number' && ret < 0) {
        ctx.boundTo.delete(p);
        m.printk(
          'warn',
          `${drv.name}: probe of ${p.name} failed with error ${ret} (${errnoName(ret)})`,
        );
      } else {
        bound.push(p);
      }
    }
    return 0;
  };
  const unregister = (drv: PciDriver): void => {
    const i = ctx.drivers.findIndex((d) => d.drv === drv);
    if (i < 0) return;
    const { bound } = ctx.drivers[i]!;
    ctx.drivers.splice(i, 1);
    for (const p of bound) {
      drv.remove?.(p);
      ctx.boundTo.delete(p);
    }
  };
  return {
    /** module_pci_driver(drv): registers now (module init) and unregisters when the run ends. */
    module_pci_driver(drv: PciDriver): void {
      ctx.exitCalls.push(() => unregister(drv));
      register(drv);
    },
    pci_register_driver: register,
    pci_unregister_driver: unregister,
    /** PCI_DEVICE(vendor, device) → a pci_device_id. */
    PCI_DEVICE(vendor: number, device: number): PciDeviceId {
      return { vendor, device };
    },
    PCI_ANY_ID,
    PCI_VENDOR_ID_INTEL: 0x8086,
    PCI_DEVICE_ID_INTEL_DSA_SPR0: 0x0b25,
    pci_enable_device(p: PciDev): number {
      const d = dev(p, 'pci_enable_device');
      d.fn.writeConfig16(R.PCI_COMMAND, d.fn.readConfig16(R.PCI_COMMAND) | R.PCI_COMMAND_MEMORY);
      return 0;
    },
    pcim_enable_device(p: PciDev): number {
      const d = dev(p, 'pcim_enable_device');
      d.fn.writeConfig16(R.PCI_COMMAND, d.fn.readConfig16(R.PCI_COMMAND) | R.PCI_COMMAND_MEMORY);
      return 0;
    },
    pci_disable_device(p: PciDev): void {
      const d = dev(p, 'pci_disable_device');
      d.fn.writeConfig16(
        R.PCI_COMMAND,
        d.fn.readConfig16(R.PCI_COMMAND) & ~(R.PCI_COMMAND_MEMORY | R.PCI_COMMAND_MASTER),
      );
    },
    /** pci_set_master(): Bus Master Enable (needed for DMA and MSI-X messages). */
    pci_set_master(p: PciDev): void {
      const d = dev(p, 'pci_set_master');
      d.fn.writeConfig16(R.PCI_COMMAND, d.fn.readConfig16(R.PCI_COMMAND) | R.PCI_COMMAND_MASTER);
    },
    pci_clear_master(p: PciDev): void {
      const d = dev(p, 'pci_clear_master');
      d.fn.writeConfig16(R.PCI_COMMAND, d.fn.readConfig16(R.PCI_COMMAND) & ~R.PCI_COMMAND_MASTER);
    },
    pci_resource_start(p: PciDev, n: number): number {
      const d = dev(p, 'pci_resource_start');
      return bar(d, n) ? d.fn.barAddress(n) : 0;
    },
    pci_resource_len(p: PciDev, n: number): number {
      return bar(dev(p, 'pci_resource_len'), n)?.size ?? 0;
    },
    /** pci_iomap(pdev, bar, maxlen) / pcim_iomap: ioremap of the BAR (maxlen 0 = whole BAR). */
    pci_iomap(p: PciDev, n: number, maxlen = 0): number {
      return iomapBar(ctx, dev(p, 'pci_iomap'), n, maxlen);
    },
    pcim_iomap(p: PciDev, n: number, maxlen = 0): number {
      return iomapBar(ctx, dev(p, 'pcim_iomap'), n, maxlen);
    },
    pci_name(p: PciDev): string {
      return dev(p, 'pci_name').name;
    },
    dev_name(d: { name: string }): string {
      return d.name;
    },
    pci_read_config_byte: (p: PciDev, where: number): number =>
      dev(p, 'pci_read_config_byte').fn.readConfig8(where),
    pci_read_config_word: (p: PciDev, where: number): number =>
      dev(p, 'pci_read_config_word').fn.readConfig16(where),
    pci_read_config_dword: (p: PciDev, where: number): number =>
      dev(p, 'pci_read_config_dword').fn.readConfig32(where),
    pci_write_config_word: (p: PciDev, where: number, v: number): void =>
      dev(p, 'pci_write_config_word').fn.writeConfig16(where, v),
    pci_write_config_dword: (p: PciDev, where: number, v: number): void =>
      dev(p, 'pci_write_config_dword').fn.writeConfig32(where, v),
    pci_set_drvdata(p: PciDev, data: unknown): void {
      dev(p, 'pci_set_drvdata').driver_data = data;
    },
    pci_get_drvdata(p: PciDev): unknown {
      return dev(p, 'pci_get_drvdata').driver_data;
    },
    /**
     * accel_config_get(pdev): the configuration `accel-config load-config` wrote to this
     * device's sysfs attributes (groups, WQs, engines, with Linux's defaults), or null when the
     * run was given no accel-config file or the file does not name this device.
     */
    accel_config_get(p: PciDev): DeviceConfig | null {
      return ctx.accelConfig.get(dev(p, 'accel_config_get')) ?? null;
    },
  };
}

function iomapBar(ctx: KernelContext, d: PciDev, n: number, maxlen: number): number {
  const b = d.fn.bars.find((x) => x.index === n);
  if (b === undefined) throw new KernelError(`pci_iomap: ${d.name} has no BAR${n}`);
  const len = maxlen > 0 ? Math.min(maxlen, b.size) : b.size;
  const base = d.fn.barAddress(n);
  ctx.ioranges.push({ base, size: len });
  return base;
}
