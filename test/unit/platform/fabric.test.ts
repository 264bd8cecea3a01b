/**
 * The message fabric on a machine with a tiny test device: DMA writes outside the interrupt
 * window, compatibility-format decoding (facts §3.1), remapped delivery, and every drop reason.
 */
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { ESR_RECEIVE_ILLEGAL_VECTOR, LocalApic } from '../../../src/platform/apic/lapic';
import { composeRemappable, encodeIrte } from '../../../src/platform/remap/irte';
import type { TraceEvent } from '../../../src/platform/trace';
import { doorbellFactory } from '../support/doorbell-device';

const BDF = '0000:6a:01.0';
const RID = 0x6a08;

function boot(interruptRemapping: boolean, cpus = 4): Machine {
  return new Machine(
    {
      ...defaultMachineConfig(),
      cpus,
      interruptRemapping,
      devices: [{ kind: 'doorbell' as 'dsa', bdf: BDF, irUnit: 0 }],
    },
    { doorbell: doorbellFactory },
  );
}

/** Raises a message from MSI-X entry 0 of the device and sends it; returns its last event. */
function send(m: Machine, lo: number, hi: number, data: number): TraceEvent {
  const id = m.fabric.raise(m.fabric.origin(BDF, RID, 'msix', 0), null);
  m.fabric.send(id, lo, hi, data);
  const ev = m.trace.lastEventOf(id);
  assert.ok(ev, 'the message has an event');
  return ev;
}

/** Compatibility-format address for physical destination `apicId` (Linux, no IR). */
function compat(apicId: number, logical = false): number {
  return (0xfee00000 | ((apicId & 0xff) << 12) | (logical ? 4 : 0)) >>> 0;
}

function irrOf(m: Machine): number[][] {
  return m.cpus.map((c) => LocalApic.vectors(c.apic.irr));
}

describe('message fabric', () => {
  describe('outside the interrupt window', () => {
    it('drops a DMA write below 0xFEE00000 with its reason and lands it in memory', () => {
      const m = boot(true);
      const ev = send(m, 0x2000_0040, 0, 0xdeadbeef);
      assert.equal(ev.kind, 'dropped');
      assert.match(ev.reason!, /not an interrupt: address 0x20000040 is outside the interrupt/);
      assert.match(ev.reason!, /0xdeadbeef was written to memory/);
      assert.equal(m.memory.read32(0x2000_0040), 0xdeadbeef);
      assert.deepEqual(irrOf(m), [[], [], [], []]);
    });

    it('writes to address_hi:address_lo, and past the window is memory too', () => {
      const m = boot(false);
      const ev = send(m, 0x3000_0000, 1, 0x41);
      assert.equal(ev.kind, 'dropped');
      assert.equal(m.memory.read32(0x1_3000_0000), 0x41);
      assert.equal(m.memory.read32(0x3000_0000), 0);
      const above = send(m, 0xfef0_0000, 0, 0x42);
      assert.equal(above.kind, 'dropped', '0xFEF00000 is past the window');
      assert.equal(m.memory.read32(0xfef0_0000), 0x42);
    });
  });

  describe('compatibility format (interrupt remapping disabled)', () => {
    it('delivers to the APIC ID in address bits 19:12 with the vector of data[7:0]', () => {
      const m = boot(false);
      const ev = send(m, compat(3), 0, 0x41);
      assert.equal(ev.kind, 'delivered');
      assert.deepEqual([ev.cpu, ev.vector, ev.irte, ev.reason], [3, 0x41, null, null]);
      assert.deepEqual(ev.msg, { address_lo: 0xfee03000, address_hi: 0, data: 0x41 });
      assert.deepEqual(irrOf(m), [[], [], [], [0x41]]);
      assert.equal(m.ir[0]!.unit.faultLog.length, 0, 'no IR unit looked at it');
    });

    it('sets TMR for a level-triggered message (data bit 15)', () => {
      const m = boot(false);
      send(m, compat(1), 0, 0x8000 | 0x51);
      assert.equal(LocalApic.test(m.cpus[1]!.apic.tmr, 0x51), true);
    });

    it('delivers lowest-priority mode (1) like fixed, to the one destination', () => {
      const m = boot(false);
      const ev = send(m, compat(2), 0, (1 << 8) | 0x61);
      assert.equal(ev.kind, 'delivered');
      assert.equal(ev.cpu, 2);
    });

    it('drops a message to an APIC ID with no CPU', () => {
      const m = boot(false);
      const ev = send(m, compat(9), 0, 0x41);
      assert.equal(ev.kind, 'dropped');
      assert.equal(ev.reason, 'no CPU has APIC ID 9');
      assert.equal(ev.vector, 0x41);
      assert.equal(ev.cpu, null);
    });

    it('drops logical destination mode as not modelled', () => {
      const m = boot(false);
      const ev = send(m, compat(1, true), 0, 0x41);
      assert.equal(ev.kind, 'dropped');
      assert.equal(ev.reason, 'logical destination mode is not modelled');
      assert.deepEqual(irrOf(m), [[], [], [], []]);
    });

    it('drops SMI, NMI, INIT, ExtINT and reserved delivery modes as not modelled', () => {
      const m = boot(false);
      const names: [number, string][] = [
        [2, 'SMI'],
        [4, 'NMI'],
        [5, 'INIT'],
        [7, 'ExtINT'],
        [3, 'reserved (3)'],
      ];
      for (const [mode, name] of names) {
        const ev = send(m, compat(1), 0, (mode << 8) | 0x41);
        assert.equal(ev.kind, 'dropped');
        assert.equal(ev.reason, `delivery mode ${name} is not modelled`);
      }
      assert.deepEqual(irrOf(m), [[], [], [], []]);
    });

    it('drops an illegal vector (0–15) and sets ESR bit 6 of the target APIC', () => {
      const m = boot(false);
      const ev = send(m, compat(2), 0, 0x0e);
      assert.equal(ev.kind, 'dropped');
      assert.match(ev.reason!, /^illegal vector 0x0e/);
      assert.equal(ev.cpu, 2);
      assert.equal(m.cpus[2]!.apic.esr & ESR_RECEIVE_ILLEGAL_VECTOR, ESR_RECEIVE_ILLEGAL_VECTOR);
      assert.equal(m.cpus[1]!.apic.esr, 0);
      assert.deepEqual(irrOf(m), [[], [], [], []]);
    });

    it('delivers a message for a vector already in IRR with the "merged" reason', () => {
      const m = boot(false);
      const first = send(m, compat(1), 0, 0x41);
      const second = send(m, compat(1), 0, 0x41);
      assert.equal(first.reason, null);
      assert.equal(second.kind, 'delivered');
      assert.equal(second.reason, 'merged: IRR[0x41] was already set on CPU 1');
      assert.deepEqual(irrOf(m), [[], [0x41], [], []]);
      assert.deepEqual(m.trace.check(), []);
    });
  });

  describe('with interrupt remapping', () => {
    function remapped(index: number, irte: bigint): { m: Machine; ev: TraceEvent } {
      const m = boot(true);
      m.ir[0]!.unit.writeIrte(index, irte);
      const msg = composeRemappable(index);
      return { m, ev: send(m, msg.address_lo, msg.address_hi, msg.data) };
    }

    it('delivers through the IRTE: its vector and x2APIC destination', () => {
      const { m, ev } = remapped(7, encodeIrte({ p: 1, vector: 0x52, dst: 3, sid: RID, svt: 1 }));
      assert.equal(ev.kind, 'delivered');
      assert.deepEqual([ev.irte, ev.vector, ev.cpu], [7, 0x52, 3]);
      assert.deepEqual(irrOf(m), [[], [], [], [0x52]]);
    });

    it('drops an IRTE with logical destination mode, naming the IRTE', () => {
      const { ev } = remapped(
        2,
        encodeIrte({ p: 1, dm: 1, vector: 0x52, dst: 1, sid: RID, svt: 1 }),
      );
      assert.equal(ev.kind, 'dropped');
      assert.equal(ev.irte, 2);
      assert.equal(ev.reason, 'logical destination mode is not modelled');
    });

    it('drops an IRTE with NMI delivery mode', () => {
      const { ev } = remapped(2, encodeIrte({ p: 1, dlm: 4, vector: 0x52, sid: RID, svt: 1 }));
      assert.equal(ev.kind, 'dropped');
      assert.equal(ev.reason, 'delivery mode NMI is not modelled');
    });

    it('drops a message whose IRTE targets a missing APIC ID', () => {
      const { ev } = remapped(2, encodeIrte({ p: 1, vector: 0x52, dst: 64, sid: RID, svt: 1 }));
      assert.equal(ev.kind, 'dropped');
      assert.equal(ev.reason, 'no CPU has APIC ID 64');
    });

    it('faults a posted-format IRTE with 0x24: the unit reports no posted-interrupt support', () => {
      const { ev } = remapped(3, encodeIrte({ p: 1, pst: 1, vector: 0x52, sid: RID, svt: 1 }));
      assert.equal(ev.kind, 'faulted');
      assert.equal(ev.irte, 3);
      assert.equal(ev.fault, 0x24);
      assert.match(ev.reason!, /Detected reserved fields in the IRTE entry/);
    });

    it('says "stale IRTE" when the unit used a cached entry the table no longer holds', () => {
      const m = boot(true);
      const unit = m.ir[0]!.unit;
      unit.writeIrte(6, encodeIrte({ p: 1, vector: 0x52, dst: 1, sid: RID, svt: 1 }));
      const msg = composeRemappable(6);
      const first = send(m, msg.address_lo, msg.address_hi, msg.data);
      assert.equal(first.reason, null);
      unit.writeIrte(6, encodeIrte({ p: 1, vector: 0x53, dst: 2, sid: RID, svt: 1 }));
      const ev = send(m, msg.address_lo, msg.address_hi, msg.data);
      assert.equal(ev.kind, 'delivered');
      assert.deepEqual([ev.vector, ev.cpu], [0x52, 1]);
      assert.match(
        ev.reason!,
        /^stale IRTE: INTEL-IR-0 used IRTE 6 from its interrupt entry cache/,
      );
      assert.match(ev.reason!, /merged: IRR\[0x52\]/);
    });

    it('drops a message for an offline CPU: its APIC is software-disabled', () => {
      const m = boot(true);
      m.cpus[2]!.online = false;
      m.ir[0]!.unit.writeIrte(5, encodeIrte({ p: 1, vector: 0x52, dst: 2, sid: RID, svt: 1 }));
      const msg = composeRemappable(5);
      const ev = send(m, msg.address_lo, msg.address_hi, msg.data);
      assert.equal(ev.kind, 'dropped');
      assert.equal(ev.cpu, 2);
      assert.match(ev.reason!, /^lost: CPU 2 is offline/);
      assert.deepEqual(irrOf(m), [[], [], [], []]);
    });

    it('faults a compatibility-format message (0x25) and names the unit', () => {
      const m = boot(true);
      const ev = send(m, compat(1), 0, 0x41);
      assert.equal(ev.kind, 'faulted');
      assert.equal(ev.fault, 0x25);
      assert.equal(ev.irte, null);
      assert.equal(ev.reason, 'INTEL-IR-0: Blocked a compatibility format interrupt request');
      assert.deepEqual(irrOf(m), [[], [], [], []]);
    });

    it('notes a fault that FPD kept out of the fault records', () => {
      const { m, ev } = remapped(4, encodeIrte({ p: 0, fpd: 1 }));
      assert.equal(ev.kind, 'faulted');
      assert.equal(ev.fault, 0x22);
      assert.match(ev.reason!, /\(not recorded: FPD is set in the IRTE\)$/);
      assert.ok(!m.log.lines.some((l) => l.text.includes('INTR-REMAP')), 'Linux never saw it');
    });

    it('logs a recorded fault as Linux dmar_fault does and clears the record', () => {
      const { m } = remapped(4, 0n);
      const texts = m.log.lines.map((l) => l.text);
      assert.ok(texts.includes('DRHD: handling fault status reg 2'), texts.join('\n'));
      assert.ok(
        texts.includes(
          'DMAR: [INTR-REMAP] Request device [6a:01.0] fault index 0x4 [fault reason 0x22] Present field in the IRTE entry is clear',
        ),
      );
      const [, hi] = m.ir[0]!.unit.faultRecord(0);
      assert.equal(hi >> 63n, 0n, 'the handler cleared F');
    });
  });
});
