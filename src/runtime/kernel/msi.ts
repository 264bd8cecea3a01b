/**
 * MSI-X and IMS (include/linux/pci.h, msi_api.h; IMS as in Linux v6.2–v6.9): the driver side of
 * drivers/pci/msi/api.c, plus the accessors an irq chip uses (irq_data_get_msi_desc) and the
 * constants a domain template needs.
 */
import {
  irq_data_get_msi_desc,
  irq_data_get_irq_chip_data,
  type IrqData,
} from '../../platform/irq/irqdata';
import {
  pci_create_ims_domain,
  pci_ims_alloc_irq,
  pci_ims_free_irq,
} from '../../platform/pci-msi/ims';
import type { PciDev } from '../../platform/pci-msi/pcidev';
import type { IrqAffinityDesc, MsiDomainTemplate, MsiMap } from '../../platform/irq/msi';
import * as T from '../../platform/irq/types';
import {
  PCI_IRQ_AFFINITY,
  PCI_IRQ_ALL_TYPES,
  PCI_IRQ_INTX,
  PCI_IRQ_MSI,
  PCI_IRQ_MSIX,
} from '../../platform/pci-msi/msix';
import { KernelError, type KernelContext } from './context';

function pciDev(ctx: KernelContext, p: unknown, what: string): PciDev {
  const pd = ctx.machine.pdevs.find((d) => d === p);
  if (pd === undefined)
    throw new KernelError(`${what}: the first argument must be the pci_dev passed to probe()`);
  return pd;
}

/** An irq_affinity_desc argument: absent, or `{ mask: number[], is_managed? }`. */
function affinityDesc(a: unknown, what: string, ncpus: number): IrqAffinityDesc | null {
  if (a === undefined || a === null) return null;
  const mask = (a as { mask?: unknown }).mask;
  if (
    typeof a !== 'object' ||
    !Array.isArray(mask) ||
    !mask.every((c) => Number.isInteger(c) && (c as number) >= 0 && (c as number) < ncpus)
  )
    throw new KernelError(
      `${what}: affdesc must be { mask: [CPU numbers 0..${ncpus - 1}], is_managed?: boolean }, or null`,
    );
  return {
    mask: mask as number[],
    is_managed: (a as { is_managed?: unknown }).is_managed === true,
  };
}

export function msiApi(ctx: KernelContext) {
  const m = ctx.machine;
  return {
    pci_alloc_irq_vectors(pdev: PciDev, min: number, max: number, flags: number): number {
      return m.msix.pci_alloc_irq_vectors(
        pciDev(ctx, pdev, 'pci_alloc_irq_vectors'),
        min,
        max,
        flags,
      );
    },
    pci_free_irq_vectors(pdev: PciDev): void {
      m.msix.pci_free_irq_vectors(pciDev(ctx, pdev, 'pci_free_irq_vectors'));
    },
    pci_irq_vector(pdev: PciDev, nr: number): number {
      return m.msix.pci_irq_vector(pciDev(ctx, pdev, 'pci_irq_vector'), nr);
    },
    pci_msix_vec_count(pdev: PciDev): number {
      return m.msix.pci_msix_vec_count(pciDev(ctx, pdev, 'pci_msix_vec_count'));
    },
    pci_msix_can_alloc_dyn(pdev: PciDev): boolean {
      return m.msix.pci_msix_can_alloc_dyn(pciDev(ctx, pdev, 'pci_msix_can_alloc_dyn'));
    },
    /** pci_msix_alloc_irq_at(pdev, index | MSI_ANY_INDEX[, affdesc]) → { index, virq }. */
    pci_msix_alloc_irq_at(pdev: PciDev, index: number, affdesc?: unknown): MsiMap {
      const what = 'pci_msix_alloc_irq_at';
      return m.msix.pci_msix_alloc_irq_at(
        pciDev(ctx, pdev, what),
        index,
        affinityDesc(affdesc, what, m.cpus.length),
      );
    },
    pci_msix_free_irq(pdev: PciDev, map: MsiMap): void {
      m.msix.pci_msix_free_irq(pciDev(ctx, pdev, 'pci_msix_free_irq'), map);
    },
    /** pci_create_ims_domain(pdev, template, hwsize[, data]) → true, or false with the reason logged. */
    pci_create_ims_domain(
      pdev: PciDev,
      template: MsiDomainTemplate,
      hwsize: number,
      data?: unknown,
    ): boolean {
      return pci_create_ims_domain(
        m.core,
        pciDev(ctx, pdev, 'pci_create_ims_domain'),
        template,
        hwsize,
        data,
      );
    },
    /** pci_ims_alloc_irq(pdev, icookie[, affdesc]) → { index, virq }; index < 0 is an errno. */
    pci_ims_alloc_irq(
      pdev: PciDev,
      icookie: { value: number | bigint } | number | bigint,
      affdesc?: unknown,
    ): MsiMap {
      const what = 'pci_ims_alloc_irq';
      return pci_ims_alloc_irq(
        m.core,
        pciDev(ctx, pdev, what),
        icookie,
        affinityDesc(affdesc, what, m.cpus.length),
      );
    },
    pci_ims_free_irq(pdev: PciDev, map: MsiMap): void {
      pci_ims_free_irq(m.core, pciDev(ctx, pdev, 'pci_ims_free_irq'), map);
    },
    irq_data_get_msi_desc(d: IrqData) {
      return irq_data_get_msi_desc(d);
    },
    irq_data_get_irq_chip_data(d: IrqData): unknown {
      return irq_data_get_irq_chip_data(d);
    },
    /** irq_get_irq_data(irq). */
    irq_get_irq_data(irq: number): IrqData | null {
      return m.core.irq_to_desc(irq)?.irq_data ?? null;
    },
    PCI_IRQ_INTX,
    PCI_IRQ_LEGACY: PCI_IRQ_INTX,
    PCI_IRQ_MSI,
    PCI_IRQ_MSIX,
    PCI_IRQ_AFFINITY,
    PCI_IRQ_ALL_TYPES,
    MSI_ANY_INDEX: T.MSI_ANY_INDEX,
    MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS: T.MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS,
    MSI_FLAG_FREE_MSI_DESCS: T.MSI_FLAG_FREE_MSI_DESCS,
    MSI_FLAG_PCI_IMS: T.MSI_FLAG_PCI_IMS,
    MSI_FLAG_USE_DEF_DOM_OPS: T.MSI_FLAG_USE_DEF_DOM_OPS,
    MSI_FLAG_USE_DEF_CHIP_OPS: T.MSI_FLAG_USE_DEF_CHIP_OPS,
    DOMAIN_BUS_PCI_DEVICE_IMS: T.DOMAIN_BUS_PCI_DEVICE_IMS,
    IRQCHIP_ONESHOT_SAFE: T.IRQCHIP_ONESHOT_SAFE,
    IRQ_NONE: T.IRQ_NONE,
    IRQ_HANDLED: T.IRQ_HANDLED,
    IRQ_WAKE_THREAD: T.IRQ_WAKE_THREAD,
    IRQF_SHARED: T.IRQF_SHARED,
    IRQF_ONESHOT: T.IRQF_ONESHOT,
  };
}
