/**
 * Physical memory: MMIO dispatch by range, little-endian RAM across page boundaries, live views
 * of allocated RAM and the 64-byte portal write.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  BusError,
  PAGE_SIZE,
  PhysMemory,
  type MmioDevice,
  type PortalWriteKind,
} from '../../../src/platform/memory';

/** A device that logs every access and reads back `0xRR00_0000 | offset` (RR = a tag). */
function recorder(tag = 0xab): { dev: MmioDevice; log: string[] } {
  const log: string[] = [];
  const dev: MmioDevice = {
    read32: (o) => (log.push(`r32 ${o.toString(16)}`), ((tag << 24) | o) >>> 0),
    write32: (o, v) => void log.push(`w32 ${o.toString(16)} ${v.toString(16)}`),
    read64: (o) => (log.push(`r64 ${o.toString(16)}`), 0xffff_ffff_0000_0000n | BigInt(o)),
    write64: (o, v) => void log.push(`w64 ${o.toString(16)} ${v.toString(16)}`),
    peek32: (o) => (log.push(`peek ${o.toString(16)}`), 0x5a),
  };
  return { dev, log };
}

describe('physical memory', () => {
  describe('MMIO dispatch', () => {
    it('dispatches [base, base + size) to the device with offsets, and nothing outside', () => {
      const mem = new PhysMemory();
      const { dev, log } = recorder();
      mem.mapMmio(0xfed90000, 0x1000, 'dmar0', dev);
      assert.equal(mem.read32(0xfed90000), 0xab000000);
      assert.equal(mem.read32(0xfed90ffc), 0xab000ffc);
      mem.write32(0xfed90ffc, 0x12345678);
      assert.equal(mem.read64(0xfed90ff8), 0xffff_ffff_0000_0ff8n);
      mem.write64(0xfed90008, -1n);
      assert.deepEqual(log, [
        'r32 0',
        'r32 ffc',
        'w32 ffc 12345678',
        'r64 ff8',
        'w64 8 ffffffffffffffff',
      ]);
      // Just outside on either side is RAM.
      mem.write32(0xfed91000, 7);
      mem.write32(0xfed8fffc, 9);
      assert.equal(mem.read32(0xfed91000), 7);
      assert.equal(mem.read32(0xfed8fffc), 9);
      assert.equal(log.length, 5);
      const at = mem.mmioAt(0xfed90abc)!;
      assert.deepEqual([at.name, at.base, at.size], ['dmar0', 0xfed90000, 0x1000]);
      assert.equal(mem.mmioAt(0xfed91000), undefined);
    });

    it('picks the right one of adjacent ranges', () => {
      const mem = new PhysMemory();
      const a = recorder(0xaa);
      const b = recorder(0xbb);
      mem.mapMmio(0xd000_0000, 0x1000, 'a', a.dev);
      mem.mapMmio(0xd000_1000, 0x1000, 'b', b.dev);
      assert.equal(mem.read32(0xd000_0ffc) >>> 24, 0xaa);
      assert.equal(mem.read32(0xd000_1000) >>> 24, 0xbb);
      assert.equal(mem.read32(0xd000_0ffc) >>> 24, 0xaa, 'after the other one was used');
    });

    it('refuses an overlapping mapping and forgets an unmapped one', () => {
      const mem = new PhysMemory();
      mem.mapMmio(0xd000_0000, 0x1000, 'a', recorder().dev);
      assert.throws(() => mem.mapMmio(0xd000_0ffc, 8, 'b', recorder().dev), RangeError);
      assert.throws(() => mem.mapMmio(0xcfff_f000, 0x1001, 'c', recorder().dev), /overlaps a/);
      mem.read32(0xd000_0000);
      mem.unmapMmio(0xd000_0000);
      assert.equal(mem.read32(0xd000_0000), 0, 'RAM now');
    });

    it('reads bytes and halves of MMIO registers from the 32-bit register', () => {
      const mem = new PhysMemory();
      const regs: MmioDevice = {
        read32: (o) => (o === 0x10 ? 0x44332211 : 0),
        write32: () => undefined,
        read64: () => 0n,
        write64: () => undefined,
      };
      mem.mapMmio(0xfed9_0000, 0x1000, 'dmar0', regs); // above 2 GiB
      mem.mapMmio(0x0100_0000, 0x1000, 'low', regs);
      for (const base of [0xfed9_0000, 0x0100_0000]) {
        assert.deepEqual(
          [0, 1, 2, 3].map((i) => mem.read8(base + 0x10 + i)),
          [0x11, 0x22, 0x33, 0x44],
          `base 0x${base.toString(16)}`,
        );
        assert.equal(mem.read16(base + 0x12), 0x4433);
      }
    });

    it('refuses 8-bit MMIO writes with a BusError', () => {
      const mem = new PhysMemory();
      mem.mapMmio(0xd000_0000, 0x1000, 'a', recorder().dev);
      assert.throws(() => mem.write8(0xd000_0001, 1), BusError);
    });

    it('refuses a RAM write that runs into an MMIO window, before writing any byte', () => {
      const mem = new PhysMemory();
      const { dev, log } = recorder();
      mem.mapMmio(0xd000_1000, 0x1000, 'a', dev);
      for (const [addr, write] of [
        [0xd000_0ffe, () => mem.write32(0xd000_0ffe, 0x11223344)],
        [0xd000_0ffc, () => mem.write64(0xd000_0ffc, 0x1122334455667788n)],
        [0xd000_0fff, () => mem.write16(0xd000_0fff, 0xabcd)],
      ] as const) {
        assert.throws(write, (e: unknown) => e instanceof BusError && e.address === addr);
        assert.equal(mem.read32(0xd000_0ffc), 0, 'no RAM byte written');
      }
      assert.deepEqual(log, [], 'the device saw nothing');
      mem.write32(0xd000_0ffc, 0x11223344); // ends at the window: fine
      assert.equal(mem.read32(0xd000_0ffc), 0x11223344);
    });

    it('peek32 uses the device peek (no read side effects), or 0 without one', () => {
      const mem = new PhysMemory();
      const { dev, log } = recorder();
      mem.mapMmio(0xd000_0000, 0x1000, 'a', dev);
      assert.equal(mem.peek32(0xd000_0040), 0x5a);
      assert.deepEqual(log, ['peek 40']);
      const bare: MmioDevice = { ...dev, peek32: undefined };
      mem.mapMmio(0xd000_1000, 0x1000, 'b', bare);
      assert.equal(mem.peek32(0xd000_1000), 0);
      mem.write32(0x4000, 0xcafe);
      assert.equal(mem.peek32(0x4000), 0xcafe, 'RAM peeks read RAM');
    });
  });

  describe('RAM', () => {
    it('reads 0 from untouched memory', () => {
      const mem = new PhysMemory();
      assert.equal(mem.read32(0x123456), 0);
      assert.equal(mem.read64(0x7000), 0n);
      assert.deepEqual([...mem.readBytes(0x9ffe, 4)], [0, 0, 0, 0]);
    });

    it('is little-endian, also across a page boundary', () => {
      const mem = new PhysMemory();
      const edge = 2 * PAGE_SIZE;
      mem.write32(edge - 2, 0x11223344);
      assert.deepEqual(
        [-2, -1, 0, 1].map((i) => mem.read8(edge + i)),
        [0x44, 0x33, 0x22, 0x11],
      );
      assert.equal(mem.read32(edge - 2), 0x11223344);
      assert.equal(mem.read16(edge - 1), 0x2233);
      mem.write64(edge + PAGE_SIZE - 4, 0x0102030405060708n);
      assert.equal(mem.read32(edge + PAGE_SIZE - 4), 0x05060708);
      assert.equal(mem.read32(edge + PAGE_SIZE), 0x01020304);
      assert.equal(mem.read64(edge + PAGE_SIZE - 4), 0x0102030405060708n);
      mem.write16(edge + PAGE_SIZE * 2 - 1, 0xbeef);
      assert.equal(mem.read8(edge + PAGE_SIZE * 2 - 1), 0xef);
      assert.equal(mem.read8(edge + PAGE_SIZE * 2), 0xbe);
    });

    it('round-trips 32- and 64-bit values at any address (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 8 * PAGE_SIZE }),
          fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          (addr, v) => {
            const mem = new PhysMemory();
            mem.write64(addr, v);
            assert.equal(mem.read64(addr), v);
            assert.equal(mem.read32(addr + 4), Number(v >> 32n));
            const bytes = mem.readBytes(addr, 8);
            for (let i = 0; i < 8; i++)
              assert.equal(bytes[i], Number((v >> BigInt(8 * i)) & 0xffn));
          },
        ),
        { numRuns: 200 },
      );
    });

    it('stores the low 64 bits of a wider or negative bigint', () => {
      const mem = new PhysMemory();
      mem.write64(0x100, -1n);
      assert.equal(mem.read64(0x100), 0xffff_ffff_ffff_ffffn);
      mem.write64(0x100, (1n << 64n) | 5n);
      assert.equal(mem.read64(0x100), 5n);
    });

    it('copies, writes and fills byte ranges across pages', () => {
      const mem = new PhysMemory();
      const src = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
      mem.writeBytes(PAGE_SIZE - 100, src);
      assert.deepEqual(mem.readBytes(PAGE_SIZE - 100, 300), src);
      mem.fill(PAGE_SIZE - 2, 4, 0x1ff);
      assert.equal(mem.read32(PAGE_SIZE - 2), 0xffffffff);
    });
  });

  describe('allocate and view', () => {
    it('hands out aligned, zeroed, non-overlapping blocks', () => {
      const mem = new PhysMemory(0x1000_0000);
      const a = mem.allocate(100);
      const b = mem.allocate(10, 0x10000);
      const c = mem.allocate(PAGE_SIZE + 1);
      assert.equal(a, 0x1000_0000);
      assert.equal(b % 0x10000, 0);
      assert.ok(b >= a + PAGE_SIZE);
      assert.ok(c >= b + PAGE_SIZE);
      assert.equal(mem.allocate(1) - c, 2 * PAGE_SIZE);
      assert.throws(() => mem.allocate(0), RangeError);
    });

    it('returns a live view: writes through either side show in the other', () => {
      const mem = new PhysMemory();
      const a = mem.allocate(3 * PAGE_SIZE);
      const v = mem.view(a + PAGE_SIZE - 2, 8); // spans a page boundary
      mem.write32(a + PAGE_SIZE - 2, 0xdeadbeef);
      assert.deepEqual([...v.subarray(0, 4)], [0xef, 0xbe, 0xad, 0xde]);
      v[5] = 0x77;
      assert.equal(mem.read8(a + PAGE_SIZE + 3), 0x77);
      v.fill(0, 0, 4);
      assert.equal(mem.read32(a + PAGE_SIZE - 2), 0);
    });

    it('refuses a view outside one allocated block', () => {
      const mem = new PhysMemory();
      const a = mem.allocate(PAGE_SIZE);
      mem.allocate(PAGE_SIZE);
      assert.throws(() => mem.view(a + PAGE_SIZE - 4, 8), RangeError, 'spans two blocks');
      assert.throws(() => mem.view(0x100, 4), RangeError, 'not allocated');
      assert.equal(mem.view(a, PAGE_SIZE).length, PAGE_SIZE);
    });
  });

  describe('write64B (MOVDIR64B / ENQCMD)', () => {
    function portal(accept: boolean): {
      mem: PhysMemory;
      seen: [number, number, PortalWriteKind][];
    } {
      const mem = new PhysMemory();
      const seen: [number, number, PortalWriteKind][] = [];
      mem.mapMmio(0xd000_0000, 0x4000, 'portal', {
        ...recorder().dev,
        write64B: (o, bytes, kind) => (seen.push([o, bytes[0]!, kind]), accept),
      });
      return { mem, seen };
    }

    it('passes a 64-byte aligned write to the portal with its offset and kind', () => {
      const { mem, seen } = portal(true);
      const bytes = new Uint8Array(64).fill(9);
      assert.equal(mem.write64B(0xd000_1040, bytes, 'movdir64b'), true);
      assert.deepEqual(seen, [[0x1040, 9, 'movdir64b']]);
    });

    it('returns the device refusal (ENQCMD retry)', () => {
      const { mem } = portal(false);
      assert.equal(mem.write64B(0xd000_0000, new Uint8Array(64), 'enqcmds'), false);
    });

    it('throws a BusError for a misaligned destination or where no portal is mapped', () => {
      const { mem, seen } = portal(true);
      assert.throws(
        () => mem.write64B(0xd000_0020, new Uint8Array(64), 'enqcmd'),
        (e: unknown) => e instanceof BusError && /not 64-byte aligned/.test(e.message),
      );
      assert.throws(
        () => mem.write64B(0x2000, new Uint8Array(64), 'movdir64b'),
        (e: unknown) => e instanceof BusError && e.address === 0x2000,
      );
      mem.mapMmio(0xd001_0000, 0x1000, 'plain', recorder().dev);
      assert.throws(() => mem.write64B(0xd001_0000, new Uint8Array(64), 'movdir64b'), BusError);
      assert.deepEqual(seen, []);
    });
  });
});
