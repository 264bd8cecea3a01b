/**
 * irq chip helpers of kernel/irq/chip.c: walking to the parent for ack and message composition,
 * masking with the IRQD_IRQ_MASKED bookkeeping, startup/shutdown and lazy disable.
 */
import type { IrqCore } from './core';
import type { IrqData } from './irqdata';
import type { IrqDesc } from './irqdesc';
import { irq_domain_activate_irq, irq_domain_deactivate_irq } from './irqdomain';
import {
  IRQD_IRQ_DISABLED,
  IRQD_IRQ_MASKED,
  IRQD_IRQ_STARTED,
  IRQS_PENDING,
  IRQS_REPLAY,
  type MsiMsg,
} from './types';

/** irq_chip_ack_parent(): the MSI levels forward ack to the parent (ends in an APIC EOI). */
export function irq_chip_ack_parent(d: IrqData): void {
  const p = d.parent_data;
  if (p?.chip.irq_ack) p.chip.irq_ack(p);
}

/**
 * irq_chip_retrigger_hierarchy(): the first parent level whose chip can retrigger does (on x86
 * the APIC level: a self-IPI of the irq's current vector to its current CPU). Returns its result,
 * or 0 when none can.
 */
export function irq_chip_retrigger_hierarchy(d: IrqData): number {
  for (let p = d.parent_data; p; p = p.parent_data)
    if (p.chip.irq_retrigger) return p.chip.irq_retrigger(p);
  return 0;
}

/**
 * irq_chip_compose_msi_msg(): the nearest level (from `d` towards the root) whose chip composes
 * messages composes it (the IR level with interrupt remapping, else the vector level).
 * Returns false if no level can.
 */
export function irq_chip_compose_msi_msg(d: IrqData, msg: MsiMsg): boolean {
  for (let p: IrqData | null = d; p; p = p.parent_data) {
    if (p.chip.irq_compose_msi_msg) {
      p.chip.irq_compose_msi_msg(p, msg);
      return true;
    }
  }
  return false;
}

/** irq_chip_write_msi_msg(): the top chip writes the message to the device. */
export function irq_chip_write_msi_msg(d: IrqData, msg: MsiMsg): void {
  const desc = d.common.msi_desc;
  if (desc)
    desc.msg = {
      address_lo: msg.address_lo >>> 0,
      address_hi: msg.address_hi >>> 0,
      data: msg.data >>> 0,
    };
  d.chip.irq_write_msi_msg?.(d, msg);
}

/** mask_irq(). */
export function mask_irq(desc: IrqDesc): void {
  const d = desc.irq_data;
  if (d.has(IRQD_IRQ_MASKED)) return;
  if (d.chip.irq_mask) {
    d.chip.irq_mask(d);
    d.set(IRQD_IRQ_MASKED);
  }
}

/** unmask_irq(). */
export function unmask_irq(desc: IrqDesc): void {
  const d = desc.irq_data;
  if (!d.has(IRQD_IRQ_MASKED)) return;
  if (d.chip.irq_unmask) {
    d.chip.irq_unmask(d);
    d.clear(IRQD_IRQ_MASKED);
  }
}

/** mask_ack_irq(): mask then ack (edge flow when the irq cannot run now). */
export function mask_ack_irq(desc: IrqDesc): void {
  mask_irq(desc);
  desc.irq_data.chip.irq_ack?.(desc.irq_data);
}

/** irq_enable(): clears DISABLED and unmasks (chip irq_enable if the chip has one). */
export function irq_enable(desc: IrqDesc): void {
  const d = desc.irq_data;
  d.clear(IRQD_IRQ_DISABLED);
  if (d.chip.irq_enable) {
    d.chip.irq_enable(d);
    d.clear(IRQD_IRQ_MASKED);
  } else {
    unmask_irq(desc);
  }
}

/**
 * check_irq_resend() (kernel/irq/resend.c): an edge interrupt that arrived while the irq was
 * disabled (IRQS_PENDING) is replayed when it is enabled again, through the hierarchy's
 * irq_retrigger (on x86 apic_retrigger_irq: a self-IPI that sets the vector's IRR bit).
 */
export function check_irq_resend(desc: IrqDesc): void {
  if ((desc.istate & IRQS_REPLAY) !== 0 || (desc.istate & IRQS_PENDING) === 0) return;
  desc.istate &= ~IRQS_PENDING;
  for (let d: IrqData | null = desc.irq_data; d; d = d.parent_data) {
    if (d.chip.irq_retrigger) {
      if (d.chip.irq_retrigger(d)) desc.istate |= IRQS_REPLAY;
      return;
    }
  }
}

/**
 * irq_disable(): lazy disable (Linux default): only marks DISABLED; the chip is masked when an
 * interrupt arrives while disabled (handle_edge_irq).
 */
export function irq_disable(desc: IrqDesc): void {
  desc.irq_data.set(IRQD_IRQ_DISABLED);
}

/**
 * irq_startup(): activates the hierarchy (picking the real vector and writing the message and
 * IRTE) and enables the irq. Returns 0 or a negative errno from activation.
 */
export function irq_startup(_core: IrqCore, desc: IrqDesc): number {
  const d = desc.irq_data;
  desc.depth = 0;
  if (d.has(IRQD_IRQ_STARTED)) {
    irq_enable(desc);
    return 0;
  }
  const ret = irq_domain_activate_irq(d, false);
  if (ret !== 0) return ret;
  d.set(IRQD_IRQ_STARTED);
  if (d.chip.irq_startup) {
    d.chip.irq_startup(d);
    d.clear(IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED);
  } else {
    irq_enable(desc);
  }
  return 0;
}

/** irq_shutdown_and_deactivate(): masks (chip irq_shutdown if any) and deactivates. */
export function irq_shutdown(desc: IrqDesc): void {
  const d = desc.irq_data;
  if (d.has(IRQD_IRQ_STARTED)) {
    if (d.chip.irq_shutdown) {
      d.chip.irq_shutdown(d);
      d.set(IRQD_IRQ_MASKED);
    } else {
      mask_irq(desc);
    }
    d.set(IRQD_IRQ_DISABLED);
    d.clear(IRQD_IRQ_STARTED);
    desc.depth = 1;
  }
  irq_domain_deactivate_irq(d);
}
