/**
 * The DRAIN descriptor (opcode 0x02): it completes only after the descriptors submitted before
 * it to the same WQ (in a shared WQ: those with its PASID), even though the engines of a group
 * run in parallel; readback flags need GENCAP.drain_readback.
 */
import { strict as assert } from 'node:assert';
import { C, enabledWq, msixEntry, record, rig, submit, type Rig } from './helpers';

const OP = C.DSA_OPCODE;
const F = C.IDXD_OP_FLAG;
const D = C.DSA_COMP;
const K = C.IDXD_CMD;
const CR = F.CRAV | F.RCR;
const DESC_NS = 200;
const BYTES_PER_NS = 30;
const BIG = 1 << 20;

/**
 * Runs events one at a time; returns, for each record, the time after `t0` at which its status
 * became non-zero (all must have been written).
 */
function completionTimes(r: Rig, records: number[], t0: number): number[] {
  const at = records.map(() => -1);
  while (r.clock.runNext(Infinity)) {
    records.forEach((a, i) => {
      if (at[i] === -1 && r.mem.read8(a) !== 0) at[i] = r.clock.now - t0;
    });
  }
  assert.ok(!at.includes(-1), `every record written: ${at.join(', ')}`);
  return at;
}

function twoEngines(dedicated = true): {
  r: Rig;
  comp: number;
  src: number;
  dst: number;
  t0: number;
} {
  const r = rig();
  enabledWq(r, { engines: 0b11, dedicated, pasid: null, thresh: dedicated ? 0 : 8 });
  return {
    r,
    comp: r.mem.allocate(0x1000),
    src: r.mem.allocate(BIG),
    dst: r.mem.allocate(BIG),
    t0: r.clock.now,
  };
}

describe('IDXD DRAIN descriptor', () => {
  it('completes after a long MEMMOVE submitted before it on a 2-engine group', () => {
    const { r, comp, src, dst, t0 } = twoEngines();
    r.mem.writeBytes(src, new Uint8Array(BIG).fill(0x5a));
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: comp,
      src_addr: src,
      dst_addr: dst,
      xfer_size: BIG,
    });
    submit(r, { opcode: OP.DRAIN, flags: CR, completion_addr: comp + 32 });
    const [move, drain] = completionTimes(r, [comp, comp + 32], t0);
    const moveNs = DESC_NS + Math.ceil(BIG / BYTES_PER_NS);
    assert.equal(move, moveNs);
    assert.ok(drain! >= move, `drain at ${drain} before the move at ${move}`);
    assert.equal(drain, moveNs, 'the drain ends when the last earlier descriptor retires');
    assert.equal(record(r, comp + 32).status, D.SUCCESS);
    assert.equal(r.mem.read8(dst + BIG - 1), 0x5a);
  });

  it("the drain's completion interrupt follows the earlier descriptor's", () => {
    const { r, comp, src, dst } = twoEngines();
    msixEntry(r, 1, 0xfee0_1000, 0x41);
    msixEntry(r, 2, 0xfee0_1000, 0x42);
    const h1 = (r.cmd(K.REQUEST_INT_HANDLE, 1) >>> 8) & 0xffff;
    const h2 = (r.cmd(K.REQUEST_INT_HANDLE, 2) >>> 8) & 0xffff;
    const rci = CR | F.RCI;
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: rci,
      completion_addr: comp,
      src_addr: src,
      dst_addr: dst,
      xfer_size: BIG,
      int_handle: h1,
    });
    // As idxd_int_handle_revoke_drain: RCI, no completion record, privileged.
    submit(r, { opcode: OP.DRAIN, flags: F.RCI, int_handle: h2, priv: true });
    r.settle();
    const sent = r.bus.calls.flatMap((c) => (c.op === 'send' ? [c.data] : []));
    assert.deepEqual(sent, [0x41, 0x42]);
  });

  it('with nothing before it, it takes one descriptor time; later descriptors do not hold it', () => {
    const { r, comp, src, dst, t0 } = twoEngines();
    submit(r, { opcode: OP.DRAIN, flags: CR, completion_addr: comp });
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: comp + 32,
      src_addr: src,
      dst_addr: dst,
      xfer_size: BIG,
    });
    const [drain, move] = completionTimes(r, [comp, comp + 32], t0);
    assert.equal(drain, DESC_NS);
    assert.ok(move! > drain);
  });

  it('waits for every earlier descriptor, also ones still queued when it was submitted', () => {
    const { r, comp, src, dst, t0 } = twoEngines();
    const n = 3;
    for (let i = 0; i < n; i++) {
      submit(r, {
        opcode: OP.MEMMOVE,
        flags: CR,
        completion_addr: comp + 32 * i,
        src_addr: src,
        dst_addr: dst,
        xfer_size: BIG >> i,
      });
    }
    submit(r, { opcode: OP.DRAIN, flags: CR, completion_addr: comp + 32 * n });
    const times = completionTimes(
      r,
      [0, 1, 2, 3].map((i) => comp + 32 * i),
      t0,
    );
    const last = Math.max(...times.slice(0, n).map((t) => t));
    assert.ok(times[n]! >= last, `drain at ${times[n]}, last earlier at ${last}`);
  });

  it('in a shared WQ it waits only for descriptors with its PASID', () => {
    const { r, comp, src, dst, t0 } = twoEngines(false);
    const enq = (f: Parameters<typeof submit>[1]) => assert.ok(submit(r, f, 0, 'enqcmds'));
    enq({
      opcode: OP.MEMMOVE,
      pasid: 7,
      priv: true,
      flags: CR,
      completion_addr: comp,
      src_addr: src,
      dst_addr: dst,
      xfer_size: BIG,
    });
    enq({ opcode: OP.DRAIN, pasid: 8, priv: true, flags: CR, completion_addr: comp + 32 });
    enq({ opcode: OP.DRAIN, pasid: 7, priv: true, flags: CR, completion_addr: comp + 64 });
    const [move, other, same] = completionTimes(r, [comp, comp + 32, comp + 64], t0);
    assert.ok(other! < move!, 'a drain of another PASID does not wait');
    assert.ok(same! >= move!, 'a drain of the same PASID waits');
  });

  it('a waiting drain is outstanding work for DRAIN_WQ and is discarded by ABORT_WQ', () => {
    const { r, comp, src, dst } = twoEngines();
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: CR,
      completion_addr: comp,
      src_addr: src,
      dst_addr: dst,
      xfer_size: BIG,
    });
    submit(r, { opcode: OP.DRAIN, flags: CR, completion_addr: comp + 32 });
    r.clock.runNext(DESC_NS); // the drain's own time is up; it now waits
    assert.equal(r.dev.engine.occupancyOf(0), 2);
    r.w32(C.IDXD_CMD_OFFSET, (K.ABORT_WQ << 20) | 1);
    r.settle();
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET) & 0xff, 0);
    assert.equal(r.dev.engine.occupancyOf(0), 0);
    assert.equal(record(r, comp).status, 0, 'aborted: no record');
    assert.equal(record(r, comp + 32).status, 0, 'aborted: no record');
    submit(r, { opcode: OP.DRAIN, flags: CR, completion_addr: comp + 64 });
    r.settle();
    assert.equal(record(r, comp + 64).status, D.SUCCESS, 'the engine is free again');
  });

  it('readback flags are invalid unless GENCAP.drain_readback; with it they read the addresses', () => {
    const { r, comp } = twoEngines();
    const rb = C.DSA_DRAIN_FLAG.READBACK_ADDR1_VALID | C.DSA_DRAIN_FLAG.READBACK_ADDR2_VALID;
    submit(r, { opcode: OP.DRAIN, flags: CR | rb, completion_addr: comp });
    r.settle();
    assert.equal(record(r, comp).status, D.INVALID_FLAGS);
    assert.equal(r.mem.read32(comp + 16) & 0xffffff, rb, 'invalid_flags names them');

    const r2 = rig({ caps: { gencap: { drain_readback: true } } });
    enabledWq(r2, {});
    const comp2 = r2.mem.allocate(0x1000);
    const reads: number[] = [];
    const target = r2.mem.allocate(0x1000);
    const read32 = r2.mem.read32.bind(r2.mem);
    r2.mem.read32 = (a: number) => {
      if (a >= target && a < target + 0x1000) reads.push(a - target);
      return read32(a);
    };
    submit(r2, {
      opcode: OP.DRAIN,
      flags: CR | rb,
      completion_addr: comp2,
      src_addr: target,
      dst_addr: target + 8,
    });
    r2.settle();
    assert.equal(record(r2, comp2).status, D.SUCCESS);
    assert.deepEqual(reads, [0, 8]);
  });
});
