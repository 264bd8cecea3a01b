/**
 * The edge flow handler and event handling of kernel/irq/chip.c and handle.c: handle_edge_irq
 * (ack first — which ends in the APIC EOI — then run the actions while IRQS_PENDING is set),
 * handle_irq_event (IRQD_IRQ_INPROGRESS around the actions), and spurious accounting
 * (note_interrupt's "bogus return value").
 */
import type { IrqCore, IrqEntry } from './core';
import type { IrqDesc } from './irqdesc';
import type { IrqAction } from './action';
import { mask_ack_irq, mask_irq, unmask_irq } from './chip';
import {
  IRQD_IRQ_DISABLED,
  IRQD_IRQ_INPROGRESS,
  IRQD_IRQ_MASKED,
  IRQS_PENDING,
  IRQS_REPLAY,
  IRQS_WAITING,
  IRQ_HANDLED,
  IRQ_NONE,
  IRQ_WAKE_THREAD,
} from './types';

/** Threaded handlers woken by a hardirq, run when the CPU leaves hardirq context. */
export interface WokenThread {
  action: IrqAction;
  entry: IrqEntry;
}

/**
 * handle_edge_irq(). Returns the irq threads to run afterwards, in the order their actions
 * woke them, or null when none woke (the list is made only when one does).
 */
export function handle_edge_irq(
  core: IrqCore,
  desc: IrqDesc,
  entry: IrqEntry,
): WokenThread[] | null {
  let woken: WokenThread[] | null = null;
  const d = desc.irq_data;
  desc.istate &= ~(IRQS_REPLAY | IRQS_WAITING);
  if (d.has(IRQD_IRQ_INPROGRESS) || d.has(IRQD_IRQ_DISABLED) || desc.action === null) {
    // irq_may_run() false, or disabled / no action: remember it and mask.
    desc.istate |= IRQS_PENDING;
    mask_ack_irq(desc);
    return woken;
  }
  desc.tot_count++;
  desc.kstat[entry.cpu] = (desc.kstat[entry.cpu] ?? 0) + 1;
  d.chip.irq_ack?.(d);
  do {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a handler may have called free_irq()
    if (desc.action === null) {
      mask_irq(desc);
      return woken;
    }
    if ((desc.istate & IRQS_PENDING) !== 0 && !d.has(IRQD_IRQ_DISABLED) && d.has(IRQD_IRQ_MASKED)) {
      unmask_irq(desc);
    }
    woken = handle_irq_event(core, desc, entry, woken);
  } while ((desc.istate & IRQS_PENDING) !== 0 && !d.has(IRQD_IRQ_DISABLED));
  return woken;
}

/**
 * handle_irq_event(): runs every action of `desc` with IRQD_IRQ_INPROGRESS set. Appends the
 * threads the actions wake to `woken` (made when the first one wakes) and returns it.
 */
export function handle_irq_event(
  core: IrqCore,
  desc: IrqDesc,
  entry: IrqEntry,
  woken: WokenThread[] | null,
): WokenThread[] | null {
  const d = desc.irq_data;
  desc.istate &= ~IRQS_PENDING;
  d.set(IRQD_IRQ_INPROGRESS);
  let retval = IRQ_NONE;
  let bogus = false;
  try {
    for (let a = desc.action; a; a = a.next) {
      core.observer.handlerEntry?.(entry, 'hardirq');
      const handler = a.handler; // called as a plain function, as the kernel calls it
      const res = handler(desc.irq, a.dev_id);
      if (
        res !== IRQ_NONE &&
        res !== IRQ_HANDLED &&
        res !== IRQ_WAKE_THREAD &&
        res !== (IRQ_HANDLED | IRQ_WAKE_THREAD)
      ) {
        report_bad_irq(core, desc, res);
        bogus = true;
        continue;
      }
      if (res & IRQ_WAKE_THREAD) {
        if (a.thread_fn) (woken ??= []).push({ action: a, entry });
        else
          core.printk(
            'warn',
            `IRQ ${desc.irq} device ${a.name} returned IRQ_WAKE_THREAD but no thread function available.`,
          );
      }
      retval |= res;
    }
  } finally {
    d.clear(IRQD_IRQ_INPROGRESS);
  }
  // note_interrupt(): a bogus return value is reported, not counted as unhandled.
  if (retval === IRQ_NONE && !bogus) desc.irqs_unhandled++;
  return woken;
}

/** Descs whose bogus return value was reported (independent of the unhandled count). */
const badReported = new WeakSet<IrqDesc>();

/** __report_bad_irq(): once per irq, as the ratelimited kernel message. */
function report_bad_irq(core: IrqCore, desc: IrqDesc, res: unknown): void {
  if (badReported.has(desc)) return;
  badReported.add(desc);
  core.printk(
    'err',
    `irq event ${desc.irq}: bogus return value ${String(res)} (a handler must return IRQ_NONE, IRQ_HANDLED or IRQ_WAKE_THREAD)`,
  );
}
