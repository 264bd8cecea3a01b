/**
 * Requesting and releasing interrupts (kernel/irq/manage.c): request_threaded_irq, free_irq,
 * disable_irq / enable_irq and irq_set_affinity with its helpers. Errors are returned as negative errnos and
 * explained in the kernel log, as the kernel does; nothing throws for bad arguments.
 */
import type { IrqCore } from './core';
import type { IrqAction, IrqHandler } from './action';
import type { IrqData } from './irqdata';
import type { IrqDesc } from './irqdesc';
import { check_irq_resend, irq_disable, irq_enable, irq_shutdown, irq_startup } from './chip';
import {
  EBUSY,
  EINVAL,
  IRQCHIP_MOVE_DEFERRED,
  IRQCHIP_ONESHOT_SAFE,
  IRQD_ACTIVATED,
  IRQD_AFFINITY_ON_ACTIVATE,
  IRQD_AFFINITY_SET,
  IRQD_SETAFFINITY_PENDING,
  IRQ_SET_MASK_OK,
  IRQ_SET_MASK_OK_DONE,
  IRQ_SET_MASK_OK_NOCOPY,
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
 * irq_set_affinity() → irq_set_affinity_locked() (kernel/irq/manage.c): moves `irq` to the CPUs
 * in `cpus` (CPU numbers; ones that do not exist are dropped, as a cpumask cannot hold them).
 * - not activated yet: the mask is only stored (irq_set_affinity_deactivated; x86 sets
 *   IRQD_AFFINITY_ON_ACTIVATE on every irq) and activation uses it;
 * - a chip that moves only at an interrupt (IRQCHIP_MOVE_DEFERRED), or a move already
 *   pending: the mask is kept in desc->pending_mask for the next interrupt;
 * - else irq_try_set_affinity(): the chip moves the vector now; -EBUSY from the vector layer
 *   (the previous move is not cleaned up yet) turns into a pending move as well.
 * Returns 0 or a negative errno (-EINVAL: unknown irq, no CPU, no online CPU in the mask).
 */
export function irq_set_affinity(core: IrqCore, irq: number, cpus: readonly number[]): number {
  const desc = core.irq_to_desc(irq);
  if (desc === undefined) return -EINVAL;
  const mask = [...new Set(cpus)]
    .filter((c) => Number.isInteger(c) && core.cpus[c] !== undefined)
    .sort((a, b) => a - b);
  if (mask.length === 0) return -EINVAL;
  return irq_set_affinity_locked(core, desc.irq_data, mask, false);
}

/** irq_set_affinity_locked(). */
export function irq_set_affinity_locked(
  core: IrqCore,
  d: IrqData,
  mask: readonly number[],
  force: boolean,
): number {
  const desc = core.irq_to_desc(d.irq);
  if (desc === undefined || !d.chip.irq_set_affinity) return -EINVAL;
  if (irq_set_affinity_deactivated(d, mask)) return 0;
  let ret = 0;
  if (irq_can_move_pcntxt(d) && !d.has(IRQD_SETAFFINITY_PENDING)) {
    ret = irq_try_set_affinity(core, desc, mask, force);
  } else {
    irq_set_affinity_pending(desc, mask);
  }
  d.set(IRQD_AFFINITY_SET);
  return ret;
}

/**
 * irq_set_affinity_pending() (kernel/irq/migration.c side of GENERIC_PENDING_IRQ): keep `mask`
 * for the next interrupt, whose ack carries it out (irq_move_irq). Returns 0.
 */
export function irq_set_affinity_pending(desc: IrqDesc, mask: readonly number[]): number {
  desc.irq_data.set(IRQD_SETAFFINITY_PENDING);
  desc.pending_mask = [...mask];
  return 0;
}

/** irq_can_move_in_process_context(): false for chips with IRQCHIP_MOVE_DEFERRED. */
export function irq_can_move_pcntxt(d: IrqData): boolean {
  return ((d.chip.flags ?? 0) & IRQCHIP_MOVE_DEFERRED) === 0;
}

/**
 * irq_set_affinity_deactivated(): an irq not yet activated (reservation mode) only records the
 * mask as its affinity and effective affinity; activation picks a CPU in it.
 */
function irq_set_affinity_deactivated(d: IrqData, mask: readonly number[]): boolean {
  if (d.has(IRQD_ACTIVATED) || !d.has(IRQD_AFFINITY_ON_ACTIVATE)) return false;
  d.common.affinity = [...mask];
  d.common.effective_affinity = [...mask];
  d.set(IRQD_AFFINITY_SET);
  return true;
}

/** irq_try_set_affinity(): irq_do_set_affinity, falling back to a pending move on -EBUSY. */
function irq_try_set_affinity(
  core: IrqCore,
  desc: IrqDesc,
  mask: readonly number[],
  force: boolean,
): number {
  const ret = irq_do_set_affinity(core, desc.irq_data, mask, force);
  if (ret === -EBUSY && !force) return irq_set_affinity_pending(desc, mask);
  return ret;
}

/**
 * irq_do_set_affinity(): calls the top chip's irq_set_affinity with the online CPUs of `mask`
 * (with `force`, with `mask` as it is: CPU hot-unplug) and, when the chip accepted it, stores
 * `mask` as the affinity. Returns 0 or the chip's negative errno.
 */
export function irq_do_set_affinity(
  core: IrqCore,
  d: IrqData,
  mask: readonly number[],
  force: boolean,
): number {
  const chip = d.chip;
  if (!chip.irq_set_affinity) return -EINVAL;
  const online = mask.filter((c) => core.cpus[c]?.online);
  let ret: number;
  if (!force && online.length > 0) ret = chip.irq_set_affinity(d, online, force);
  else if (force) ret = chip.irq_set_affinity(d, mask, force);
  else ret = -EINVAL;
  if (ret === IRQ_SET_MASK_OK || ret === IRQ_SET_MASK_OK_DONE) d.common.affinity = [...mask];
  if (ret === IRQ_SET_MASK_OK || ret === IRQ_SET_MASK_OK_DONE || ret === IRQ_SET_MASK_OK_NOCOPY)
    ret = 0;
  return ret;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
