import { strict as assert } from 'node:assert';
import { decodeDescriptor, encodeDescriptor } from '../../../src/platform/idxd/descriptor';
import { C, enabledWq, record, rig, submit } from './helpers';

const F = C.IDXD_OP_FLAG;
const OP = C.DSA_OPCODE;
const D = C.DSA_COMP;
const CR = F.CRAV | F.RCR;

function setup() {
  const r = rig();
  enabledWq(r);
  const buf = r.mem.allocate(0x10000);
  return { r, buf, comp: buf + 0x8000 };
}

describe('IDXD descriptors', () => {
  it('encode/decode round trip of struct dsa_hw_desc', () => {
    const bytes = encodeDescriptor({
      pasid: 0x12345,
      priv: true,
      flags: CR | F.RCI,
      opcode: OP.MEMMOVE,
      completion_addr: 0x1_2345_6780,
      src_addr: 0x1000,
      dst_addr: 0x2000,
      xfer_size: 4096,
      int_handle: 7,
    });
    assert.equal(bytes[7], OP.MEMMOVE);
    assert.equal(bytes[36], 7);
    const d = decodeDescriptor(bytes);
    assert.equal(d.pasid, 0x12345);
    assert.equal(d.priv, true);
    assert.equal(d.flags, CR | F.RCI);
    assert.equal(d.completion_addr, 0x1_2345_6780);
    assert.equal(d.xfer_size, 4096);
    assert.equal(d.int_handle, 7);
  });

  it('MEMMOVE copies bytes after the modelled latency; status written last', () => {
    const { r, buf, comp } = setup();
    r.mem.writeBytes(
      buf,
      Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
    );
    // The device's writes as the platform reports them to write watches (data breakpoints):
    // the destination buffer and the completion record, in the order they happen.
    const writes: string[] = [];
    r.mem.setWatches(
      [
        { base: buf + 0x1000, size: 300, read: false, write: true },
        { base: comp, size: 32, read: false, write: true },
      ],
      (hits) => {
        for (const h of hits) {
          writes.push(h.watch.base === comp ? `w${h.size * 8} ${h.address - comp}` : 'data');
        }
      },
    );
    const t0 = r.clock.now;
    assert.ok(
      submit(r, {
        opcode: OP.MEMMOVE,
        flags: CR,
        completion_addr: comp,
        src_addr: buf,
        dst_addr: buf + 0x1000,
        xfer_size: 300,
      }),
    );
    assert.equal(r.clock.nextEventTime(), t0 + 200 + Math.ceil(300 / 30));
    assert.equal(r.dev.engine.occupancyOf(0), 1);
    assert.equal(r.r32(0x500 + 24) & 0xffff, 1, 'WQCFG.occupancy');
    r.settle();
    assert.deepEqual(r.mem.readBytes(buf + 0x1000, 300), r.mem.readBytes(buf, 300));
    assert.deepEqual(record(r, comp), { status: D.SUCCESS, result: 0, bytes: 0 });
    assert.equal(writes[0], 'data', 'the data first');
    assert.equal(writes.at(-1), 'w8 0', 'the status byte last');
    assert.ok(
      writes.slice(0, -1).every((w) => !/^w\d+ 0$/.test(w)),
      'and nothing else writes byte 0',
    );
    assert.ok(
      writes.some((w) => w === 'w32 4'),
      'bytes_completed is written',
    );
    assert.equal(r.dev.engine.occupancyOf(0), 0);
  });

  it('MEMFILL repeats the 8-byte pattern', () => {
    const { r, buf, comp } = setup();
    const d = encodeDescriptor({
      opcode: OP.MEMFILL,
      flags: CR,
      completion_addr: comp,
      dst_addr: buf,
      xfer_size: 20,
    });
    d.set([1, 2, 3, 4, 5, 6, 7, 8], 16);
    r.mem.write64B(0x3_0010_0000, d, 'movdir64b');
    r.settle();
    assert.deepEqual(
      [...r.mem.readBytes(buf, 21)],
      [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 0],
    );
    assert.equal(record(r, comp).status, D.SUCCESS);
  });

  it('COMPARE reports result 1 and the first difference; CR with expected_res gives SUCCESS_PRED', () => {
    const { r, buf, comp } = setup();
    r.mem.fill(buf, 64, 0xaa);
    r.mem.fill(buf + 0x100, 64, 0xaa);
    submit(r, {
      opcode: OP.COMPARE,
      flags: CR,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 0x100,
      xfer_size: 64,
    });
    r.settle();
    assert.deepEqual(record(r, comp), { status: D.SUCCESS, result: 0, bytes: 0 });
    r.mem.write8(buf + 0x100 + 37, 0);
    submit(r, {
      opcode: OP.COMPARE,
      flags: CR,
      completion_addr: comp + 32,
      src_addr: buf,
      dst_addr: buf + 0x100,
      xfer_size: 64,
    });
    submit(r, {
      opcode: OP.COMPARE,
      flags: CR | F.CR,
      completion_addr: comp + 64,
      src_addr: buf,
      dst_addr: buf + 0x100,
      xfer_size: 64,
      expected_res: 0,
    });
    r.settle();
    assert.deepEqual(record(r, comp + 32), { status: D.SUCCESS, result: 1, bytes: 37 });
    assert.deepEqual(record(r, comp + 64), { status: D.SUCCESS_PRED, result: 1, bytes: 37 });
  });

  it('COMPVAL compares against the pattern at bytes 24-31', () => {
    const { r, buf, comp } = setup();
    r.mem.fill(buf, 32, 0x5a);
    const d = encodeDescriptor({
      opcode: OP.COMPVAL,
      flags: CR,
      completion_addr: comp,
      src_addr: buf,
      xfer_size: 32,
    });
    d.fill(0x5a, 24, 32);
    r.mem.write64B(0x3_0010_0000, d, 'movdir64b');
    r.settle();
    assert.deepEqual(record(r, comp), { status: D.SUCCESS, result: 0, bytes: 0 });
  });

  it('NOOP completes; without RCR no record is written on success', () => {
    const { r, comp } = setup();
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp });
    submit(r, { opcode: OP.NOOP, flags: F.CRAV, completion_addr: comp + 32 });
    r.settle();
    assert.equal(record(r, comp).status, D.SUCCESS);
    assert.equal(record(r, comp + 32).status, 0);
  });

  it('BATCH runs its members in order and counts them; a failed member fails the batch', () => {
    const { r, buf, comp } = setup();
    const list = buf + 0x2000;
    r.mem.writeBytes(buf, Uint8Array.from([9, 8, 7, 6]));
    r.mem.writeBytes(
      list,
      encodeDescriptor({ opcode: OP.MEMMOVE, src_addr: buf, dst_addr: buf + 0x10, xfer_size: 4 }),
    );
    r.mem.writeBytes(
      list + 64,
      encodeDescriptor({
        opcode: OP.MEMMOVE,
        src_addr: buf + 0x10,
        dst_addr: buf + 0x20,
        xfer_size: 4,
      }),
    );
    submit(r, { opcode: OP.BATCH, flags: CR, completion_addr: comp, src_addr: list, xfer_size: 2 });
    r.settle();
    assert.deepEqual([...r.mem.readBytes(buf + 0x20, 4)], [9, 8, 7, 6]);
    assert.deepEqual(record(r, comp), { status: D.SUCCESS, result: 0, bytes: 2 });
    // A bad member: its own record says BAD_OPCODE; a FENCEd one after it is not run.
    r.mem.writeBytes(
      list + 64,
      encodeDescriptor({ opcode: 0x3f, flags: CR, completion_addr: comp + 64 }),
    );
    r.mem.writeBytes(
      list + 128,
      encodeDescriptor({ opcode: OP.NOOP, flags: CR | F.FENCE, completion_addr: comp + 96 }),
    );
    submit(r, {
      opcode: OP.BATCH,
      flags: CR,
      completion_addr: comp + 32,
      src_addr: list,
      xfer_size: 3,
    });
    r.settle();
    assert.deepEqual(record(r, comp + 32), { status: D.BATCH_FAIL, result: 0, bytes: 2 });
    assert.equal(record(r, comp + 64).status, D.BAD_OPCODE);
    assert.equal(record(r, comp + 96).status, 0, 'fenced member not executed');
  });

  it('BATCH checks: count 2..max (0x14), aligned list (0x18), no batch in a batch', () => {
    const { r, buf, comp } = setup();
    submit(r, { opcode: OP.BATCH, flags: CR, completion_addr: comp, src_addr: buf, xfer_size: 1 });
    submit(r, {
      opcode: OP.BATCH,
      flags: CR,
      completion_addr: comp + 32,
      src_addr: buf,
      xfer_size: 33,
    });
    submit(r, {
      opcode: OP.BATCH,
      flags: CR,
      completion_addr: comp + 64,
      src_addr: buf + 8,
      xfer_size: 2,
    });
    r.mem.writeBytes(
      buf,
      encodeDescriptor({ opcode: OP.BATCH, flags: CR, completion_addr: comp + 128 }),
    );
    r.mem.writeBytes(buf + 64, encodeDescriptor({ opcode: OP.NOOP }));
    submit(r, {
      opcode: OP.BATCH,
      flags: CR,
      completion_addr: comp + 96,
      src_addr: buf,
      xfer_size: 2,
    });
    r.settle();
    assert.equal(record(r, comp).status, D.DESC_CNT_ERANGE);
    assert.equal(record(r, comp + 32).status, D.DESC_CNT_ERANGE, 'max batch 1 << 5');
    assert.equal(record(r, comp + 64).status, D.DESCLIST_ALIGN);
    assert.equal(record(r, comp + 96).status, D.BATCH_FAIL);
    assert.equal(record(r, comp + 128).status, D.BAD_OPCODE);
  });

  it('bad opcode → 0x10; transfer over the WQ max → 0x13; reserved fields → 0x12; bad flags → 0x11', () => {
    const { r, comp } = setup();
    submit(r, { opcode: 0x42, flags: CR, completion_addr: comp });
    submit(r, { opcode: OP.DIF_CHECK, flags: CR, completion_addr: comp + 32 });
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: comp + 64,
      xfer_size: (1 << 20) + 1,
    });
    const d = encodeDescriptor({ opcode: OP.NOOP, flags: CR, completion_addr: comp + 96 });
    d[38] = 1;
    r.mem.write64B(0x3_0010_0000, d, 'movdir64b');
    submit(r, { opcode: OP.NOOP, flags: CR | 0x40 | F.DSTS, completion_addr: comp + 128 });
    r.settle();
    assert.equal(record(r, comp).status, D.BAD_OPCODE);
    assert.equal(record(r, comp + 32).status, D.BAD_OPCODE, 'not in OPCAP');
    assert.equal(record(r, comp + 64).status, D.XFER_ERANGE);
    assert.equal(record(r, comp + 96).status, D.NOZERO_RESERVE);
    assert.equal(record(r, comp + 128).status, D.INVALID_FLAGS);
    assert.equal(r.mem.read32(comp + 128 + 16), 0x40 | F.DSTS, 'invalid_flags in the record');
  });

  it('a completion address not 32-byte aligned → CRA_ALIGN in SWERR, nothing executes', () => {
    const { r, buf } = setup();
    r.w32(C.IDXD_GENCTRL_OFFSET, C.IDXD_GENCTRL_SOFTERR_INT_EN);
    r.mem.fill(buf, 16, 0x77);
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: buf + 0x810,
      src_addr: buf,
      dst_addr: buf + 0x100,
      xfer_size: 16,
    });
    r.settle();
    assert.equal(r.mem.read8(buf + 0x100), 0);
    assert.equal(r.mem.read8(buf + 0x810), 0);
    const q0 = r.r64(C.IDXD_SWERR_OFFSET);
    assert.equal(q0 & 0xffn, 0b100_1101n, 'valid, desc_valid, wq_idx_valid, priv (kernel WQ)');
    assert.equal((q0 >> 8n) & 0xffn, BigInt(D.CRA_ALIGN));
    assert.equal((q0 >> 32n) & 0xffn, BigInt(OP.MEMMOVE));
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_ERR);
  });

  it('an error without CRAV goes to SWERR', () => {
    const { r } = setup();
    submit(r, { opcode: 0x42 });
    r.settle();
    assert.equal((r.r64(C.IDXD_SWERR_OFFSET) >> 8n) & 0xffn, BigInt(D.BAD_OPCODE));
  });

  it('overlapping MEMMOVE copies like memmove; without overlap_copy it fails with 0x16', () => {
    const { r, buf, comp } = setup();
    r.mem.writeBytes(buf, Uint8Array.from([1, 2, 3, 4, 5, 6]));
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 2,
      xfer_size: 4,
    });
    r.settle();
    assert.deepEqual([...r.mem.readBytes(buf, 6)], [1, 2, 1, 2, 3, 4]);
    const r2 = rig({ caps: { gencap: { overlap_copy: false } } });
    enabledWq(r2);
    const b2 = r2.mem.allocate(4096);
    submit(r2, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: b2 + 0x800,
      src_addr: b2,
      dst_addr: b2 + 2,
      xfer_size: 4,
    });
    r2.settle();
    assert.equal(record(r2, b2 + 0x800).status, D.OVERLAP_BUFFERS);
  });

  it('engines run descriptors concurrently; the model is deterministic', () => {
    const times = () => {
      const r = rig();
      enabledWq(r, { engines: 0b11 });
      const buf = r.mem.allocate(0x1000);
      const t0 = r.clock.now;
      submit(r, {
        opcode: OP.MEMMOVE,
        flags: CR,
        completion_addr: buf + 0x800,
        src_addr: buf,
        dst_addr: buf + 0x100,
        xfer_size: 60,
      });
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: buf + 0x820 });
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: buf + 0x840 });
      return r.clock.list().map((e) => e.t - t0);
    };
    assert.deepEqual(times(), [200, 202]);
    assert.deepEqual(times(), times());
  });
});

describe('IDXD descriptors: platform errors', () => {
  it('a completion record aimed at MMIO ends in HW_ERR1, reported, without crashing', () => {
    const r = rig();
    enabledWq(r);
    submit(r, {
      opcode: C.DSA_OPCODE.NOOP,
      flags: C.IDXD_OP_FLAG.CRAV | C.IDXD_OP_FLAG.RCR,
      completion_addr: 0x3_0000_0100,
    });
    r.settle();
    assert.equal(Number((r.r64(C.IDXD_SWERR_OFFSET) >> 8n) & 0xffn), C.DSA_COMP.HW_ERR1);
    assert.match(r.anomalies.at(-1)!, /failed: 8-bit MMIO write/);
    assert.equal(r.dev.engine.occupancyOf(0), 0);
  });
});
