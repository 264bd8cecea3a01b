/**
 * irq_set_affinity() with Linux's x86 protocol (kernel/irq/manage.c, migration.c;
 * arch/x86/kernel/apic/vector.c; drivers/iommu/intel/irq_remapping.c intel_ir_set_affinity):
 * - with interrupt remapping the IRTE is rewritten and flushed from the interrupt entry cache,
 *   the device's message stays, and the previous vector's cleanup is scheduled at once (a timer
 *   one jiffy later on the old CPU, which rearms while the old CPU has the vector in IRR);
 * - without remapping the move is deferred to the next interrupt (IRQCHIP_MOVE_DEFERRED), the
 *   message rewritten then, and the move completes on the first interrupt on the new CPU
 *   (irq_complete_move);
 * - before activation only the mask is stored (reservation mode keeps 0xef);
 * - a move while the previous one awaits cleanup (-EBUSY) is deferred to the next interrupt.
 */
import { strict as assert } from 'node:assert';
import { irq_set_affinity, request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQD_SETAFFINITY_PENDING, IRQ_HANDLED } from '../../../src/platform/irq/types';
import { decodeIrte } from '../../../src/platform/remap/irte';
import { JIFFY_NS } from '../../../src/platform/apic/vector-domain';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../../src/platform/apic/vectors';
import { DOORBELL_BAR0, TABLE_OFFSET } from '../support/doorbell-device';
import { boot, type Rig } from './rig';

/** Requests irq of entry `i` with a handler that records the CPU it ran on. */
function request(r: Rig, i: number, cpus: number[]): number {
  const irq = r.irq(i);
  assert.equal(
    request_threaded_irq(
      r.m.core,
      irq,
      () => {
        cpus.push(r.m.core.currentCpu);
        return IRQ_HANDLED;
      },
      null,
      0,
      `q${i}`,
      null,
    ),
    0,
  );
  return irq;
}

function apicd(r: Rig, irq: number) {
  return r.m.vector.apicd(r.m.core.irq_to_desc(irq)!.irq_data)!;
}

function entryMsg(r: Rig, i: number): number[] {
  const a = DOORBELL_BAR0 + TABLE_OFFSET + i * 16;
  return [r.m.memory.read32(a), r.m.memory.read32(a + 4), r.m.memory.read32(a + 8)];
}

describe('irq_set_affinity', () => {
  describe('with interrupt remapping', () => {
    it('moves the vector, rewrites the IRTE (vector, DST) and flushes it; the message stays', () => {
      const r = boot({ cpus: 4 });
      const ran: number[] = [];
      const irq = request(r, 0, ran);
      r.ring(0);
      assert.deepEqual(ran, [0]);
      const unit = r.m.ir[0]!.unit;
      assert.ok(unit.iec.peek(0), 'the IRTE is cached after the first interrupt');
      const before = entryMsg(r, 0);
      const flushes = r.m.ir[0]!.iommu.flushes;
      assert.equal(irq_set_affinity(r.m.core, irq, [2]), 0);
      const a = apicd(r, irq);
      assert.deepEqual([a.cpu, a.vector, a.prev_cpu, a.prev_vector], [2, 0x20, 0, 0x20]);
      const e = decodeIrte(unit.readIrte(0));
      assert.deepEqual([e.vector, e.dst], [0x20, 2]);
      assert.equal(unit.iec.peek(0), undefined, 'modify_irte flushed the entry (qi_flush_iec)');
      assert.equal(r.m.ir[0]!.iommu.flushes, flushes + 1);
      assert.deepEqual(entryMsg(r, 0), before, 'IRQ_SET_MASK_OK_DONE: the device is not touched');
      assert.deepEqual(r.m.core.irq_to_desc(irq)!.irq_data.common.effective_affinity, [2]);
      r.ring(0);
      assert.deepEqual(ran, [0, 2]);
    });

    it('schedules the cleanup at once: the old vector is freed by a timer a jiffy later', () => {
      const r = boot({ cpus: 4 });
      const irq = request(r, 0, []);
      irq_set_affinity(r.m.core, irq, [2]);
      const a = apicd(r, irq);
      assert.equal(a.move_in_progress, false, 'vector_schedule_cleanup cleared it');
      assert.equal(a.cleanup_pending, true);
      assert.equal(r.m.vector.matrix.isAllocated(0, 0x20), true, 'kept until the timer');
      assert.equal(r.m.cpus[0]!.vector_irq[0x20], r.m.core.irq_to_desc(irq));
      r.m.advance(JIFFY_NS, true);
      assert.deepEqual([a.prev_vector, a.cleanup_pending], [0, false]);
      assert.equal(r.m.vector.matrix.isAllocated(0, 0x20), false);
      assert.equal(r.m.cpus[0]!.vector_irq[0x20], undefined);
    });

    it('keeps the old vector while the old CPU has it pending in IRR, and warns once', () => {
      const r = boot({ cpus: 4 });
      const ran: number[] = [];
      const irq = request(r, 0, ran);
      r.m.cpus[0]!.irqsEnabled = false;
      r.ring(0); // pending in CPU 0's IRR
      irq_set_affinity(r.m.core, irq, [3]);
      r.m.advance(JIFFY_NS, true); // the cleanup timer fires; CPU 0 has interrupts off
      const a = apicd(r, irq);
      assert.equal(a.cleanup_pending, true);
      assert.ok(r.log().includes(`Moved interrupt pending in old target APIC ${irq}`));
      r.m.cpus[0]!.irqsEnabled = true;
      r.m.core.updateAttention();
      r.m.dispatch();
      assert.deepEqual(ran, [0], 'the old vector still reaches the handler');
      r.m.advance(2 * JIFFY_NS, true);
      assert.equal(a.prev_vector, 0);
      assert.equal(r.m.vector.matrix.isAllocated(0, 0x20), false);
    });

    it('defers a second move while the cleanup is pending (-EBUSY) and does it at the next interrupt', () => {
      const r = boot({ cpus: 4 });
      const ran: number[] = [];
      const irq = request(r, 0, ran);
      irq_set_affinity(r.m.core, irq, [2]);
      assert.equal(irq_set_affinity(r.m.core, irq, [3]), 0);
      const desc = r.m.core.irq_to_desc(irq)!;
      assert.equal(desc.irq_data.has(IRQD_SETAFFINITY_PENDING), true);
      assert.deepEqual(desc.pending_mask, [3]);
      assert.equal(apicd(r, irq).cpu, 2);
      r.m.advance(JIFFY_NS, true); // cleanup of the first move
      r.ring(0); // runs on CPU 2; its ack carries out the pending move (irq_move_irq)
      assert.deepEqual(ran, [2]);
      assert.equal(apicd(r, irq).cpu, 3);
      assert.equal(desc.irq_data.has(IRQD_SETAFFINITY_PENDING), false);
      assert.deepEqual(decodeIrte(r.m.ir[0]!.unit.readIrte(0)).dst, 3);
      r.ring(0);
      assert.deepEqual(ran, [2, 3]);
    });

    it('before request_irq only stores the mask: the IRTE keeps 0xef; activation uses the mask', () => {
      const r = boot({ cpus: 4 });
      const irq = r.irq(1);
      assert.equal(irq_set_affinity(r.m.core, irq, [3]), 0);
      const a = apicd(r, irq);
      assert.deepEqual([a.vector, a.hw_irq_cfg.vector], [0, MANAGED_IRQ_SHUTDOWN_VECTOR]);
      assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(1)).vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
      request(r, 1, []);
      assert.deepEqual([a.cpu, a.vector], [3, 0x20]);
      assert.deepEqual(decodeIrte(r.m.ir[0]!.unit.readIrte(1)).dst, 3);
    });

    it('refuses an unknown irq, an empty mask and a mask of offline CPUs with -EINVAL', () => {
      const r = boot({ cpus: 2 });
      const irq = request(r, 0, []);
      assert.equal(irq_set_affinity(r.m.core, 999, [1]), -22);
      assert.equal(irq_set_affinity(r.m.core, irq, []), -22);
      assert.equal(irq_set_affinity(r.m.core, irq, [7]), -22);
      r.m.cpus[1]!.online = false;
      assert.equal(irq_set_affinity(r.m.core, irq, [1]), -22);
    });
  });

  describe('without interrupt remapping', () => {
    it('defers the move to the next interrupt, rewrites the message, completes on the first interrupt on the new CPU', () => {
      const r = boot({ cpus: 4, ir: false });
      const ran: number[] = [];
      const irq = request(r, 0, ran);
      assert.deepEqual(entryMsg(r, 0), [0xfee00000, 0, 0x20]);
      assert.equal(irq_set_affinity(r.m.core, irq, [2]), 0);
      const a = apicd(r, irq);
      assert.equal(a.cpu, 0, 'IRQCHIP_MOVE_DEFERRED: nothing moved yet');
      r.ring(0);
      assert.deepEqual(ran, [0]);
      assert.deepEqual([a.cpu, a.prev_cpu, a.move_in_progress], [2, 0, true]);
      assert.deepEqual(entryMsg(r, 0), [0xfee02000, 0, 0x20], 'the message names CPU 2');
      r.m.advance(5 * JIFFY_NS, true);
      assert.equal(a.move_in_progress, true, 'still waiting for an interrupt on CPU 2');
      r.ring(0);
      assert.deepEqual(ran, [0, 2]);
      assert.deepEqual([a.move_in_progress, a.cleanup_pending], [false, true]);
      r.m.advance(JIFFY_NS, true);
      assert.equal(a.prev_vector, 0);
      assert.equal(r.m.vector.matrix.isAllocated(0, 0x20), false);
    });
  });
});
