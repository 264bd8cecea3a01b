/**
 * struct irq_desc and the table of Linux irq numbers (kernel/irq/irqdesc.c).
 *
 * Linux irq numbers ("virq") 0–23 belong to the legacy and IO-APIC GSIs on x86 and are not
 * modelled; dynamically allocated irqs start at 24, as on a machine with one 24-pin IO-APIC
 * (arch_dynirq_lower_bound). Allocation takes the lowest free range (irq_alloc_descs).
 */
import { IrqCommonData, type IrqData } from './irqdata';
import type { IrqAction } from './action';
import { IRQD_IRQ_DISABLED, IRQD_IRQ_MASKED } from './types';

/** First dynamically allocated irq number. */
export const FIRST_DYN_IRQ = 24;
/** Highest irq number (NR_IRQS on a large x86 config is far beyond; this bounds the table). */
export const NR_IRQS = 1 << 16;

export class IrqDesc {
  /** Top-level irq_data (the per-device domain's level), set by irq_domain_alloc_irqs. */
  irq_data!: IrqData;
  readonly common = new IrqCommonData();
  /** Flow handler name (`handle_edge_irq`) and its `name` for /proc/interrupts (`edge`). */
  handler: 'handle_edge_irq' | 'handle_bad_irq' = 'handle_bad_irq';
  handler_name = '';
  action: IrqAction | null = null;
  /** Nested disable depth (disable_irq). 1 = disabled since allocation until started. */
  depth = 1;
  /** IRQS_* state. */
  istate = 0;
  /** Interrupts handled (kstat), total and per CPU. */
  tot_count = 0;
  readonly kstat: number[] = [];
  irqs_unhandled = 0;
  /** Owning device name. */
  dev: string | undefined;
  /** desc->pending_mask: the affinity a deferred move will apply (IRQD_SETAFFINITY_PENDING). */
  pending_mask: number[] = [];

  constructor(readonly irq: number) {
    // desc_set_defaults(): a new irq is disabled and masked until irq_startup().
    this.common.state = IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED;
  }

  /** The `name` of the first action (request_irq's devname), or ''. */
  get actionName(): string {
    return this.action?.name ?? '';
  }
}

export class IrqDescTable {
  private readonly descs = new Map<number, IrqDesc>();

  get(irq: number): IrqDesc | undefined {
    return this.descs.get(irq);
  }

  /** The allocated descs in no particular order (cheaper than all() when order does not matter). */
  values(): IterableIterator<IrqDesc> {
    return this.descs.values();
  }

  /** How many descs are allocated. */
  get size(): number {
    return this.descs.size;
  }

  /** All allocated descs in irq order. */
  all(): IrqDesc[] {
    return [...this.descs.values()].sort((a, b) => a.irq - b.irq);
  }

  /** irq_alloc_descs(): `nr` consecutive free irqs from FIRST_DYN_IRQ; returns the first or -1. */
  alloc(nr: number, owner: string | undefined): number {
    let start = FIRST_DYN_IRQ;
    for (;;) {
      if (start + nr > NR_IRQS) return -1;
      let free = true;
      for (let i = 0; i < nr; i++) {
        if (this.descs.has(start + i)) {
          start += i + 1;
          free = false;
          break;
        }
      }
      if (free) break;
    }
    for (let i = 0; i < nr; i++) {
      const d = new IrqDesc(start + i);
      d.dev = owner;
      this.descs.set(start + i, d);
    }
    return start;
  }

  /** irq_free_descs(). */
  free(irq: number, nr: number): void {
    for (let i = 0; i < nr; i++) this.descs.delete(irq + i);
  }
}
