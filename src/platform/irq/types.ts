/**
 * Types and constants of the generic irq layer, spelled as Linux spells them
 * (include/linux/irq.h, irqdomain.h, interrupt.h, irqreturn.h, msi.h).
 */
import type { IrqData } from './irqdata';
import type { IrqDomain } from './irqdomain';

/** struct msi_msg: the address/data pair a device writes. */
export interface MsiMsg {
  address_lo: number;
  address_hi: number;
  data: number;
}

/**
 * struct irq_chip: callbacks of one level of the hierarchy. Chips supplied by a driver model
 * (the IMS chip) are plain objects with the same member names.
 */
export interface IrqChip {
  name: string;
  flags?: number;
  irq_startup?: (d: IrqData) => unknown;
  irq_shutdown?: (d: IrqData) => void;
  irq_enable?: (d: IrqData) => void;
  irq_disable?: (d: IrqData) => void;
  irq_ack?: (d: IrqData) => void;
  irq_mask?: (d: IrqData) => void;
  irq_unmask?: (d: IrqData) => void;
  irq_eoi?: (d: IrqData) => void;
  irq_set_affinity?: (d: IrqData, mask: readonly number[], force: boolean) => number;
  irq_retrigger?: (d: IrqData) => number;
  irq_compose_msi_msg?: (d: IrqData, msg: MsiMsg) => void;
  irq_write_msi_msg?: (d: IrqData, msg: MsiMsg) => void;
}

/** Allocation argument passed down the hierarchy (x86 struct irq_alloc_info / msi_alloc_info_t). */
export interface IrqAllocInfo {
  /** X86_IRQ_ALLOC_TYPE_*; `msix` also for IMS (x86_msi_prepare); `dmar` for a DMAR-MSI irq. */
  type: 'msi' | 'msix' | 'dmar';
  /** Requested CPUs for an immediate vector assignment; undefined → reservation. */
  mask?: readonly number[];
  /** hwirq chosen by the top domain (msi_domain_ops.get_hwirq / prepare_desc). */
  hwirq: number;
  /** Requester id of the device (for the IRTE's SID). */
  requesterId: number;
  /** The MSI descriptor being allocated. */
  desc?: unknown;
}

/** struct irq_domain_ops, the subset the platform's domains implement. */
export interface IrqDomainOps {
  /** Allocates `nr` irqs from `virq`; returns 0 or a negative errno. Must set hwirq and chip. */
  alloc(domain: IrqDomain, virq: number, nr: number, arg: IrqAllocInfo): number;
  free?(domain: IrqDomain, virq: number, nr: number): void;
  /** Returns 0 or a negative errno. */
  activate?(domain: IrqDomain, d: IrqData, reserve: boolean): number;
  deactivate?(domain: IrqDomain, d: IrqData): void;
  /** Per-domain (d null) or per-irq lines for debugfs, at indent `ind`. */
  debug_show?(domain: IrqDomain, d: IrqData | null, ind: number): string;
}

// ---- irqreturn.h ----
export const IRQ_NONE = 0;
export const IRQ_HANDLED = 1;
export const IRQ_WAKE_THREAD = 2;

// ---- interrupt.h request flags ----
export const IRQF_SHARED = 0x00000080;
export const IRQF_ONESHOT = 0x00002000;
export const IRQF_NO_THREAD = 0x00010000;

// ---- irq.h: irq_data state (IRQD_*) ----
export const IRQD_SETAFFINITY_PENDING = 1 << 8;
export const IRQD_ACTIVATED = 1 << 9;
export const IRQD_IRQ_STARTED = 1 << 22;
export const IRQD_IRQ_DISABLED = 1 << 16;
export const IRQD_IRQ_MASKED = 1 << 17;
export const IRQD_IRQ_INPROGRESS = 1 << 18;
export const IRQD_SINGLE_TARGET = 1 << 24;
export const IRQD_AFFINITY_SET = 1 << 12;
export const IRQD_CAN_RESERVE = 1 << 26;
/** x86_vector_alloc_irqs() sets it on every irq: affinity changes before activation are stored. */
export const IRQD_AFFINITY_ON_ACTIVATE = 1 << 28;
export const IRQD_TRIGGER_RISING = 1;

/** Names of IRQD_* bits for debugfs (kernel/irq/debugfs.c irqdata_states). */
export const IRQD_NAMES: readonly (readonly [number, string])[] = [
  [IRQD_TRIGGER_RISING, 'IRQ_TYPE_EDGE_RISING'],
  [IRQD_SETAFFINITY_PENDING, 'IRQD_SETAFFINITY_PENDING'],
  [IRQD_ACTIVATED, 'IRQD_ACTIVATED'],
  [IRQD_IRQ_STARTED, 'IRQD_IRQ_STARTED'],
  [IRQD_IRQ_DISABLED, 'IRQD_IRQ_DISABLED'],
  [IRQD_IRQ_MASKED, 'IRQD_IRQ_MASKED'],
  [IRQD_IRQ_INPROGRESS, 'IRQD_IRQ_INPROGRESS'],
  [IRQD_SINGLE_TARGET, 'IRQD_SINGLE_TARGET'],
  [IRQD_AFFINITY_SET, 'IRQD_AFFINITY_SET'],
  [IRQD_CAN_RESERVE, 'IRQD_CAN_RESERVE'],
];

// ---- irq desc istate (internals.h IRQS_*) ----
export const IRQS_ONESHOT = 0x00000020;
export const IRQS_REPLAY = 0x00000040;
export const IRQS_WAITING = 0x00000080;
export const IRQS_PENDING = 0x00000200;

// ---- irq_chip flags (IRQCHIP_*) ----
export const IRQCHIP_SKIP_SET_WAKE = 1 << 4;
export const IRQCHIP_ONESHOT_SAFE = 1 << 5;
export const IRQCHIP_AFFINITY_PRE_STARTUP = 1 << 10;
export const IRQCHIP_IMMUTABLE = 1 << 11;
/**
 * IRQCHIP_MOVE_DEFERRED (v6.13+, replacing IRQD_MOVE_PCNTXT): affinity changes of this chip are
 * carried out at the next interrupt (irq_move_irq), not in process context. x86 sets it on MSI
 * chips directly below the vector domain (no interrupt remapping).
 */
export const IRQCHIP_MOVE_DEFERRED = 1 << 12;

// ---- irq_set_affinity return codes ----
export const IRQ_SET_MASK_OK = 0;
export const IRQ_SET_MASK_OK_NOCOPY = 1;
export const IRQ_SET_MASK_OK_DONE = 2;

// ---- irqdomain.h domain flags ----
export const IRQ_DOMAIN_FLAG_HIERARCHY = 1 << 0;
export const IRQ_DOMAIN_NAME_ALLOCATED = 1 << 1;
export const IRQ_DOMAIN_FLAG_MSI = 1 << 4;
export const IRQ_DOMAIN_FLAG_ISOLATED_MSI = 1 << 5;
export const IRQ_DOMAIN_FLAG_MSI_PARENT = 1 << 8;
export const IRQ_DOMAIN_FLAG_MSI_DEVICE = 1 << 9;

export const IRQ_DOMAIN_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [IRQ_DOMAIN_FLAG_HIERARCHY, 'IRQ_DOMAIN_FLAG_HIERARCHY'],
  [IRQ_DOMAIN_NAME_ALLOCATED, 'IRQ_DOMAIN_NAME_ALLOCATED'],
  [IRQ_DOMAIN_FLAG_MSI, 'IRQ_DOMAIN_FLAG_MSI'],
  [IRQ_DOMAIN_FLAG_ISOLATED_MSI, 'IRQ_DOMAIN_FLAG_ISOLATED_MSI'],
  [IRQ_DOMAIN_FLAG_MSI_PARENT, 'IRQ_DOMAIN_FLAG_MSI_PARENT'],
  [IRQ_DOMAIN_FLAG_MSI_DEVICE, 'IRQ_DOMAIN_FLAG_MSI_DEVICE'],
];

// ---- enum irq_domain_bus_token (subset; values as in v6.2, the numbering moved later) ----
export const DOMAIN_BUS_ANY = 0;
export const DOMAIN_BUS_PCI_DEVICE_MSI = 11;
export const DOMAIN_BUS_PCI_DEVICE_MSIX = 12;
export const DOMAIN_BUS_DMAR = 13;
export const DOMAIN_BUS_PCI_DEVICE_IMS = 15;

// ---- msi.h: msi_domain_info flags (6.2+ layout) ----
export const MSI_FLAG_USE_DEF_DOM_OPS = 1 << 0;
export const MSI_FLAG_USE_DEF_CHIP_OPS = 1 << 1;
export const MSI_FLAG_ACTIVATE_EARLY = 1 << 2;
export const MSI_FLAG_MUST_REACTIVATE = 1 << 3;
export const MSI_FLAG_DEV_SYSFS = 1 << 4;
export const MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS = 1 << 5;
export const MSI_FLAG_FREE_MSI_DESCS = 1 << 6;
export const MSI_FLAG_PCI_MSIX = 1 << 17;
export const MSI_FLAG_PCI_MSIX_ALLOC_DYN = 1 << 20;
export const MSI_FLAG_PCI_IMS = 1 << 21;

/** enum msi_domain_ids. */
export const MSI_DEFAULT_DOMAIN = 0;
export const MSI_SECONDARY_DOMAIN = 1;
/** MSI_ANY_INDEX: let the core pick the first free index. */
export const MSI_ANY_INDEX = 0xffffffff;

// ---- errno (returned negated, as the kernel does) ----
export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const ENOMEM = 12;
export const EBUSY = 16;
export const ENODEV = 19;
export const ENOTTY = 25;
export const EINVAL = 22;
export const EEXIST = 17;
export const ENOSPC = 28;
export const ERANGE = 34;
export const ENOTSUPP = 524;

export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  [EPERM]: 'EPERM',
  [ENOENT]: 'ENOENT',
  [EIO]: 'EIO',
  [ENOMEM]: 'ENOMEM',
  [EBUSY]: 'EBUSY',
  [ENODEV]: 'ENODEV',
  [ENOTTY]: 'ENOTTY',
  [EINVAL]: 'EINVAL',
  [ENOSPC]: 'ENOSPC',
  [ERANGE]: 'ERANGE',
  [ENOTSUPP]: 'ENOTSUPP',
};

/** `-EINVAL (-22)` for an errno value (positive or negative). */
export function errnoName(err: number): string {
  const e = Math.abs(err);
  return `-${ERRNO_NAMES[e] ?? 'E?'} (${-e})`;
}
