/**
 * The x86 VECTOR domain (arch/x86/kernel/apic/vector.c; facts §2.6 reservation mode, §4.3, §4.4):
 * reservation until activation, activation on the best CPU, deactivation back to a
 * reservation, moves, the APIC chip's ack and message composition, and x86_vector_debug_show.
 */
import { strict as assert } from 'node:assert';
import { Cpu } from '../../../src/platform/cpu';
import { IrqCore } from '../../../src/platform/irq/core';
import { IrqCommonData, IrqData } from '../../../src/platform/irq/irqdata';
import {
  irq_domain_activate_irq,
  irq_domain_alloc_irqs,
  irq_domain_deactivate_irq,
  irq_domain_free_irqs,
} from '../../../src/platform/irq/irqdomain';
import { IRQD_CAN_RESERVE, type MsiMsg } from '../../../src/platform/irq/types';
import { VectorDomain } from '../../../src/platform/apic/vector-domain';

interface Rig {
  core: IrqCore;
  vd: VectorDomain;
  /** Allocates one irq in the VECTOR domain; returns its top irq_data. */
  alloc(mask?: number[]): IrqData;
  show(d: IrqData | null, ind: number): string;
}

function rig(ncpus = 4, offline: number[] = []): Rig {
  const cpus = Array.from({ length: ncpus }, (_, i) => new Cpu(i, i));
  for (const c of offline) cpus[c]!.online = false;
  const core = new IrqCore(cpus, () => undefined);
  const vd = new VectorDomain(core);
  return {
    core,
    vd,
    alloc(mask) {
      const virq = irq_domain_alloc_irqs(
        core.descs,
        vd.domain,
        1,
        { type: 'msix', hwirq: 0, requesterId: 0, ...(mask ? { mask } : {}) },
        'test',
      );
      assert.ok(virq > 0, `allocation failed: ${virq}`);
      return core.irq_to_desc(virq)!.irq_data;
    },
    show: (d, ind) => vd.domain.ops.debug_show!(vd.domain, d, ind),
  };
}

describe('VECTOR domain', () => {
  it("marks Linux v6.15's system vectors (a real machine's 0-19,21,50,128,236,240-242,244,246-255) and onlines every CPU", () => {
    const { vd } = rig(2);
    const sys = vd.matrix.systemVectors();
    const expected = [
      ...Array.from({ length: 20 }, (_, i) => i),
      21,
      0x32,
      0x80,
      0xec,
      0xf0,
      0xf1,
      0xf2,
      0xf4,
      ...Array.from({ length: 10 }, (_, i) => 0xf6 + i),
    ];
    assert.deepEqual(sys, expected);
    const inAlloc = expected.filter((v) => v >= 0x20 && v < 0xec).length;
    assert.equal(inAlloc, 2, 'the PIC cascade 0x32 and the syscall gate 0x80');
    assert.equal(vd.matrix.maps[0]!.available, 0xec - 0x20 - inAlloc);
    assert.equal(vd.matrix.online_maps, 2);
    assert.equal(vd.domain.name, 'VECTOR');
    assert.equal(vd.domain.parent, null);
    assert.equal(vd.domain.isMsiParent, true);
  });

  describe('reservation mode', () => {
    it('allocation without a mask only reserves: shutdown vector 0xef on the first online CPU', () => {
      const r = rig(4, [0]);
      const d = r.alloc();
      const a = r.vd.apicd(d)!;
      assert.equal(a.hw_irq_cfg.vector, 0xef);
      assert.equal(a.hw_irq_cfg.dest_apicid, 1, 'CPU 0 is offline');
      assert.equal(a.vector, 0, 'no real vector yet');
      assert.equal(a.has_reserved, true);
      assert.equal(a.can_reserve, true);
      assert.equal(d.has(IRQD_CAN_RESERVE), true);
      assert.equal(r.vd.matrix.global_reserved, 1);
      assert.equal(r.vd.matrix.total_allocated, 0);
      assert.equal(r.core.cpus[1]!.vector_irq[0xef], undefined, 'nothing routed to 0xef');
    });

    it('activation assigns the lowest vector on the best CPU and consumes the reservation', () => {
      const r = rig(4);
      const d = r.alloc();
      assert.equal(irq_domain_activate_irq(d, false), 0);
      const a = r.vd.apicd(d)!;
      assert.deepEqual([a.vector, a.cpu], [0x20, 0]);
      assert.deepEqual(a.hw_irq_cfg, { vector: 0x20, dest_apicid: 0 });
      assert.equal(a.has_reserved, false);
      assert.equal(r.vd.matrix.global_reserved, 0);
      assert.equal(r.vd.matrix.total_allocated, 1);
      assert.equal(r.core.cpus[0]!.vector_irq[0x20], r.core.irq_to_desc(d.irq));
      assert.deepEqual(d.common.effective_affinity, [0]);
    });

    it('activation with reserve = true keeps the shutdown vector (early activation)', () => {
      const r = rig(2);
      const d = r.alloc();
      assert.equal(irq_domain_activate_irq(d, true), 0);
      assert.equal(r.vd.apicd(d)!.hw_irq_cfg.vector, 0xef);
      assert.equal(r.vd.matrix.total_allocated, 0);
      assert.equal(r.vd.matrix.global_reserved, 1);
    });

    it('deactivation frees the vector and returns to a reservation', () => {
      const r = rig(2);
      const d = r.alloc();
      irq_domain_activate_irq(d, false);
      irq_domain_deactivate_irq(d);
      const a = r.vd.apicd(d)!;
      assert.equal(a.vector, 0);
      assert.equal(a.hw_irq_cfg.vector, 0xef);
      assert.equal(a.has_reserved, true);
      assert.equal(r.vd.matrix.total_allocated, 0);
      assert.equal(r.vd.matrix.global_reserved, 1);
      assert.equal(r.core.cpus[0]!.vector_irq[0x20], undefined);
      // Activating again takes a vector again.
      irq_domain_activate_irq(d, false);
      assert.equal(r.vd.apicd(d)!.vector, 0x20);
      assert.equal(r.vd.matrix.global_reserved, 0);
    });

    it('freeing a reserved irq drops the reservation; freeing an active one its vector', () => {
      const r = rig(2);
      const a = r.alloc();
      const b = r.alloc();
      irq_domain_activate_irq(b, false);
      assert.equal(r.vd.matrix.global_reserved, 1);
      irq_domain_free_irqs(r.core.descs, a.irq, 1);
      assert.equal(r.vd.matrix.global_reserved, 0);
      irq_domain_deactivate_irq(b);
      irq_domain_activate_irq(b, false);
      irq_domain_free_irqs(r.core.descs, b.irq, 1);
      assert.equal(r.vd.matrix.total_allocated, 0);
      assert.equal(r.vd.matrix.global_reserved, 0);
      assert.equal(r.vd.domain.mapcount, 0);
    });
  });

  it('an irq outside reservation mode (IMS) keeps its vector across deactivation', () => {
    const r = rig(2);
    const d = r.alloc();
    // msi_check_reservation_mode() said no (not PCI MSI/MSI-X): the core clears CAN_RESERVE.
    d.clear(IRQD_CAN_RESERVE);
    irq_domain_activate_irq(d, false);
    const a = r.vd.apicd(d)!;
    assert.deepEqual([a.vector, a.cpu, a.can_reserve, a.has_reserved], [0x20, 0, false, false]);
    irq_domain_deactivate_irq(d);
    assert.deepEqual([a.vector, a.cpu, a.hw_irq_cfg.vector], [0x20, 0, 0x20]);
    assert.equal(r.vd.matrix.total_allocated, 1);
    assert.equal(r.vd.matrix.global_reserved, 0);
    irq_domain_activate_irq(d, false);
    assert.deepEqual([a.vector, a.cpu], [0x20, 0], 'the same vector again');
    irq_domain_free_irqs(r.core.descs, d.irq, 1);
    assert.equal(r.vd.matrix.total_allocated, 0);
  });

  it('allocation with a mask assigns at once, without a reservation', () => {
    const r = rig(4);
    const d = r.alloc([2]);
    const a = r.vd.apicd(d)!;
    assert.deepEqual([a.vector, a.cpu, a.can_reserve, a.has_reserved], [0x20, 2, false, false]);
    assert.equal(r.vd.matrix.global_reserved, 0);
    assert.equal(r.vd.matrix.total_allocated, 1);
  });

  it('spreads activations over the CPUs with the most available vectors', () => {
    const r = rig(3);
    const got = Array.from({ length: 5 }, () => {
      const d = r.alloc();
      irq_domain_activate_irq(d, false);
      const a = r.vd.apicd(d)!;
      return [a.cpu, a.vector];
    });
    assert.deepEqual(got, [
      [0, 0x20],
      [1, 0x20],
      [2, 0x20],
      [0, 0x21],
      [1, 0x21],
    ]);
  });

  it('activates within the requested affinity', () => {
    const r = rig(4);
    const d = r.alloc();
    d.common.affinity = [3];
    irq_domain_activate_irq(d, false);
    assert.equal(r.vd.apicd(d)!.cpu, 3);
  });

  it('a move keeps the previous vector until the first interrupt on the new CPU acks', () => {
    const r = rig(2);
    const d = r.alloc();
    irq_domain_activate_irq(d, false);
    assert.equal(r.vd.chip.irq_set_affinity!(d, [1], false), 0);
    const a = r.vd.apicd(d)!;
    assert.deepEqual(
      [a.vector, a.cpu, a.prev_vector, a.prev_cpu, a.move_in_progress],
      [0x20, 1, 0x20, 0, true],
    );
    assert.equal(r.vd.matrix.isAllocated(0, 0x20), true);
    // The ack on the old CPU does not complete the move.
    r.core.currentCpu = 0;
    r.vd.chip.irq_ack!(d);
    assert.equal(a.move_in_progress, true);
    r.core.cpus[1]!.apic.accept(0x20, false, 1);
    r.core.cpus[1]!.apic.acknowledge();
    r.core.currentCpu = 1;
    r.vd.chip.irq_ack!(d);
    assert.equal(a.move_in_progress, false);
    assert.equal(a.prev_vector, 0);
    assert.equal(r.vd.matrix.isAllocated(0, 0x20), false);
    assert.equal(r.core.cpus[0]!.vector_irq[0x20], undefined);
    assert.equal(r.core.cpus[1]!.apic.highestIsr(), -1, 'the ack is the EOI');
  });

  it('composes a compatibility-format message: 0xFEE, APIC ID in bits 19:12, vector in data', () => {
    const r = rig(4);
    const d = r.alloc([3]);
    const msg: MsiMsg = { address_lo: 1, address_hi: 1, data: 1 };
    r.vd.chip.irq_compose_msi_msg!(d, msg);
    assert.deepEqual(msg, { address_lo: 0xfee03000, address_hi: 0, data: 0x20 });
  });

  it('retriggers with a self-IPI: the vector is set in IRR of its CPU', () => {
    const r = rig(2);
    const d = r.alloc([1]);
    assert.equal(r.vd.chip.irq_retrigger!(d), 1);
    assert.equal(r.core.cpus[1]!.apic.highestIrr(), 0x20);
  });

  describe('x86_vector_debug_show', () => {
    it('prints a reserved irq', () => {
      const r = rig(2);
      const d = r.alloc();
      assert.equal(
        r.show(d, 2),
        [
          '  Vector:     0',
          '  Target:     0',
          '  move_in_progress: 0',
          '  is_managed:       0',
          '  can_reserve:      1',
          '  has_reserved:     1',
          '  cleanup_pending:  0',
          '',
        ].join('\n'),
      );
    });

    it('prints an assigned irq with its previous vector while it moves', () => {
      const r = rig(3);
      r.alloc([1]);
      const d = r.alloc([1]);
      irq_domain_activate_irq(d, false);
      r.vd.chip.irq_set_affinity!(d, [2], false);
      assert.equal(
        r.show(d, 1),
        [
          ' Vector:    32',
          ' Target:     2',
          ' Previous vector:    33',
          ' Previous target:     1',
          ' move_in_progress: 1',
          ' is_managed:       0',
          ' can_reserve:      0',
          ' has_reserved:     0',
          ' cleanup_pending:  0',
          '',
        ].join('\n'),
      );
    });

    it('prints "Vector: Not assigned" without chip data', () => {
      const r = rig(1);
      const d = new IrqData(99, new IrqCommonData(), r.vd.domain);
      assert.equal(r.show(d, 3), '   Vector: Not assigned\n');
    });

    it('prints the matrix for the domain itself', () => {
      const r = rig(2);
      const text = r.show(null, 1);
      assert.match(text, /^Online bitmaps: {8}2\n/);
      assert.ok(text.includes('\n | CPU | avl | man | mac | act | vectors\n'));
    });
  });
});
