/**
 * struct msi_desc (include/linux/msi.h): one MSI-X entry or IMS slot allocated to a device.
 * `data.icookie` is the per-instance cookie the driver passed (the PASID for IDXD IMS);
 * `data.dcookie` is what the domain's prepare_desc stored for its chip callbacks (the IMS
 * slot's iomem address).
 */
import type { MsiMsg } from './types';

export interface MsiDesc {
  /** Linux irq number, 0 until allocated. */
  irq: number;
  /** Index in the device's MSI-X table or IMS store. */
  msi_index: number;
  /** Number of vectors (1 for MSI-X and IMS). */
  nvec_used: number;
  /** Owning device name (BDF). */
  dev: string;
  /** desc->affinity: the mask of the irq_affinity_desc given at allocation, if any. */
  affinity?: number[];
  /** The last message written through irq_write_msi_msg (for views; not driver-visible state). */
  msg: MsiMsg;
  data: {
    icookie: { value: number | bigint; ptr?: unknown };
    dcookie: { value?: number | bigint; iobase?: number; ptr?: unknown };
  };
  pci: {
    msi_attrib: { is_msix: boolean; can_mask: boolean; is_virtual: boolean };
    msix_ctrl: number;
  };
}

/** A fresh descriptor for `index` of device `dev`. */
export function newMsiDesc(dev: string, index: number, icookie: number | bigint = 0): MsiDesc {
  return {
    irq: 0,
    msi_index: index,
    nvec_used: 1,
    dev,
    msg: { address_lo: 0, address_hi: 0, data: 0 },
    data: { icookie: { value: icookie }, dcookie: {} },
    pci: { msi_attrib: { is_msix: false, can_mask: true, is_virtual: false }, msix_ctrl: 0 },
  };
}
