/**
 * The conversion of the interrupt trace and the handler runs into Chrome/Perfetto trace events,
 * on records written by hand: the tracks, each outcome's event, the flows from a message to
 * its handler, open spans, a ring that overwrote its oldest entries — and the file's shape,
 * checked against the JSON schema of what ims-debug writes.
 */
import { strict as assert } from 'node:assert';
import {
  toChromeTrace,
  type ChromeTrace,
  type CompleteEvent,
  type TimelineSource,
} from '../../../src/platform/chrome-trace';
import type { HandlerSpan } from '../../../src/platform/irq/handler-log';
import { describePath, type OutcomeKind, type TraceEvent } from '../../../src/platform/trace';
import { assertWellFormed, flows, slices, trackOf, trackNames } from './check';
import { assertChromeTrace, rejects } from './schema';

const BDF = '0000:6a:01.0';
const BDF2 = '0000:6f:01.0';

let seq = 0;
function ev(
  id: number,
  t: number,
  kind: OutcomeKind,
  more: Partial<Omit<TraceEvent, 'id' | 't' | 'kind' | 'path' | 'seq'>> = {},
): TraceEvent {
  const e: Omit<TraceEvent, 'path'> = {
    seq: seq++,
    id,
    t,
    kind,
    bdf: BDF,
    source: 'ims',
    index: 0,
    pasid: null,
    msg: null,
    irte: null,
    vector: null,
    cpu: null,
    virq: null,
    fault: null,
    reason: null,
    ...more,
  };
  return { ...e, path: describePath(e) };
}

const routed = { irte: 9, vector: 0x20, cpu: 1, virq: 33 };

let hseq = 0;
function run(
  messageId: number,
  begin: number,
  end: number | null,
  more: Partial<HandlerSpan> = {},
): HandlerSpan {
  return {
    seq: hseq++,
    cpu: 1,
    irq: 33,
    vector: 0x20,
    messageId,
    context: 'hardirq',
    action: 'idxd-portal',
    begin,
    end,
    ran: end === null ? null : true,
    ...more,
  };
}

function source(over: Partial<TimelineSource>): TimelineSource {
  const events = over.events ?? [];
  const handlers = over.handlers ?? [];
  return {
    events,
    handlers,
    now: 10_000,
    cpus: 4,
    irUnits: 2,
    devices: [
      { bdf: BDF, name: 'dsa0', irUnit: 0 },
      { bdf: BDF2, name: 'dsa1', irUnit: 1 },
    ],
    recordedEvents: events.length,
    eventCapacity: 65536,
    recordedHandlers: handlers.length,
    handlerCapacity: 65536,
    messages: new Set(events.map((e) => e.id)).size,
    ...over,
  };
}

function convert(over: Partial<TimelineSource>): ChromeTrace {
  const t = toChromeTrace(source(over));
  assertChromeTrace(t);
  assertWellFormed(t);
  // What a file holds: JSON survives a round trip unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
  return t;
}

const named = (t: ChromeTrace, name: string) => {
  const s = slices(t).find((e) => e.name === name);
  assert.ok(
    s,
    `an event '${name}' among ${slices(t)
      .map((e) => e.name)
      .join(', ')}`,
  );
  return s;
};

describe('Chrome trace: the conversion', () => {
  it('puts a delivered message on its slot and its handler on its CPU, linked by a flow', () => {
    const t = convert({
      events: [ev(1, 1000, 'delivered', routed)],
      handlers: [run(1, 1000, 1420)],
    });
    const msg = named(t, '#1 delivered') as CompleteEvent;
    assert.equal(msg.ph, 'X');
    assert.equal(trackOf(t, msg), `dsa0 ${BDF}/IMS slot 0`);
    assert.equal(msg.ts, 1, 'µs');
    assert.equal(msg.dur, 0);
    assert.equal(msg.args.path, `IMS slot 0 of ${BDF} → IRTE 9 → vector 0x20 → CPU 1 (irq 33)`);
    assert.equal(msg.args.outcome, 'delivered');
    assert.equal(msg.args.vector, '0x20');
    const h = named(t, 'irq 33 idxd-portal') as CompleteEvent;
    assert.equal(trackOf(t, h), 'CPUs/CPU 1');
    assert.equal(h.ts, 1);
    assert.equal(h.dur, 0.42);
    assert.equal(h.args.message, 1);
    assert.equal(h.args.path, msg.args.path, 'the handler names the message that raised it');
    const [s] = flows(t, 's');
    const [f] = flows(t, 'f');
    assert.ok(s && f);
    assert.deepEqual([s.id, s.pid, s.tid], [1, msg.pid, msg.tid]);
    assert.deepEqual([f.id, f.pid, f.tid, f.bp], [1, h.pid, h.tid, 'e']);
    assert.equal(t.displayTimeUnit, 'ns');
  });

  it('shows a message held at a masked slot as a span from the pend to the delivery', () => {
    const t = convert({
      events: [ev(3, 2000, 'pending'), ev(3, 5000, 'delivered', routed)],
      handlers: [run(3, 5200, 5600)],
    });
    const msg = named(t, '#3 delivered') as CompleteEvent;
    assert.equal(msg.ts, 2);
    assert.equal(msg.dur, 3);
    assert.equal(msg.args.pended_ns, 2000);
    assert.equal(msg.args.waited_ns, 3000);
    assert.equal(flows(t, 's')[0]?.ts, 2, 'the flow leaves from the span');
    assert.equal(flows(t, 'f')[0]?.ts, 5.2, 'and reaches the handler when the CPU took it');
  });

  it('runs a message still pending to the end of the trace', () => {
    const t = convert({ events: [ev(4, 2000, 'pending')], now: 9000 });
    const msg = named(t, '#4 pending') as CompleteEvent;
    assert.equal(msg.ph, 'X');
    assert.equal(msg.dur, 7);
    assert.equal(msg.args.still_pending, true);
    assert.equal(msg.args.outcome, 'pending');
    assert.equal(flows(t, 's').length, 0);
  });

  it('marks a drop with its reason as an instant on the slot', () => {
    const reason = 'lost: CPU 3 is offline';
    const t = convert({
      events: [ev(5, 3000, 'dropped', { source: 'msix', index: 2, vector: 0x21, cpu: 3, reason })],
    });
    const d = named(t, '#5 dropped');
    assert.equal(d.ph, 'i');
    assert.equal(trackOf(t, d), `dsa0 ${BDF}/MSI-X entry 2`);
    assert.equal(d.args.reason, reason);
    assert.equal(d.args.outcome, 'dropped');
    assert.match(String(d.args.path), /: lost: CPU 3 is offline$/);
  });

  it("puts a fault on its slot and on the track of the device's IR unit", () => {
    const reason = 'INTEL-IR-1: Present field in the IRTE entry is clear';
    const t = convert({
      events: [ev(6, 4000, 'faulted', { bdf: BDF2, irte: 0, fault: 0x22, reason })],
    });
    const onSlot = named(t, '#6 faulted');
    assert.equal(onSlot.ph, 'i');
    assert.equal(trackOf(t, onSlot), `dsa1 ${BDF2}/IMS slot 0`);
    const onUnit = named(t, 'fault 0x22 #6');
    assert.equal(trackOf(t, onUnit), 'INTEL-IR-1/remapping faults');
    assert.equal(onUnit.args.reason, reason);
    assert.equal(onUnit.args.fault, '0x22');
    assert.ok(!trackNames(t).has('2:1'), 'INTEL-IR-0 faulted nothing: no track for it');
  });

  it('shows a handler the model is stopped in as running to the end of the trace', () => {
    const t = convert({
      events: [ev(1, 1000, 'delivered', routed)],
      handlers: [run(1, 1000, null)],
      now: 2500,
    });
    const h = named(t, 'irq 33 idxd-portal (running)') as CompleteEvent;
    assert.equal(h.dur, 1.5);
    assert.equal(h.args.running, true);
  });

  it('names irq threads as Linux does, says when the actions did not run, marks spurious vectors', () => {
    const t = convert({
      events: [ev(1, 1000, 'delivered', routed), ev(2, 3000, 'delivered', routed)],
      handlers: [
        run(1, 1000, 1100),
        run(1, 1100, 1900, { context: 'thread' }),
        run(2, 3000, 3000, { ran: false }),
        run(0, 4000, 4000, {
          context: 'spurious',
          irq: null,
          action: '',
          vector: 0x31,
          ran: false,
        }),
      ],
    });
    assert.equal(named(t, 'irq/33-idxd-portal').args.context, 'thread');
    const masked = named(t, 'irq 33 idxd-portal (actions not run)');
    assert.match(String(masked.args.note), /disabled, in progress or without an action/);
    const spurious = named(t, 'vector 0x31: no irq');
    assert.equal(spurious.ph, 'i');
    assert.equal(trackOf(t, spurious), 'CPUs/CPU 1');
    assert.deepEqual(
      flows(t, 'f').map((f) => f.id),
      [1, 2],
      'one flow per message, to the hardirq (not the thread)',
    );
  });

  it('orders devices, then IR units, then CPUs; MSI-X entries before IMS slots', () => {
    const t = convert({
      events: [
        ev(1, 100, 'delivered', { ...routed, source: 'ims', index: 3 }),
        ev(2, 200, 'delivered', { ...routed, source: 'msix', index: 0 }),
        ev(3, 300, 'faulted', { fault: 0x25, reason: 'INTEL-IR-0: x' }),
        ev(4, 400, 'dropped', { bdf: BDF2, source: 'msix', index: 1, reason: 'r' }),
      ],
      handlers: [run(1, 100, 200, { cpu: 2 }), run(2, 200, 300, { cpu: 0 })],
    });
    const sorted = (name: 'process_sort_index' | 'thread_sort_index') =>
      t.traceEvents
        .filter((e) => e.ph === 'M' && e.name === name)
        .sort(
          (a, b) =>
            (a.ph === 'M' && 'sort_index' in a.args ? a.args.sort_index : 0) -
            (b.ph === 'M' && 'sort_index' in b.args ? b.args.sort_index : 0),
        );
    const names = trackNames(t);
    const procNames = new Map(
      t.traceEvents.flatMap((e) =>
        e.ph === 'M' && e.name === 'process_name' && 'name' in e.args
          ? [[e.pid, e.args.name] as const]
          : [],
      ),
    );
    assert.deepEqual(
      sorted('process_sort_index').map((e) => procNames.get(e.pid)),
      [`dsa0 ${BDF}`, `dsa1 ${BDF2}`, 'INTEL-IR-0', 'CPUs'],
    );
    assert.deepEqual(
      sorted('thread_sort_index')
        .filter((e) => procNames.get(e.pid) === `dsa0 ${BDF}`)
        .map((e) => names.get(`${e.pid}:${e.tid}`)),
      [`dsa0 ${BDF}/MSI-X entry 0`, `dsa0 ${BDF}/IMS slot 0`, `dsa0 ${BDF}/IMS slot 3`],
    );
    assert.deepEqual(
      [...names.values()].filter((n) => n.startsWith('CPUs/')),
      ['CPUs/CPU 0', 'CPUs/CPU 2'],
      'only the CPUs that ran handlers',
    );
  });

  it('says in otherData what the rings overwrote, and starts from what is left', () => {
    const t = convert({
      events: [ev(7, 5000, 'delivered', routed)],
      handlers: [run(6, 4000, 4100), run(7, 5000, 5100)],
      recordedEvents: 70_000,
      eventCapacity: 65536,
      recordedHandlers: 66_000,
      handlerCapacity: 65536,
      messages: 70_000,
    });
    assert.equal(t.otherData.trace_events, 70_000);
    assert.equal(t.otherData.trace_events_overwritten, 70_000 - 65536);
    assert.equal(t.otherData.handler_runs_overwritten, 66_000 - 65536);
    assert.match(
      String(t.otherData.warning),
      /^the oldest 4464 trace events and the oldest 464 handler runs were overwritten: the machine keeps the last 65536 of each \(its traceCapacity\); the timeline starts later than the run$/,
    );
    // Message 6 left the ring: its handler shows, with no flow into it.
    assert.equal(named(t, 'irq 33 idxd-portal').args.message, 6);
    assert.deepEqual(
      flows(t, 'f').map((f) => f.id),
      [7],
    );
  });

  it('has no warning when nothing was overwritten, and gives the same file for the same records', () => {
    const src = { events: [ev(1, 1000, 'delivered', routed)], handlers: [run(1, 1000, 1200)] };
    const t = convert(src);
    assert.equal(t.otherData.warning, undefined);
    assert.equal(t.otherData.trace_events_overwritten, 0);
    assert.equal(JSON.stringify(convert(src)), JSON.stringify(t));
  });

  it('writes an empty run as a valid file with no tracks', () => {
    const t = convert({});
    assert.deepEqual(t.traceEvents, []);
    assert.equal(t.otherData.messages, 0);
  });

  it('has a schema that rejects what the format does not allow', () => {
    const good = convert({
      events: [ev(1, 1000, 'delivered', routed)],
      handlers: [run(1, 1000, 1200)],
    });
    const broken = (f: (t: ChromeTrace) => void): unknown => {
      const t = JSON.parse(JSON.stringify(good)) as ChromeTrace;
      f(t);
      return t;
    };
    assert.equal(rejects(good), false);
    assert.ok(rejects(broken((t) => ((t.traceEvents[0] as { ph: string }).ph = 'B'))));
    assert.ok(rejects(broken((t) => delete (slices(t)[0] as Partial<CompleteEvent>).dur)));
    assert.ok(rejects(broken((t) => ((flows(t, 'f')[0] as { bp?: string }).bp = undefined))));
    assert.ok(rejects(broken((t) => ((slices(t)[0] as { ts: number }).ts = -1))));
    assert.ok(rejects(broken((t) => ((t as { displayTimeUnit: string }).displayTimeUnit = 'us'))));
  });
});
