/**
 * The PCI driver model (drivers/pci/pci-driver.c, include/linux/pci.h) as a model uses it:
 * module_pci_driver / pci_register_driver probe every matching device at once (as module init
 * does), pci_unregister_driver removes; resources, config space and drvdata accessors; and the
 * reset path of drivers/pci/pci.c (v6.15): pci_save_state / pci_restore_state, pcie_flr,
 * pcie_reset_flr and pci_reset_function with the driver's err_handler->reset_prepare/done.
 */
import type { PciDev } from '../../platform/pci-msi/pcidev';
import { pciRegs as R } from '../../platform/pci';
import { ENOTTY, errnoName } from '../../platform/irq/types';
import type { DeviceConfig } from '../../platform/accel-config';
import { KernelError, type KernelContext } from './context';
import { timeApi } from './time';

/** struct pci_device_id (the fields matched). */
export interface PciDeviceId {
  vendor: number;
  device: number;
  driver_data?: unknown;
}

/** struct pci_error_handlers: the two a function reset calls. */
export interface PciErrorHandlers {
  /** Before the reset, after the device lock (pci_dev_save_and_disable). */
  reset_prepare?: (pdev: PciDev) => void;
  /** After the reset and pci_restore_state() (pci_dev_restore). */
  reset_done?: (pdev: PciDev) => void;
}

/** struct pci_driver. */
export interface PciDriver {
  name: string;
  id_table: readonly PciDeviceId[];
  probe: (pdev: PciDev, id: PciDeviceId) => number | undefined;
  remove?: (pdev: PciDev) => void;
  err_handler?: PciErrorHandlers;
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
  const msleep = timeApi(ctx).msleep;
  const saveState = (d: PciDev): void => {
    for (let i = 0; i < 16; i++) d.saved_config_space[i] = d.fn.readConfig32(i * 4);
    const cap = d.fn.pcieCap;
    d.saved_pcie =
      cap === 0
        ? null
        : {
            devctl: d.fn.readConfig16(cap + R.PCI_EXP_DEVCTL),
            devctl2: d.fn.readConfig16(cap + R.PCI_EXP_DEVCTL2),
          };
    d.state_saved = true;
  };
  const restoreDwords = (d: PciDev, first: number, last: number): void => {
    for (let i = last; i >= first; i--) {
      const saved = d.saved_config_space[i]!;
      if (d.fn.readConfig32(i * 4) !== saved) d.fn.writeConfig32(i * 4, saved);
    }
  };
  const restoreState = (d: PciDev): void => {
    if (!d.state_saved) return;
    const cap = d.fn.pcieCap;
    if (cap !== 0 && d.saved_pcie !== null) {
      d.fn.writeConfig16(cap + R.PCI_EXP_DEVCTL, d.saved_pcie.devctl);
      d.fn.writeConfig16(cap + R.PCI_EXP_DEVCTL2, d.saved_pcie.devctl2);
    }
    restoreDwords(d, 10, 15);
    restoreDwords(d, 4, 9);
    restoreDwords(d, 0, 3);
    m.msix.pci_restore_msix_state(d);
    d.state_saved = false;
  };
  const flr = (d: PciDev): number => {
    const cap = d.fn.pcieCap;
    if (cap !== 0) {
      // pci_wait_for_pending_transaction(): Transactions Pending never set here.
      const devctl = d.fn.readConfig16(cap + R.PCI_EXP_DEVCTL);
      d.fn.attributeWrites('pcie_flr()', () => {
        d.fn.writeConfig16(cap + R.PCI_EXP_DEVCTL, devctl | R.PCI_EXP_DEVCTL_BCR_FLR);
      });
    }
    msleep(100);
    // pci_dev_wait(): the function answers config reads at once.
    d.fn.readConfig32(R.PCI_COMMAND);
    return 0;
  };
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
     * pci_save_state(): config dwords 0..15 and the PCI Express capability's Device Control
     * and Device Control 2 (pci_save_pcie_state) into the pci_dev. The MSI-X table is not
     * saved: pci_restore_state() rewrites it from the irq layer's descriptors. Returns 0.
     */
    pci_save_state(p: PciDev): number {
      const d = dev(p, 'pci_save_state');
      saveState(d);
      return 0;
    },
    /**
     * pci_restore_state(): nothing unless a saved state is there; then Device Control (2),
     * config dwords 10..15, 4..9 (the BARs) and 0..3 (COMMAND last) — each written only where
     * it differs (pci_restore_config_dword) — then the MSI-X table from the descriptors
     * (__pci_restore_msix_state). The saved state is consumed.
     */
    pci_restore_state(p: PciDev): void {
      restoreState(dev(p, 'pci_restore_state'));
    },
    /**
     * pcie_flr(pdev): waits for Transactions Pending to clear (never set here), writes
     * Initiate FLR (Device Control bit 15), sleeps the 100 ms PCIe r6.0 §6.6.2 allows, then
     * waits for the function to answer config reads (at once here). Returns 0. Like Linux it
     * does not check FLR capability: on a function without it the write does nothing.
     */
    pcie_flr(p: PciDev): number {
      return flr(dev(p, 'pcie_flr'));
    },
    /**
     * pcie_reset_flr(pdev, probe): -ENOTTY when Device Capabilities lacks FLR, 0 when `probe`
     * (PCI_RESET_PROBE, true), else pcie_flr().
     */
    pcie_reset_flr(p: PciDev, probe: boolean): number {
      const d = dev(p, 'pcie_reset_flr');
      if (!d.fn.flrCapable) return -ENOTTY;
      return probe ? 0 : flr(d);
    },
    /**
     * pci_reset_function(pdev): -ENOTTY without a reset method (FLR is the only one modelled);
     * else pci_dev_save_and_disable — the bound driver's err_handler->reset_prepare (or the
     * "resetting" warning), pci_save_state, COMMAND = INTx Disable — then pcie_flr, then
     * pci_dev_restore — pci_restore_state and err_handler->reset_done (or "reset done").
     * Returns pcie_flr's result.
     */
    pci_reset_function(p: PciDev): number {
      const d = dev(p, 'pci_reset_function');
      if (!d.fn.flrCapable) return -ENOTTY;
      const drv = ctx.boundTo.get(d);
      const eh = drv?.err_handler;
      if (eh?.reset_prepare) eh.reset_prepare(d);
      else if (drv) m.printk('warn', `${drv.name} ${d.name}: resetting`);
      saveState(d);
      d.fn.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_INTX_DISABLE);
      const rc = flr(d);
      restoreState(d);
      if (eh?.reset_done) eh.reset_done(d);
      else if (drv) m.printk('warn', `${drv.name} ${d.name}: reset done`);
      return rc;
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
