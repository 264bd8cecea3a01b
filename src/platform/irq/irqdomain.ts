/**
 * Hierarchical irq domains (kernel/irq/irqdomain.c): each domain has a parent; allocating an irq
 * in a child allocates it in every ancestor first (each domain's `alloc` calls
 * `allocParent`), activation walks from the root up, deactivation from the top down.
 * Nothing here knows a particular device or interrupt controller.
 */
import type { IrqDescTable } from './irqdesc';
import { IrqData } from './irqdata';
import {
  EINVAL,
  ENOSPC,
  IRQD_ACTIVATED,
  IRQ_DOMAIN_FLAG_HIERARCHY,
  IRQ_DOMAIN_FLAG_MSI_PARENT,
  IRQ_DOMAIN_NAME_ALLOCATED,
  type IrqAllocInfo,
  type IrqChip,
  type IrqDomainOps,
} from './types';

/** struct msi_parent_ops: what a parent offers per-device MSI domains below it. */
export interface MsiParentOps {
  /** Prefix of child domain names, e.g. "IR-". */
  prefix: string;
  supported_flags: number;
}

export class IrqDomain {
  /** hwirq → irq_data of this level (the revmap). */
  readonly revmap = new Map<number, IrqData>();
  msi_parent_ops: MsiParentOps | undefined;
  /** Device name for per-device domains. */
  dev: string | undefined;

  /**
   * irq_domain_create_hierarchy().
   * @param name the domain's name as debugfs shows it
   * @param parent the parent domain, null for a root
   * @param flags IRQ_DOMAIN_FLAG_* (HIERARCHY and NAME_ALLOCATED are added)
   * @param hwsize number of hwirqs (0 = unlimited; debugfs prints it as `size`)
   * @param host_data domain data (msi_domain_info for MSI domains)
   */
  constructor(
    readonly name: string,
    readonly parent: IrqDomain | null,
    public flags: number,
    readonly hwsize: number,
    readonly ops: IrqDomainOps,
    readonly host_data: unknown,
    readonly bus_token: number,
  ) {
    this.flags |= IRQ_DOMAIN_FLAG_HIERARCHY | IRQ_DOMAIN_NAME_ALLOCATED;
  }

  /** Number of irqs mapped in this domain (mapcount). */
  get mapcount(): number {
    return this.revmap.size;
  }

  /** irq_domain_is_msi_parent(). */
  get isMsiParent(): boolean {
    return (this.flags & IRQ_DOMAIN_FLAG_MSI_PARENT) !== 0;
  }

  /** This domain and its ancestors, top first. */
  chain(): IrqDomain[] {
    const out: IrqDomain[] = [this];
    for (let d = this.parent; d; d = d.parent) out.push(d);
    return out;
  }
}

/** irq_domain_get_irq_data(): the irq_data of `virq` at level `domain`, or null. */
export function irq_domain_get_irq_data(
  descs: IrqDescTable,
  domain: IrqDomain,
  virq: number,
): IrqData | null {
  for (let d: IrqData | null = descs.get(virq)?.irq_data ?? null; d; d = d.parent_data) {
    if (d.domain === domain) return d;
  }
  return null;
}

/** irq_domain_set_hwirq_and_chip(): returns 0 or -EINVAL if `virq` has no level in `domain`. */
export function irq_domain_set_hwirq_and_chip(
  descs: IrqDescTable,
  domain: IrqDomain,
  virq: number,
  hwirq: number,
  chip: IrqChip,
  chip_data: unknown,
): number {
  const d = irq_domain_get_irq_data(descs, domain, virq);
  if (d === null) return -EINVAL;
  d.hwirq = hwirq;
  d.chip = chip;
  d.chip_data = chip_data;
  return 0;
}

/**
 * irq_domain_alloc_irqs(): allocates `nr` Linux irqs (descs) and the irq_data chain from
 * `domain` to the root, then calls the domain's alloc (which allocates in its parents first),
 * and inserts each level into its domain's revmap. Returns the first virq or a negative errno;
 * on failure everything is undone.
 */
export function irq_domain_alloc_irqs(
  descs: IrqDescTable,
  domain: IrqDomain,
  nr: number,
  arg: IrqAllocInfo,
  owner: string | undefined,
): number {
  const virq = descs.alloc(nr, owner);
  if (virq < 0) return -ENOSPC;
  for (let i = 0; i < nr; i++) {
    const desc = descs.get(virq + i)!;
    let child: IrqData | null = null;
    for (const level of domain.chain()) {
      const d = new IrqData(virq + i, desc.common, level);
      if (child === null) desc.irq_data = d;
      else child.parent_data = d;
      child = d;
    }
  }
  const ret = domain.ops.alloc(domain, virq, nr, arg);
  if (ret < 0) {
    descs.free(virq, nr);
    return ret;
  }
  for (let i = 0; i < nr; i++) {
    for (let d: IrqData | null = descs.get(virq + i)!.irq_data; d; d = d.parent_data)
      d.domain.revmap.set(d.hwirq, d);
  }
  return virq;
}

/** irq_domain_alloc_irqs_parent(): lets `domain`'s parent allocate its level of `virq..+nr`. */
export function irq_domain_alloc_irqs_parent(
  domain: IrqDomain,
  virq: number,
  nr: number,
  arg: IrqAllocInfo,
): number {
  if (domain.parent === null) return -EINVAL;
  return domain.parent.ops.alloc(domain.parent, virq, nr, arg);
}

/** irq_domain_free_irqs_parent(). */
export function irq_domain_free_irqs_parent(domain: IrqDomain, virq: number, nr: number): void {
  domain.parent?.ops.free?.(domain.parent, virq, nr);
}

/**
 * irq_domain_free_irqs(): removes `virq..+nr` from every domain's revmap, lets the top domain
 * free (it frees its parents), and frees the descs.
 */
export function irq_domain_free_irqs(descs: IrqDescTable, virq: number, nr: number): void {
  const top = descs.get(virq)?.irq_data;
  if (top === undefined) return;
  for (let i = 0; i < nr; i++) {
    for (let d: IrqData | null = descs.get(virq + i)?.irq_data ?? null; d; d = d.parent_data) {
      if (d.domain.revmap.get(d.hwirq) === d) d.domain.revmap.delete(d.hwirq);
    }
  }
  top.domain.ops.free?.(top.domain, virq, nr);
  descs.free(virq, nr);
}

/**
 * irq_domain_activate_irq(): activates each level from the root up; on failure the levels
 * already activated are deactivated. Returns 0 or a negative errno.
 */
export function irq_domain_activate_irq(d: IrqData, reserve: boolean): number {
  if (d.has(IRQD_ACTIVATED)) return 0;
  const ret = activate(d, reserve);
  if (ret === 0) d.set(IRQD_ACTIVATED);
  return ret;
}

function activate(d: IrqData, reserve: boolean): number {
  if (d.parent_data !== null) {
    const r = activate(d.parent_data, reserve);
    if (r !== 0) return r;
  }
  const r = d.domain.ops.activate?.(d.domain, d, reserve) ?? 0;
  if (r !== 0 && d.parent_data !== null) deactivate(d.parent_data);
  return r;
}

/** irq_domain_deactivate_irq(): deactivates from the top level down. */
export function irq_domain_deactivate_irq(d: IrqData): void {
  if (!d.has(IRQD_ACTIVATED)) return;
  deactivate(d);
  d.clear(IRQD_ACTIVATED);
}

function deactivate(d: IrqData): void {
  d.domain.ops.deactivate?.(d.domain, d);
  if (d.parent_data !== null) deactivate(d.parent_data);
}
