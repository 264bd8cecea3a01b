/**
 * /sys/kernel/debug/irq/domains/<name>: irq_domain_debug_show_one() of kernel/irq/irqdomain.c
 * (Linux v6.15; the flag-name lines appeared in v6.11):
 *
 *   "%*sname:   %s\n"        ind        d->name
 *   "%*ssize:   %u\n"        ind + 1    d->revmap_size
 *   "%*smapped: %u\n"        ind + 1    d->mapcount
 *   "%*sflags:  0x%08x\n"    ind + 1    d->flags, then irq_debug_show_bits(ind, flags)
 *   d->ops->debug_show(m, d, NULL, ind + 1)
 *   "%*sparent: %s\n"        ind + 1    then the parent's block at ind + 4
 */
import type { IrqDomain } from '../irq/irqdomain';
import { DOMAIN_BUS_ANY, IRQ_DOMAIN_FLAG_MSI_DEVICE } from '../irq/types';
import { IRQDOMAIN_FLAGS, hex08, pad, showBits } from './descr';

/**
 * The domain's name as Linux has it, which is also its debugfs file name: the name it was
 * created with plus `-<bus token>` for a domain whose bus token is not DOMAIN_BUS_ANY —
 * irq_domain_update_bus_token() renames the domain (`"%s-%d"`), and __msi_create_irq_domain()
 * and intel_setup_irq_remapping() both call it. So `INTEL-IR-0-13` (DOMAIN_BUS_DMAR),
 * `IR-PCI-MSIX-0000:6a:01.0-12` (DOMAIN_BUS_PCI_DEVICE_MSIX), `VECTOR`. The chip names, which
 * /proc/interrupts shows, keep the short form. debugfs_create_file() itself changes nothing:
 * the only replacement Linux makes is '/' → ':' in names taken from firmware-node paths
 * (alloc_fwnode_name), so the ':' of a BDF stays. Token values are the platform's
 * (`irq/types.ts`, v6.2 numbering: 12 and 13 are unchanged through v6.15; 15,
 * DOMAIN_BUS_PCI_DEVICE_IMS, existed in v6.2–v6.9, the kernels that had PCI/IMS).
 */
export function debugfsDomainName(d: IrqDomain): string {
  return d.bus_token === DOMAIN_BUS_ANY ? d.name : `${d.name}-${d.bus_token}`;
}

/**
 * irq_domain.revmap_size, the `size:` line: the linear revmap's size given at creation —
 * INTR_REMAP_TABLE_ENTRIES for an IR domain, 0 for the VECTOR domain (irq_domain_create_tree)
 * and for per-device MSI domains (__msi_create_irq_domain passes size 0: their msi_domain_info
 * hwsize is not a revmap).
 */
export function revmapSize(d: IrqDomain): number {
  return (d.flags & IRQ_DOMAIN_FLAG_MSI_DEVICE) !== 0 ? 0 : d.hwsize;
}

/**
 * The text of `domains/<name>` for `d` (irq_domain_debug_show_one at indent `ind`, recursing
 * into the parents). Ends with a newline.
 */
export function irqDomainDebugShow(d: IrqDomain, ind = 0): string {
  let s = `${pad(ind)}name:   ${debugfsDomainName(d)}\n`;
  s += `${pad(ind + 1)}size:   ${revmapSize(d)}\n`;
  s += `${pad(ind + 1)}mapped: ${d.mapcount}\n`;
  s += `${pad(ind + 1)}flags:  ${hex08(d.flags)}\n`;
  s += showBits(ind, d.flags, IRQDOMAIN_FLAGS);
  if (d.ops.debug_show) s += d.ops.debug_show(d, null, ind + 1);
  if (d.parent === null) return s;
  s += `${pad(ind + 1)}parent: ${debugfsDomainName(d.parent)}\n`;
  return s + irqDomainDebugShow(d.parent, ind + 4);
}
