/**
 * IRTE codec and remappable-format helpers, checked against the bit positions of VT-d §9.10 /
 * include/linux/dmar.h `struct irte` (remapped and posted formats) and the remappable MSI
 * address of VT-d §5.1.2.2 (Linux fill_msi_msg).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  composeRemappable,
  decodeIrte,
  encodeIrte,
  irteFromWords,
  irteReservedBits,
  irteWords,
  isRemappable,
  remappableHandle,
  type Irte,
} from '../../../src/platform/remap/irte';

const ONES128 = (1n << 128n) - 1n;

/** Remapped-format fields as [name, hi, lo] — the spec's positions, not the module's table. */
const REMAPPED: readonly (readonly [keyof Irte, number, number])[] = [
  ['p', 0, 0],
  ['fpd', 1, 1],
  ['dm', 2, 2],
  ['rh', 3, 3],
  ['tm', 4, 4],
  ['dlm', 7, 5],
  ['avail', 11, 8],
  ['vector', 23, 16],
  ['dst', 63, 32],
  ['sid', 79, 64],
  ['sq', 81, 80],
  ['svt', 83, 82],
];

function field(hi: number, lo: number): bigint {
  return ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
}

function bit(n: number): bigint {
  return 1n << BigInt(n);
}

/** The reserved-bit check of a unit with posted-interrupt support (both formats defined). */
function reserved(v: bigint, eime: boolean): boolean {
  return irteReservedBits(...irteWords(v), eime, true);
}

/** Bit numbers in the inclusive ranges given. */
function bitsIn(...ranges: (readonly [number, number])[]): Set<number> {
  const s = new Set<number>();
  for (const [hi, lo] of ranges) for (let b = lo; b <= hi; b++) s.add(b);
  return s;
}

const remappedIrte = fc.record({
  p: fc.integer({ min: 0, max: 1 }),
  fpd: fc.integer({ min: 0, max: 1 }),
  dm: fc.integer({ min: 0, max: 1 }),
  rh: fc.integer({ min: 0, max: 1 }),
  tm: fc.integer({ min: 0, max: 1 }),
  dlm: fc.integer({ min: 0, max: 7 }),
  avail: fc.integer({ min: 0, max: 15 }),
  pst: fc.constant(0),
  vector: fc.integer({ min: 0, max: 255 }),
  dst: fc.integer({ min: 0, max: 0xffffffff }),
  sid: fc.integer({ min: 0, max: 0xffff }),
  sq: fc.integer({ min: 0, max: 3 }),
  svt: fc.integer({ min: 0, max: 3 }),
  urg: fc.constant(0),
  pdal: fc.constant(0),
  pdah: fc.constant(0),
  pda: fc.constant(0n),
});

describe('IRTE codec (VT-d §9.10)', () => {
  describe('remapped format', () => {
    for (const [name, hi, lo] of REMAPPED) {
      it(`puts ${name} in bits ${hi}:${lo} and nowhere else`, () => {
        const max = Number((1n << BigInt(hi - lo + 1)) - 1n);
        const v = encodeIrte({ [name]: max });
        assert.equal(v, field(hi, lo));
        assert.equal(decodeIrte(v)[name], max);
        // A decoded all-ones-in-this-field entry has every other field zero.
        for (const [other] of REMAPPED) if (other !== name) assert.equal(decodeIrte(v)[other], 0);
      });
    }

    it('marks the remapped format with bit 15 clear and the posted one with bit 15 set', () => {
      assert.equal(decodeIrte(0n).pst, 0);
      assert.equal(decodeIrte(bit(15)).pst, 1);
      assert.equal(encodeIrte({ pst: 1 }), bit(15));
    });

    it('round-trips every field (property)', () => {
      fc.assert(
        fc.property(remappedIrte, (e) => {
          assert.deepEqual(decodeIrte(encodeIrte(e)), { ...e });
        }),
        { numRuns: 300 },
      );
    });

    it('encodes the xAPIC destination as Linux IRTE_DEST does (APIC ID in bits 47:40)', () => {
      const v = encodeIrte({ dst: 0x05 << 8 });
      assert.equal((v >> 40n) & 0xffn, 5n);
      assert.equal(reserved(v | 1n, false), false);
    });
  });

  describe('posted format', () => {
    it('decodes PDA, URG and VV from their positions', () => {
      const pda = 0x1234_5678_9abc_de40n; // 64-byte aligned
      const v =
        1n | // P
        bit(14) | // URG
        bit(15) | // PST
        (0x9dn << 16n) | // VV
        (((pda >> 6n) & ((1n << 26n) - 1n)) << 38n) | // PDA_L: address bits 31:6 in 63:38
        ((pda >> 32n) << 96n) | // PDA_H: address bits 63:32 in 127:96
        (0x6a08n << 64n) |
        (1n << 82n); // SVT = 1
      const d = decodeIrte(v);
      assert.equal(d.pst, 1);
      assert.equal(d.p, 1);
      assert.equal(d.urg, 1);
      assert.equal(d.vector, 0x9d);
      assert.equal(d.pda, pda);
      assert.equal(d.sid, 0x6a08);
      assert.equal(d.svt, 1);
      // Remapped-only fields mean nothing in posted format.
      assert.equal(d.dst, 0);
      assert.equal(d.dlm, 0);
      assert.equal(reserved(v, true), false);
    });

    it('round-trips URG, VV and a 64-byte aligned PDA (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1 }),
          fc.integer({ min: 0, max: 255 }),
          fc.bigInt({ min: 0n, max: (1n << 58n) - 1n }),
          (urg, vv, line) => {
            const pda = line << 6n;
            const d = decodeIrte(encodeIrte({ p: 1, pst: 1, urg, vector: vv, pda }));
            assert.equal(d.urg, urg);
            assert.equal(d.vector, vv);
            assert.equal(d.pda, pda);
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('irteWords / irteFromWords', () => {
    it('splits little-endian: w0 = bits 31:0 … w3 = bits 127:96', () => {
      const v = 0x33333333_22222222_11111111_00000000n | 0xffn;
      assert.deepEqual(irteWords(v), [0x000000ff, 0x11111111, 0x22222222, 0x33333333]);
      assert.equal(irteFromWords(0x000000ff, 0x11111111, 0x22222222, 0x33333333), v);
    });

    it('round-trips any 128-bit value and treats words as unsigned (property)', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: ONES128 }), (v) => {
          const w = irteWords(v);
          for (const x of w) assert.ok(x >= 0 && x <= 0xffffffff);
          assert.equal(irteFromWords(...w), v);
          // Signed 32-bit inputs (what `| 0` arithmetic yields) mean the same words.
          assert.equal(irteFromWords(w[0] | 0, w[1] | 0, w[2] | 0, w[3] | 0), v);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('reserved bits (fault 0x24)', () => {
    const base = encodeIrte({ p: 1, vector: 0x41, dst: 2, sid: 0x6a08, svt: 1 });

    it('remapped, x2APIC (EIME=1): bits 14:12, 31:24 and 127:84 only', () => {
      // With SVT = 1 in the base entry, flipping bit 83 makes SVT = 3 (reserved encoding).
      const expected = bitsIn([14, 12], [31, 24], [83, 83], [127, 84]);
      for (let b = 0; b < 128; b++) {
        if (b === 15) continue; // the format bit, not a reserved bit of this format
        const v = base ^ bit(b);
        assert.equal(reserved(v, true), expected.has(b), `bit ${b}`);
      }
    });

    it('remapped, xAPIC (EIME=0): also DST bits 39:32 and 63:48', () => {
      const xapic = encodeIrte({ p: 1, vector: 0x41, dst: 2 << 8, sid: 0x6a08, svt: 1 });
      const expected = bitsIn([14, 12], [31, 24], [39, 32], [63, 48], [83, 83], [127, 84]);
      for (let b = 0; b < 128; b++) {
        if (b === 15) continue;
        assert.equal(reserved(xapic ^ bit(b), false), expected.has(b), `bit ${b}`);
      }
    });

    it('SVT = 3 is a reserved encoding; 0, 1 and 2 are not', () => {
      for (const svt of [0, 1, 2]) assert.equal(reserved(encodeIrte({ p: 1, svt }), true), false);
      assert.equal(reserved(encodeIrte({ p: 1, svt: 3 }), true), true);
    });

    it('posted: bits 7:2, 13:12, 37:24 and 95:84 only', () => {
      const posted = encodeIrte({ p: 1, pst: 1, vector: 0x41, pda: 0xfee1_0040n, sid: 0x6a08 });
      const expected = bitsIn([7, 2], [13, 12], [37, 24], [95, 84]);
      for (let b = 0; b < 128; b++) {
        if (b === 15) continue;
        // The DM/DST bits of the remapped format are PDA or reserved here; EIME changes nothing.
        for (const eime of [true, false])
          assert.equal(reserved(posted ^ bit(b), eime), expected.has(b), `bit ${b} eime ${eime}`);
      }
    });

    it('posted: SVT = 3 is reserved as well', () => {
      assert.equal(reserved(encodeIrte({ p: 1, pst: 1, svt: 2 }), true), false);
      assert.equal(reserved(encodeIrte({ p: 1, pst: 1, svt: 3 }), true), true);
    });
  });

  describe('remappable MSI format (VT-d §5.1.2.2)', () => {
    it('lays out handle[14:0] in 19:5, handle[15] in bit 2, SHV bit 3, format bit 4, 0xFEE', () => {
      const m = composeRemappable(0x8000 | 0x1234);
      assert.equal(m.address_lo >>> 20, 0xfee);
      assert.equal((m.address_lo >>> 5) & 0x7fff, 0x1234);
      assert.equal((m.address_lo >>> 2) & 1, 1, 'bit 2 = handle[15]');
      assert.equal((m.address_lo >>> 3) & 1, 1, 'SHV: Linux always sets it');
      assert.equal((m.address_lo >>> 4) & 1, 1, 'interrupt format: remappable');
      assert.equal(m.address_lo & 3, 0);
      assert.equal(m.address_hi, 0);
      assert.equal(m.data, 0);
      assert.equal(composeRemappable(0x7fff).address_lo, 0xfeeffff8);
      assert.equal(composeRemappable(0x8000).address_lo, 0xfee0001c);
    });

    it('carries the subhandle in data[15:0]', () => {
      assert.equal(composeRemappable(4, 3).data, 3);
    });

    it('round-trips every 16-bit handle, including those above 0x7fff (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffff }), (h) => {
          const lo = composeRemappable(h).address_lo;
          assert.ok(lo >= 0, 'address_lo is unsigned');
          assert.equal(remappableHandle(lo), h);
          assert.equal(isRemappable(lo), true);
        }),
        { numRuns: 500 },
      );
    });

    it('tells compatibility format (bit 4 clear) from remappable', () => {
      assert.equal(isRemappable(0xfee01000), false);
      assert.equal(isRemappable(0xfee00010), true);
      assert.equal(remappableHandle(0xfee00004), 0x8000);
    });
  });
});
