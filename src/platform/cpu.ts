/**
 * An emulated CPU as the interrupt path sees it: its local APIC, the interrupt flag
 * (RFLAGS.IF, cleared by local_irq_disable), online state, and Linux's per-CPU vector_irq table
 * (arch/x86/kernel/irq.c: vector → irq_desc).
 */
import { LocalApic } from './apic/lapic';
import type { IrqDesc } from './irq/irqdesc';

/** What a CPU is running an interrupt for (a frame of the views' "in service" list). */
export interface InService {
  irq: number;
  vector: number;
  /** Trace message id that raised it (0 if unknown). */
  messageId: number;
  /** 'hardirq' while the flow handler and primary handler run, 'thread' for the irq thread. */
  context: 'hardirq' | 'thread';
}

export class Cpu {
  readonly apic: LocalApic;
  online = true;
  /** RFLAGS.IF: interrupts enabled. */
  irqsEnabled = true;
  /** per_cpu(vector_irq): the desc each vector is routed to. */
  readonly vector_irq: (IrqDesc | undefined)[] = new Array<IrqDesc | undefined>(256).fill(
    undefined,
  );
  /** Interrupts this CPU is handling now, outermost first. */
  readonly inService: InService[] = [];

  /**
   * @param id CPU number (the Linux cpu id)
   * @param apicId its APIC ID (here equal to the CPU number, x2APIC)
   */
  constructor(
    readonly id: number,
    apicId: number,
  ) {
    this.apic = new LocalApic(apicId);
  }

  /** Whether this CPU would take an interrupt now. */
  get canTakeInterrupt(): boolean {
    return this.online && this.irqsEnabled && this.apic.deliverable() >= 0;
  }
}
