/**
 * The data operations' results: DUALCAST, CRCGEN and COPY_CRC (the DSA's CRC-32C), COMPARE,
 * BATCH with FENCE, and the completion status of every error the emulated operations produce.
 */
import { strict as assert } from 'node:assert';
import { dsaCrc32, reverse32 } from '../../../src/platform/idxd/crc';
import { encodeDescriptor, type DescriptorFields } from '../../../src/platform/idxd/descriptor';
import { C, enabledWq, record, rig, submit } from './helpers';

const F = C.IDXD_OP_FLAG;
const OP = C.DSA_OPCODE;
const D = C.DSA_COMP;
const CF = C.DSA_CRC_FLAG;
const CR = F.CRAV | F.RCR;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function setup() {
  const r = rig();
  enabledWq(r, { batchShift: 5 });
  const buf = r.mem.allocate(0x10000);
  return { r, buf, comp: buf + 0xf000 };
}

/** Bitwise CRC-32C (reflected, 0x82F63B78), the textbook definition, for cross-checking. */
function crc32cBitwise(bytes: Uint8Array, init: number): number {
  let c = init >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return c >>> 0;
}

describe('IDXD CRC (CRC-32C as the DSA computes it)', () => {
  it('seed 0 gives the standard CRC-32C: "123456789" → 0xe3069283', () => {
    assert.equal(dsaCrc32(ascii('123456789')), 0xe3069283);
    assert.equal(dsaCrc32(new Uint8Array(0)), 0);
    assert.equal(dsaCrc32(new Uint8Array(32)), 0x8a9136aa, 'RFC 3720 B.4: 32 bytes of zeros');
    assert.equal(dsaCrc32(new Uint8Array(32).fill(0xff)), 0x62a8ab43, 'RFC 3720 B.4: 32 × 0xff');
  });

  it('the seed chains buffers: crc(A‖B) = crc(B, seed = crc(A))', () => {
    const a = ascii('12345');
    const b = ascii('6789');
    assert.equal(dsaCrc32(b, dsaCrc32(a)), 0xe3069283);
  });

  it('matches the bitwise definition with any seed: ~crc(~seed, data)', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const seed of [0, 1, 0xdeadbeef, 0xffffffff]) {
      assert.equal(dsaCrc32(data, seed), ~crc32cBitwise(data, ~seed) >>> 0);
    }
  });

  it('BYPASS_CRC_INV_REF and BYPASS_DATA_REF (idxd-config test/dsa.c semantics)', () => {
    const data = ascii('123456789');
    const seed = 0x12345678;
    assert.equal(
      dsaCrc32(data, seed, CF.BYPASS_CRC_INV_REF),
      reverse32(crc32cBitwise(data, reverse32(seed))),
    );
    const reflected = data.map((b) =>
      parseInt(b.toString(2).padStart(8, '0').split('').reverse().join(''), 2),
    );
    assert.equal(dsaCrc32(data, seed, CF.BYPASS_DATA_REF), ~crc32cBitwise(reflected, ~seed) >>> 0);
    assert.equal(reverse32(0x80000001), 0x80000001);
    assert.equal(reverse32(0x1), 0x80000000);
  });
});

describe('IDXD operations', () => {
  it('CRCGEN writes the CRC to crc_val (record bytes 16-19), src untouched', () => {
    const { r, buf, comp } = setup();
    r.mem.writeBytes(buf, ascii('123456789'));
    submit(r, { opcode: OP.CRCGEN, flags: CR, completion_addr: comp, src_addr: buf, xfer_size: 9 });
    submit(r, {
      opcode: OP.CRCGEN,
      flags: CR,
      completion_addr: comp + 32,
      src_addr: buf + 5,
      xfer_size: 4,
      crc_seed: dsaCrc32(ascii('12345')),
    });
    r.settle();
    assert.equal(record(r, comp).status, D.SUCCESS);
    assert.equal(r.mem.read32(comp + 16), 0xe3069283);
    assert.equal(r.mem.read32(comp + 20), 0);
    assert.equal(r.mem.read32(comp + 32 + 16), 0xe3069283, 'seeded with the first part');
  });

  it('CRCGEN with READ_CRC_SEED takes the seed from seed_addr', () => {
    const { r, buf, comp } = setup();
    r.mem.writeBytes(buf, ascii('6789'));
    r.mem.write32(buf + 0x100, dsaCrc32(ascii('12345')));
    submit(r, {
      opcode: OP.CRCGEN,
      flags: CR | CF.READ_CRC_SEED,
      completion_addr: comp,
      src_addr: buf,
      xfer_size: 4,
      crc_seed: 0x5555,
      seed_addr: buf + 0x100,
    });
    r.settle();
    assert.equal(r.mem.read32(comp + 16), 0xe3069283);
  });

  it('COPY_CRC copies and computes the CRC; the CRC flags are invalid on other operations', () => {
    const { r, buf, comp } = setup();
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    r.mem.writeBytes(buf, data);
    submit(r, {
      opcode: OP.COPY_CRC,
      flags: CR | CF.BYPASS_DATA_REF,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 0x2000,
      xfer_size: 5000,
    });
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR | CF.READ_CRC_SEED,
      completion_addr: comp + 32,
      src_addr: buf,
      dst_addr: buf + 0x4000,
      xfer_size: 8,
    });
    r.settle();
    assert.deepEqual(r.mem.readBytes(buf + 0x2000, 5000), data);
    assert.equal(r.mem.read32(comp + 16), dsaCrc32(data, 0, CF.BYPASS_DATA_REF));
    assert.equal(record(r, comp + 32).status, D.INVALID_FLAGS);
    assert.equal(r.mem.read32(comp + 32 + 16), CF.READ_CRC_SEED, 'invalid_flags');
  });

  it('DUALCAST writes both destinations (dest2 in op-specific bytes 40-47)', () => {
    const { r, buf, comp } = setup();
    const data = Uint8Array.from({ length: 100 }, (_, i) => 255 - i);
    r.mem.writeBytes(buf + 0x40, data);
    submit(r, {
      opcode: OP.DUALCAST,
      flags: CR,
      completion_addr: comp,
      src_addr: buf + 0x40,
      dst_addr: buf + 0x1040,
      dest2: buf + 0x3040,
      xfer_size: 100,
    });
    r.settle();
    assert.equal(record(r, comp).status, D.SUCCESS);
    assert.deepEqual(r.mem.readBytes(buf + 0x1040, 100), data);
    assert.deepEqual(r.mem.readBytes(buf + 0x3040, 100), data);
  });

  it('DUALCAST: destinations with different bits 11:0 → DCAST_ERR (0x17), nothing written', () => {
    const { r, buf, comp } = setup();
    r.mem.fill(buf, 16, 0x11);
    submit(r, {
      opcode: OP.DUALCAST,
      flags: CR,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 0x1000,
      dest2: buf + 0x2008,
      xfer_size: 16,
    });
    r.settle();
    assert.equal(record(r, comp).status, D.DCAST_ERR);
    assert.equal(r.mem.read8(buf + 0x1000), 0);
  });

  it('DUALCAST and COPY_CRC with overlapping buffers → OVERLAP_BUFFERS (0x16)', () => {
    const { r, buf, comp } = setup();
    const base: DescriptorFields = { opcode: OP.DUALCAST, flags: CR, xfer_size: 0x20 };
    submit(r, {
      ...base,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 0x10,
      dest2: buf + 0x2010,
    });
    submit(r, {
      ...base,
      completion_addr: comp + 32,
      src_addr: buf,
      dst_addr: buf + 0x1000,
      dest2: buf + 0x1000,
    });
    submit(r, {
      opcode: OP.COPY_CRC,
      flags: CR,
      completion_addr: comp + 64,
      src_addr: buf,
      dst_addr: buf + 0x8,
      xfer_size: 0x20,
    });
    r.settle();
    for (let i = 0; i < 3; i++) assert.equal(record(r, comp + 32 * i).status, D.OVERLAP_BUFFERS);
  });

  it('COMPARE: result 1 and bytes_completed = offset of the first difference', () => {
    const { r, buf, comp } = setup();
    r.mem.fill(buf, 0x3000, 0x5a);
    r.mem.fill(buf + 0x4000, 0x3000, 0x5a);
    r.mem.write8(buf + 0x4000 + 0x2345, 0);
    submit(r, {
      opcode: OP.COMPARE,
      flags: CR,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 0x4000,
      xfer_size: 0x3000,
    });
    r.settle();
    assert.deepEqual(record(r, comp), { status: D.SUCCESS, result: 1, bytes: 0x2345 });
  });

  it('BATCH: FENCE waits for the members before it; after a failure it stops the batch', () => {
    const { r, buf, comp } = setup();
    const list = buf + 0x1000;
    const put = (i: number, f: DescriptorFields) =>
      r.mem.writeBytes(list + 64 * i, encodeDescriptor(f));
    r.mem.writeBytes(buf, ascii('abcd'));
    put(0, { opcode: OP.MEMMOVE, src_addr: buf, dst_addr: buf + 0x10, xfer_size: 4 });
    put(1, {
      opcode: OP.MEMMOVE,
      flags: F.FENCE,
      src_addr: buf + 0x10,
      dst_addr: buf + 0x20,
      xfer_size: 4,
    });
    put(2, {
      opcode: OP.CRCGEN,
      flags: CR,
      completion_addr: comp + 64,
      src_addr: buf + 0x20,
      xfer_size: 4,
    });
    submit(r, { opcode: OP.BATCH, flags: CR, completion_addr: comp, src_addr: list, xfer_size: 3 });
    r.settle();
    assert.deepEqual(record(r, comp), { status: D.SUCCESS, result: 0, bytes: 3 });
    assert.equal(r.mem.read32(comp + 64 + 16), dsaCrc32(ascii('abcd')));
  });

  it('BATCH: a DRAIN or a BATCH inside a batch → BAD_OPCODE for that member', () => {
    const { r, buf, comp } = setup();
    const list = buf + 0x1000;
    r.mem.writeBytes(
      list,
      encodeDescriptor({ opcode: OP.DRAIN, flags: CR, completion_addr: comp + 32 }),
    );
    r.mem.writeBytes(
      list + 64,
      encodeDescriptor({ opcode: OP.NOOP, flags: CR, completion_addr: comp + 64 }),
    );
    submit(r, { opcode: OP.BATCH, flags: CR, completion_addr: comp, src_addr: list, xfer_size: 2 });
    r.settle();
    assert.equal(record(r, comp).status, D.BATCH_FAIL);
    assert.equal(record(r, comp + 32).status, D.BAD_OPCODE);
    assert.equal(record(r, comp + 64).status, D.SUCCESS);
  });
});

describe('IDXD completion status of every error the emulated operations produce', () => {
  /** [status, descriptor for (buf, list)] — each sent with CRAV|RCR to its own record. */
  const cases: [number, (buf: number, list: number) => DescriptorFields | Uint8Array][] = [
    [D.SUCCESS, () => ({ opcode: OP.NOOP })],
    [
      D.SUCCESS_PRED,
      (buf) => ({ opcode: OP.COMPVAL, flags: F.CR, src_addr: buf, xfer_size: 8, expected_res: 0 }),
    ],
    [D.BATCH_FAIL, (_, list) => ({ opcode: OP.BATCH, src_addr: list, xfer_size: 2 })],
    [D.BAD_OPCODE, () => ({ opcode: OP.CR_DELTA })],
    [D.INVALID_FLAGS, () => ({ opcode: OP.NOOP, flags: 0x40 })],
    [
      D.NOZERO_RESERVE,
      () => {
        const d = encodeDescriptor({ opcode: OP.NOOP });
        d[2] = 0x10; // header bits 30:20
        return d;
      },
    ],
    [D.XFER_ERANGE, (buf) => ({ opcode: OP.MEMFILL, dst_addr: buf, xfer_size: 0 })],
    [D.DESC_CNT_ERANGE, (_, list) => ({ opcode: OP.BATCH, src_addr: list, xfer_size: 1 })],
    [
      D.OVERLAP_BUFFERS,
      (buf) => ({ opcode: OP.COPY_CRC, src_addr: buf, dst_addr: buf + 1, xfer_size: 2 }),
    ],
    [
      D.DCAST_ERR,
      (buf) => ({
        opcode: OP.DUALCAST,
        src_addr: buf,
        dst_addr: buf + 0x100,
        dest2: buf + 0x200,
        xfer_size: 1,
      }),
    ],
    [D.DESCLIST_ALIGN, (_, list) => ({ opcode: OP.BATCH, src_addr: list + 32, xfer_size: 2 })],
    [D.INT_HANDLE_INVAL, () => ({ opcode: OP.NOOP, flags: F.RCI, int_handle: 77 })],
  ];
  const got: number[] = [];

  before(() => {
    const { r, buf, comp } = setup();
    const list = buf + 0x1000;
    r.mem.writeBytes(list, encodeDescriptor({ opcode: 0x3f }));
    r.mem.writeBytes(list + 64, encodeDescriptor({ opcode: OP.NOOP }));
    r.mem.fill(buf, 8, 1);
    cases.forEach(([, make], i) => {
      const f = make(buf, list);
      const bytes = f instanceof Uint8Array ? f : encodeDescriptor(f);
      bytes[4] = (bytes[4]! | CR) & 0xff;
      new DataView(bytes.buffer).setUint32(8, comp + 32 * i, true);
      r.mem.write64B(0x3_0010_0000, bytes, 'movdir64b');
    });
    r.settle();
    cases.forEach((_, i) => got.push(record(r, comp + 32 * i).status));
  });

  cases.forEach(([status], i) => {
    it(`${C.nameOf(D, status)} (0x${status.toString(16)})`, () => {
      assert.equal(got[i], status);
    });
  });

  it('CRA_ALIGN (0x1b) and HW_ERR1 (0x20) go to SWERR (no record can be written)', () => {
    const x = setup();
    submit(x.r, { opcode: OP.NOOP, flags: CR, completion_addr: x.comp + 8 });
    x.r.settle();
    assert.equal((x.r.r32(C.IDXD_SWERR_OFFSET) >>> 8) & 0xff, D.CRA_ALIGN);
    x.r.w64(C.IDXD_SWERR_OFFSET, 3n);
    submit(x.r, { opcode: OP.NOOP, flags: CR, completion_addr: 0x3_0000_0100 });
    x.r.settle();
    assert.equal((x.r.r32(C.IDXD_SWERR_OFFSET) >>> 8) & 0xff, D.HW_ERR1);
  });
});

describe('IDXD MEMMOVE of large overlapping buffers (chunked like memmove)', () => {
  for (const [name, from, to] of [
    ['forward overlap', 0, 0x11234],
    ['backward overlap', 0x11234, 0],
  ] as const) {
    it(name, () => {
      const r = rig({ caps: { gencap: { overlap_copy: true } } });
      enabledWq(r, { xferShift: 20 });
      const buf = r.mem.allocate(0x50000);
      const n = 0x30000;
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 9)) & 0xff);
      r.mem.writeBytes(buf + from, data);
      submit(r, {
        opcode: OP.MEMMOVE,
        flags: CR,
        completion_addr: buf + 0x4f000,
        src_addr: buf + from,
        dst_addr: buf + to,
        xfer_size: n,
      });
      r.settle();
      assert.equal(record(r, buf + 0x4f000).status, D.SUCCESS);
      assert.deepEqual(r.mem.readBytes(buf + to, n), data);
    });
  }
});
