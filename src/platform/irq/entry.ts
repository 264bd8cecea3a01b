/**
 * Taking interrupts: the CPU side of delivery (arch/x86/kernel/irq.c common_interrupt).
 *
 * A CPU with interrupts enabled takes the highest deliverable vector from its APIC (IRR → ISR),
 * clears IF for the duration (interrupt gate), looks the vector up in vector_irq and runs the
 * desc's flow handler; a vector with no desc is acknowledged with an EOI and logged as Linux
 * does. Woken irq threads run right after, on the same CPU with interrupts enabled (a
 * simplification: the kernel schedules them; here they run before the interrupted code
 * resumes).
 */
import type { Cpu } from '../cpu';
import { MANAGED_IRQ_SHUTDOWN_VECTOR, FIRST_SYSTEM_VECTOR } from '../apic/vectors';
import type { IrqCore, IrqEntry } from './core';
import { handle_edge_irq, type WokenThread } from './flow';

/**
 * Lets every CPU take its deliverable interrupts, lowest CPU first, until none is left.
 * Returns the number of interrupts taken.
 */
export function dispatchInterrupts(core: IrqCore): number {
  let taken = 0;
  for (let again = true; again;) {
    again = false;
    for (const cpu of core.cpus) {
      if (!cpu.canTakeInterrupt) continue;
      const vector = cpu.apic.acknowledge();
      common_interrupt(core, cpu, vector, cpu.apic.irrMessage[vector]!);
      taken++;
      again = true;
    }
  }
  return taken;
}

/** common_interrupt(): handles `vector` on `cpu`. Model exceptions propagate; state is restored. */
export function common_interrupt(core: IrqCore, cpu: Cpu, vector: number, messageId: number): void {
  const desc = cpu.vector_irq[vector];
  const log = core.handlerLog;
  if (desc === undefined) {
    if (log) log.end(log.begin(cpu.id, null, vector, messageId, 'spurious', ''), false);
    cpu.apic.eoi();
    if (vector === MANAGED_IRQ_SHUTDOWN_VECTOR || vector >= FIRST_SYSTEM_VECTOR) {
      core.printk(
        'err',
        `spurious APIC interrupt through vector ${vector.toString(16).padStart(2, '0')} on CPU#${cpu.id}, should never happen.`,
      );
    } else {
      core.printk('emerg', `common_interrupt: ${cpu.id}.${vector} No irq handler for vector`);
    }
    return;
  }
  const entry: IrqEntry = { cpu: cpu.id, vector, irq: desc.irq, messageId, desc };
  let woken: WokenThread[] | null;
  const prevCpu = core.currentCpu;
  core.currentCpu = cpu.id;
  cpu.irqsEnabled = false;
  cpu.inService.push({ irq: desc.irq, vector, messageId, context: 'hardirq' });
  const span = log ? log.begin(cpu.id, desc.irq, vector, messageId, 'hardirq', desc.actionName) : 0;
  const handled = desc.tot_count; // handle_edge_irq counts the interrupt when it runs the actions
  core.observer.irqEnter?.(entry, 'hardirq');
  try {
    woken = handle_edge_irq(core, desc, entry);
  } finally {
    log?.end(span, desc.tot_count !== handled);
    core.observer.irqExit?.(entry, 'hardirq');
    cpu.inService.pop();
    cpu.irqsEnabled = true;
    core.currentCpu = prevCpu;
  }
  if (woken !== null) for (const w of woken) runThread(core, cpu, w);
}

function runThread(core: IrqCore, cpu: Cpu, w: WokenThread): void {
  const prevCpu = core.currentCpu;
  core.currentCpu = cpu.id;
  cpu.inService.push({
    irq: w.entry.irq,
    vector: w.entry.vector,
    messageId: w.entry.messageId,
    context: 'thread',
  });
  const log = core.handlerLog;
  const span = log
    ? log.begin(cpu.id, w.entry.irq, w.entry.vector, w.entry.messageId, 'thread', w.action.name)
    : 0;
  core.observer.irqEnter?.(w.entry, 'thread');
  try {
    core.observer.handlerEntry?.(w.entry, 'thread');
    w.action.thread_runs++;
    const fn = w.action.thread_fn;
    if (fn) fn(w.entry.irq, w.action.dev_id);
  } finally {
    log?.end(span);
    core.observer.irqExit?.(w.entry, 'thread');
    cpu.inService.pop();
    core.currentCpu = prevCpu;
  }
}
