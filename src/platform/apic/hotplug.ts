/**
 * Taking a CPU down and bringing it back, as far as interrupts go (kernel/cpu.c remove_cpu /
 * add_cpu; arch/x86/kernel/smpboot.c native_cpu_disable → cpu_disable_common; arch/x86/kernel
 * /irq.c fixup_irqs; arch/x86/kernel/apic/vector.c lapic_offline / lapic_online).
 *
 * Down, on the dying CPU, in Linux's order: lapic_can_unplug_cpu() (its vectors must fit on the
 * others, else -ENOSPC); the CPU leaves cpu_online_mask; fixup_irqs(): every started irq
 * effective on it moves (irq_migrate_all_off_this_cpu: to its affinity's online CPUs, or any
 * online CPU with "IRQ n: no longer affine to CPUc"), then each vector still set in its IRR is
 * replayed on the irq's new target through the chip's irq_retrigger (the "check the IRR and
 * then send those interrupts to new targets" step) and its vector_irq entries are cleared;
 * lapic_offline() runs the pending vector cleanups and takes its matrix map offline;
 * apic_soft_disable() — from then on the APIC accepts nothing ("interrupts arriving after
 * disabling the local APIC will be lost"; the fabric drops them, naming this).
 *
 * Up: INIT resets the APIC (IRR/ISR cleared), lapic_online() puts the matrix map online and
 * clears vector_irq, the CPU is online with interrupts enabled. Non-managed irqs moved away stay
 * where they are (only managed irqs are restored, and the platform has none).
 *
 * Emulation: CPU 0 cannot go down (Linux ≥ 6.5 on x86 marks it not hotpluggable: -EPERM), nor
 * the CPU running the caller (a handler cannot unplug its own CPU here: -EBUSY).
 */
import type { IrqCore } from '../irq/core';
import { irq_migrate_all_off_this_cpu } from '../irq/cpuhotplug';
import { EBUSY, EINVAL, EPERM } from '../irq/types';
import { hex } from '../bits';
import { LocalApic } from './lapic';
import type { VectorDomain } from './vector-domain';
import { FIRST_EXTERNAL_VECTOR, NR_VECTORS } from './vectors';

/**
 * remove_cpu(cpu): takes `cpu` offline. Returns 0, 1 when it is offline already (device_offline
 * returns 1), or -EINVAL (no such CPU), -EPERM (CPU 0), -EBUSY (the last online CPU, or the
 * CPU running the caller), -ENOSPC (its vectors do not fit on the other CPUs).
 */
export function remove_cpu(core: IrqCore, vector: VectorDomain, cpu: number): number {
  const c = Number.isInteger(cpu) ? core.cpus[cpu] : undefined;
  if (c === undefined) return -EINVAL;
  if (!c.online) return 1;
  if (cpu === 0) {
    core.printk('warn', 'remove_cpu: CPU 0 is not hotpluggable on x86 (since Linux 6.5)');
    return -EPERM;
  }
  if (core.onlineCpus().length === 1) return -EBUSY;
  if (cpu === core.currentCpu) {
    core.printk('warn', `remove_cpu: CPU ${cpu} runs the caller; take it down from another CPU`);
    return -EBUSY;
  }
  // native_cpu_disable()
  const ret = vector.lapic_can_unplug_cpu(cpu);
  if (ret) return ret;
  // cpu_disable_common(): set_cpu_online(cpu, false), fixup_irqs(), lapic_offline().
  c.online = false;
  fixup_irqs(core, vector, cpu);
  vector.lapic_offline(cpu);
  // apic_soft_disable(): IRR keeps its bits, nothing new is accepted; the CPU is dead.
  c.irqsEnabled = false;
  core.printk('info', `smpboot: CPU ${cpu} is now offline`);
  core.updateAttention();
  return 0;
}

/**
 * fixup_irqs() on the dying CPU `cpu` (already out of the online mask): migrate its irqs, then
 * replay the vectors pending in its IRR on their new targets and forget its vector_irq.
 */
export function fixup_irqs(core: IrqCore, vector: VectorDomain, cpu: number): void {
  irq_migrate_all_off_this_cpu(core, cpu, {
    irq_force_complete_move: (desc, c) => {
      vector.irq_force_complete_move(desc, c);
    },
  });
  const dying = core.cpus[cpu]!;
  for (let v = FIRST_EXTERNAL_VECTOR; v < NR_VECTORS; v++) {
    const desc = dying.vector_irq[v];
    if (desc === undefined) continue;
    if (LocalApic.test(dying.apic.irr, v)) {
      const top = desc.irq_data;
      if (top.chip.irq_retrigger) {
        top.chip.irq_retrigger(top);
        // Not a kernel message (Linux is silent here): the emulator says what it replayed.
        core.printk(
          'debug',
          `[ims-debug] fixup_irqs: vector ${hex(v, 2)} of irq ${desc.irq} was pending in CPU ${cpu}'s IRR: retriggered on its new target`,
        );
      }
    }
    dying.vector_irq[v] = undefined;
  }
}

/**
 * add_cpu(cpu): brings `cpu` online. Returns 0, 1 when it is online already, or -EINVAL.
 */
export function add_cpu(core: IrqCore, vector: VectorDomain, cpu: number): number {
  const c = Number.isInteger(cpu) ? core.cpus[cpu] : undefined;
  if (c === undefined) return -EINVAL;
  if (c.online) return 1;
  // INIT (wakeup_secondary_cpu_via_init): the local APIC back to its reset state.
  c.apic.reset();
  c.inService.length = 0;
  vector.lapic_online(cpu);
  c.online = true;
  c.irqsEnabled = true;
  core.printk('info', `smpboot: Booting Node 0 Processor ${cpu} APIC ${hex(c.apic.apicId)}`);
  core.updateAttention();
  return 0;
}
