/**
 * struct irq_data and struct irq_common_data (include/linux/irq.h): one `IrqData` per level of
 * the hierarchy for a Linux irq, chained child → parent through `parent_data`; the state bits,
 * MSI descriptor and affinity are shared by all levels in `common`.
 */
import type { IrqChip } from './types';
import type { IrqDomain } from './irqdomain';
import type { MsiDesc } from './msi-desc';

/** The chip of an irq_data that has none yet (no_irq_chip). */
export const no_irq_chip: IrqChip = { name: 'none' };

export class IrqCommonData {
  /** IRQD_* state bits (irq_common_data.state_use_accessors). */
  state = 0;
  /** The MSI descriptor of an MSI irq. */
  msi_desc: MsiDesc | null = null;
  /** Requested affinity: CPU numbers. Empty = all CPUs (irq_default_affinity). */
  affinity: number[] = [];
  /** Effective affinity (the one CPU the vector is on). */
  effective_affinity: number[] = [];
}

export class IrqData {
  /** Hardware irq number in `domain`. */
  hwirq = 0;
  chip: IrqChip = no_irq_chip;
  /** The domain-private data (apic_chip_data, intel_ir_data, the msi desc's cookie…). */
  chip_data: unknown = null;
  parent_data: IrqData | null = null;

  /**
   * @param irq the Linux irq number (virq)
   * @param common state shared by all levels of this irq
   * @param domain the domain this level belongs to
   */
  constructor(
    readonly irq: number,
    readonly common: IrqCommonData,
    readonly domain: IrqDomain,
  ) {}

  /** irqd_is_*: tests IRQD_* bits. */
  has(bits: number): boolean {
    return (this.common.state & bits) !== 0;
  }

  set(bits: number): void {
    this.common.state |= bits;
  }

  clear(bits: number): void {
    this.common.state &= ~bits;
  }
}

/** irq_data_get_msi_desc(). */
export function irq_data_get_msi_desc(d: IrqData): MsiDesc | null {
  return d.common.msi_desc;
}

/** irq_data_get_irq_chip_data(). */
export function irq_data_get_irq_chip_data(d: IrqData): unknown {
  return d.chip_data;
}
