/**
 * The MSI core (kernel/irq/msi.c, v6.2 per-device MSI domains): creating a device's MSI domain
 * from a template below its MSI parent, allocating and freeing irqs at indices, and the MSI
 * domain ops (activation composes the message along the hierarchy and writes it through the top
 * chip — the driver's irq_write_msi_msg for IMS).
 */
import type { IrqCore } from './core';
import { irq_data_get_msi_desc, type IrqData } from './irqdata';
import {
  IrqDomain,
  irq_domain_activate_irq,
  irq_domain_alloc_irqs,
  irq_domain_alloc_irqs_parent,
  irq_domain_deactivate_irq,
  irq_domain_free_irqs,
  irq_domain_free_irqs_parent,
  irq_domain_set_hwirq_and_chip,
} from './irqdomain';
import { irq_chip_compose_msi_msg, irq_chip_write_msi_msg } from './chip';
import { free_irq } from './manage';
import { newMsiDesc, type MsiDesc } from './msi-desc';
import {
  EBUSY,
  EEXIST,
  EINVAL,
  ENODEV,
  ERANGE,
  IRQD_ACTIVATED,
  IRQD_CAN_RESERVE,
  IRQ_DOMAIN_FLAG_MSI,
  IRQ_DOMAIN_FLAG_MSI_DEVICE,
  IRQ_SET_MASK_OK_DONE,
  MSI_ANY_INDEX,
  MSI_FLAG_ACTIVATE_EARLY,
  MSI_FLAG_FREE_MSI_DESCS,
  MSI_FLAG_MUST_REACTIVATE,
  MSI_FLAG_USE_DEF_CHIP_OPS,
  DOMAIN_BUS_PCI_DEVICE_MSI,
  DOMAIN_BUS_PCI_DEVICE_MSIX,
  errnoName,
  type IrqAllocInfo,
  type IrqChip,
  type IrqDomainOps,
  type MsiMsg,
} from './types';

/** struct msi_domain_ops, the callbacks a template may give. */
export interface MsiDomainOps {
  /** Per-descriptor hook before allocation: sets arg.hwirq (IMS: the slot index). */
  prepare_desc?: (domain: IrqDomain, arg: IrqAllocInfo, desc: MsiDesc) => void;
  set_desc?: (arg: IrqAllocInfo, desc: MsiDesc) => void;
}

/** struct msi_domain_info. */
export interface MsiDomainInfo {
  flags: number;
  bus_token: number;
  hwsize: number;
  ops: MsiDomainOps;
  chip: IrqChip;
  chip_data: unknown;
  handler_name: string;
  /** Domain data given at creation (IMS: the slots' iomem base). */
  data: unknown;
}

/** struct msi_domain_template: what a driver (or the PCI core) passes. */
export interface MsiDomainTemplate {
  chip: IrqChip;
  ops?: MsiDomainOps;
  info: { flags: number; bus_token: number };
}

/**
 * struct irq_affinity_desc: an affinity for an irq being allocated. `mask` becomes the irq's
 * affinity (activation picks a CPU in it). Managed irqs (`is_managed`) are not modelled: the
 * mask is used as a plain affinity, with a warning.
 */
export interface IrqAffinityDesc {
  mask: readonly number[];
  is_managed?: boolean;
}

/** struct msi_map: the result of msi_domain_alloc_irq_at (index < 0 is an errno). */
export interface MsiMap {
  index: number;
  virq: number;
}

/** A device as the MSI core sees it (struct device with its dev->msi data). */
export interface MsiDevice {
  /** dev_name(): the BDF for PCI devices. */
  readonly name: string;
  readonly requesterId: number;
  /** dev->msi.domain: the MSI parent domain the device's MSI domains hang below. */
  msiParent: IrqDomain | null;
  /** dev->msi.data->__domains[]: per domain id (MSI_DEFAULT_DOMAIN, MSI_SECONDARY_DOMAIN). */
  readonly msiDomains: (DeviceMsiDomain | undefined)[];
}

export interface DeviceMsiDomain {
  domain: IrqDomain;
  info: MsiDomainInfo;
  /** Descriptors by index (the xarray). */
  descs: Map<number, MsiDesc>;
}

/** Hook of the parent to fill arch defaults into a device domain's info (x86_init_dev_msi_info). */
export type InitDevMsiInfo = (dev: MsiDevice, parent: IrqDomain, info: MsiDomainInfo) => boolean;

/**
 * msi_create_device_irq_domain(): creates `dev`'s MSI domain `domid` from `template` below
 * dev->msi.domain. The chip is copied (the template is not changed); its name and the domain's
 * become "<parent prefix><chip name>-<dev name>". Returns the domain, or null with the reason
 * in the kernel log.
 */
export function msi_create_device_irq_domain(
  core: IrqCore,
  dev: MsiDevice,
  domid: number,
  template: MsiDomainTemplate,
  hwsize: number,
  domain_data: unknown,
  init: InitDevMsiInfo,
): IrqDomain | null {
  const parent = dev.msiParent;
  if (parent?.isMsiParent !== true) {
    core.printk('err', `${dev.name}: no MSI parent domain`);
    return null;
  }
  if (dev.msiDomains[domid] !== undefined) {
    core.printk('err', `${dev.name}: MSI domain ${domid} exists already`);
    return null;
  }
  const chip: IrqChip = { ...template.chip };
  const name = `${parent.msi_parent_ops?.prefix ?? ''}${template.chip.name}-${dev.name}`;
  chip.name = name;
  const info: MsiDomainInfo = {
    flags: template.info.flags,
    bus_token: template.info.bus_token,
    hwsize,
    ops: { ...template.ops },
    chip,
    chip_data: null,
    handler_name: 'edge',
    data: domain_data,
  };
  if (!init(dev, parent, info)) {
    core.printk(
      'err',
      `${dev.name}: the MSI parent ${parent.name} does not support this domain (bus token ${info.bus_token})`,
    );
    return null;
  }
  if ((info.flags & MSI_FLAG_USE_DEF_CHIP_OPS) !== 0 && !chip.irq_set_affinity) {
    chip.irq_set_affinity = msi_domain_set_affinity;
  }
  const domain = new IrqDomain(
    name,
    parent,
    IRQ_DOMAIN_FLAG_MSI | IRQ_DOMAIN_FLAG_MSI_DEVICE,
    hwsize,
    msiDomainOps(core),
    info,
    info.bus_token,
  );
  domain.dev = dev.name;
  dev.msiDomains[domid] = { domain, info, descs: new Map() };
  core.addDomain(domain);
  return domain;
}

/** msi_remove_device_irq_domain(): frees every irq of the domain and removes it. */
export function msi_remove_device_irq_domain(core: IrqCore, dev: MsiDevice, domid: number): void {
  const dd = dev.msiDomains[domid];
  if (dd === undefined) return;
  msi_domain_free_irqs_range(core, dev, domid, 0, Number.MAX_SAFE_INTEGER);
  core.removeDomain(dd.domain);
  dev.msiDomains[domid] = undefined;
}

/** The msi_domain_ops every MSI device domain uses (kernel/irq/msi.c msi_domain_ops). */
function msiDomainOps(core: IrqCore): IrqDomainOps {
  return {
    alloc(domain, virq, nr, arg) {
      const info = domain.host_data as MsiDomainInfo;
      if (domain.revmap.has(arg.hwirq)) return -EEXIST;
      const ret = irq_domain_alloc_irqs_parent(domain, virq, nr, arg);
      if (ret < 0) return ret;
      for (let i = 0; i < nr; i++) {
        irq_domain_set_hwirq_and_chip(
          core.descs,
          domain,
          virq + i,
          arg.hwirq + i,
          info.chip,
          info.chip_data,
        );
        const desc = core.irq_to_desc(virq + i)!;
        desc.handler = 'handle_edge_irq';
        desc.handler_name = info.handler_name;
      }
      return 0;
    },
    free(domain, virq, nr) {
      irq_domain_free_irqs_parent(domain, virq, nr);
    },
    activate(_domain, d) {
      const msg: MsiMsg = { address_lo: 0, address_hi: 0, data: 0 };
      if (!irq_chip_compose_msi_msg(d, msg)) return -EINVAL;
      irq_chip_write_msi_msg(d, msg);
      return 0;
    },
    deactivate(_domain, d) {
      irq_chip_write_msi_msg(d, { address_lo: 0, address_hi: 0, data: 0 });
    },
  };
}

/**
 * msi_domain_set_affinity(): asks the parent to move the vector; unless the parent says the
 * device's message need not change (IRQ_SET_MASK_OK_DONE, as interrupt remapping does), the
 * message is composed again and written.
 */
export function msi_domain_set_affinity(
  d: IrqData,
  mask: readonly number[],
  force: boolean,
): number {
  const parent = d.parent_data;
  if (!parent?.chip.irq_set_affinity) return -EINVAL;
  const ret = parent.chip.irq_set_affinity(parent, mask, force);
  if (ret >= 0 && ret !== IRQ_SET_MASK_OK_DONE) {
    const msg: MsiMsg = { address_lo: 0, address_hi: 0, data: 0 };
    if (irq_chip_compose_msi_msg(d, msg)) irq_chip_write_msi_msg(d, msg);
  }
  return ret;
}

/**
 * msi_domain_alloc_irq_at(): allocates one irq at `index` (or the first free one with
 * MSI_ANY_INDEX) of `dev`'s domain `domid`. `icookie` is stored in desc.data.icookie;
 * `affdesc` gives the irq's initial affinity. Returns { index, virq }; on failure index is a
 * negative errno and virq 0: -ENODEV (no such domain), -EBUSY (the index has a descriptor —
 * xa_insert — or, with MSI_ANY_INDEX, none is free — xa_alloc), -ERANGE (index ≥ hwsize), or
 * the allocation's error.
 */
export function msi_domain_alloc_irq_at(
  core: IrqCore,
  dev: MsiDevice,
  domid: number,
  index: number,
  icookie: number | bigint,
  affdesc?: IrqAffinityDesc | null,
): MsiMap {
  const dd = dev.msiDomains[domid];
  if (dd === undefined) return { index: -ENODEV, virq: 0 };
  const size = dd.info.hwsize > 0 ? dd.info.hwsize : Number.MAX_SAFE_INTEGER;
  let idx = index;
  if (index === MSI_ANY_INDEX) {
    idx = 0;
    while (dd.descs.has(idx) && idx < size) idx++;
    // msi_insert_desc(): xa_alloc() finds no free index in [0, hwsize) → -EBUSY.
    if (idx >= size) return { index: -EBUSY, virq: 0 };
  } else if (!Number.isInteger(index) || index < 0 || index >= size) {
    // msi_insert_desc(): an index beyond the domain's hwsize → -ERANGE.
    return { index: -ERANGE, virq: 0 };
  } else if (dd.descs.has(index)) {
    // msi_insert_desc(): xa_insert() on an occupied index → -EBUSY.
    return { index: -EBUSY, virq: 0 };
  }
  if (affdesc?.is_managed)
    core.printk(
      'warn',
      `${dev.name}: managed interrupt affinity is not modelled: the mask is used as a plain affinity`,
    );
  const desc = newMsiDesc(dev.name, idx, icookie);
  if (affdesc) desc.affinity = [...affdesc.mask];
  dd.descs.set(idx, desc);
  const ret = allocDescIrq(core, dev, dd, desc);
  if (ret < 0) {
    dd.descs.delete(idx);
    return { index: ret, virq: 0 };
  }
  return { index: idx, virq: desc.irq };
}

/**
 * msi_domain_alloc_irqs_range(): allocates irqs for the existing descriptors [first, last]
 * (the PCI core creates them first). Returns 0 or a negative errno (all undone on failure).
 */
export function msi_domain_alloc_irqs_range(
  core: IrqCore,
  dev: MsiDevice,
  domid: number,
  first: number,
  last: number,
): number {
  const dd = dev.msiDomains[domid];
  if (dd === undefined) return -ENODEV;
  for (const desc of [...dd.descs.values()].sort((a, b) => a.msi_index - b.msi_index)) {
    if (desc.msi_index < first || desc.msi_index > last || desc.irq !== 0) continue;
    const ret = allocDescIrq(core, dev, dd, desc);
    if (ret < 0) {
      msi_domain_free_irqs_range(core, dev, domid, first, last);
      return ret;
    }
  }
  return 0;
}

function allocDescIrq(core: IrqCore, dev: MsiDevice, dd: DeviceMsiDomain, desc: MsiDesc): number {
  const { domain, info } = dd;
  // x86_msi_prepare: PCI MSI-X and IMS allocate as X86_IRQ_ALLOC_TYPE_PCI_MSIX.
  const arg: IrqAllocInfo = {
    type: info.bus_token === DOMAIN_BUS_PCI_DEVICE_MSI ? 'msi' : 'msix',
    hwirq: 0,
    requesterId: dev.requesterId,
    desc,
  };
  info.ops.prepare_desc?.(domain, arg, desc);
  if (info.ops.set_desc) info.ops.set_desc(arg, desc);
  const virq = irq_domain_alloc_irqs(core.descs, domain, desc.nvec_used, arg, dev.name);
  if (virq < 0) {
    core.printk(
      'err',
      `${dev.name}: failed to allocate an irq for ${domain.name} index ${desc.msi_index}: ${errnoName(virq)}`,
    );
    return virq;
  }
  desc.irq = virq;
  const irqd = core.irq_to_desc(virq)!.irq_data;
  irqd.common.msi_desc = desc;
  // alloc_descs() with an affinity descriptor: the irq starts with that affinity.
  if (desc.affinity !== undefined) irqd.common.affinity = [...desc.affinity];
  // msi_check_reservation_mode(): only PCI MSI/MSI-X domains that must reactivate keep the
  // reservation; everything else gets its real vector at activation.
  const canReserve =
    (info.bus_token === DOMAIN_BUS_PCI_DEVICE_MSIX ||
      info.bus_token === DOMAIN_BUS_PCI_DEVICE_MSI) &&
    (info.flags & MSI_FLAG_MUST_REACTIVATE) !== 0;
  if (!canReserve) irqd.clear(IRQD_CAN_RESERVE);
  if ((info.flags & MSI_FLAG_ACTIVATE_EARLY) !== 0) {
    const ret = irq_domain_activate_irq(irqd, canReserve);
    if (ret < 0) {
      irq_domain_free_irqs(core.descs, virq, desc.nvec_used);
      desc.irq = 0;
      return ret;
    }
    // msi_init_virq(): in reservation mode clear IRQD_ACTIVATED so that request_irq() assigns
    // the final vector.
    if (canReserve) irqd.clear(IRQD_ACTIVATED);
  }
  return 0;
}

/**
 * msi_domain_free_irqs_range(): frees the irqs of descriptors [first, last] (deactivating them)
 * and, with MSI_FLAG_FREE_MSI_DESCS, the descriptors. An irq that still has a handler is freed
 * with a warning, as the kernel WARNs.
 */
export function msi_domain_free_irqs_range(
  core: IrqCore,
  dev: MsiDevice,
  domid: number,
  first: number,
  last: number,
): void {
  const dd = dev.msiDomains[domid];
  if (dd === undefined) return;
  for (const desc of [...dd.descs.values()]) {
    if (desc.msi_index < first || desc.msi_index > last) continue;
    if (desc.irq !== 0) {
      const irqDesc = core.irq_to_desc(desc.irq);
      if (irqDesc?.action) {
        core.printk(
          'warn',
          `WARNING: freeing irq ${desc.irq} of ${dev.name} while it still has a handler (${irqDesc.action.name}); call free_irq() first`,
        );
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- free_irq() unlinks the action
        while (irqDesc.action !== null) free_irq(core, desc.irq, irqDesc.action.dev_id);
      }
      irq_domain_deactivate_irq(irqDesc!.irq_data);
      irq_domain_free_irqs(core.descs, desc.irq, desc.nvec_used);
      desc.irq = 0;
    }
    if ((dd.info.flags & MSI_FLAG_FREE_MSI_DESCS) !== 0) dd.descs.delete(desc.msi_index);
  }
}

/** msi_domain_get_virq() / msi_get_virq(): the Linux irq at `index` (0 if none). */
export function msi_get_virq(dev: MsiDevice, domid: number, index: number): number {
  return dev.msiDomains[domid]?.descs.get(index)?.irq ?? 0;
}

export { irq_data_get_msi_desc };
