/**
 * The audit the properties rely on finds what it claims to find: each check is shown a machine
 * broken in its way and must name the problem, and a healthy machine — including Linux's own
 * accounting quirks across CPU hotplug — must pass.
 */
import { strict as assert } from 'node:assert';
import { MessageLedger } from '../../../src/platform/audit';
import { InterruptTrace } from '../../../src/platform/trace';
import { apply } from './apply';
import { boot, type Rig } from './rig';

/** The irq the rig requested for WQ 0's IMS slot, and its vector level. */
function imsIrq(r: Rig): { irq: number; pick: number } {
  const irq = r.driver.ims[0]!.virq;
  return { irq, pick: r.irqs().indexOf(irq) };
}

function apicd(r: Rig, irq: number) {
  return r.m.vector.apicd(r.m.core.irq_to_desc(irq)!.irq_data)!;
}

const has = (problems: string[], re: RegExp): boolean => problems.some((p) => re.test(p));

describe('audit', () => {
  describe('MessageLedger', () => {
    const origin = (t: InterruptTrace) =>
      t.addOrigin((key) => ({
        key,
        bdf: '0000:6a:01.0',
        source: 'msix',
        index: 0,
        requesterId: 0,
      }));

    it('accepts pend then deliver, and a drop with a reason', () => {
      const t = new InterruptTrace(() => 0);
      const ledger = new MessageLedger(t);
      const o = origin(t);
      const a = t.open(o, null);
      t.record(a, 'pending');
      t.record(a, 'delivered', { vector: 0x41, cpu: 1 });
      t.record(t.open(o, null), 'dropped', { reason: 'because' });
      assert.deepEqual(ledger.check(), []);
      assert.deepEqual(ledger.totals, { delivered: 1, pending: 1, faulted: 0, dropped: 1 });
    });

    it('names a message without an outcome, a second outcome and a drop without a reason', () => {
      const t = new InterruptTrace(() => 0);
      const ledger = new MessageLedger(t);
      const o = origin(t);
      const a = t.open(o, null);
      t.record(a, 'dropped', { reason: 'x' });
      t.record(a, 'delivered', { vector: 0x41, cpu: 0 });
      t.record(t.open(o, null), 'dropped');
      t.open(o, null);
      const p = ledger.check();
      assert.ok(has(p, /message #3 was raised but has no outcome/), p.join('\n'));
      assert.ok(has(p, /message #2 .*dropped without a reason/), p.join('\n'));
      assert.ok(has(p, /^trace: message #1: 'delivered' after its outcome/), p.join('\n'));
    });

    it('refuses a trace that has recorded events already', () => {
      const t = new InterruptTrace(() => 0);
      t.record(t.open(origin(t), null), 'dropped', { reason: 'x' });
      assert.throws(() => new MessageLedger(t), /attach the ledger first/);
    });
  });

  describe('MachineAudit on the rig', () => {
    it('passes on the booted rig and after traffic', () => {
      const r = boot();
      apply(r, { k: 'burst', wq: 0, n: 4, pick: 0 });
      assert.ok(r.m.trace.totals.delivered >= 4);
      assert.deepEqual(r.audit.check(true), []);
    });

    it('names a pending message that no entry holds', () => {
      const r = boot();
      const t = r.m.trace;
      const id = t.open(r.m.fabric.origin(r.dev.fn.bdf, r.dev.fn.requesterId, 'msix', 5), null);
      t.record(id, 'pending');
      assert.ok(
        has(r.audit.check(), /message #\d+ is pending, but MSI-X entry 5 .* holds nothing/),
      );
    });

    it('names matrix counters that disagree with the bitmaps', () => {
      const r = boot();
      const cm = r.m.vector.matrix.maps[2]!;
      cm.available++;
      r.m.vector.matrix.total_allocated++;
      const p = r.audit.check();
      assert.ok(has(p, /CPU 2: available = .*, the bitmaps say/), p.join('\n'));
      assert.ok(has(p, /global_available = /), p.join('\n'));
      assert.ok(has(p, /total_allocated = /), p.join('\n'));
    });

    it('names a vector freed behind its irq and one allocated for no irq', () => {
      const r = boot();
      const a = apicd(r, imsIrq(r).irq);
      r.m.vector.matrix.free(a.cpu, a.vector);
      const leak = r.m.vector.matrix.alloc([3], false);
      assert.ok(typeof leak === 'object');
      const p = r.audit.check();
      assert.ok(
        has(p, new RegExp(`vector ${a.vector} on CPU ${a.cpu} is not allocated`)),
        p.join('\n'),
      );
      assert.ok(
        has(p, new RegExp(`vector ${leak.vector} on CPU 3 is allocated but no irq`)),
        p.join('\n'),
      );
    });

    it('names a vector_irq entry that routes a held vector elsewhere', () => {
      const r = boot();
      const { irq } = imsIrq(r);
      const a = apicd(r, irq);
      r.m.cpus[a.cpu]!.vector_irq[a.vector] = undefined;
      assert.ok(
        has(
          r.audit.check(),
          new RegExp(`irq ${irq}: CPU ${a.cpu}'s vector_irq\\[${a.vector}\\] routes to nothing`),
        ),
      );
    });

    it('names a started irq left on a CPU that went down', () => {
      const r = boot();
      const { irq } = imsIrq(r);
      const home = apicd(r, irq).cpu;
      // A CPU going down without fixup_irqs(): its irqs stay.
      r.m.cpus[home]!.online = false;
      r.m.vector.lapic_offline(home);
      const p = r.audit.check();
      assert.ok(
        has(p, new RegExp(`irq ${irq}: started, with its vector \\d+ on offline CPU ${home}`)),
        p.join('\n'),
      );
    });

    it("accepts a started irq Linux's irq_needs_fixup passes over", () => {
      const r = boot();
      const { irq, pick } = imsIrq(r);
      const a = apicd(r, irq);
      const home = a.cpu;
      const away = home === 2 ? 3 : 2;
      apply(r, { k: 'free', pick });
      assert.equal(apply(r, { k: 'cpuDown', cpu: away }), 0);
      assert.equal(apply(r, { k: 'affinity', pick, cpus: [away] }), 0);
      assert.equal(apply(r, { k: 'request', pick, kind: 'handled' }), 0);
      assert.equal(apply(r, { k: 'cpuUp', cpu: away }), 0);
      assert.deepEqual(r.audit.check(), []);
      // The effective affinity names an online CPU other than the vector's: not migrated.
      assert.equal(apply(r, { k: 'cpuDown', cpu: home }), 0);
      assert.equal(a.cpu, home);
      assert.deepEqual(r.audit.check(true), []);
    });

    it('accepts Linux accounting for a vector left on a CPU that went down and came back', () => {
      const r = boot();
      const { irq, pick } = imsIrq(r);
      const a = apicd(r, irq);
      apply(r, { k: 'free', pick });
      const cpu = a.cpu;
      assert.notEqual(cpu, 0, 'the rig places this irq off CPU 0');
      assert.equal(apply(r, { k: 'cpuDown', cpu }), 0);
      assert.deepEqual(r.audit.check(), []);
      // irq_matrix_offline kept the stranded vector in total_allocated.
      const mx = r.m.vector.matrix;
      const online = mx.maps.reduce((n, m) => n + (m.online ? m.allocated : 0), 0);
      assert.equal(mx.total_allocated, online + 1);
      assert.equal(apply(r, { k: 'cpuUp', cpu }), 0);
      assert.equal(apply(r, { k: 'request', pick, kind: 'handled' }), 0);
      // Linux keeps the vector (its CPU is online again) but vector_irq lost the route.
      assert.equal(a.cpu, cpu);
      assert.equal(r.m.cpus[cpu]!.vector_irq[a.vector], undefined);
      assert.deepEqual(r.audit.check(true), []);
    });
  });
});
