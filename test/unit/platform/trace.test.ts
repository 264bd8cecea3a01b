/**
 * The interrupt trace: one outcome per message (pending may precede it), breaches reported and
 * never thrown, the ring of the last `capacity` events, and the path notation.
 */
import { strict as assert } from 'node:assert';
import type { DeviceMsiSource, MsiOrigin } from '../../../src/platform/bus';
import { describePath, InterruptTrace, type TraceEvent } from '../../../src/platform/trace';

function setup(capacity?: number): {
  trace: InterruptTrace;
  origin: (source: DeviceMsiSource, index: number) => MsiOrigin;
  clock: { t: number };
} {
  const clock = { t: 0 };
  const trace = new InterruptTrace(() => clock.t, capacity);
  return {
    trace,
    clock,
    origin: (source, index) =>
      trace.addOrigin((key) => ({
        key,
        bdf: '0000:6a:01.0',
        source,
        index,
        requesterId: 0x6a08,
      })),
  };
}

describe('interrupt trace', () => {
  describe('the one-outcome invariant', () => {
    it('accepts pending then a terminal outcome under the same id', () => {
      const { trace, origin } = setup();
      const id = trace.open(origin('msix', 1), null);
      trace.record(id, 'pending');
      assert.equal(trace.pending, 1);
      assert.deepEqual(trace.pendingIds(), [id]);
      trace.record(id, 'delivered', { vector: 0x41, cpu: 2 });
      assert.equal(trace.pending, 0);
      assert.deepEqual(trace.check(), []);
      assert.deepEqual(trace.violations, []);
      assert.deepEqual(
        trace.events().map((e) => [e.id, e.kind]),
        [
          [id, 'pending'],
          [id, 'delivered'],
        ],
      );
    });

    it('reports a second terminal outcome without throwing and without recording it', () => {
      const { trace, origin } = setup();
      const id = trace.open(origin('msix', 0), null);
      trace.record(id, 'delivered');
      assert.doesNotThrow(() => trace.record(id, 'dropped', { reason: 'again' }));
      assert.equal(trace.violations.length, 1);
      assert.match(trace.violations[0]!, /message #1: 'dropped' after its outcome/);
      assert.deepEqual(trace.check(), [...trace.violations]);
      assert.equal(trace.length, 1, 'the breach is not an event');
      assert.deepEqual(trace.totals, { delivered: 1, pending: 0, faulted: 0, dropped: 0 });
    });

    it('reports an outcome for an unknown id', () => {
      const { trace, origin } = setup();
      trace.open(origin('msix', 0), null);
      assert.doesNotThrow(() => trace.record(7, 'delivered'));
      assert.doesNotThrow(() => trace.record(0, 'faulted'));
      assert.equal(trace.violations.length, 2);
      assert.match(trace.violations[0]!, /#7: 'delivered' after nothing \(never raised\)/);
      assert.equal(trace.length, 0);
    });

    it('reports pending twice in a row', () => {
      const { trace, origin } = setup();
      const id = trace.open(origin('ims', 3), 5);
      trace.record(id, 'pending');
      trace.record(id, 'pending');
      assert.equal(trace.violations.length, 1);
      assert.equal(trace.pending, 1);
    });

    it('check() reports a raised message without an outcome (and violations does not)', () => {
      const { trace, origin } = setup();
      const o = origin('msix', 0);
      const a = trace.open(o, null);
      const b = trace.open(o, null);
      trace.record(a, 'faulted', { fault: 0x22 });
      assert.deepEqual(trace.check(), [`message #${b} was raised but has no outcome`]);
      assert.deepEqual(trace.violations, []);
      trace.record(b, 'dropped', { reason: 'x' });
      assert.deepEqual(trace.check(), []);
    });

    it('a message still pending at the end is not a problem', () => {
      const { trace, origin } = setup();
      trace.record(trace.open(origin('msix', 0), null), 'pending');
      assert.deepEqual(trace.check(), []);
    });
  });

  describe('events', () => {
    it('materialises an event with its origin, time, PASID and details', () => {
      const { trace, origin, clock } = setup();
      const id = trace.open(origin('ims', 3), 0x42);
      clock.t = 1500;
      const msg = { address_lo: 0xfee0003c, address_hi: 0, data: 0 };
      trace.record(id, 'delivered', { msg, irte: 1, vector: 0x41, cpu: 2, virq: 30 });
      const ev = trace.lastEventOf(id)!;
      assert.deepEqual(ev, {
        seq: 0,
        id,
        t: 1500,
        kind: 'delivered',
        bdf: '0000:6a:01.0',
        source: 'ims',
        index: 3,
        pasid: 0x42,
        msg,
        irte: 1,
        vector: 0x41,
        cpu: 2,
        virq: 30,
        fault: null,
        reason: null,
        path: 'IMS slot 3 of 0000:6a:01.0 → IRTE 1 → vector 0x41 → CPU 2 (irq 30)',
      });
      assert.equal(trace.requesterOf(id), 0x6a08);
    });

    it('keeps the last `capacity` events in the ring', () => {
      const { trace, origin } = setup(4);
      const o = origin('msix', 0);
      const ids = Array.from({ length: 6 }, () => trace.open(o, null));
      for (const id of ids) trace.record(id, 'dropped', { reason: `r${id}` });
      assert.equal(trace.length, 6);
      assert.equal(trace.messageCount, 6);
      assert.deepEqual(
        trace.events().map((e) => [e.seq, e.id, e.reason]),
        [
          [2, 3, 'r3'],
          [3, 4, 'r4'],
          [4, 5, 'r5'],
          [5, 6, 'r6'],
        ],
      );
      assert.equal(trace.event(1), undefined, 'overwritten');
      assert.equal(trace.event(6), undefined, 'not recorded yet');
      assert.equal(trace.lastEventOf(1), undefined);
      assert.equal(trace.events(4).length, 2);
      assert.deepEqual(trace.totals, { delivered: 0, pending: 0, faulted: 0, dropped: 6 });
    });

    it('calls subscribers with the seq of each recorded event, until unsubscribed', () => {
      const { trace, origin } = setup();
      const seen: number[] = [];
      const off = trace.subscribe((s) => seen.push(s));
      const o = origin('msix', 0);
      const a = trace.open(o, null);
      trace.record(a, 'pending');
      trace.record(a, 'delivered');
      trace.record(a, 'delivered'); // a breach: no event
      off();
      trace.record(trace.open(o, null), 'delivered');
      assert.deepEqual(seen, [0, 1]);
    });
  });

  describe('describePath', () => {
    const base: Omit<TraceEvent, 'path'> = {
      seq: 0,
      id: 1,
      t: 0,
      kind: 'delivered',
      bdf: '0000:6a:01.0',
      source: 'msix',
      index: 2,
      pasid: null,
      msg: null,
      irte: null,
      vector: null,
      cpu: null,
      virq: null,
      fault: null,
      reason: null,
    };

    it('joins the known steps with arrows and adds the irq', () => {
      assert.equal(
        describePath({ ...base, irte: 17, vector: 0x41, cpu: 2, virq: 30 }),
        'MSI-X entry 2 of 0000:6a:01.0 → IRTE 17 → vector 0x41 → CPU 2 (irq 30)',
      );
      assert.equal(
        describePath({ ...base, vector: 0x05, cpu: 0 }),
        'MSI-X entry 2 of 0000:6a:01.0 → vector 0x05 → CPU 0',
      );
    });

    it('marks a fault with its reason code and text', () => {
      assert.equal(
        describePath({
          ...base,
          kind: 'faulted',
          source: 'ims',
          index: 3,
          irte: 5,
          fault: 0x22,
          reason: 'INTEL-IR-0: Present field in the IRTE entry is clear',
        }),
        'IMS slot 3 of 0000:6a:01.0 → IRTE 5 ✗ fault 0x22: INTEL-IR-0: Present field in the IRTE entry is clear',
      );
    });

    it('appends the reason of a drop or a merge', () => {
      assert.equal(
        describePath({ ...base, kind: 'dropped', reason: 'no CPU has APIC ID 9' }),
        'MSI-X entry 2 of 0000:6a:01.0: no CPU has APIC ID 9',
      );
    });
  });
});
