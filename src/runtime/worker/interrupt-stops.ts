/**
 * Stops driven by the platform: the exception filters (`interrupt`, `remapFault`,
 * `maskedMessage`) and the named interrupt breakpoints. Delivery stops wait for the handler's
 * first statement; faults and masked messages stop where they happen (inside the kernel call
 * that caused them).
 */
import type { Machine } from '../../platform/machine/machine';
import type { IrqEntry } from '../../platform/irq/core';
import type { TraceEvent } from '../../platform/trace';
import type { StopInfo } from '../protocol';
import type { WorkerDebugger } from './debugger';
import { describeDelivery, describeFault, describeMasked, envOfEvent } from './filters';

type Output = (category: 'console' | 'stdout' | 'stderr', text: string) => void;

export class InterruptStops {
  constructor(
    private readonly dbg: WorkerDebugger,
    private readonly m: Machine,
    private readonly out: Output,
  ) {}

  /** The IR unit number of device `bdf`'s MSI parent, or null (no remapping). */
  private unitOf(bdf: string | null): number | null {
    const name = bdf === null ? undefined : this.m.pdev(bdf)?.msiParent?.name;
    const m = name === undefined ? null : /^INTEL-IR-(\d+)$/.exec(name);
    return m ? Number(m[1]) : null;
  }

  /** A CPU is about to run a hardirq handler. */
  handlerEntry(e: IrqEntry): void {
    const dbg = this.dbg;
    if (dbg.suppress) return;
    const ev = e.messageId > 0 ? this.m.trace.lastEventOf(e.messageId) : undefined;
    const env = envOfEvent(ev, e.desc.irq_data.hwirq, {
      vector: e.vector,
      cpu: e.cpu,
      virq: e.irq,
    });
    const description = describeDelivery(e.vector, e.cpu, e.irq, ev);
    let stop: StopInfo | null = null;
    if (dbg.filters.enabled('interrupt')) {
      const r = dbg.filters.matches('interrupt', env);
      if (r.error) this.out('stderr', r.error + '\n');
      if (r.hit)
        stop = {
          reason: 'exception',
          cpu: e.cpu,
          text: 'Interrupt',
          description,
          filterId: 'interrupt',
        };
    }
    if (!dbg.functionBps.empty) {
      const r = dbg.functionBps.reached(env, this.unitOf(env.bdf), false, (msg) =>
        this.out('stderr', msg + '\n'),
      );
      for (const line of r.logs) this.out('stdout', line + '\n');
      if (r.stopIds.length > 0 && stop === null)
        stop = {
          reason: 'function breakpoint',
          cpu: e.cpu,
          description,
          hitBreakpointIds: r.stopIds,
        };
    }
    if (stop !== null) dbg.stopAtNextStatement(stop);
  }

  /** A trace event was recorded: faults and masked messages may stop here and now. */
  traceEvent(ev: TraceEvent): void {
    const dbg = this.dbg;
    if (dbg.suppress || (ev.kind !== 'faulted' && ev.kind !== 'pending')) return;
    const env = envOfEvent(ev, null);
    const cpu = this.m.core.currentCpu;
    const filter = ev.kind === 'faulted' ? 'remapFault' : 'maskedMessage';
    const description = ev.kind === 'faulted' ? describeFault(ev) : describeMasked(ev);
    if (dbg.filters.enabled(filter)) {
      const r = dbg.filters.matches(filter, env);
      if (r.error) this.out('stderr', r.error + '\n');
      if (r.hit) {
        dbg.stop({
          reason: 'exception',
          cpu,
          text: filter === 'remapFault' ? 'Remapping fault' : 'Masked message',
          description,
          filterId: filter,
        });
        return;
      }
    }
    if (ev.kind === 'faulted' && !dbg.functionBps.empty) {
      const r = dbg.functionBps.reached(env, this.unitOf(ev.bdf), true, (msg) =>
        this.out('stderr', msg + '\n'),
      );
      for (const line of r.logs) this.out('stdout', line + '\n');
      if (r.stopIds.length > 0)
        dbg.stop({ reason: 'function breakpoint', cpu, description, hitBreakpointIds: r.stopIds });
    }
  }
}
