/**
 * PCI/IMS (drivers/pci/msi/api.c, irqdomain.c in Linux v6.2–v6.9; removed in 2024 for lack of
 * users): a driver creates its device's IMS domain from its own template — irq chip and slot
 * preparation — and allocates IMS irqs one at a time with a per-instance cookie (the PASID for
 * IDXD). The checks of pci_create_ims_domain are the kernel's; where the kernel just returns
 * false, the reason is also written to the kernel log so a model author can see it.
 */
import type { IrqCore } from '../irq/core';
import {
  msi_create_device_irq_domain,
  msi_domain_alloc_irq_at,
  msi_domain_free_irqs_range,
  type MsiDomainTemplate,
  type IrqAffinityDesc,
  type MsiMap,
} from '../irq/msi';
import { x86_init_dev_msi_info } from '../apic/vector-domain';
import {
  DOMAIN_BUS_PCI_DEVICE_IMS,
  MSI_ANY_INDEX,
  MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS,
  MSI_FLAG_FREE_MSI_DESCS,
  MSI_SECONDARY_DOMAIN,
} from '../irq/types';
import type { PciDev } from './pcidev';

/** Why a template is refused, or null when pci_create_ims_domain accepts it. */
export function imsTemplateProblem(template: MsiDomainTemplate | null | undefined): string | null {
  if (typeof template !== 'object' || template === null) return 'the template is not an object';
  const chip = (template as Partial<MsiDomainTemplate>).chip;
  const info = (template as Partial<MsiDomainTemplate>).info;
  if (typeof chip !== 'object' || typeof info !== 'object')
    return 'the template needs `chip` and `info` objects';
  if (typeof chip.name !== 'string' || chip.name === '')
    return 'template.chip.name must be a non-empty string';
  if (info.bus_token !== DOMAIN_BUS_PCI_DEVICE_IMS)
    return 'template.info.bus_token must be DOMAIN_BUS_PCI_DEVICE_IMS';
  if ((info.flags & MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS) === 0)
    return 'template.info.flags must include MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS';
  if ((info.flags & MSI_FLAG_FREE_MSI_DESCS) === 0)
    return 'template.info.flags must include MSI_FLAG_FREE_MSI_DESCS';
  for (const cb of ['irq_mask', 'irq_unmask', 'irq_write_msi_msg'] as const) {
    if (typeof chip[cb] !== 'function') return `template.chip.${cb} must be a function`;
  }
  if (chip.irq_set_affinity !== undefined) {
    return 'template.chip must not set irq_set_affinity: the parent domain handles affinity and rewrites the message through irq_write_msi_msg';
  }
  return null;
}

/**
 * pci_create_ims_domain(pdev, template, hwsize, data): creates `pdev`'s IMS domain
 * (MSI_SECONDARY_DOMAIN) named "<parent prefix><chip name>-<bdf>", e.g.
 * "IR-PCI-IDXD-0000:6a:01.0". Returns true on success, false (reason logged) otherwise.
 */
export function pci_create_ims_domain(
  core: IrqCore,
  pdev: PciDev,
  template: MsiDomainTemplate,
  hwsize: number,
  data: unknown,
): boolean {
  const parent = pdev.msiParent;
  if (parent?.isMsiParent !== true) {
    core.printk('err', `pci_create_ims_domain: ${pdev.name} has no MSI parent domain`);
    return false;
  }
  const problem = imsTemplateProblem(template);
  if (problem !== null) {
    core.printk('err', `pci_create_ims_domain: ${pdev.name}: ${problem}`);
    return false;
  }
  if (!Number.isInteger(hwsize) || hwsize < 0) {
    core.printk(
      'err',
      `pci_create_ims_domain: ${pdev.name}: hwsize must be a whole number >= 0, got ${String(hwsize)}`,
    );
    return false;
  }
  return (
    msi_create_device_irq_domain(
      core,
      pdev,
      MSI_SECONDARY_DOMAIN,
      template,
      hwsize,
      data,
      x86_init_dev_msi_info,
    ) !== null
  );
}

/**
 * pci_ims_alloc_irq(pdev, icookie, affdesc): one IMS irq at the first free index; icookie.value
 * → desc; affdesc (optional) the irq's initial affinity.
 */
export function pci_ims_alloc_irq(
  core: IrqCore,
  pdev: PciDev,
  icookie: { value: number | bigint } | number | bigint,
  affdesc?: IrqAffinityDesc | null,
): MsiMap {
  const value = typeof icookie === 'object' ? icookie.value : icookie;
  return msi_domain_alloc_irq_at(core, pdev, MSI_SECONDARY_DOMAIN, MSI_ANY_INDEX, value, affdesc);
}

/** pci_ims_free_irq(pdev, map): frees the IMS irq of `map` (WARN and nothing for a bad map). */
export function pci_ims_free_irq(core: IrqCore, pdev: PciDev, map: MsiMap): void {
  if (map.index < 0 || map.virq <= 0) {
    core.printk(
      'warn',
      `WARNING: pci_ims_free_irq: invalid map {index: ${map.index}, virq: ${map.virq}}`,
    );
    return;
  }
  msi_domain_free_irqs_range(core, pdev, MSI_SECONDARY_DOMAIN, map.index, map.index);
}
