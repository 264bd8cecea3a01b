/**
 * PCI MSI-X in the kernel (drivers/pci/msi/msi.c, irqdomain.c, api.c as of v6.2+): the per-device
 * MSI-X domain from `pci_msix_template` ("PCI-MSIX"), its chip (mask/unmask through the entry's
 * Vector Control, message writes that mask an unmasked entry during the update), and the API:
 * pci_alloc_irq_vectors, pci_irq_vector, pci_msix_vec_count, pci_free_irq_vectors,
 * pci_msix_can_alloc_dyn, pci_msix_alloc_irq_at, pci_msix_free_irq.
 *
 * Dynamic allocation (pci_msix_alloc_irq_at) needs MSI-X enabled and an MSI parent that supports
 * MSI_FLAG_PCI_MSIX_ALLOC_DYN (both the vector domain and interrupt remapping do); the new
 * entry stays masked — its message is written at allocation (reservation mode) — until
 * request_irq() starts the irq. The classic way to get more vectors, pci_free_irq_vectors() then
 * pci_alloc_irq_vectors(), disables MSI-X in between: a message the device raises in that window
 * is lost (the MSI-X table drops it, naming pci_free_irq_vectors() as what disabled MSI-X).
 *
 * The table is reached the way the kernel reaches it: config space gives the BIR and offset,
 * the BAR gives the base, and entries are written with 32-bit MMIO.
 */
import type { IrqCore } from '../irq/core';
import type { IrqData } from '../irq/irqdata';
import type { PhysMemory } from '../memory';
import {
  msi_create_device_irq_domain,
  msi_domain_alloc_irq_at,
  msi_domain_alloc_irqs_range,
  msi_domain_free_irqs_range,
  msi_get_virq,
  type IrqAffinityDesc,
  type MsiDomainTemplate,
  type MsiMap,
} from '../irq/msi';
import { newMsiDesc, type MsiDesc } from '../irq/msi-desc';
import { x86_init_dev_msi_info } from '../apic/vector-domain';
import {
  DOMAIN_BUS_PCI_DEVICE_MSIX,
  EINVAL,
  ENOSPC,
  ENOTSUPP,
  IRQCHIP_ONESHOT_SAFE,
  MSI_DEFAULT_DOMAIN,
  MSI_FLAG_ACTIVATE_EARLY,
  MSI_FLAG_DEV_SYSFS,
  MSI_FLAG_FREE_MSI_DESCS,
  MSI_FLAG_MUST_REACTIVATE,
  MSI_FLAG_PCI_MSIX,
  MSI_FLAG_PCI_MSIX_ALLOC_DYN,
  type MsiMsg,
} from '../irq/types';
import { pciRegs as R } from '../pci';
import type { PciDev } from './pcidev';

/** pci_alloc_irq_vectors() flags. */
export const PCI_IRQ_INTX = 1 << 0;
export const PCI_IRQ_MSI = 1 << 1;
export const PCI_IRQ_MSIX = 1 << 2;
export const PCI_IRQ_AFFINITY = 1 << 3;
export const PCI_IRQ_ALL_TYPES = PCI_IRQ_INTX | PCI_IRQ_MSI | PCI_IRQ_MSIX;

/** MSI_COMMON_FLAGS (x86, with reservation mode). */
const MSI_COMMON_FLAGS =
  MSI_FLAG_FREE_MSI_DESCS | MSI_FLAG_ACTIVATE_EARLY | MSI_FLAG_DEV_SYSFS | MSI_FLAG_MUST_REACTIVATE;

export class PciMsix {
  constructor(
    private readonly core: IrqCore,
    private readonly memory: PhysMemory,
  ) {}

  /** pci_msix_vec_count(): table size from Message Control, or -EINVAL without MSI-X. */
  pci_msix_vec_count(pdev: PciDev): number {
    const cap = pdev.fn.msixCap;
    if (cap === 0) return -EINVAL;
    return (pdev.fn.readConfig16(cap + R.PCI_MSIX_FLAGS) & R.PCI_MSIX_FLAGS_QSIZE) + 1;
  }

  /** Physical address of MSI-X entry `index` (BAR base + table offset + 16 × index). */
  entryAddress(pdev: PciDev, index: number): number {
    const t = pdev.fn.readConfig32(pdev.fn.msixCap + R.PCI_MSIX_TABLE);
    return (
      pdev.fn.barAddress(t & R.PCI_MSIX_TABLE_BIR) +
      (t & R.PCI_MSIX_TABLE_OFFSET) +
      index * R.PCI_MSIX_ENTRY_SIZE
    );
  }

  /**
   * pci_alloc_irq_vectors(): enables MSI-X with between `min` and `max` vectors (only MSI-X is
   * offered by the emulated devices). Returns the number allocated or a negative errno.
   */
  pci_alloc_irq_vectors(pdev: PciDev, min: number, max: number, flags: number): number {
    if (min > max || min < 1) return -EINVAL;
    if ((flags & PCI_IRQ_MSIX) === 0) {
      this.core.printk(
        'err',
        `${pdev.name}: only MSI-X is modelled for this device: pass PCI_IRQ_MSIX`,
      );
      return -ENOSPC;
    }
    if (pdev.msix_enabled) {
      this.core.printk(
        'warn',
        `${pdev.name}: WARNING: MSI-X is already enabled (pci_alloc_irq_vectors called twice?)`,
      );
      return -EINVAL;
    }
    const count = this.pci_msix_vec_count(pdev);
    if (count < 0) return -EINVAL;
    const nvec = Math.min(max, count);
    if (nvec < min) return -ENOSPC;
    return this.msix_capability_init(pdev, nvec);
  }

  /**
   * msix_capability_init(): Enable with Function Mask set, msix_enabled ("so setup functions can
   * query it"), the descriptors and their irqs (messages written in reservation mode), then
   * every entry masked — "done late" in Linux for a device that honours the mask bits even with
   * MSI-X disabled — and Function Mask cleared.
   */
  private msix_capability_init(pdev: PciDev, nvec: number): number {
    this.setCtrl(pdev, 0, R.PCI_MSIX_FLAGS_MASKALL | R.PCI_MSIX_FLAGS_ENABLE);
    pdev.msix_enabled = true;
    const fail = (ret: number): number => {
      pdev.msix_enabled = false;
      this.setCtrl(
        pdev,
        R.PCI_MSIX_FLAGS_MASKALL | R.PCI_MSIX_FLAGS_ENABLE,
        0,
        'pci_alloc_irq_vectors() (failed)',
      );
      return ret;
    };
    if (!pdev.msiDomains[MSI_DEFAULT_DOMAIN] && this.createDomain(pdev) === null)
      return fail(-ENOTSUPP);
    const dd = pdev.msiDomains[MSI_DEFAULT_DOMAIN]!;
    const count = this.pci_msix_vec_count(pdev);
    for (let i = 0; i < nvec; i++) dd.descs.set(i, this.msixDesc(pdev, i));
    const ret = msi_domain_alloc_irqs_range(this.core, pdev, MSI_DEFAULT_DOMAIN, 0, nvec - 1);
    if (ret < 0) {
      msi_domain_free_irqs_range(this.core, pdev, MSI_DEFAULT_DOMAIN, 0, count);
      return fail(ret);
    }
    // msix_mask_all()
    for (let i = 0; i < count; i++)
      this.memory.write32(
        this.entryAddress(pdev, i) + R.PCI_MSIX_ENTRY_VECTOR_CTRL,
        R.PCI_MSIX_ENTRY_CTRL_MASKBIT,
      );
    this.setCtrl(pdev, R.PCI_MSIX_FLAGS_MASKALL, 0);
    return nvec;
  }

  private msixDesc(pdev: PciDev, index: number): MsiDesc {
    const d = newMsiDesc(pdev.name, index);
    d.pci.msi_attrib.is_msix = true;
    d.pci.msix_ctrl = this.memory.read32(
      this.entryAddress(pdev, index) + R.PCI_MSIX_ENTRY_VECTOR_CTRL,
    );
    return d;
  }

  /** pci_msix_clear_and_set_ctrl(); `by` names the kernel function for the trace. */
  private setCtrl(pdev: PciDev, clear: number, set: number, by = 'pci_alloc_irq_vectors()'): void {
    const off = pdev.fn.msixCap + R.PCI_MSIX_FLAGS;
    pdev.fn.attributeWrites(by, () => {
      pdev.fn.writeConfig16(off, (pdev.fn.readConfig16(off) & ~clear) | set);
    });
  }

  /** The per-device "PCI-MSIX" domain (pci_setup_msix_device_domain). */
  private createDomain(pdev: PciDev): unknown {
    const template: MsiDomainTemplate = {
      chip: {
        name: 'PCI-MSIX',
        flags: IRQCHIP_ONESHOT_SAFE,
        irq_mask: (d) => this.writeCtrl(pdev, d, true),
        irq_unmask: (d) => this.writeCtrl(pdev, d, false),
        irq_write_msi_msg: (d, msg) => this.writeMsg(pdev, d, msg),
      },
      ops: {
        // pci_msix_prepare_desc() → msix_prepare_msi_desc(): an MSI-X descriptor; the entry's
        // Vector Control is read, not written — it is masked already (msix_mask_all at enable,
        // or the shutdown of the irq that had it before).
        prepare_desc: (_dom, _arg, desc) => {
          desc.pci.msi_attrib.is_msix = true;
          desc.pci.msi_attrib.can_mask = true;
          const a = this.entryAddress(pdev, desc.msi_index) + R.PCI_MSIX_ENTRY_VECTOR_CTRL;
          desc.pci.msix_ctrl = this.memory.read32(a);
        },
        // pci_device_domain_set_desc(): hwirq = MSI-X index.
        set_desc: (arg, desc) => {
          arg.hwirq = desc.msi_index;
        },
      },
      info: {
        flags: MSI_COMMON_FLAGS | MSI_FLAG_PCI_MSIX | MSI_FLAG_PCI_MSIX_ALLOC_DYN,
        bus_token: DOMAIN_BUS_PCI_DEVICE_MSIX,
      },
    };
    return msi_create_device_irq_domain(
      this.core,
      pdev,
      MSI_DEFAULT_DOMAIN,
      template,
      this.pci_msix_vec_count(pdev),
      null,
      x86_init_dev_msi_info,
    );
  }

  /** pci_msix_mask() / pci_msix_unmask(): Vector Control bit 0, then a read to flush. */
  private writeCtrl(pdev: PciDev, d: IrqData, mask: boolean): void {
    const desc = d.common.msi_desc!;
    desc.pci.msix_ctrl = mask
      ? desc.pci.msix_ctrl | R.PCI_MSIX_ENTRY_CTRL_MASKBIT
      : desc.pci.msix_ctrl & ~R.PCI_MSIX_ENTRY_CTRL_MASKBIT;
    const a = this.entryAddress(pdev, desc.msi_index) + R.PCI_MSIX_ENTRY_VECTOR_CTRL;
    this.memory.write32(a, desc.pci.msix_ctrl);
    this.memory.read32(a);
  }

  /** __pci_write_msi_msg() for MSI-X: an unmasked entry is masked while its message changes. */
  private writeMsg(pdev: PciDev, d: IrqData, msg: MsiMsg): void {
    this.writeEntry(pdev, d.common.msi_desc!, msg);
  }

  private writeEntry(pdev: PciDev, desc: MsiDesc, msg: MsiMsg): void {
    const base = this.entryAddress(pdev, desc.msi_index);
    const ctrl = desc.pci.msix_ctrl;
    const unmasked = (ctrl & R.PCI_MSIX_ENTRY_CTRL_MASKBIT) === 0;
    if (unmasked)
      this.memory.write32(
        base + R.PCI_MSIX_ENTRY_VECTOR_CTRL,
        ctrl | R.PCI_MSIX_ENTRY_CTRL_MASKBIT,
      );
    this.memory.write32(base + R.PCI_MSIX_ENTRY_LOWER_ADDR, msg.address_lo);
    this.memory.write32(base + R.PCI_MSIX_ENTRY_UPPER_ADDR, msg.address_hi);
    this.memory.write32(base + R.PCI_MSIX_ENTRY_DATA, msg.data);
    if (unmasked) this.memory.write32(base + R.PCI_MSIX_ENTRY_VECTOR_CTRL, ctrl);
    this.memory.read32(base + R.PCI_MSIX_ENTRY_DATA);
  }

  /**
   * __pci_restore_msix_state() (drivers/pci/msi/msi.c), called by pci_restore_state(): when
   * pdev->msix_enabled, Enable with Function Mask set, then every descriptor's cached message
   * (desc->msg; x86's arch_restore_msi_irqs says to write it) and Vector Control (desc's
   * msix_ctrl) written back to its entry, then Function Mask cleared. This is how the table
   * comes back after a Function Level Reset: the device itself forgot it.
   */
  pci_restore_msix_state(pdev: PciDev): void {
    if (!pdev.msix_enabled) return;
    const by = 'pci_restore_state()';
    this.setCtrl(pdev, 0, R.PCI_MSIX_FLAGS_ENABLE | R.PCI_MSIX_FLAGS_MASKALL, by);
    for (const desc of pdev.msiDomains[MSI_DEFAULT_DOMAIN]?.descs.values() ?? []) {
      this.writeEntry(pdev, desc, desc.msg);
      const a = this.entryAddress(pdev, desc.msi_index) + R.PCI_MSIX_ENTRY_VECTOR_CTRL;
      this.memory.write32(a, desc.pci.msix_ctrl);
    }
    this.setCtrl(pdev, R.PCI_MSIX_FLAGS_MASKALL, 0, by);
  }

  /** pci_irq_vector(): the Linux irq of MSI-X entry `nr`, or -EINVAL. */
  pci_irq_vector(pdev: PciDev, nr: number): number {
    if (!pdev.msix_enabled) return -EINVAL;
    const virq = msi_get_virq(pdev, MSI_DEFAULT_DOMAIN, nr);
    return virq > 0 ? virq : -EINVAL;
  }

  /**
   * pci_free_irq_vectors() → pci_disable_msix(): pci_msix_shutdown() masks each entry that has a
   * descriptor and clears MSI-X Enable (from here the device can signal nothing through MSI-X),
   * then the irqs are freed — deactivated (IRTE cleared) — and their descriptors with them.
   */
  pci_free_irq_vectors(pdev: PciDev): void {
    if (!pdev.msix_enabled) return;
    const dd = pdev.msiDomains[MSI_DEFAULT_DOMAIN];
    for (const desc of dd?.descs.values() ?? []) {
      desc.pci.msix_ctrl |= R.PCI_MSIX_ENTRY_CTRL_MASKBIT;
      const a = this.entryAddress(pdev, desc.msi_index) + R.PCI_MSIX_ENTRY_VECTOR_CTRL;
      this.memory.write32(a, desc.pci.msix_ctrl);
      this.memory.read32(a);
    }
    this.setCtrl(pdev, R.PCI_MSIX_FLAGS_ENABLE, 0, 'pci_free_irq_vectors()');
    pdev.msix_enabled = false;
    msi_domain_free_irqs_range(
      this.core,
      pdev,
      MSI_DEFAULT_DOMAIN,
      0,
      this.pci_msix_vec_count(pdev),
    );
  }

  /**
   * pci_msix_can_alloc_dyn(): the device has MSI-X and its MSI parent domain supports
   * MSI_FLAG_PCI_MSIX_ALLOC_DYN (pci_msi_domain_supports reads the parent's msi_parent_ops, so
   * the answer does not depend on MSI-X being enabled yet).
   */
  pci_msix_can_alloc_dyn(pdev: PciDev): boolean {
    if (pdev.fn.msixCap === 0) return false;
    const parent = pdev.msiParent;
    if (parent === null) return false;
    const supported = parent.isMsiParent
      ? (parent.msi_parent_ops?.supported_flags ?? 0)
      : ((parent.host_data as { flags?: number } | null)?.flags ?? 0);
    return (supported & MSI_FLAG_PCI_MSIX_ALLOC_DYN) !== 0;
  }

  /**
   * pci_msix_alloc_irq_at(): one more MSI-X irq after MSI-X is enabled, at table entry `index`
   * or the first free one (MSI_ANY_INDEX). The entry stays masked until request_irq().
   * Returns { index, virq }: index -ENOTSUPP (MSI-X not enabled, or no dynamic allocation),
   * -EBUSY (the entry is in use, or none is free), -ERANGE (index beyond the table), virq 0.
   */
  pci_msix_alloc_irq_at(pdev: PciDev, index: number, affdesc?: IrqAffinityDesc | null): MsiMap {
    if (!pdev.msix_enabled) return { index: -ENOTSUPP, virq: 0 };
    if (!this.pci_msix_can_alloc_dyn(pdev)) return { index: -ENOTSUPP, virq: 0 };
    return msi_domain_alloc_irq_at(this.core, pdev, MSI_DEFAULT_DOMAIN, index, 0, affdesc);
  }

  /**
   * pci_msix_free_irq(): frees an irq pci_msix_alloc_irq_at() returned (deactivated: entry
   * message cleared, IRTE cleared; the descriptor freed). WARNs and does nothing for an invalid
   * map or a device without dynamic allocation.
   */
  pci_msix_free_irq(pdev: PciDev, map: MsiMap): void {
    if (map.index < 0 || map.virq <= 0) {
      this.core.printk(
        'warn',
        `WARNING: pci_msix_free_irq: invalid map {index: ${map.index}, virq: ${map.virq}}`,
      );
      return;
    }
    if (!this.pci_msix_can_alloc_dyn(pdev)) {
      this.core.printk(
        'warn',
        `WARNING: pci_msix_free_irq: ${pdev.name} does not support dynamic MSI-X allocation`,
      );
      return;
    }
    msi_domain_free_irqs_range(this.core, pdev, MSI_DEFAULT_DOMAIN, map.index, map.index);
  }
}
