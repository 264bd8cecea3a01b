/**
 * Bit-field helpers: inclusive [hi:lo] ranges on 32-bit numbers and bigints, `%*pbl` bit lists,
 * hex and requester-id formatting.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  formatBitList,
  formatSid,
  get32,
  getBig,
  hex,
  mask32,
  maskBig,
  set32,
  setBig,
} from '../../../src/platform/bits';

describe('bits', () => {
  describe('formatBitList (%*pbl)', () => {
    it('prints ranges and single bits as Linux does', () => {
      assert.equal(formatBitList([32, 33, 35]), '32-33,35');
      const sys = [
        ...Array.from({ length: 20 }, (_, i) => i),
        32,
        50,
        128,
        ...Array.from({ length: 20 }, (_, i) => 236 + i),
      ];
      assert.equal(formatBitList(sys), '0-19,32,50,128,236-255');
      assert.equal(formatBitList([7]), '7');
      assert.equal(formatBitList([1, 2]), '1-2');
    });

    it('prints an empty list as nothing', () => {
      assert.equal(formatBitList([]), '');
    });

    it('sorts its input', () => {
      assert.equal(formatBitList(new Set([5, 3, 4, 0])), '0,3-5');
    });

    it('lists exactly the given bits (property)', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 255 })), (bits) => {
          const out = formatBitList(bits);
          const back =
            out === ''
              ? []
              : out.split(',').flatMap((part) => {
                  const [a, b] = part.split('-').map(Number);
                  return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i);
                });
          assert.deepEqual(
            back,
            [...bits].sort((x, y) => x - y),
          );
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('hex', () => {
    it('prints lower-case with 0x, zero-padded to the digits asked for', () => {
      assert.equal(hex(0x41, 2), '0x41');
      assert.equal(hex(5, 2), '0x05');
      assert.equal(hex(0), '0x0');
      assert.equal(hex(0xfee00000, 8), '0xfee00000');
      assert.equal(hex(0xabc, 2), '0xabc', 'never truncates');
    });

    it('prints numbers above 32 bits, bigints and negative values', () => {
      assert.equal(hex(0x1_0000_0000), '0x100000000');
      assert.equal(hex((1n << 64n) - 1n), '0xffffffffffffffff');
      assert.equal(hex(-1), '-0x1');
      assert.equal(hex(-0x20n, 4), '-0x0020');
    });
  });

  describe('fields', () => {
    it('mask32 covers [hi:lo] inclusive and rejects bad ranges', () => {
      assert.equal(mask32(7, 4), 0xf0);
      assert.equal(mask32(31, 0), 0xffffffff);
      assert.equal(mask32(31, 31), 0x80000000);
      assert.throws(() => mask32(32, 0), RangeError);
      assert.throws(() => mask32(3, 4), RangeError);
      assert.throws(() => mask32(3, -1), RangeError);
    });

    it('get32 / set32 read and replace a field as unsigned values', () => {
      assert.equal(get32(0xfee0_3000, 19, 12), 3);
      assert.equal(get32(0xfee0_3000, 31, 20), 0xfee);
      assert.equal(get32(-1, 31, 0), 0xffffffff);
      assert.equal(set32(0, 31, 31, 1), 0x80000000);
      assert.equal(set32(0xffffffff, 7, 4, 0), 0xffffff0f);
      assert.equal(set32(0, 7, 4, 0x1ff), 0xf0, 'bits beyond the field are dropped');
    });

    it('set32 then get32 returns the field and leaves the rest (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 31 }),
          fc.integer({ min: 0, max: 31 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.integer({ min: 0, max: 0xffffffff }),
          (a, b, word, value) => {
            const [hi, lo] = a >= b ? [a, b] : [b, a];
            const m = mask32(hi, lo);
            const w = set32(word, hi, lo, value);
            assert.equal(get32(w, hi, lo), (((value << lo) & m) >>> lo) >>> 0);
            assert.equal((w & ~m) >>> 0, (word & ~m) >>> 0);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('maskBig / getBig / setBig work on 128-bit values', () => {
      assert.equal(maskBig(127, 96), 0xffffffffn << 96n);
      assert.equal(getBig(0x26n << 96n, 103, 96), 0x26n);
      assert.equal((setBig(-1n & ((1n << 128n) - 1n), 83, 82, 0n) >> 82n) & 3n, 0n);
      assert.equal(setBig(0n, 83, 82, 7n), 3n << 82n, 'bits beyond the field are dropped');
      assert.throws(() => maskBig(3, 4), RangeError);
    });
  });

  it('formatSid prints a requester id as bb:dd.f', () => {
    assert.equal(formatSid(0x6a08), '6a:01.0');
    assert.equal(formatSid(0x00ff), '00:1f.7');
    assert.equal(formatSid(0xff00), 'ff:00.0');
  });
});
