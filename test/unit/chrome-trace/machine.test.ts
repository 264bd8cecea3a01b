/**
 * The timeline of a running machine (a doorbell device's MSI-X entries through VT-d and the
 * APICs): every message of the trace once on its entry's track, the handler runs on the CPUs,
 * a flow from each delivered message to the hardirq that took it, and a valid file.
 */
import { strict as assert } from 'node:assert';
import { machineChromeTrace, type CompleteEvent } from '../../../src/platform/chrome-trace';
import { disable_irq, enable_irq, request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQ_HANDLED } from '../../../src/platform/irq/types';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import { DOORBELL_BAR0, doorbellFactory } from '../support/doorbell-device';
import { boot, BDF } from '../platform/rig';
import { assertWellFormed, flows, slices, trackOf } from './check';
import { assertChromeTrace } from './schema';

describe('Chrome trace of a machine', () => {
  it('shows every message once, the handlers, and the flows between them', () => {
    const r = boot({ cpus: 2 });
    const irq0 = r.irq(0);
    const irq1 = r.irq(1);
    for (const irq of [irq0, irq1])
      request_threaded_irq(
        r.m.core,
        irq,
        () => (r.m.advance(250, false), IRQ_HANDLED),
        null,
        0,
        `dev-${irq}`,
        {},
      );
    r.ring(0);
    r.m.advance(1000, false);
    r.ring(1);
    disable_irq(r.m.core, irq0);
    r.m.advance(1000, false);
    r.ring(0); // delivered, not handled: the entry gets masked
    r.m.advance(1000, false);
    r.ring(0); // held pending at the masked entry
    r.m.advance(1000, false);
    enable_irq(r.m.core, irq0); // unmasked: the pended message goes out
    r.m.dispatch();

    const t = machineChromeTrace(r.m);
    assertChromeTrace(t);
    assertWellFormed(t);
    const messages = slices(t).filter((e) => e.cat === 'message');
    assert.deepEqual(
      messages.map((e) => e.args.message),
      [...Array(r.m.trace.messageCount).keys()].map((i) => i + 1),
      'each message once, in order',
    );
    assert.deepEqual(
      messages.map((e) => [e.name, trackOf(t, e)]),
      [
        ['#1 delivered', `doorbell0 ${BDF}/MSI-X entry 0`],
        ['#2 delivered', `doorbell0 ${BDF}/MSI-X entry 1`],
        ['#3 delivered', `doorbell0 ${BDF}/MSI-X entry 0`],
        ['#4 delivered', `doorbell0 ${BDF}/MSI-X entry 0`],
      ],
    );
    const held = messages[3] as CompleteEvent;
    assert.equal(held.dur, 1, 'pended for 1 µs, until enable_irq');

    const handlers = slices(t).filter((e) => e.cat === 'handler') as CompleteEvent[];
    const runs = r.m.core.handlerLog!.spans();
    assert.equal(handlers.length, runs.length);
    for (const [i, h] of handlers.entries()) {
      const s = runs[i]!;
      assert.equal(trackOf(t, h), `CPUs/CPU ${s.cpu}`);
      assert.equal(h.args.message, s.messageId);
      assert.equal(h.dur, s.ran ? 0.25 : 0, 'a handler run lasts as long as the handler took');
    }
    assert.match(handlers[2]!.name, /\(actions not run\)$/);
    // Each delivered message flows to the hardirq that took it.
    assert.deepEqual(
      flows(t, 's').map((f) => f.id),
      [1, 2, 3, 4],
    );
    for (const f of flows(t, 'f')) {
      const run = runs.find((s) => s.messageId === f.id && s.context === 'hardirq')!;
      assert.equal(f.ts, run.begin / 1000);
      assert.equal(f.tid, run.cpu + 1);
    }
    assert.equal(t.otherData.messages, 4);
    assert.equal(t.otherData.now_ns, r.m.clock.now);
  });

  it('says how much of a long run the rings overwrote', () => {
    const m = new Machine(
      {
        ...defaultMachineConfig(),
        traceCapacity: 32,
        devices: [{ kind: 'doorbell' as 'dsa', bdf: BDF, irUnit: 0 }],
      },
      { doorbell: doorbellFactory },
    );
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
    request_threaded_irq(
      m.core,
      m.msix.pci_irq_vector(pdev, 0),
      () => IRQ_HANDLED,
      null,
      0,
      'dev',
      {},
    );
    for (let i = 0; i < 42; i++) {
      m.memory.write32(DOORBELL_BAR0, 0);
      m.dispatch();
    }
    const t = machineChromeTrace(m);
    assertChromeTrace(t);
    assertWellFormed(t);
    assert.equal(t.otherData.trace_events, 42);
    assert.equal(t.otherData.trace_capacity, 32);
    assert.equal(t.otherData.trace_events_overwritten, 10);
    assert.equal(t.otherData.handler_runs_overwritten, 10);
    assert.match(String(t.otherData.warning), /^the oldest 10 trace events and the oldest 10 /);
    const messages = slices(t).filter((e) => e.cat === 'message');
    assert.deepEqual(
      [messages[0]?.args.message, messages.length],
      [11, 32],
      'the timeline starts at the oldest message left',
    );
  });
});
