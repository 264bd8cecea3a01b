/**
 * remove_cpu / add_cpu (kernel/cpu.c) and what x86 Linux does for interrupts on the way:
 * lapic_can_unplug_cpu, fixup_irqs → irq_migrate_all_off_this_cpu (kernel/irq/cpuhotplug.c),
 * the IRR replay through irq_retrigger, lapic_offline / lapic_online, and an offline CPU that
 * accepts no interrupt.
 */
import { strict as assert } from 'node:assert';
import { add_cpu, remove_cpu } from '../../../src/platform/apic/hotplug';
import { irq_set_affinity, request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQ_HANDLED } from '../../../src/platform/irq/types';
import { decodeIrte } from '../../../src/platform/remap/irte';
import { JIFFY_NS } from '../../../src/platform/apic/vector-domain';
import { boot, type Rig } from './rig';

function request(r: Rig, i: number, ran: number[]): number {
  const irq = r.irq(i);
  request_threaded_irq(
    r.m.core,
    irq,
    () => {
      ran.push(r.m.core.currentCpu);
      return IRQ_HANDLED;
    },
    null,
    0,
    `q${i}`,
    null,
  );
  return irq;
}

const down = (r: Rig, cpu: number): number => remove_cpu(r.m.core, r.m.vector, cpu);
const up = (r: Rig, cpu: number): number => add_cpu(r.m.core, r.m.vector, cpu);

describe('CPU hotplug', () => {
  it('moves an irq to another online CPU of its affinity; the IRTE follows', () => {
    const r = boot({ cpus: 4 });
    const ran: number[] = [];
    const irq = request(r, 0, ran);
    irq_set_affinity(r.m.core, irq, [2, 3]);
    r.m.advance(JIFFY_NS, true);
    const a = r.m.vector.apicd(r.m.core.irq_to_desc(irq)!.irq_data)!;
    assert.equal(a.cpu, 2);
    assert.equal(down(r, 2), 0);
    assert.equal(a.cpu, 3);
    assert.equal(a.prev_vector, 0, 'the old CPU is offline: its vector is freed at once');
    assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(0)).dst, 3);
    assert.ok(r.log().includes('smpboot: CPU 2 is now offline'));
    assert.ok(!r.log().some((l) => l.includes('no longer affine')));
    r.ring(0);
    assert.deepEqual(ran, [3]);
    assert.equal(r.m.vector.matrix.maps[2]!.online, false);
    assert.equal(r.m.vector.matrix.online_maps, 3);
  });

  it('breaks the affinity when no CPU of it stays online: any online CPU, with the warning', () => {
    const r = boot({ cpus: 4 });
    const irq = request(r, 0, []);
    irq_set_affinity(r.m.core, irq, [1]);
    r.m.advance(JIFFY_NS, true);
    assert.equal(down(r, 1), 0);
    assert.ok(r.log().includes(`IRQ ${irq}: no longer affine to CPU1`));
    const d = r.m.core.irq_to_desc(irq)!.irq_data;
    assert.deepEqual(d.common.affinity, [0, 2, 3], 'the affinity is now the online CPUs');
    assert.notEqual(r.m.vector.apicd(d)!.cpu, 1);
  });

  it('replays a vector pending in the dying CPU’s IRR on the irq’s new CPU (fixup_irqs)', () => {
    const r = boot({ cpus: 4 });
    const ran: number[] = [];
    const irq = request(r, 0, ran);
    irq_set_affinity(r.m.core, irq, [2]);
    r.m.advance(JIFFY_NS, true);
    r.m.cpus[2]!.irqsEnabled = false;
    r.ring(0);
    assert.deepEqual(ran, [], 'held in CPU 2’s IRR');
    assert.equal(down(r, 2), 0);
    r.m.dispatch();
    assert.equal(ran.length, 1);
    assert.notEqual(ran[0], 2);
    assert.equal(r.m.cpus[2]!.vector_irq.filter((x) => x !== undefined).length, 0);
  });

  it('drops a message aimed at an offline CPU, naming why', () => {
    const r = boot({ cpus: 4 });
    const irq = request(r, 0, []);
    irq_set_affinity(r.m.core, irq, [2]);
    r.m.advance(JIFFY_NS, true);
    assert.equal(down(r, 2), 0);
    // A stale IRTE (written without the kernel) still names CPU 2.
    const e = r.m.ir[0]!.unit.readIrte(0);
    r.m.ir[0]!.unit.writeIrte(0, (e & ~(0xffffffffn << 32n)) | (2n << 32n));
    r.m.ir[0]!.iommu.qi_flush_iec(0, 0);
    r.ring(0);
    const ev = r.m.trace.events().at(-1)!;
    assert.equal(ev.kind, 'dropped');
    assert.equal(ev.cpu, 2);
    assert.match(ev.reason ?? '', /^lost: CPU 2 is offline .*apic_soft_disable/);
    assert.deepEqual(r.m.trace.check(), []);
  });

  it('does not move an irq that is not started (only reserved)', () => {
    const r = boot({ cpus: 4 });
    const irq = r.irq(3);
    const d = r.m.core.irq_to_desc(irq)!.irq_data;
    assert.equal(down(r, 1), 0);
    assert.equal(r.m.vector.apicd(d)!.has_reserved, true);
  });

  it('add_cpu resets the APIC and makes the CPU’s vectors available again', () => {
    const r = boot({ cpus: 4 });
    const avl = r.m.vector.matrix.global_available;
    r.m.cpus[3]!.apic.accept(0x40, false, 0);
    assert.equal(down(r, 3), 0);
    assert.equal(r.m.cpus[3]!.canTakeInterrupt, false);
    assert.equal(up(r, 3), 0);
    assert.equal(r.m.cpus[3]!.online, true);
    assert.equal(r.m.cpus[3]!.apic.highestIrr(), -1, 'INIT cleared IRR');
    assert.equal(r.m.vector.matrix.global_available, avl);
    assert.ok(r.log().includes('smpboot: Booting Node 0 Processor 3 APIC 0x3'));
  });

  it('returns Linux’s codes: 1 when already in that state, -EINVAL, -EPERM for CPU 0, -EBUSY for the caller’s CPU', () => {
    const r = boot({ cpus: 2 });
    assert.equal(down(r, 7), -22);
    assert.equal(up(r, -1), -22);
    assert.equal(down(r, 0), -1);
    assert.equal(up(r, 1), 1);
    assert.equal(down(r, 1), 0);
    assert.equal(down(r, 1), 1);
    assert.equal(up(r, 1), 0);
    r.m.core.currentCpu = 1; // a handler running on CPU 1
    assert.equal(down(r, 1), -16);
    r.m.core.currentCpu = 0;
  });

  it('refuses with -ENOSPC when the CPU’s vectors do not fit on the others (lapic_can_unplug_cpu)', () => {
    const r = boot({ cpus: 2 });
    const m = r.m.vector.matrix;
    // Fill CPU 0 so that CPU 1's one vector has nowhere to go.
    while (m.maps[0]!.available > 0) m.alloc([0], false);
    const irq = request(r, 0, []);
    irq_set_affinity(r.m.core, irq, [1]);
    r.m.advance(JIFFY_NS, true);
    assert.equal(down(r, 1), -28);
    assert.ok(
      r.log().some((l) => /^CPU 1 has 1 vectors, 0 available\. Cannot disable CPU$/.test(l)),
    );
    assert.equal(r.m.cpus[1]!.online, true);
  });
});
