/**
 * struct pci_dev as the emulated kernel keeps it for a PCI function: its name, requester id,
 * MSI parent domain (dev->msi.domain, set when the IOMMU claims the device —
 * intel_irq_remap_add_device), per-device MSI domains, and MSI-X state.
 */
import type { PciFunction } from '../pci';
import type { DeviceMsiDomain, MsiDevice } from '../irq/msi';
import type { IrqDomain } from '../irq/irqdomain';

export class PciDev implements MsiDevice {
  readonly name: string;
  readonly requesterId: number;
  msiParent: IrqDomain | null;
  readonly msiDomains: (DeviceMsiDomain | undefined)[] = [];
  /** pdev->msix_enabled. */
  msix_enabled = false;
  /** Driver-private data (pci_set_drvdata). */
  driver_data: unknown = null;
  /** pdev->state_saved: pci_save_state() ran and pci_restore_state() has not consumed it. */
  state_saved = false;
  /** pdev->saved_config_space: config dwords 0..15 as pci_save_state() read them. */
  readonly saved_config_space: number[] = [];
  /** The PCI Express capability's saved Device Control and Device Control 2 (pci_save_pcie_state). */
  saved_pcie: { devctl: number; devctl2: number } | null = null;
  /** Vendor and device id, as the driver's id table matches them. */
  readonly vendor: number;
  readonly device: number;

  /** The struct device embedded in the pci_dev (`&pdev->dev`): the pci_dev itself here. */
  get dev(): this {
    return this;
  }

  /**
   * @param fn the emulated function
   * @param msiParent the IR domain of the unit whose scope holds the device (or VECTOR)
   */
  constructor(
    readonly fn: PciFunction,
    msiParent: IrqDomain | null,
  ) {
    this.name = fn.bdf;
    this.requesterId = fn.requesterId;
    this.msiParent = msiParent;
    this.vendor = fn.readConfig16(0);
    this.device = fn.readConfig16(2);
  }
}
