/**
 * Requesting and releasing interrupts (kernel/irq/manage.c): request_threaded_irq, free_irq,
 * disable_irq / enable_irq and irq_set_affinity. Errors are returned as negative errnos and
 * explained in the kernel log, as the kernel does; nothing throws for bad arguments.
 */
import type { IrqCore } from './core';
import type { IrqAction, IrqHandler } from './action';
import { check_irq_resend, irq_disable, irq_enable, irq_shutdown, irq_startup } from './chip';
import {
  EBUSY,
  EINVAL,
  IRQCHIP_ONESHOT_SAFE,
  IRQD_ACTIVATED,
  IRQD_AFFINITY_SET,
  IRQF_ONESHOT,
  IRQF_SHARED,
  IRQ_WAKE_THREAD,
  errnoName,
} from './types';

/** irq_default_primary_handler(): wakes the thread. */
const irq_default_primary_handler: IrqHandler = () => IRQ_WAKE_THREAD;

/**
 * request_threaded_irq(): registers `handler` (hardirq) and/or `thread_fn` for Linux irq `irq`
 * and starts it: activation assigns the vector and writes the IRTE and the device's message,
 * then the chip unmasks. Returns 0 or -EINVAL / -EBUSY / an activation error.
 */
export function request_threaded_irq(
  core: IrqCore,
  irq: number,
  handler: IrqHandler | null,
  thread_fn: IrqHandler | null,
  flags: number,
  name: string,
  dev_id: unknown,
): number {
  const desc = core.irq_to_desc(irq);
  if (desc === undefined) {
    core.printk('err', `request_irq: irq ${irq} does not exist (${errnoName(-EINVAL)})`);
    return -EINVAL;
  }
  if (typeof handler !== 'function' && typeof thread_fn !== 'function') {
    core.printk(
      'err',
      `request_irq: irq ${irq}: neither a handler nor a thread function was given (${errnoName(-EINVAL)})`,
    );
    return -EINVAL;
  }
  if ((flags & IRQF_SHARED) !== 0 && (dev_id === undefined || dev_id === null)) {
    core.printk(
      'err',
      `request_irq: irq ${irq}: IRQF_SHARED needs a dev_id (${errnoName(-EINVAL)})`,
    );
    return -EINVAL;
  }
  const chip = desc.irq_data.chip;
  let f = flags;
  if ((chip.flags ?? 0) & IRQCHIP_ONESHOT_SAFE) f &= ~IRQF_ONESHOT;
  if (
    typeof handler !== 'function' &&
    (f & IRQF_ONESHOT) === 0 &&
    !((chip.flags ?? 0) & IRQCHIP_ONESHOT_SAFE)
  ) {
    core.printk(
      'err',
      `genirq: Threaded irq requested with handler=NULL and !ONESHOT for ${name} (irq ${irq})`,
    );
    return -EINVAL;
  }
  const old = desc.action;
  if (old !== null && (old.flags & f & IRQF_SHARED) === 0) {
    core.printk(
      'err',
      `genirq: Flags mismatch irq ${irq}. ${hex8(f)} (${name}) vs. ${hex8(old.flags)} (${old.name})`,
    );
    return -EBUSY;
  }
  const action: IrqAction = {
    handler: typeof handler === 'function' ? handler : irq_default_primary_handler,
    thread_fn: typeof thread_fn === 'function' ? thread_fn : null,
    flags: f,
    name,
    dev_id,
    irq,
    next: null,
    thread_runs: 0,
  };
  if (old === null) {
    const ret = irq_startup(core, desc);
    if (ret !== 0) {
      core.printk('err', `genirq: irq ${irq}: activation failed ${errnoName(ret)}`);
      return ret;
    }
    desc.action = action;
  } else {
    let a = old;
    while (a.next) a = a.next;
    a.next = action;
  }
  return 0;
}

/**
 * free_irq(): removes the action registered with `dev_id`; the last one shuts the irq down
 * (mask, deactivate: the IRTE is cleared and the vector goes back to a reservation).
 * Returns the devname passed to request_irq, or null (with the kernel's WARN text) if none.
 */
export function free_irq(core: IrqCore, irq: number, dev_id: unknown): string | null {
  const desc = core.irq_to_desc(irq);
  let prev: IrqAction | null = null;
  let a = desc?.action ?? null;
  while (a !== null && a.dev_id !== dev_id) {
    prev = a;
    a = a.next;
  }
  if (desc === undefined || a === null) {
    core.printk('warn', `Trying to free already-free IRQ ${irq}`);
    return null;
  }
  if (prev === null) desc.action = a.next;
  else prev.next = a.next;
  if (desc.action === null) irq_shutdown(desc);
  return a.name;
}

/** disable_irq() / disable_irq_nosync(): nested, lazy. Returns false for an unknown irq. */
export function disable_irq(core: IrqCore, irq: number): boolean {
  const desc = core.irq_to_desc(irq);
  if (desc === undefined) return false;
  if (desc.depth++ === 0) irq_disable(desc);
  return true;
}

/** enable_irq(): undoes one disable_irq; the last one re-enables (and unmasks). */
export function enable_irq(core: IrqCore, irq: number): boolean {
  const desc = core.irq_to_desc(irq);
  if (desc === undefined) return false;
  if (desc.depth === 0) {
    core.printk('warn', `Unbalanced enable for IRQ ${irq}`);
    return false;
  }
  if (--desc.depth === 0) {
    irq_enable(desc);
    check_irq_resend(desc);
  }
  return true;
}

/**
 * irq_set_affinity(): stores the mask; if the irq is activated, the top chip's irq_set_affinity
 * (msi_domain_set_affinity) asks the parents to move the vector. Returns 0 or a negative errno.
 */
export function irq_set_affinity(core: IrqCore, irq: number, cpus: readonly number[]): number {
  const desc = core.irq_to_desc(irq);
  if (desc === undefined) return -EINVAL;
  const online = cpus.filter((c) => core.cpus[c]?.online);
  if (online.length === 0) return -EINVAL;
  const d = desc.irq_data;
  d.common.affinity = [...cpus];
  d.set(IRQD_AFFINITY_SET);
  if (!d.has(IRQD_ACTIVATED) || !d.chip.irq_set_affinity) return 0;
  const ret = d.chip.irq_set_affinity(d, online, false);
  return ret < 0 ? ret : 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
