/**
 * Interrupt API (include/linux/interrupt.h, irq.h, irqflags.h, cpu.h): request_irq /
 * request_threaded_irq / free_irq, disable_irq / enable_irq, irq_set_affinity and the affinity
 * masks, the CPU's interrupt flag (local_irq_disable / enable / save / restore — on the CPU
 * executing the caller), and CPU hotplug (remove_cpu / add_cpu, kernel/cpu.c).
 */
import {
  disable_irq,
  enable_irq,
  free_irq,
  irq_set_affinity,
  request_threaded_irq,
} from '../../platform/irq/manage';
import type { IrqHandler } from '../../platform/irq/action';
import { add_cpu, remove_cpu } from '../../platform/apic/hotplug';
import { irqAffinity } from '../../platform/irq/cpuhotplug';
import { KernelError, type KernelContext } from './context';

function handlerOrNull(h: unknown, what: string): IrqHandler | null {
  if (h === null || h === undefined) return null;
  if (typeof h !== 'function')
    throw new KernelError(`${what}: the handler must be a function or null, got ${typeof h}`);
  return h as IrqHandler;
}

export function irqApi(ctx: KernelContext) {
  const m = ctx.machine;
  const core = m.core;
  const request = (
    what: string,
    irq: number,
    handler: unknown,
    thread_fn: unknown,
    flags: number,
    name: unknown,
    dev_id: unknown,
  ): number =>
    request_threaded_irq(
      core,
      irq,
      handlerOrNull(handler, what),
      handlerOrNull(thread_fn, what),
      flags,
      String(name),
      dev_id,
    );
  const setIf = (on: boolean): void => {
    core.cpu.irqsEnabled = on;
    core.updateAttention();
  };
  return {
    /** request_irq(irq, handler, flags, name, dev_id) → 0 or -errno. */
    request_irq(
      irq: number,
      handler: IrqHandler,
      flags: number,
      name: unknown,
      dev_id: unknown,
    ): number {
      return request('request_irq', irq, handler, null, flags, name, dev_id);
    },
    /** request_threaded_irq(irq, handler, thread_fn, flags, name, dev_id) → 0 or -errno. */
    request_threaded_irq(
      irq: number,
      handler: IrqHandler | null,
      thread_fn: IrqHandler | null,
      flags: number,
      name: unknown,
      dev_id: unknown,
    ): number {
      return request('request_threaded_irq', irq, handler, thread_fn, flags, name, dev_id);
    },
    /** free_irq(irq, dev_id) → the name given to request_irq, or null. */
    free_irq(irq: number, dev_id: unknown): string | null {
      return free_irq(core, irq, dev_id);
    },
    disable_irq(irq: number): void {
      disable_irq(core, irq);
    },
    disable_irq_nosync(irq: number): void {
      disable_irq(core, irq);
    },
    enable_irq(irq: number): void {
      enable_irq(core, irq);
    },
    /** irq_set_affinity(irq, cpus: number[]) → 0 or -errno. */
    irq_set_affinity(irq: number, cpus: readonly number[]): number {
      if (!Array.isArray(cpus))
        throw new KernelError(
          'irq_set_affinity: the mask must be an array of CPU numbers, e.g. [2]',
        );
      return irq_set_affinity(core, irq, cpus);
    },
    /** local_irq_disable(): clears IF on the current CPU. */
    local_irq_disable(): void {
      setIf(false);
    },
    /** local_irq_enable(): sets IF; a pending interrupt is taken right away. */
    local_irq_enable(): void {
      setIf(true);
    },
    /** local_irq_save() → flags to pass to local_irq_restore (IF in bit 9, as RFLAGS). */
    local_irq_save(): number {
      const flags = core.cpu.irqsEnabled ? 0x200 : 0;
      setIf(false);
      return flags;
    },
    local_irq_restore(flags: number): void {
      setIf((flags & 0x200) !== 0);
    },
    /** irqs_disabled(). */
    irqs_disabled(): boolean {
      return !core.cpu.irqsEnabled;
    },
    /** smp_processor_id(): the CPU executing the caller. */
    smp_processor_id(): number {
      return core.currentCpu;
    },
    /** num_online_cpus(). */
    num_online_cpus(): number {
      return core.onlineCpus().length;
    },
    /** cpu_online(cpu). */
    cpu_online(cpu: number): boolean {
      return core.cpus[cpu]?.online === true;
    },
    /** remove_cpu(cpu) → 0, 1 (offline already) or -errno. */
    remove_cpu(cpu: number): number {
      return remove_cpu(core, m.vector, cpu);
    },
    /** add_cpu(cpu) → 0, 1 (online already) or -errno. */
    add_cpu(cpu: number): number {
      return add_cpu(core, m.vector, cpu);
    },
    /** irq_get_affinity_mask(irq) → CPU numbers, or null for an unknown irq. */
    irq_get_affinity_mask(irq: number): number[] | null {
      const d = core.irq_to_desc(irq)?.irq_data;
      return d === undefined ? null : irqAffinity(core, d);
    },
    /** irq_get_effective_affinity_mask(irq) → CPU numbers, or null for an unknown irq. */
    irq_get_effective_affinity_mask(irq: number): number[] | null {
      const d = core.irq_to_desc(irq)?.irq_data;
      return d === undefined ? null : [...d.common.effective_affinity];
    },
  };
}
