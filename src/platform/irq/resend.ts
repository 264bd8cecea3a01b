/**
 * Interrupt injection for debugging, as kernel/irq/resend.c does it (CONFIG_GENERIC_IRQ_INJECTION,
 * which CONFIG_GENERIC_IRQ_DEBUGFS selects): `echo trigger > /sys/kernel/debug/irq/irqs/<n>`
 * calls irq_debug_write() → irq_inject_interrupt() → check_irq_resend(desc, inject = true) →
 * try_retrigger(): the top chip's irq_retrigger, else irq_chip_retrigger_hierarchy() — on x86
 * the vector domain's apic_retrigger_irq(), a self-IPI of the irq's current vector to its current
 * CPU (it sets the vector's IRR bit; the CPU takes it at the next statement boundary with
 * interrupts enabled, and handle_edge_irq() clears IRQS_REPLAY).
 *
 * The platform's chips implement no irq_set_irqchip_state (the first thing the kernel tries), all
 * its irqs are edge-type and none is an NMI, and x86 has no HARDIRQS_SW_RESEND (irq_sw_resend()
 * returns -EINVAL): so an irq whose hierarchy cannot retrigger cannot be injected.
 */
import type { IrqCore } from './core';
import type { IrqData } from './irqdata';
import type { IrqDesc } from './irqdesc';
import { EBUSY, EINVAL, IRQD_ACTIVATED, IRQS_PENDING, IRQS_REPLAY } from './types';

/**
 * try_retrigger(): the top level's chip if it can retrigger, else the first parent level's
 * (irq_chip_retrigger_hierarchy). Returns the chip's result (1 = done), 0 when none can.
 */
function try_retrigger(d: IrqData): number {
  for (let p: IrqData | null = d; p; p = p.parent_data)
    if (p.chip.irq_retrigger) return p.chip.irq_retrigger(p);
  return 0;
}

/**
 * check_irq_resend(desc, inject = true): -EBUSY while a replay is in flight (IRQS_REPLAY, cleared
 * when the flow handler runs), else IRQS_PENDING is cleared and the hierarchy retriggers; on
 * success IRQS_REPLAY is set. Returns 0 or a negative errno (-EINVAL: nothing can retrigger and
 * there is no software resend).
 */
function checkIrqResendInject(desc: IrqDesc): number {
  if ((desc.istate & IRQS_REPLAY) !== 0) return -EBUSY;
  desc.istate &= ~IRQS_PENDING;
  if (!try_retrigger(desc.irq_data)) return -EINVAL;
  desc.istate |= IRQS_REPLAY;
  return 0;
}

/**
 * irq_inject_interrupt(irq): makes Linux irq `irq` pending as if its device had sent it — for
 * debugging only, as the kernel says. Returns 0, or a negative errno:
 * - -EINVAL: no such irq, the irq is not activated (no vector yet: not requested, or shut
 *   down), or no level of its hierarchy can retrigger;
 * - -EBUSY: an injected or resent interrupt has not been handled yet (IRQS_REPLAY).
 * Source: kernel/irq/resend.c irq_inject_interrupt, check_irq_resend, try_retrigger;
 * arch/x86/kernel/apic/vector.c apic_retrigger_irq.
 */
export function irq_inject_interrupt(core: IrqCore, irq: number): number {
  const desc = core.irq_to_desc(irq);
  if (desc === undefined) return -EINVAL;
  if (!desc.irq_data.has(IRQD_ACTIVATED)) return -EINVAL;
  return checkIrqResendInject(desc);
}
