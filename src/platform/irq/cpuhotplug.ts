/**
 * Moving interrupts off a CPU that goes down (kernel/irq/cpuhotplug.c): for every started irq
 * whose effective affinity holds the dying CPU, complete a move still in progress, then move it
 * to the online CPUs of its affinity (or of a pending affinity change) — or, when none of those
 * is online, to any online CPU, "breaking" its affinity. Managed irqs (shut down instead) are
 * not modelled: the platform allocates none.
 */
import type { IrqCore } from './core';
import type { IrqData } from './irqdata';
import type { IrqDesc } from './irqdesc';
import { irq_can_move_pcntxt, irq_do_set_affinity } from './manage';
import { irq_fixup_move_pending } from './migration';
import { IRQD_IRQ_MASKED, IRQD_IRQ_STARTED } from './types';
import { formatBitList } from '../bits';

/** What the architecture does for a dying CPU (x86: irq_force_complete_move). */
export interface HotplugArch {
  irq_force_complete_move(desc: IrqDesc, cpu: number): void;
}

/** The affinity of `d` as CPU numbers (empty = irq_default_affinity: every CPU). */
export function irqAffinity(core: IrqCore, d: IrqData): number[] {
  return d.common.affinity.length > 0 ? [...d.common.affinity] : core.cpus.map((c) => c.id);
}

/**
 * irq_needs_fixup(): the effective affinity (else the affinity) holds `cpu` — or, Linux's
 * sanity check, it names other CPUs but none of them is online (a missed fixup: an irq that kept
 * its vector when activated can keep a stored mask of offline CPUs as its effective affinity),
 * which is reported and fixed up.
 */
function irq_needs_fixup(core: IrqCore, d: IrqData, cpu: number): boolean {
  const m =
    d.common.effective_affinity.length > 0 ? d.common.effective_affinity : irqAffinity(core, d);
  if (m.some((c) => c !== cpu) && !m.some((c) => core.cpus[c]?.online === true)) {
    core.printk(
      'warn',
      `Eff. affinity ${formatBitList(m)} of IRQ ${d.irq} contains only offline CPUs after offlining CPU ${cpu}`,
    );
    return true;
  }
  return m.includes(cpu);
}

/** migrate_one_irq(): returns true when the irq's affinity had to be broken. */
function migrate_one_irq(core: IrqCore, desc: IrqDesc, cpu: number, arch: HotplugArch): boolean {
  const d = desc.irq_data;
  const chip = d.chip;
  if (!chip.irq_set_affinity) {
    core.printk('debug', `IRQ ${d.irq}: Unable to migrate away`);
    return false;
  }
  // No move for an irq that is not started (not requested: only a reservation, or a fixed
  // vector kept across free_irq) or not on this CPU; drop a pending move that targets only it.
  if (!d.has(IRQD_IRQ_STARTED) || !irq_needs_fixup(core, d, cpu)) {
    irq_fixup_move_pending(core, desc, false);
    return false;
  }
  arch.irq_force_complete_move(desc, cpu);
  let affinity = irq_fixup_move_pending(core, desc, true)
    ? [...desc.pending_mask]
    : irqAffinity(core, d);
  const maskchip = !irq_can_move_pcntxt(d) && !d.has(IRQD_IRQ_MASKED);
  if (maskchip) chip.irq_mask?.(d);
  let brokeaff = false;
  if (!affinity.some((c) => core.cpus[c]?.online)) {
    affinity = core.onlineCpus();
    brokeaff = true;
  }
  const err = irq_do_set_affinity(core, d, affinity, true);
  if (err) {
    core.printk('warn', `IRQ${d.irq}: set affinity failed(${err}).`);
    brokeaff = false;
  }
  if (maskchip) chip.irq_unmask?.(d);
  return brokeaff;
}

/**
 * irq_migrate_all_off_this_cpu(): called on the dying CPU `cpu`, already marked offline. Logs
 * "IRQ n: no longer affine to CPUc" for each irq whose affinity was broken.
 */
export function irq_migrate_all_off_this_cpu(core: IrqCore, cpu: number, arch: HotplugArch): void {
  for (const desc of core.descs.all()) {
    if (migrate_one_irq(core, desc, cpu, arch))
      core.printk('warn', `IRQ ${desc.irq}: no longer affine to CPU${cpu}`);
  }
}
