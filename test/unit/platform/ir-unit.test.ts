/**
 * The VT-d IR unit: registers (VT-d §11.4), translation of remappable requests and the fault
 * reasons of facts §3.5 in the unit's check order — the VT-d spec's, request before entry (see
 * unit.ts for where QEMU's vtd_interrupt_remap_msi differs) — with fault recording (FRCD, FSTS)
 * as VT-d Primary Fault Logging describes it.
 */
import { strict as assert } from 'node:assert';
import { PhysMemory } from '../../../src/platform/memory';
import {
  DMAR_CAP,
  DMAR_ECAP,
  DMAR_FRCD,
  DMAR_FSTS,
  DMAR_GCMD,
  DMAR_GSTS,
  DMAR_IRTA,
  GCMD_CFI,
  GCMD_IRE,
  GCMD_SIRTP,
  IrUnit,
  Xlate,
} from '../../../src/platform/remap/unit';

const BASE = 0xfed90000;
const SID = 0x6a08; // 6a:01.0
const EIME = 1n << 11n;

interface Entry {
  p?: number;
  fpd?: number;
  dm?: number;
  tm?: number;
  dlm?: number;
  pst?: number;
  vector?: number;
  dst?: number;
  sid?: number;
  sq?: number;
  svt?: number;
  /** Extra raw bits OR-ed in. */
  raw?: bigint;
}

/** An IRTE built from the bit positions of the facts sheet §3.3 (independent of irte.ts). */
function irte(e: Entry): bigint {
  const b = (v: number | undefined, lo: number): bigint => BigInt(v ?? 0) << BigInt(lo);
  return (
    b(e.p ?? 1, 0) |
    b(e.fpd, 1) |
    b(e.dm, 2) |
    b(e.tm, 4) |
    b(e.dlm, 5) |
    b(e.pst, 15) |
    b(e.vector, 16) |
    b(e.dst, 32) |
    b(e.sid ?? SID, 64) |
    b(e.sq, 80) |
    b(e.svt ?? 1, 82) |
    (e.raw ?? 0n)
  );
}

/** A remappable-format address for `handle` (facts §3.2). */
function remappable(handle: number, shv = true): number {
  return (
    (0xfee00000 |
      ((handle & 0x7fff) << 5) |
      (1 << 4) |
      ((shv ? 1 : 0) << 3) |
      (((handle >> 15) & 1) << 2)) >>>
    0
  );
}

interface Rig {
  mem: PhysMemory;
  unit: IrUnit;
  table: number;
  r32(off: number): number;
  w32(off: number, v: number): void;
  /** translate with sid defaulting to SID. */
  xl(lo: number, hi?: number, data?: number, sid?: number): Xlate;
}

/** A unit mapped at BASE with a 2^(s+1)-entry table, IR enabled the way Linux enables it. */
function rig(opts: { s?: number; eime?: boolean; cfi?: boolean; pi?: boolean } = {}): Rig {
  const s = opts.s ?? 3;
  const mem = new PhysMemory();
  const table = mem.allocate(Math.max(2 ** (s + 1), 16) * 16 + 4096);
  const unit = new IrUnit(0, mem, () => 1234, opts.pi ?? false);
  mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
  mem.write64(BASE + DMAR_IRTA, BigInt(table) | ((opts.eime ?? true) ? EIME : 0n) | BigInt(s));
  mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
  mem.write32(BASE + DMAR_GCMD, GCMD_IRE | (opts.cfi ? GCMD_CFI : 0));
  let id = 0;
  return {
    mem,
    unit,
    table,
    r32: (off) => mem.read32(BASE + off),
    w32: (off, v) => mem.write32(BASE + off, v),
    xl: (lo, hi = 0, data = 0, sid = SID) => unit.translate(lo, hi, data, sid, ++id),
  };
}

function frcdHigh(r: Rig, i: number): number {
  return r.r32(DMAR_FRCD + i * 16 + 12);
}

describe('VT-d IR unit', () => {
  describe('registers', () => {
    it('CAP: NFR (47:40) + 1 = 8 records, FRO (33:24) × 16 = the FRCD offset', () => {
      const { mem } = rig();
      const cap = mem.read64(BASE + DMAR_CAP);
      assert.equal(Number((cap >> 40n) & 0xffn) + 1, 8);
      assert.equal(Number((cap >> 24n) & 0x3ffn) * 16, DMAR_FRCD);
      // The same value through two 32-bit reads.
      const lo = mem.read32(BASE + DMAR_CAP);
      const hi = mem.read32(BASE + DMAR_CAP + 4);
      assert.equal(BigInt(lo) | (BigInt(hi) << 32n), cap);
    });

    it('ECAP: QI (bit 1), IR (bit 3) and EIM (bit 4)', () => {
      const { mem } = rig();
      const ecap = mem.read64(BASE + DMAR_ECAP);
      for (const b of [1n, 3n, 4n]) assert.equal((ecap >> b) & 1n, 1n, `bit ${b}`);
    });

    it('GSTS follows GCMD: IRTPS after SIRTP, IRES with IRE, CFIS with CFI', () => {
      const mem = new PhysMemory();
      const unit = new IrUnit(0, mem, () => 0);
      mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
      assert.equal(mem.read32(BASE + DMAR_GSTS), 0);
      assert.equal(unit.enabled, false);
      mem.write64(BASE + DMAR_IRTA, 0x20000n | 0xfn);
      mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
      assert.equal(mem.read32(BASE + DMAR_GSTS) & (1 << 24), 1 << 24, 'IRTPS');
      mem.write32(BASE + DMAR_GCMD, GCMD_IRE | GCMD_CFI);
      const gsts = mem.read32(BASE + DMAR_GSTS);
      assert.equal(gsts & (1 << 25), 1 << 25, 'IRES');
      assert.equal(gsts & (1 << 23), 1 << 23, 'CFIS');
      assert.equal(unit.enabled, true);
      // Linux clears CFI by writing its gcmd without it.
      mem.write32(BASE + DMAR_GCMD, GCMD_IRE);
      assert.equal(mem.read32(BASE + DMAR_GSTS) & (1 << 23), 0);
      assert.equal(unit.enabled, true);
    });

    it('latches IRTA (base, EIME, S) on SIRTP only', () => {
      const mem = new PhysMemory();
      const unit = new IrUnit(0, mem, () => 0);
      mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
      mem.write64(BASE + DMAR_IRTA, 0x0012_3000n | EIME | 0x3n);
      mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
      assert.equal(unit.tableAddress, 0x123000);
      assert.equal(unit.tableSize, 16, '2^(S+1)');
      assert.equal(unit.eime, true);
      mem.write64(BASE + DMAR_IRTA, 0x0045_6000n | 0xfn);
      assert.equal(mem.read64(BASE + DMAR_IRTA), 0x0045_600fn, 'the register reads back');
      assert.equal(unit.tableAddress, 0x123000, 'not latched yet');
      assert.equal(unit.tableSize, 16);
      assert.equal(unit.eime, true);
      mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
      assert.equal(unit.tableAddress, 0x456000);
      assert.equal(unit.tableSize, 65536);
      assert.equal(unit.eime, false);
    });
  });

  describe('translation', () => {
    it('passes every request through while IR is disabled', () => {
      const unit = new IrUnit(0, new PhysMemory(), () => 0);
      assert.equal(unit.translate(remappable(1), 5, 0x10000, SID, 1), Xlate.PassThrough);
      assert.equal(unit.faultLog.length, 0);
    });

    it('translates a remapped IRTE: vector, x2APIC destination, DM, TM, DLM', () => {
      const r = rig();
      r.unit.writeIrte(5, irte({ vector: 0x41, dst: 0x102, tm: 1, dlm: 1 }));
      assert.equal(r.xl(remappable(5)), Xlate.Remapped);
      const o = r.unit.out;
      assert.deepEqual(
        { index: o.index, vector: o.vector, dst: o.dst, dm: o.dm, tm: o.tm, dlm: o.dlm },
        { index: 5, vector: 0x41, dst: 0x102, dm: 0, tm: 1, dlm: 1 },
      );
    });

    it('reads the xAPIC destination from DST bits 47:40 when EIME is clear', () => {
      const r = rig({ eime: false });
      r.unit.writeIrte(2, irte({ vector: 0x30, dst: 3 << 8 }));
      assert.equal(r.xl(remappable(2)), Xlate.Remapped);
      assert.equal(r.unit.out.dst, 3);
    });

    it('indexes handle + subhandle with SHV, the handle alone without', () => {
      const r = rig();
      r.unit.writeIrte(6, irte({ vector: 0x66 }));
      r.unit.writeIrte(4, irte({ vector: 0x44 }));
      assert.equal(r.xl(remappable(4), 0, 2), Xlate.Remapped);
      assert.equal(r.unit.out.vector, 0x66);
      assert.equal(r.xl(remappable(4, false), 0, 2), Xlate.Remapped);
      assert.equal(r.unit.out.vector, 0x44);
    });

    it('uses address bit 2 as handle[15]', () => {
      const r = rig({ s: 0xf });
      r.unit.writeIrte(0x8003, irte({ vector: 0x83 }));
      r.unit.writeIrte(0x0003, irte({ vector: 0x03 + 0x20 }));
      assert.equal(r.xl(remappable(0x8003)), Xlate.Remapped);
      assert.equal(r.unit.out.index, 0x8003);
      assert.equal(r.unit.out.vector, 0x83);
    });

    it('reports a posted-format IRTE as Posted on a unit with posted-interrupt support', () => {
      const r = rig({ pi: true });
      r.unit.writeIrte(1, irte({ pst: 1, vector: 0x20 }));
      assert.equal(r.xl(remappable(1)), Xlate.Posted);
      assert.equal(r.unit.out.index, 1);
      assert.equal(r.unit.faultLog.length, 0);
    });
  });

  describe('fault reasons', () => {
    const fault = (r: Rig, x: Xlate): number => {
      assert.equal(x, Xlate.Fault);
      return r.unit.out.fault;
    };

    it('0x20: address_hi ≠ 0', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ vector: 0x41 }));
      assert.equal(fault(r, r.xl(remappable(1), 1)), 0x20);
    });

    it('0x20: SHV with data[31:16] ≠ 0 (without SHV data is not looked at)', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ vector: 0x41 }));
      assert.equal(fault(r, r.xl(remappable(1), 0, 0x10000)), 0x20);
      assert.equal(r.xl(remappable(1, false), 0, 0x10000), Xlate.Remapped);
    });

    it('0x25: a compatibility-format request is blocked', () => {
      const r = rig();
      assert.equal(fault(r, r.xl(0xfee01000, 0, 0x41)), 0x25);
      assert.equal(r.unit.out.index, -1);
    });

    it('0x25: passed through with CFI set (xAPIC mode), still blocked in x2APIC mode', () => {
      assert.equal(rig({ cfi: true, eime: false }).xl(0xfee01000, 0, 0x41), Xlate.PassThrough);
      const x2 = rig({ cfi: true, eime: true });
      assert.equal(fault(x2, x2.xl(0xfee01000, 0, 0x41)), 0x25);
    });

    it('0x21: index ≥ 2^(S+1)', () => {
      const r = rig({ s: 1 }); // 4 entries
      r.unit.writeIrte(3, irte({ vector: 0x41 }));
      assert.equal(r.xl(remappable(3)), Xlate.Remapped);
      assert.equal(fault(r, r.xl(remappable(4))), 0x21);
      assert.equal(r.unit.out.index, 4);
      assert.equal(fault(r, r.xl(remappable(2), 0, 2)), 0x21, 'handle 2 + subhandle 2');
    });

    it('0x22: P clear', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ p: 0, vector: 0x41 }));
      assert.equal(fault(r, r.xl(remappable(1))), 0x22);
    });

    it('0x24: reserved bits set in a present IRTE', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ vector: 0x41, raw: 1n << 13n }));
      assert.equal(fault(r, r.xl(remappable(1))), 0x24);
      r.unit.writeIrte(2, irte({ vector: 0x41, raw: 1n << 100n }));
      assert.equal(fault(r, r.xl(remappable(2))), 0x24);
    });

    it('0x26: SVT = 1 compares the SID under the SQ mask', () => {
      // [SQ, a SID that differs only in ignored bits, one that differs in a compared bit]
      const cases: [number, number, number][] = [
        [0, SID, SID | 0x4],
        [1, SID | 0x4, SID | 0x1], // ignore bit 2
        [2, SID | 0x6, SID | 0x1], // ignore bits 2:1
        [3, SID | 0x7, SID | 0x10], // ignore bits 2:0
      ];
      for (const [sq, pass, fail] of cases) {
        const r = rig();
        r.unit.writeIrte(1, irte({ vector: 0x41, svt: 1, sq }));
        assert.equal(r.xl(remappable(1), 0, 0, pass), Xlate.Remapped, `SQ ${sq} ${pass}`);
        assert.equal(fault(r, r.xl(remappable(1), 0, 0, fail)), 0x26, `SQ ${sq} ${fail}`);
      }
    });

    it('0x26: SVT = 2 checks the requester bus against [SID[15:8], SID[7:0]]', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ vector: 0x41, svt: 2, sid: (0x60 << 8) | 0x6f }));
      for (const bus of [0x60, 0x65, 0x6f])
        assert.equal(r.xl(remappable(1), 0, 0, (bus << 8) | 0x08), Xlate.Remapped, `bus ${bus}`);
      for (const bus of [0x5f, 0x70])
        assert.equal(fault(r, r.xl(remappable(1), 0, 0, bus << 8)), 0x26, `bus ${bus}`);
    });

    it('SVT = 0 verifies nothing', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ vector: 0x41, svt: 0, sid: 0 }));
      assert.equal(r.xl(remappable(1), 0, 0, 0xffff), Xlate.Remapped);
    });

    it('checks the SID before looking at the posted format', () => {
      const r = rig({ pi: true });
      r.unit.writeIrte(1, irte({ pst: 1, vector: 0x41, svt: 1 }));
      assert.equal(fault(r, r.xl(remappable(1), 0, 0, SID + 1)), 0x26);
    });

    describe('check order', () => {
      it('0x20 before 0x25: a compatibility-format request with address_hi ≠ 0', () => {
        const r = rig();
        assert.equal(fault(r, r.xl(0xfee01000, 1, 0x41)), 0x20);
        const cfi = rig({ cfi: true, eime: false });
        assert.equal(fault(cfi, cfi.xl(0xfee01000, 1, 0x41)), 0x20);
      });

      it('0x20 (address_hi) before 0x21', () => {
        const r = rig({ s: 0 });
        assert.equal(fault(r, r.xl(remappable(9), 1)), 0x20);
      });

      it('0x21 before 0x22 (the entry beyond the table is not read)', () => {
        const r = rig({ s: 0 });
        assert.equal(fault(r, r.xl(remappable(2))), 0x21);
      });

      it('0x22 before 0x24, 0x24 before 0x26', () => {
        const r = rig();
        r.unit.writeIrte(1, irte({ p: 0, raw: 1n << 13n, sid: 0x1111 }));
        assert.equal(fault(r, r.xl(remappable(1))), 0x22);
        r.unit.writeIrte(1, irte({ raw: 1n << 13n, sid: 0x1111 }));
        assert.equal(fault(r, r.xl(remappable(1))), 0x24);
        r.unit.writeIrte(1, irte({ sid: 0x1111 }));
        assert.equal(fault(r, r.xl(remappable(1))), 0x26);
      });
    });
  });

  describe('fault recording', () => {
    it('FPD suppresses recording of 0x22, 0x24 and 0x26', () => {
      const entries: [number, Entry][] = [
        [0x22, { p: 0, fpd: 1 }],
        [0x24, { fpd: 1, raw: 1n << 30n }],
        [0x26, { fpd: 1, sid: 0x1111 }],
      ];
      for (const [reason, e] of entries) {
        const r = rig();
        r.unit.writeIrte(1, irte({ vector: 0x41, ...e }));
        assert.equal(r.xl(remappable(1)), Xlate.Fault);
        assert.equal(r.unit.out.fault, reason);
        assert.equal(r.unit.out.recorded, false, `0x${reason.toString(16)}`);
        assert.equal(frcdHigh(r, 0) >>> 31, 0, 'no record');
        assert.equal(r.r32(DMAR_FSTS) & 2, 0, 'no pending fault');
        const f = r.unit.faultLog.at(-1)!;
        assert.equal(f.reason, reason);
        assert.equal(f.recorded, false);
        assert.match(f.note ?? '', /FPD/);
      }
    });

    it('FPD does not suppress 0x20, 0x21 or 0x25 (found before the IRTE is read)', () => {
      const r = rig({ s: 0 }); // 2 entries
      // Entries 0 and 1 have FPD set; so does the memory just past the table (index 2).
      r.unit.writeIrte(0, irte({ fpd: 1, vector: 0x41 }));
      r.unit.writeIrte(1, irte({ fpd: 1, vector: 0x41 }));
      r.unit.writeIrte(2, irte({ fpd: 1, p: 0 }));
      const xs: [number, number, number][] = [
        [remappable(1), 1, 0x20],
        [remappable(2), 0, 0x21],
        [0xfee00000, 0, 0x25],
      ];
      for (const [i, [lo, hi, reason]] of xs.entries()) {
        assert.equal(r.xl(lo, hi), Xlate.Fault);
        assert.equal(r.unit.out.fault, reason);
        assert.equal(r.unit.out.recorded, true, `0x${reason.toString(16)}`);
        assert.equal((frcdHigh(r, i) >>> 31) & 1, 1, `record ${i}`);
        assert.equal(frcdHigh(r, i) & 0xff, reason);
      }
    });

    it('FRCD holds FR in bits 103:96, SID in 79:64, F in bit 127 and the index in FI 63:48', () => {
      const r = rig({ s: 0xf });
      r.unit.writeIrte(0x8005, irte({ p: 0 }));
      assert.equal(r.xl(remappable(0x8005), 0, 0, 0x1234), Xlate.Fault);
      const [lo, hi] = r.unit.faultRecord(0);
      assert.equal(lo >> 48n, 0x8005n, 'FI[63:48]: interrupt index');
      assert.equal((hi >> 32n) & 0xffn, 0x22n, 'FR: high-qword bits 39:32');
      assert.equal(hi & 0xffffn, 0x1234n, 'SID');
      assert.equal(hi >> 63n, 1n, 'F');
      // The same through MMIO dwords.
      assert.equal(r.r32(DMAR_FRCD + 4) >>> 16, 0x8005);
      assert.equal(r.r32(DMAR_FRCD + 8) & 0xffff, 0x1234);
      assert.equal(r.r32(DMAR_FRCD + 12), 0x80000022);
      const f = r.unit.faultLog.at(-1)!;
      assert.deepEqual(
        { t: f.t, reason: f.reason, sid: f.sid, index: f.index, recorded: f.recorded },
        { t: 1234, reason: 0x22, sid: 0x1234, index: 0x8005, recorded: true },
      );
    });

    it('records faults in successive registers; FSTS.FRI names the first pending one', () => {
      const r = rig();
      r.unit.writeIrte(1, irte({ p: 0 }));
      r.xl(remappable(1));
      assert.equal(r.r32(DMAR_FSTS), 0x2, 'PPF, FRI = 0');
      r.xl(remappable(1), 1);
      assert.equal(frcdHigh(r, 1) & 0xff, 0x20, 'second fault in record 1');
      assert.equal((r.r32(DMAR_FSTS) >>> 8) & 0xff, 0, 'FRI still names the first pending record');
      // Software handles both (RW1C on F); the next fault goes to record 2 and FRI follows.
      r.w32(DMAR_FRCD + 12, 0x80000000);
      r.w32(DMAR_FRCD + 16 + 12, 0x80000000);
      assert.equal(r.r32(DMAR_FSTS) & 2, 0, 'PPF clears with the last F bit');
      r.xl(0xfee00000);
      assert.equal(frcdHigh(r, 2) & 0xff, 0x25);
      assert.equal(r.r32(DMAR_FSTS), (2 << 8) | 0x2);
    });

    it('PPF is the OR of the F bits, not write-1-to-clear', () => {
      const r = rig();
      r.xl(0xfee00000);
      r.w32(DMAR_FSTS, 0x2);
      assert.equal(r.r32(DMAR_FSTS) & 2, 2, 'record 0 is still pending');
      r.w32(DMAR_FRCD + 12, 0x80000000);
      assert.equal(r.r32(DMAR_FSTS) & 2, 0);
    });

    it('F is RW1C: writing 0 keeps the record, writing 1 clears only F', () => {
      const r = rig();
      r.xl(0xfee00000, 0, 0, 0x4321);
      r.w32(DMAR_FRCD + 12, 0);
      assert.equal(frcdHigh(r, 0) >>> 31, 1);
      r.w32(DMAR_FRCD + 12, 0x80000000);
      assert.equal(frcdHigh(r, 0) >>> 31, 0);
      assert.equal(frcdHigh(r, 0) & 0xff, 0x25, 'FR stays readable');
      assert.equal(r.r32(DMAR_FRCD + 8) & 0xffff, 0x4321);
    });

    it('sets PFO when all 8 records are full and records nothing until PFO is cleared', () => {
      const r = rig();
      for (let i = 0; i < 8; i++) r.xl(0xfee00000, 0, 0, 0x100 + i);
      for (let i = 0; i < 8; i++) assert.equal(r.r32(DMAR_FRCD + i * 16 + 8) & 0xffff, 0x100 + i);
      assert.equal(r.r32(DMAR_FSTS) & 1, 0, 'no overflow yet');
      assert.equal(r.xl(remappable(1), 1, 0, 0x200), Xlate.Fault);
      assert.equal(r.unit.out.recorded, false);
      assert.equal(r.r32(DMAR_FSTS) & 1, 1, 'PFO');
      assert.match(r.unit.faultLog.at(-1)!.note ?? '', /overflow/);
      for (let i = 0; i < 8; i++) assert.equal(frcdHigh(r, i) & 0xff, 0x25, `record ${i} kept`);
      // Record 0 is freed, but PFO is still set: nothing is recorded.
      r.w32(DMAR_FRCD + 12, 0x80000000);
      r.xl(remappable(1), 1, 0, 0x300);
      assert.equal(r.unit.out.recorded, false);
      assert.equal(frcdHigh(r, 0) >>> 31, 0);
      // PFO is RW1C: writing 0 keeps it, writing 1 clears it; then record 0 takes the next fault.
      r.w32(DMAR_FSTS, 0);
      assert.equal(r.r32(DMAR_FSTS) & 1, 1);
      r.w32(DMAR_FSTS, 1);
      assert.equal(r.r32(DMAR_FSTS) & 1, 0);
      r.xl(remappable(1), 1, 0, 0x400);
      assert.equal(r.unit.out.recorded, true);
      assert.equal(r.r32(DMAR_FRCD + 8) & 0xffff, 0x400);
      assert.equal(frcdHigh(r, 0), 0x80000020);
    });

    it('calls onFault for recorded faults only', () => {
      const r = rig();
      const seen: number[] = [];
      r.unit.onFault = (f) => seen.push(f.reason);
      r.unit.writeIrte(1, irte({ p: 0, fpd: 1 }));
      r.xl(remappable(1));
      r.xl(0xfee00000);
      assert.deepEqual(seen, [0x25]);
      assert.equal(r.unit.faultLog.length, 2);
    });
  });
});
