/**
 * The interrupt trace and the CPUs' handler runs as Chrome/Perfetto trace events (format.ts).
 *
 * Tracks:
 * - one process per device (`dsa0 0000:6a:01.0`), a thread per MSI-X entry / IMS slot that sent
 *   something. Each message is one event there, named `#<id> <outcome>`: a span from its pend to
 *   its delivery (or drop, or fault) when it waited at a masked entry — to the end of the trace
 *   if it still waits — else a complete event of no length for a delivery, an instant for a
 *   fault or a drop. `args` hold its path, outcome, reason and route (IRTE, vector, CPU, irq);
 * - one process per IR unit (`INTEL-IR-n`) with a thread of its remapping faults (instants);
 * - the process `CPUs`, a thread per CPU: hardirq handler runs (from taking the vector to leaving
 *   the flow handler) and irq thread runs as spans, spurious vectors as instants. A handler the
 *   model is stopped in runs to the end of the trace (`args.running`);
 * - a flow (`s` → `f`) from each delivered message to the hardirq it raised.
 *
 * Pure: the same input gives the same file. The ring of either record may have overwritten its
 * oldest entries; `otherData` says how many, and a message whose pend left the ring shows from
 * its outcome only.
 */
import type { MsiSource } from '../bus';
import { hex } from '../bits';
import type { OutcomeKind, TraceEvent } from '../trace';
import type { HandlerSpan } from '../irq/handler-log';
import type {
  Args,
  ChromeTrace,
  ChromeTraceEvent,
  CompleteEvent,
  InstantEvent,
  MetadataEvent,
  OtherData,
} from './format';

/** A device of the machine, as the timeline names it. */
export interface TimelineDevice {
  bdf: string;
  /** `dsa0`, … */
  name: string;
  /** IR unit whose scope holds it; null with interrupt remapping off. */
  irUnit: number | null;
}

/** Everything the conversion reads: the records and what the machine is made of. */
export interface TimelineSource {
  /** Trace events still in the ring, oldest first (InterruptTrace.events()). */
  events: readonly TraceEvent[];
  /** Handler runs still in the ring, oldest first (HandlerLog.spans()). */
  handlers: readonly HandlerSpan[];
  /** Simulated time now, ns: the end of open spans. */
  now: number;
  cpus: number;
  irUnits: number;
  devices: readonly TimelineDevice[];
  /** Trace events recorded over the run (InterruptTrace.length) and the ring's size. */
  recordedEvents: number;
  eventCapacity: number;
  /** Handler runs recorded over the run (HandlerLog.length) and its ring's size. */
  recordedHandlers: number;
  handlerCapacity: number;
  /** Messages raised over the run. */
  messages: number;
}

/** Process ids: CPUs, IR units, devices (numbers, as the format wants). */
export const CPU_PID = 1;
export const irUnitPid = (unit: number): number => 2 + unit;
export const devicePid = (index: number): number => 100 + index;
/**
 * Thread ids: CPU n, an MSI-X entry, an IMS slot, a VT-d unit's fault event (its process is the
 * unit's name, `dmar<n>`), the IR unit's fault thread.
 */
export const cpuTid = (cpu: number): number => cpu + 1;
export const slotTid = (source: MsiSource, index: number): number =>
  (source === 'msix' ? 1 : source === 'ims' ? 100_001 : 200_001) + index;
const slotName = (source: MsiSource, index: number): string =>
  source === 'dmar' ? 'fault event' : `${source === 'ims' ? 'IMS slot' : 'MSI-X entry'} ${index}`;
export const FAULT_TID = 1;

/** Categories: a message on its slot, a fault at an IR unit, a handler run, the flow between. */
export const CAT_MESSAGE = 'message';
export const CAT_FAULT = 'fault';
export const CAT_HANDLER = 'handler';
export const CAT_FLOW = 'interrupt';
export const FLOW_NAME = 'message → handler';

/** ns → the format's µs. */
const us = (ns: number): number => ns / 1000;

/** One emitted group: its events stay together and in this order. */
interface Group {
  ts: number;
  /** Messages before handlers at the same time (a flow starts before it ends). */
  rank: number;
  events: ChromeTraceEvent[];
}

/** Converts `src` into a Chrome trace. */
export function toChromeTrace(src: TimelineSource): ChromeTrace {
  const meta: MetadataEvent[] = [];
  const groups: Group[] = [];
  const deviceIndex = new Map<string, number>();
  src.devices.forEach((d, i) => deviceIndex.set(d.bdf, i));
  const usedSlots = new Map<number, Map<number, string>>();
  const usedUnits = new Set<number>();
  const usedCpus = new Set<number>();

  const pidOfBdf = (bdf: string): number => {
    let i = deviceIndex.get(bdf);
    if (i === undefined) {
      i = deviceIndex.size;
      deviceIndex.set(bdf, i);
    }
    return devicePid(i);
  };
  const useSlot = (pid: number, ev: TraceEvent): number => {
    const tid = slotTid(ev.source, ev.index);
    let slots = usedSlots.get(pid);
    if (slots === undefined) usedSlots.set(pid, (slots = new Map<number, string>()));
    slots.set(tid, slotName(ev.source, ev.index));
    return tid;
  };

  // Messages: their events in the ring, grouped by id in order of first appearance.
  const byId = new Map<number, TraceEvent[]>();
  for (const ev of src.events) {
    const list = byId.get(ev.id);
    if (list === undefined) byId.set(ev.id, [ev]);
    else list.push(ev);
  }
  const hardirqOf = new Map<number, HandlerSpan>();
  for (const h of src.handlers)
    if (h.context === 'hardirq' && h.messageId > 0 && !hardirqOf.has(h.messageId))
      hardirqOf.set(h.messageId, h);
  const pathOf = new Map<number, string>();
  /** Messages whose flow started (on their slot's track). */
  const flows = new Set<number>();

  for (const [id, evs] of byId) {
    const first = evs[0]!;
    const last = evs[evs.length - 1]!;
    pathOf.set(id, last.path);
    const pid = pidOfBdf(first.bdf);
    const tid = useSlot(pid, first);
    const still = last.kind === 'pending';
    const outcome: OutcomeKind = last.kind;
    const name = `#${id} ${still ? 'pending' : outcome}`;
    const args = messageArgs(evs, still, src.now);
    const events: ChromeTraceEvent[] = [];
    const span = still || evs.length > 1 || outcome === 'delivered';
    if (span) {
      const end = still ? src.now : last.t;
      events.push({
        ph: 'X',
        name,
        cat: CAT_MESSAGE,
        pid,
        tid,
        ts: us(first.t),
        dur: us(end - first.t),
        args,
      } satisfies CompleteEvent);
    } else {
      events.push(instant(name, CAT_MESSAGE, pid, tid, first.t, args));
    }
    if (outcome === 'delivered' && hardirqOf.has(id)) {
      flows.add(id);
      events.push({
        ph: 's',
        name: FLOW_NAME,
        cat: CAT_FLOW,
        id,
        pid,
        tid,
        ts: us(first.t),
      });
    }
    groups.push({ ts: first.t, rank: 0, events });
    if (outcome === 'faulted') {
      const unit = faultUnit(src, first.bdf, last.reason);
      if (unit !== null) {
        usedUnits.add(unit);
        const fault = last.fault ?? 0;
        groups.push({
          ts: last.t,
          rank: 0,
          events: [
            instant(
              `fault ${hex(fault, 2)} #${id}`,
              CAT_FAULT,
              irUnitPid(unit),
              FAULT_TID,
              last.t,
              args,
            ),
          ],
        });
      }
    }
  }

  // Handler runs, and the end of each flow at the hardirq that took the message.
  for (const h of src.handlers) {
    usedCpus.add(h.cpu);
    const tid = cpuTid(h.cpu);
    const args = handlerArgs(h, pathOf.get(h.messageId));
    if (h.context === 'spurious') {
      groups.push({
        ts: h.begin,
        rank: 1,
        events: [
          instant(`vector ${hex(h.vector, 2)}: no irq`, CAT_HANDLER, CPU_PID, tid, h.begin, args),
        ],
      });
      continue;
    }
    const end = h.end ?? src.now;
    const label =
      h.context === 'thread'
        ? `irq/${h.irq}-${h.action}`
        : `irq ${h.irq}${h.action ? ` ${h.action}` : ''}`;
    const state = h.end === null ? ' (running)' : h.ran === false ? ' (actions not run)' : '';
    const events: ChromeTraceEvent[] = [
      {
        ph: 'X',
        name: label + state,
        cat: CAT_HANDLER,
        pid: CPU_PID,
        tid,
        ts: us(h.begin),
        dur: us(end - h.begin),
        args,
      },
    ];
    if (flows.has(h.messageId) && hardirqOf.get(h.messageId) === h) {
      events.push({
        ph: 'f',
        name: FLOW_NAME,
        cat: CAT_FLOW,
        id: h.messageId,
        pid: CPU_PID,
        tid,
        ts: us(h.begin),
        bp: 'e',
      });
    }
    groups.push({ ts: h.begin, rank: 1, events });
  }

  // Metadata: devices first, then the IR units, then the CPUs.
  for (const [bdf, i] of deviceIndex) {
    const pid = devicePid(i);
    const slots = usedSlots.get(pid);
    if (slots === undefined) continue;
    const d = src.devices[i];
    meta.push(...processMeta(pid, d ? `${d.name} ${bdf}` : bdf, i));
    for (const [tid, name] of [...slots].sort((a, b) => a[0] - b[0]))
      meta.push(...threadMeta(pid, tid, name));
  }
  for (const unit of [...usedUnits].sort((a, b) => a - b)) {
    meta.push(...processMeta(irUnitPid(unit), `INTEL-IR-${unit}`, 1000 + unit));
    meta.push(...threadMeta(irUnitPid(unit), FAULT_TID, 'remapping faults'));
  }
  if (usedCpus.size > 0) {
    meta.push(...processMeta(CPU_PID, 'CPUs', 2000));
    for (const cpu of [...usedCpus].sort((a, b) => a - b))
      meta.push(...threadMeta(CPU_PID, cpuTid(cpu), `CPU ${cpu}`));
  }

  groups.sort((a, b) => a.ts - b.ts || a.rank - b.rank);
  const traceEvents: ChromeTraceEvent[] = [...meta];
  for (const g of groups) traceEvents.push(...g.events);
  return { traceEvents, displayTimeUnit: 'ns', otherData: otherData(src) };
}

/** The IR unit that faulted a message of `bdf`: the device's, else the one its reason names. */
function faultUnit(src: TimelineSource, bdf: string, reason: string | null): number | null {
  const d = src.devices.find((x) => x.bdf === bdf);
  if (d?.irUnit != null) return d.irUnit;
  const m = /^INTEL-IR-(\d+):/.exec(reason ?? '');
  return m ? Number(m[1]) : null;
}

function instant(
  name: string,
  cat: string,
  pid: number,
  tid: number,
  ns: number,
  args: Args,
): InstantEvent {
  return { ph: 'i', name, cat, pid, tid, ts: us(ns), s: 't', args };
}

/** A process's name and its place among the processes. */
function processMeta(pid: number, name: string, sort: number): MetadataEvent[] {
  return [
    { ph: 'M', name: 'process_name', pid, tid: 0, args: { name } },
    { ph: 'M', name: 'process_sort_index', pid, tid: 0, args: { sort_index: sort } },
  ];
}

/** A thread's name; threads sort by tid (MSI-X entries before IMS slots, CPUs in order). */
function threadMeta(pid: number, tid: number, name: string): MetadataEvent[] {
  return [
    { ph: 'M', name: 'thread_name', pid, tid, args: { name } },
    { ph: 'M', name: 'thread_sort_index', pid, tid, args: { sort_index: tid } },
  ];
}

/**
 * What a message's event shows: its final step, and when it waited (its device, entry and time
 * are the track's and the event's own).
 */
function messageArgs(evs: readonly TraceEvent[], still: boolean, now: number): Args {
  const first = evs[0]!;
  const last = evs[evs.length - 1]!;
  const args: Args = { message: last.id, outcome: last.kind, path: last.path };
  if (still) args.still_pending = true;
  if (first.kind === 'pending') {
    args.pended_ns = first.t;
    args.waited_ns = (still ? now : last.t) - first.t;
  }
  if (last.reason !== null) args.reason = last.reason;
  if (last.irte !== null) args.irte = last.irte;
  if (last.vector !== null) args.vector = hex(last.vector, 2);
  if (last.cpu !== null) args.cpu = last.cpu;
  if (last.virq !== null) args.irq = last.virq;
  if (last.fault !== null) args.fault = hex(last.fault, 2);
  if (last.pasid !== null) args.pasid = last.pasid;
  if (last.msg !== null) {
    args.address = hex(last.msg.address_hi * 0x1_0000_0000 + last.msg.address_lo, 8);
    args.data = hex(last.msg.data, 8);
  }
  return args;
}

/** What a handler run shows (its CPU and times are the track's and the event's own). */
function handlerArgs(h: HandlerSpan, path: string | undefined): Args {
  const args: Args = { context: h.context, vector: hex(h.vector, 2) };
  if (h.irq !== null) args.irq = h.irq;
  if (h.action !== '') args.action = h.action;
  if (h.end === null) args.running = true;
  if (h.ran === false && h.context === 'hardirq')
    args.note =
      'handle_edge_irq found the irq disabled, in progress or without an action: it marked it pending and masked it';
  if (h.messageId > 0) args.message = h.messageId;
  if (path !== undefined) args.path = path;
  return args;
}

function otherData(src: TimelineSource): OtherData {
  const lostEvents = Math.max(0, src.recordedEvents - src.eventCapacity);
  const lostHandlers = Math.max(0, src.recordedHandlers - src.handlerCapacity);
  const data: OtherData = {
    producer: 'ims-debug',
    clock: 'simulated, ns since power-on (ts and dur in µs as the format wants)',
    now_ns: src.now,
    cpus: src.cpus,
    ir_units: src.irUnits,
    devices: src.devices.map((d) => `${d.name} ${d.bdf}`).join(', '),
    messages: src.messages,
    trace_events: src.recordedEvents,
    trace_capacity: src.eventCapacity,
    trace_events_overwritten: lostEvents,
    handler_runs: src.recordedHandlers,
    handler_runs_overwritten: lostHandlers,
  };
  if (lostEvents > 0 || lostHandlers > 0)
    data.warning = overwrittenWarning(lostEvents, lostHandlers, src.eventCapacity);
  return data;
}

/** The sentence a truncated trace carries (the CLI prints it too). */
export function overwrittenWarning(events: number, handlers: number, capacity: number): string {
  const parts: string[] = [];
  if (events > 0) parts.push(`the oldest ${events} trace events`);
  if (handlers > 0) parts.push(`the oldest ${handlers} handler runs`);
  return (
    `${parts.join(' and ')} were overwritten: the machine keeps the last ${capacity} of each ` +
    `(its traceCapacity); the timeline starts later than the run`
  );
}
