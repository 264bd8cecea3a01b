import { strict as assert } from 'node:assert';
import type { TraceEvent } from '../../../../src/platform/trace';
import {
  describeDelivery,
  describeFault,
  describeMasked,
  envOfEvent,
  InterruptFilters,
  type InterruptEnv,
} from '../../../../src/runtime/worker/filters';

const BDF = '0000:6a:01.0';

/** A trace event; fields not given are those of a delivered IMS message without remapping. */
function event(over: Partial<TraceEvent> = {}): TraceEvent {
  return {
    seq: 0,
    id: 1,
    t: 0,
    kind: 'delivered',
    bdf: BDF,
    source: 'ims',
    index: 3,
    pasid: null,
    msg: null,
    irte: null,
    vector: 0x41,
    cpu: 2,
    virq: 33,
    fault: null,
    reason: null,
    path: '',
    ...over,
  };
}

const NULL_ENV: InterruptEnv = envOfEvent(undefined, null);

describe('runtime/worker: interrupt filters', () => {
  it('accepts a filter without a condition: it always matches', () => {
    const f = new InterruptFilters();
    assert.deepEqual(f.set([{ filterId: 'interrupt' }, { filterId: 'uncaught', condition: ' ' }]), [
      null,
      null,
    ]);
    assert.ok(f.enabled('interrupt'));
    assert.ok(f.enabled('uncaught'));
    assert.deepEqual(f.matches('interrupt', NULL_ENV), { hit: true });
  });

  it('does not match a filter that is not enabled', () => {
    const f = new InterruptFilters();
    f.set([{ filterId: 'interrupt' }]);
    assert.equal(f.enabled('remapFault'), false);
    assert.deepEqual(f.matches('remapFault', NULL_ENV), { hit: false });
  });

  it('replaces the enabled set on every call', () => {
    const f = new InterruptFilters();
    f.set([{ filterId: 'interrupt' }]);
    f.set([{ filterId: 'maskedMessage' }]);
    assert.equal(f.enabled('interrupt'), false);
    assert.ok(f.enabled('maskedMessage'));
  });

  it('evaluates a condition over the event’s fields', () => {
    const f = new InterruptFilters();
    f.set([{ filterId: 'interrupt', condition: "source == 'ims' && slot == 3 && cpu === 2" }]);
    const env = envOfEvent(event(), 7);
    assert.deepEqual(f.matches('interrupt', env), { hit: true });
    assert.deepEqual(f.matches('interrupt', { ...env, cpu: 1 }), { hit: false });
  });

  it('binds every documented name', () => {
    const f = new InterruptFilters();
    const names = Object.keys(NULL_ENV);
    assert.deepEqual(names, [
      'vector',
      'cpu',
      'virq',
      'hwirq',
      'slot',
      'index',
      'source',
      'bdf',
      'irte',
      'pasid',
      'fault',
    ]);
    for (const [i, name] of names.entries()) {
      f.set([{ filterId: 'interrupt', condition: `${name} === ${i}` }]);
      const env = { ...NULL_ENV, [name]: i };
      assert.deepEqual(f.matches('interrupt', env), { hit: true }, name);
      assert.deepEqual(f.matches('interrupt', NULL_ENV), { hit: false }, name);
    }
  });

  it('gives absent values as null', () => {
    const f = new InterruptFilters();
    f.set([
      { filterId: 'interrupt', condition: 'irte === null && pasid === null && slot === null' },
    ]);
    const msix = envOfEvent(event({ source: 'msix', index: 0 }), null);
    assert.deepEqual(f.matches('interrupt', msix), { hit: true });
    assert.ok(Object.values(NULL_ENV).every((v) => v === null));
  });

  it('refuses a condition that does not compile, saying so, and leaves the filter off', () => {
    const f = new InterruptFilters();
    const [why, ok] = f.set([
      { filterId: 'interrupt', condition: 'vector ==' },
      { filterId: 'remapFault', condition: 'fault == 0x22' },
    ]);
    assert.match(why!, /^condition "vector ==" does not compile: /);
    assert.equal(ok, null);
    assert.equal(f.enabled('interrupt'), false);
    assert.ok(f.enabled('remapFault'));
  });

  it('counts a condition that throws as a hit, with the error', () => {
    const f = new InterruptFilters();
    assert.deepEqual(f.set([{ filterId: 'interrupt', condition: 'nosuch > 1' }]), [null]);
    const r = f.matches('interrupt', NULL_ENV);
    assert.equal(r.hit, true);
    assert.match(r.error!, /^condition of 'interrupt' threw: .*nosuch/);
  });
});

describe('runtime/worker: envOfEvent', () => {
  it('takes the event’s fields, the slot for IMS only, and the hwirq given', () => {
    assert.deepEqual(envOfEvent(event({ irte: 17, pasid: 5 }), 9), {
      vector: 0x41,
      cpu: 2,
      virq: 33,
      hwirq: 9,
      slot: 3,
      index: 3,
      source: 'ims',
      bdf: BDF,
      irte: 17,
      pasid: 5,
      fault: null,
    });
    const msix = envOfEvent(event({ source: 'msix', index: 4 }), null);
    assert.equal(msix.slot, null);
    assert.equal(msix.index, 4);
  });

  it('lets an override win', () => {
    const env = envOfEvent(event(), null, { cpu: 0, vector: 0x22 });
    assert.equal(env.cpu, 0);
    assert.equal(env.vector, 0x22);
    assert.equal(env.virq, 33);
  });
});

describe('runtime/worker: stop descriptions', () => {
  it('describes a delivery: vector, CPU, IRTE, origin and irq', () => {
    assert.equal(
      describeDelivery(0x41, 2, 33, event({ irte: 17 })),
      `vector 0x41 → CPU 2 via IRTE 17 from IMS slot 3 of ${BDF} (irq 33)`,
    );
    assert.equal(
      describeDelivery(0x9, 0, 24, event({ source: 'msix', index: 0 })),
      `vector 0x09 → CPU 0 from MSI-X entry 0 of ${BDF} (irq 24)`,
    );
  });

  it('describes a delivery without a message as the kernel’s replay', () => {
    assert.equal(
      describeDelivery(0x41, 1, 33, undefined),
      'vector 0x41 → CPU 1 (irq 33; replayed by the kernel, not a device message)',
    );
  });

  it('describes a remapping fault with its reason text and IRTE', () => {
    assert.equal(
      describeFault(event({ kind: 'faulted', fault: 0x22, irte: 17 })),
      `remapping fault 0x22 (Present field in the IRTE entry is clear) at IRTE 17 for a message from IMS slot 3 of ${BDF}`,
    );
    assert.equal(
      describeFault(event({ kind: 'faulted', fault: 0x21, irte: null, source: 'msix', index: 1 })),
      `remapping fault 0x21 (Interrupt index exceeded the interrupt-remapping table size) for a message from MSI-X entry 1 of ${BDF}`,
    );
  });

  it('describes a message held by a masked slot or entry', () => {
    assert.equal(
      describeMasked(event({ kind: 'pending', id: 5 })),
      `message #5 from IMS slot 3 of ${BDF} is held pending: the slot is masked`,
    );
    assert.equal(
      describeMasked(event({ kind: 'pending', id: 6, source: 'msix', index: 2 })),
      `message #6 from MSI-X entry 2 of ${BDF} is held pending: the entry is masked`,
    );
  });
});
