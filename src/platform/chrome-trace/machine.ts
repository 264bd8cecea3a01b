/**
 * The timeline of a machine so far: its interrupt trace and handler runs as a Chrome trace.
 * Reading has no side effects.
 */
import type { Machine } from '../machine/machine';
import { toChromeTrace, type TimelineDevice, type TimelineSource } from './convert';
import type { ChromeTrace } from './format';

/** What `toChromeTrace` reads from `m`. */
export function timelineSource(m: Machine): TimelineSource {
  const kinds = new Map<string, number>();
  const devices: TimelineDevice[] = m.devices.map((d, i) => {
    const n = kinds.get(d.kind) ?? 0;
    kinds.set(d.kind, n + 1);
    return {
      bdf: d.fn.bdf,
      name: `${d.kind}${n}`,
      irUnit: m.config.interruptRemapping ? (m.config.devices[i]?.irUnit ?? null) : null,
    };
  });
  const log = m.core.handlerLog;
  return {
    events: m.trace.events(),
    handlers: log ? log.spans() : [],
    now: m.clock.now,
    cpus: m.cpus.length,
    irUnits: m.ir.length,
    devices,
    recordedEvents: m.trace.length,
    eventCapacity: m.trace.capacity,
    recordedHandlers: log ? log.length : 0,
    handlerCapacity: log ? log.capacity : 0,
    messages: m.trace.messageCount,
  };
}

/** The Chrome trace of `m` so far. */
export function machineChromeTrace(m: Machine): ChromeTrace {
  return toChromeTrace(timelineSource(m));
}
