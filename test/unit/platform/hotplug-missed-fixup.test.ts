/**
 * irq_needs_fixup()'s sanity check (kernel/irq/cpuhotplug.c): an effective affinity that names
 * only offline CPUs is a missed fixup, reported and fixed up when a CPU goes down. Found by the
 * conservation property: an IMS irq keeps its vector across free_irq (no reservation mode);
 * its affinity set to an offline CPU while deactivated is stored as the effective affinity;
 * request_irq keeps the vector where it was — so the effective affinity no longer names the
 * CPU the vector is on, and without the check taking that CPU down left the started irq on it:
 * its interrupts were dropped at the offline APIC.
 */
import { strict as assert } from 'node:assert';
import { add_cpu, remove_cpu } from '../../../src/platform/apic/hotplug';
import { free_irq, irq_set_affinity, request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQ_HANDLED } from '../../../src/platform/irq/types';
import { apply } from '../property/apply';
import { boot } from '../property/rig';

describe('CPU hotplug: an effective affinity of offline CPUs only', () => {
  it('is reported and fixed up, so the irq keeps its interrupts', () => {
    const r = boot();
    const { m } = r;
    const map = r.driver.ims[0]!;
    const irq = map.virq;
    const d = m.core.irq_to_desc(irq)!.irq_data;
    const a = m.vector.apicd(d)!;
    const home = a.cpu;
    const away = home === 2 ? 3 : 2;
    assert.notEqual(home, 0, 'the rig places this irq off CPU 0 (which cannot go down)');
    const token = r.driver.requested.get(irq)!;
    assert.equal(free_irq(m.core, irq, token), 'idxd-portal');
    assert.equal(remove_cpu(m.core, m.vector, away), 0);
    assert.equal(irq_set_affinity(m.core, irq, [away]), 0);
    let ran = 0;
    const handler = (): number => {
      ran++;
      return IRQ_HANDLED;
    };
    assert.equal(request_threaded_irq(m.core, irq, handler, null, 0, 'again', token), 0);
    assert.equal(a.cpu, home, 'activation kept the vector: its CPU is online');
    assert.deepEqual(d.common.effective_affinity, [away], 'Linux keeps the stored mask');

    assert.equal(remove_cpu(m.core, m.vector, home), 0);
    const log = m.log.lines.map((l) => l.text);
    assert.ok(
      log.includes(
        `Eff. affinity ${away} of IRQ ${irq} contains only offline CPUs after offlining CPU ${home}`,
      ),
      log.join('\n'),
    );
    assert.ok(m.cpus[a.cpu]!.online, `moved to an online CPU (now ${a.cpu})`);
    assert.deepEqual(d.common.effective_affinity, [a.cpu]);
    const before = m.trace.totals.delivered;
    apply(r, { k: 'burst', wq: 0, n: 1, pick: 0 });
    assert.equal(m.trace.totals.delivered, before + 1);
    assert.equal(ran, 1);
    assert.equal(add_cpu(m.core, m.vector, away), 0);
    assert.deepEqual(r.audit.check(true), []);
  });
});
