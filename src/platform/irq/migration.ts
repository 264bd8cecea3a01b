/**
 * Deferred affinity changes (kernel/irq/migration.c, CONFIG_GENERIC_PENDING_IRQ as x86 has it):
 * a move that cannot be done now — the chip moves only at an interrupt (IRQCHIP_MOVE_DEFERRED),
 * or the vector layer is busy with the previous move (-EBUSY) — is remembered in
 * desc->pending_mask with IRQD_SETAFFINITY_PENDING and carried out by irq_move_irq() from the
 * chip's ack of the next interrupt (apic_ack_edge / apic_ack_irq).
 */
import type { IrqCore } from './core';
import type { IrqData } from './irqdata';
import type { IrqDesc } from './irqdesc';
import { irq_do_set_affinity } from './manage';
import { EBUSY, IRQD_IRQ_DISABLED, IRQD_IRQ_MASKED, IRQD_SETAFFINITY_PENDING } from './types';

/**
 * irq_fixup_move_pending(): for a CPU going down. Returns true when a move is pending and its
 * mask has another online CPU (the pending bit is cleared when `force_clear`); a pending mask
 * without online CPUs is dropped.
 */
export function irq_fixup_move_pending(
  core: IrqCore,
  desc: IrqDesc,
  force_clear: boolean,
): boolean {
  const d = desc.irq_data;
  if (!d.has(IRQD_SETAFFINITY_PENDING)) return false;
  if (!desc.pending_mask.some((c) => core.cpus[c]?.online)) {
    d.clear(IRQD_SETAFFINITY_PENDING);
    return false;
  }
  if (force_clear) d.clear(IRQD_SETAFFINITY_PENDING);
  return true;
}

/**
 * irq_move_irq() / __irq_move_irq(): called from the ack of an interrupt with any level `d` of
 * the irq. Carries out a pending move with the irq masked (unless it is disabled).
 */
export function irq_move_irq(core: IrqCore, d: IrqData): void {
  const desc = core.irq_to_desc(d.irq);
  if (desc === undefined) return;
  const top = desc.irq_data;
  if (!top.has(IRQD_SETAFFINITY_PENDING)) return;
  if (top.has(IRQD_IRQ_DISABLED)) return;
  // "Be careful vs. already masked interrupts": mask only what is unmasked, through the chip.
  const masked = top.has(IRQD_IRQ_MASKED);
  if (!masked) top.chip.irq_mask?.(top);
  irq_move_masked_irq(core, desc);
  if (!masked) top.chip.irq_unmask?.(top);
}

/**
 * irq_move_masked_irq(): applies desc->pending_mask if it has an online CPU; -EBUSY from the
 * vector layer keeps the move pending for the interrupt after.
 */
export function irq_move_masked_irq(core: IrqCore, desc: IrqDesc): void {
  const d = desc.irq_data;
  if (!d.has(IRQD_SETAFFINITY_PENDING)) return;
  d.clear(IRQD_SETAFFINITY_PENDING);
  if (desc.pending_mask.length === 0 || !d.chip.irq_set_affinity) return;
  if (desc.pending_mask.some((c) => core.cpus[c]?.online)) {
    const ret = irq_do_set_affinity(core, d, desc.pending_mask, false);
    if (ret === -EBUSY) {
      d.set(IRQD_SETAFFINITY_PENDING);
      return;
    }
  }
  desc.pending_mask = [];
}
