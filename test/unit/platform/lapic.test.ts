/**
 * Local APIC acceptance, priority and EOI (facts §4.2; Intel SDM Vol. 3A §11.8).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Accept, ESR_RECEIVE_ILLEGAL_VECTOR, LocalApic } from '../../../src/platform/apic/lapic';
import { Cpu } from '../../../src/platform/cpu';

/** The 32-bit register word and bit of `vector` (reg v/32, bit v%32 — facts §4.2). */
function wordBit(vector: number): [number, number] {
  return [Math.floor(vector / 32), 2 ** (vector % 32)];
}

describe('local APIC', () => {
  describe('IRR / ISR / TMR', () => {
    it('sets IRR bit v%32 of word v/32 for every legal vector, and nothing else', () => {
      for (let v = 16; v < 256; v++) {
        const a = new LocalApic(0);
        assert.equal(a.accept(v, false, 1), Accept.Accepted);
        const [w, b] = wordBit(v);
        for (let i = 0; i < 8; i++) assert.equal(a.irr[i]! >>> 0, i === w ? b : 0, `v ${v}`);
        assert.deepEqual([...a.isr], [0, 0, 0, 0, 0, 0, 0, 0]);
      }
    });

    it('sets TMR for level-triggered and clears it for edge', () => {
      const a = new LocalApic(0);
      a.accept(0x41, true, 1);
      assert.equal(LocalApic.test(a.tmr, 0x41), true);
      a.acknowledge();
      a.eoi();
      a.accept(0x41, false, 2);
      assert.equal(LocalApic.test(a.tmr, 0x41), false);
    });

    it('merges a second message for a vector already in IRR (one IRR bit per vector)', () => {
      const a = new LocalApic(0);
      assert.equal(a.accept(0x41, false, 7), Accept.Accepted);
      assert.equal(a.accept(0x41, false, 8), Accept.Coalesced);
      assert.equal(a.irrMessage[0x41], 7, 'the first message set the bit');
      assert.equal(a.acknowledge(), 0x41);
      assert.equal(a.acknowledge(), -1, 'one interrupt, not two');
    });

    it('refuses vectors 0–15 and sets ESR bit 6 (received illegal vector)', () => {
      assert.equal(ESR_RECEIVE_ILLEGAL_VECTOR, 1 << 6);
      for (let v = 0; v < 16; v++) {
        const a = new LocalApic(0);
        assert.equal(a.accept(v, false, 1), Accept.Illegal);
        assert.equal(a.esr, 1 << 6);
        assert.equal(a.highestIrr(), -1);
      }
      const ok = new LocalApic(0);
      ok.accept(16, false, 1);
      assert.equal(ok.esr, 0);
    });

    it('lists the vectors of a register and finds the highest', () => {
      const a = new LocalApic(0);
      for (const v of [0xec, 0x20, 0x9f, 0x21]) a.accept(v, false, 1);
      assert.deepEqual(LocalApic.vectors(a.irr), [0x20, 0x21, 0x9f, 0xec]);
      assert.equal(a.highestIrr(), 0xec);
      assert.equal(a.highestIsr(), -1);
    });
  });

  describe('priority', () => {
    it('PPR = TPR when TPR[7:4] ≥ the highest ISR class, else ISR class with subclass 0', () => {
      const a = new LocalApic(0);
      assert.equal(a.ppr, 0);
      a.tpr = 0x35;
      assert.equal(a.ppr, 0x35);
      a.accept(0x5a, false, 1);
      assert.equal(a.acknowledge(), 0x5a);
      assert.equal(a.ppr, 0x50, 'ISR class 5 is above TPR class 3');
      a.tpr = 0x57;
      assert.equal(a.ppr, 0x57, 'equal classes: TPR wins');
      a.tpr = 0x62;
      assert.equal(a.ppr, 0x62);
    });

    it('delivers only when class(highest IRR) > class(PPR)', () => {
      const a = new LocalApic(0);
      a.tpr = 0x40;
      a.accept(0x4f, false, 1);
      assert.equal(a.deliverable(), -1, 'same class as TPR');
      a.accept(0x50, false, 2);
      assert.equal(a.deliverable(), 0x50);
      a.tpr = 0x50;
      assert.equal(a.deliverable(), -1);
      a.tpr = 0;
      assert.equal(a.deliverable(), 0x50, 'the highest IRR vector');
    });

    it('matches the rule for any TPR, ISR and IRR vector (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 255 }),
          fc.option(fc.integer({ min: 16, max: 255 }), { nil: undefined }),
          fc.integer({ min: 16, max: 255 }),
          (tpr, inService, pending) => {
            const a = new LocalApic(0);
            a.tpr = tpr;
            if (inService !== undefined) {
              a.accept(inService, false, 1);
              a.tpr = 0;
              assert.equal(a.acknowledge(), inService);
              a.tpr = tpr;
            }
            const isrClass = inService === undefined ? 0 : inService >> 4;
            const ppr = tpr >> 4 >= isrClass ? tpr : isrClass << 4;
            assert.equal(a.ppr, ppr);
            if (pending !== inService) {
              a.accept(pending, false, 2);
              assert.equal(a.deliverable(), pending >> 4 > ppr >> 4 ? pending : -1);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe('acknowledge and EOI', () => {
    it('acknowledge moves the highest deliverable vector from IRR to ISR', () => {
      const a = new LocalApic(0);
      a.accept(0x31, false, 3);
      a.accept(0x62, false, 4);
      assert.equal(a.acknowledge(), 0x62);
      assert.equal(LocalApic.test(a.irr, 0x62), false);
      assert.equal(LocalApic.test(a.isr, 0x62), true);
      assert.equal(LocalApic.test(a.irr, 0x31), true, 'the lower one stays requested');
    });

    it('acknowledge returns -1 and changes nothing when nothing is deliverable', () => {
      const a = new LocalApic(0);
      assert.equal(a.acknowledge(), -1);
      a.tpr = 0xf0;
      a.accept(0x41, false, 1);
      assert.equal(a.acknowledge(), -1);
      assert.equal(LocalApic.test(a.irr, 0x41), true);
      assert.equal(a.highestIsr(), -1);
    });

    it('EOI clears the highest ISR bit only', () => {
      const a = new LocalApic(0);
      a.accept(0x31, false, 1);
      a.acknowledge();
      a.accept(0x72, false, 2);
      a.acknowledge();
      assert.deepEqual(LocalApic.vectors(a.isr), [0x31, 0x72]);
      assert.equal(a.eoi(), 0x72);
      assert.deepEqual(LocalApic.vectors(a.isr), [0x31]);
      assert.equal(a.eoi(), 0x31);
      assert.equal(a.eoi(), -1, 'EOI with an empty ISR');
    });

    it('nests by priority: a higher class preempts, the same class waits for EOI', () => {
      const a = new LocalApic(0);
      a.accept(0x41, false, 1);
      assert.equal(a.acknowledge(), 0x41);
      a.accept(0x4e, false, 2); // same class 4 (and numerically higher)
      assert.equal(a.deliverable(), -1);
      a.accept(0x3f, false, 3); // lower class
      assert.equal(a.deliverable(), -1);
      a.accept(0x51, false, 4); // higher class: preempts
      assert.equal(a.acknowledge(), 0x51);
      assert.deepEqual(LocalApic.vectors(a.isr), [0x41, 0x51]);
      assert.equal(a.deliverable(), -1, 'class 5 in service');
      assert.equal(a.eoi(), 0x51);
      assert.equal(a.deliverable(), -1, 'class 4 still in service');
      assert.equal(a.eoi(), 0x41);
      assert.equal(a.acknowledge(), 0x4e);
      assert.equal(a.eoi(), 0x4e);
      assert.equal(a.acknowledge(), 0x3f);
    });

    it('reset clears IRR, ISR, TMR, TPR and ESR', () => {
      const a = new LocalApic(0);
      a.accept(3, false, 1);
      a.accept(0x41, true, 1);
      a.accept(0x51, false, 2);
      a.acknowledge();
      a.tpr = 0x20;
      a.reset();
      assert.equal(a.highestIrr(), -1);
      assert.equal(a.highestIsr(), -1);
      assert.deepEqual(LocalApic.vectors(a.tmr), []);
      assert.equal(a.tpr, 0);
      assert.equal(a.esr, 0);
      assert.equal(a.deliverable(), -1);
    });
  });

  describe('CPU', () => {
    it('takes an interrupt only when online, with IF set and a deliverable vector', () => {
      const c = new Cpu(2, 2);
      assert.equal(c.apic.apicId, 2);
      assert.equal(c.canTakeInterrupt, false);
      c.apic.accept(0x41, false, 1);
      assert.equal(c.canTakeInterrupt, true);
      c.irqsEnabled = false;
      assert.equal(c.canTakeInterrupt, false);
      c.irqsEnabled = true;
      c.online = false;
      assert.equal(c.canTakeInterrupt, false);
    });
  });
});
