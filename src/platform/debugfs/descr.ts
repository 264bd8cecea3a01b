/**
 * The bit tables debugfs prints names from (struct irq_bit_descr, BIT_MASK_DESCR), in the
 * kernel's order and with the kernel's values, as of Linux v6.15:
 * kernel/irq/debugfs.c (irqchip_flags, irqdata_states, irqdesc_states, irqdesc_istates),
 * kernel/irq/irqdomain.c (irqdomain_flags, since v6.11), include/linux/irq.h (IRQ_*, IRQD_*,
 * IRQCHIP_*), kernel/irq/internals.h (IRQS_*), include/linux/irqdomain.h (IRQ_DOMAIN_FLAG_*).
 *
 * Bits that have no entry (IRQCHIP_AFFINITY_PRE_STARTUP, IRQS_SYSFS…) count in the hex value
 * and print no name, as in the kernel.
 */

/** struct irq_bit_descr: a mask and the name BIT_MASK_DESCR() stringifies. */
export type BitDescr = readonly [mask: number, name: string];

/** irqchip_flags[]: struct irq_chip.flags (IRQCHIP_*). */
export const IRQCHIP_FLAGS: readonly BitDescr[] = [
  [1 << 0, 'IRQCHIP_SET_TYPE_MASKED'],
  [1 << 1, 'IRQCHIP_EOI_IF_HANDLED'],
  [1 << 2, 'IRQCHIP_MASK_ON_SUSPEND'],
  [1 << 3, 'IRQCHIP_ONOFFLINE_ENABLED'],
  [1 << 4, 'IRQCHIP_SKIP_SET_WAKE'],
  [1 << 5, 'IRQCHIP_ONESHOT_SAFE'],
  [1 << 6, 'IRQCHIP_EOI_THREADED'],
  [1 << 7, 'IRQCHIP_SUPPORTS_LEVEL_MSI'],
  [1 << 8, 'IRQCHIP_SUPPORTS_NMI'],
  [1 << 9, 'IRQCHIP_ENABLE_WAKEUP_ON_SUSPEND'],
  [1 << 11, 'IRQCHIP_IMMUTABLE'],
  [1 << 12, 'IRQCHIP_MOVE_DEFERRED'],
];

/** IRQD_HANDLE_ENFORCE_IRQCTX and IRQD_AFFINITY_ON_ACTIVATE (v6.6+ numbering). */
export const IRQD_HANDLE_ENFORCE_IRQCTX = 1 << 27;
export const IRQD_AFFINITY_ON_ACTIVATE = 1 << 28;

/** irqdata_states[]: irq_common_data.state_use_accessors (IRQ_TYPE_*, IRQD_*). */
export const IRQDATA_STATES: readonly BitDescr[] = [
  [0x1, 'IRQ_TYPE_EDGE_RISING'],
  [0x2, 'IRQ_TYPE_EDGE_FALLING'],
  [0x4, 'IRQ_TYPE_LEVEL_HIGH'],
  [0x8, 'IRQ_TYPE_LEVEL_LOW'],
  [1 << 13, 'IRQD_LEVEL'],

  [1 << 9, 'IRQD_ACTIVATED'],
  [1 << 22, 'IRQD_IRQ_STARTED'],
  [1 << 16, 'IRQD_IRQ_DISABLED'],
  [1 << 17, 'IRQD_IRQ_MASKED'],
  [1 << 18, 'IRQD_IRQ_INPROGRESS'],

  [1 << 11, 'IRQD_PER_CPU'],
  [1 << 10, 'IRQD_NO_BALANCING'],

  [1 << 24, 'IRQD_SINGLE_TARGET'],
  [1 << 12, 'IRQD_AFFINITY_SET'],
  [1 << 8, 'IRQD_SETAFFINITY_PENDING'],
  [1 << 21, 'IRQD_AFFINITY_MANAGED'],
  [IRQD_AFFINITY_ON_ACTIVATE, 'IRQD_AFFINITY_ON_ACTIVATE'],
  [1 << 23, 'IRQD_MANAGED_SHUTDOWN'],
  [1 << 26, 'IRQD_CAN_RESERVE'],

  [1 << 20, 'IRQD_FORWARDED_TO_VCPU'],

  [1 << 14, 'IRQD_WAKEUP_STATE'],
  [1 << 19, 'IRQD_WAKEUP_ARMED'],

  [1 << 25, 'IRQD_DEFAULT_TRIGGER_SET'],

  [IRQD_HANDLE_ENFORCE_IRQCTX, 'IRQD_HANDLE_ENFORCE_IRQCTX'],

  [1 << 29, 'IRQD_IRQ_ENABLED_ON_SUSPEND'],

  [1 << 30, 'IRQD_RESEND_WHEN_IN_PROGRESS'],
];

/** irqdesc_states[]: irq_desc.status_use_accessors (_IRQ_* = IRQ_* of include/linux/irq.h). */
export const IRQDESC_STATES: readonly BitDescr[] = [
  [1 << 10, '_IRQ_NOPROBE'],
  [1 << 11, '_IRQ_NOREQUEST'],
  [1 << 16, '_IRQ_NOTHREAD'],
  [1 << 12, '_IRQ_NOAUTOEN'],
  [1 << 15, '_IRQ_NESTED_THREAD'],
  [1 << 17, '_IRQ_PER_CPU_DEVID'],
  [1 << 18, '_IRQ_IS_POLLED'],
  [1 << 19, '_IRQ_DISABLE_UNLAZY'],
  [1 << 20, '_IRQ_HIDDEN'],
];

/** IRQS_SYSFS: the irq has its /sys/kernel/irq/<n> directory (no name in the table). */
export const IRQS_SYSFS = 0x00004000;

/** irqdesc_istates[]: irq_desc.istate (IRQS_*). */
export const IRQDESC_ISTATES: readonly BitDescr[] = [
  [0x00000001, 'IRQS_AUTODETECT'],
  [0x00000002, 'IRQS_SPURIOUS_DISABLED'],
  [0x00000008, 'IRQS_POLL_INPROGRESS'],
  [0x00000020, 'IRQS_ONESHOT'],
  [0x00000040, 'IRQS_REPLAY'],
  [0x00000080, 'IRQS_WAITING'],
  [0x00000200, 'IRQS_PENDING'],
  [0x00000800, 'IRQS_SUSPENDED'],
  [0x00002000, 'IRQS_NMI'],
];

/** irqdomain_flags[]: irq_domain.flags (IRQ_DOMAIN_FLAG_*). */
export const IRQDOMAIN_FLAGS: readonly BitDescr[] = [
  [1 << 0, 'IRQ_DOMAIN_FLAG_HIERARCHY'],
  [1 << 1, 'IRQ_DOMAIN_NAME_ALLOCATED'],
  [1 << 2, 'IRQ_DOMAIN_FLAG_IPI_PER_CPU'],
  [1 << 3, 'IRQ_DOMAIN_FLAG_IPI_SINGLE'],
  [1 << 4, 'IRQ_DOMAIN_FLAG_MSI'],
  [1 << 5, 'IRQ_DOMAIN_FLAG_ISOLATED_MSI'],
  [1 << 6, 'IRQ_DOMAIN_FLAG_NO_MAP'],
  [1 << 8, 'IRQ_DOMAIN_FLAG_MSI_PARENT'],
  [1 << 9, 'IRQ_DOMAIN_FLAG_MSI_DEVICE'],
  [1 << 16, 'IRQ_DOMAIN_FLAG_NONCORE'],
];

/**
 * irq_debug_show_bits(): one line per set bit of `state` that has a name, in table order,
 * each indented by `ind + 12` (`"%*s%s\n", ind + 12, ""`).
 */
export function showBits(ind: number, state: number, table: readonly BitDescr[]): string {
  let out = '';
  for (const [mask, name] of table) if ((state & mask) !== 0) out += `${pad(ind + 12)}${name}\n`;
  return out;
}

/** `%*s` with an empty string: `width` spaces. */
export function pad(width: number): string {
  return ' '.repeat(Math.max(0, width));
}

/** `0x%08x`. */
export function hex08(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** `0x%lx`. */
export function hexl(n: number): string {
  return `0x${n.toString(16)}`;
}
