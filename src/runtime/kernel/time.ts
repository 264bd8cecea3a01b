/**
 * Time and waiting (include/linux/delay.h, completion.h, timekeeping.h). The clock is the
 * machine's simulated one: delays advance it, and while a CPU busy-waits or sleeps with
 * interrupts enabled it takes the interrupts that become due. A wait that nothing can ever end
 * (no event left in the machine) stops the model with the kernel's hung-task message instead
 * of hanging the debugger.
 */
import type { InService } from '../../platform/cpu';
import { KernelError, type KernelContext } from './context';

/** HZ: jiffies per second. */
export const HZ = 1000;
/** Jiffies start 5 minutes before wrap on 32 bits, as INITIAL_JIFFIES does; here they start at 0. */
const NS_PER_JIFFY = 1e9 / HZ;

/** struct completion. */
export class completion {
  done = 0;
}

/** Whether any of the interrupts a CPU is handling is in hardirq context (no closure made). */
function inHardirq(inService: readonly InService[]): boolean {
  for (const s of inService) if (s.context === 'hardirq') return true;
  return false;
}

export function timeApi(ctx: KernelContext) {
  const m = ctx.machine;
  const busy = (ns: number, what: string): void => {
    if (!(ns >= 0) || !Number.isFinite(ns))
      throw new KernelError(`${what}: the delay must be a finite number >= 0, got ${String(ns)}`);
    m.advance(ns, m.core.cpu.irqsEnabled);
  };
  const sleep = (ns: number, what: string): void => {
    if (!m.core.cpu.irqsEnabled || inHardirq(m.core.cpu.inService)) {
      throw new KernelError(
        `BUG: scheduling while atomic: ${what}() with interrupts disabled or in an interrupt handler`,
      );
    }
    busy(ns, what);
  };
  // The wait condition of the completion waited for last: a driver waits on the same one in a
  // loop, so each wait need not make a new function.
  let waited: completion | null = null;
  let isDone = (): boolean => false;
  const doneTest = (x: completion): (() => boolean) => {
    if (x !== waited) {
      waited = x;
      isDone = () => x.done > 0;
    }
    return isDone;
  };
  const wait = (x: completion, timeoutNs: number, what: string): boolean => {
    if (!(x instanceof completion))
      throw new KernelError(`${what}: expected a completion from init_completion()`);
    if (!m.core.cpu.irqsEnabled || inHardirq(m.core.cpu.inService)) {
      throw new KernelError(
        `BUG: scheduling while atomic: ${what}() with interrupts disabled or in an interrupt handler`,
      );
    }
    const ok = m.waitFor(doneTest(x), timeoutNs);
    if (ok && x.done !== Infinity) x.done--;
    return ok;
  };
  return {
    udelay: (us: number): void => busy(us * 1000, 'udelay'),
    ndelay: (ns: number): void => busy(ns, 'ndelay'),
    mdelay: (ms: number): void => busy(ms * 1e6, 'mdelay'),
    msleep: (ms: number): void => sleep(ms * 1e6, 'msleep'),
    /** usleep_range(min, max): sleeps `min` µs (deterministic). */
    usleep_range: (min: number, _max: number): void => sleep(min * 1000, 'usleep_range'),
    /** cpu_relax(): the PAUSE in a polling loop (100 ns; interrupts are taken if enabled). */
    cpu_relax: (): void => busy(100, 'cpu_relax'),
    /** ktime_get_ns(): simulated nanoseconds since boot. */
    ktime_get_ns: (): number => m.clock.now,
    /** get_jiffies(): the `jiffies` counter (HZ = 1000). */
    get_jiffies: (): number => Math.floor(m.clock.now / NS_PER_JIFFY),
    msecs_to_jiffies: (ms: number): number => Math.ceil((ms * HZ) / 1000),
    usecs_to_jiffies: (us: number): number => Math.ceil((us * HZ) / 1e6),
    HZ,
    /** init_completion([x]) → a fresh completion (or `x` reset). DECLARE_COMPLETION is the same. */
    init_completion(x?: completion): completion {
      if (x instanceof completion) {
        x.done = 0;
        return x;
      }
      return new completion();
    },
    reinit_completion(x: completion): void {
      x.done = 0;
    },
    complete(x: completion): void {
      if (!(x instanceof completion))
        throw new KernelError('complete: expected a completion from init_completion()');
      if (x.done !== Infinity) x.done++;
    },
    complete_all(x: completion): void {
      x.done = Infinity;
    },
    completion_done(x: completion): boolean {
      return x.done > 0;
    },
    try_wait_for_completion(x: completion): boolean {
      if (x.done <= 0) return false;
      if (x.done !== Infinity) x.done--;
      return true;
    },
    /**
     * wait_for_completion(x): sleeps, taking interrupts, until complete(x). Throws the hung-task
     * report when no scheduled event is left that could complete it.
     */
    wait_for_completion(x: completion): void {
      if (!wait(x, Infinity, 'wait_for_completion')) {
        throw new KernelError(
          'INFO: task blocked in wait_for_completion(): nothing is left that could complete it (no device work or interrupt is pending) — the kernel would report a hung task after 120 s',
        );
      }
    },
    /** wait_for_completion_timeout(x, jiffies) → jiffies left (at least 1) or 0 on timeout. */
    wait_for_completion_timeout(x: completion, timeout: number): number {
      const start = m.clock.now;
      const limit = timeout * NS_PER_JIFFY;
      if (!wait(x, limit, 'wait_for_completion_timeout')) return 0;
      return Math.max(1, Math.ceil((limit - (m.clock.now - start)) / NS_PER_JIFFY));
    },
    completion,
  };
}
