/**
 * The emulated kernel's interrupt core: the irq descs, the registered domains, the CPUs, the
 * kernel log and the observer through which the runtime watches interrupt entry. One instance
 * per machine; the genirq functions take it as their first argument the way kernel code uses
 * its globals.
 */
import type { Cpu } from '../cpu';
import { IrqDescTable, type IrqDesc } from './irqdesc';
import type { IrqDomain } from './irqdomain';
import type { HandlerLog } from './handler-log';

export type LogLevel = 'emerg' | 'err' | 'warn' | 'info' | 'debug';

/** What the CPU is about to run when it takes an interrupt (for breakpoints and the call stack). */
export interface IrqEntry {
  cpu: number;
  vector: number;
  irq: number;
  /** Trace message id that set the IRR bit (0 if none). */
  messageId: number;
  desc: IrqDesc;
}

/** Hooks the runtime sets to follow interrupt handling. All optional; called synchronously. */
export interface IrqObserver {
  /** The CPU starts handling an interrupt (before the flow handler). */
  irqEnter?(e: IrqEntry, context: 'hardirq' | 'thread'): void;
  /** The handler (or thread function) returned. */
  irqExit?(e: IrqEntry, context: 'hardirq' | 'thread'): void;
  /** A driver handler is about to be called. */
  handlerEntry?(e: IrqEntry, context: 'hardirq' | 'thread'): void;
}

/**
 * Kernel timers (add_timer_on / mod_timer) on the platform's clock. Absent in bare unit-test
 * cores: timer work then runs at once.
 */
export interface IrqTimers {
  /** Simulated time, ns. */
  now(): number;
  /** Runs `fn` after `delayNs`; returns an id for `cancel`. */
  schedule(delayNs: number, label: string, fn: () => void): number;
  cancel(id: number): void;
}

export class IrqCore {
  readonly descs = new IrqDescTable();
  readonly domains: IrqDomain[] = [];
  observer: IrqObserver = {};
  /** Kernel timers on the machine's clock (null: timer work runs at once). */
  timers: IrqTimers | null = null;
  /** Where handler runs are recorded, per CPU, for timelines (null: not recorded). */
  handlerLog: HandlerLog | null = null;
  /** The CPU whose code is executing (the model runs on CPU 0; handlers on the CPU that took the vector). */
  currentCpu = 0;

  /**
   * @param cpus the machine's CPUs
   * @param printk sink for kernel log lines
   */
  constructor(
    readonly cpus: readonly Cpu[],
    readonly printk: (level: LogLevel, text: string) => void,
  ) {}

  /**
   * A word the runtime's statement hook reads: set to 1 while some CPU could take an interrupt
   * now, 0 otherwise (plain writes; only this thread writes it).
   */
  attention: Int32Array = new Int32Array(1);

  /** Recomputes `attention` after APIC or interrupt-flag changes. */
  updateAttention(): void {
    let any = 0;
    for (const c of this.cpus) {
      if (c.canTakeInterrupt) {
        any = 1;
        break;
      }
    }
    this.attention[0] = any;
  }

  /** Registers a domain so that it shows in the domain tree and debugfs. */
  addDomain(d: IrqDomain): IrqDomain {
    this.domains.push(d);
    return d;
  }

  removeDomain(d: IrqDomain): void {
    const i = this.domains.indexOf(d);
    if (i >= 0) this.domains.splice(i, 1);
  }

  /** irq_to_desc(). */
  irq_to_desc(irq: number): IrqDesc | undefined {
    return this.descs.get(irq);
  }

  /** The CPU executing now. */
  get cpu(): Cpu {
    return this.cpus[this.currentCpu]!;
  }

  /** Online CPU numbers. */
  onlineCpus(): number[] {
    return this.cpus.filter((c) => c.online).map((c) => c.id);
  }
}
