/**
 * SWERR (0xc0): the first unreported error with its fields, overflow, the RW1C acknowledgement
 * of qword 0 bits 1:0, and INTCAUSE.err with the misc interrupt under GENCTRL.softerr_int_en.
 */
import { strict as assert } from 'node:assert';
import { C, enabledWq, msixEntry, rig, submit, type Rig } from './helpers';

const OP = C.DSA_OPCODE;
const F = C.IDXD_OP_FLAG;
const D = C.DSA_COMP;

function swerr(r: Rig): bigint[] {
  return [0, 1, 2, 3].map((q) => r.r64(C.IDXD_SWERR_OFFSET + 8 * q));
}
const bits = (v: bigint, hi: number, lo: number) =>
  Number((v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));

function setup(genctrl: number = C.IDXD_GENCTRL_SOFTERR_INT_EN): Rig {
  const r = rig();
  msixEntry(r, 0, 0xfee0_0000, 0x20);
  enabledWq(r, { wq: 2, pasid: 0x1234, priv: true });
  r.w32(C.IDXD_GENCTRL_OFFSET, genctrl);
  return r;
}

describe('IDXD SWERR', () => {
  it('records the fields of a bad descriptor (no CRAV): error, wq_idx, operation, pasid, priv', () => {
    const r = setup();
    submit(r, { opcode: 0x3e, flags: F.RCR }, 2);
    r.settle();
    const [q0, q1, q2, q3] = swerr(r);
    assert.equal(bits(q0!, 0, 0), 1, 'valid');
    assert.equal(bits(q0!, 1, 1), 0, 'overflow');
    assert.equal(bits(q0!, 2, 2), 1, 'desc_valid');
    assert.equal(bits(q0!, 3, 3), 1, 'wq_idx_valid');
    assert.equal(bits(q0!, 4, 4), 0, 'batch');
    assert.equal(bits(q0!, 6, 6), 1, 'priv (WQCFG.priv of the dedicated WQ)');
    assert.equal(bits(q0!, 15, 8), D.BAD_OPCODE);
    assert.equal(bits(q0!, 23, 16), 2, 'wq_idx');
    assert.equal(bits(q0!, 39, 32), 0x3e, 'operation');
    assert.equal(bits(q0!, 59, 40), 0x1234, 'pasid (WQCFG.pasid of the dedicated WQ)');
    assert.deepEqual([q1, q2, q3], [0n, 0n, 0n]);
  });

  it('invalid_flags (qword 1 bits 63:32) and batch_idx with the batch bit', () => {
    const r = setup();
    submit(r, { opcode: OP.NOOP, flags: 0x40 }, 2);
    r.settle();
    assert.equal(bits(swerr(r)[1]!, 63, 32), 0x40);
    r.w64(C.IDXD_SWERR_OFFSET, 3n);
    const list = r.mem.allocate(0x1000);
    r.mem.writeBytes(list + 64, new Uint8Array(64).fill(0));
    r.mem.write8(list + 64 + 7, 0x3d); // member 1: bad opcode, no CRAV
    submit(r, { opcode: OP.BATCH, src_addr: list, xfer_size: 2 }, 2);
    r.settle();
    const [q0, q1] = swerr(r);
    assert.equal(bits(q0!, 15, 8), D.BAD_OPCODE);
    assert.equal(bits(q0!, 4, 4), 1, 'batch');
    assert.equal(bits(q1!, 15, 0), 1, 'batch_idx');
  });

  it('a second error while valid sets overflow only; acknowledging clears valid and overflow', () => {
    const r = setup();
    submit(r, { opcode: 0x3e }, 2);
    submit(r, { opcode: 0x3d }, 2);
    r.settle();
    let q0 = swerr(r)[0]!;
    assert.equal(bits(q0, 1, 0), 0b11, 'valid | overflow');
    assert.equal(bits(q0, 39, 32), 0x3e, 'the first error is kept');
    // Linux: iowrite64(sw_err.bits[0] & IDXD_SWERR_ACK, SWERR)
    r.w64(C.IDXD_SWERR_OFFSET, q0 & 3n);
    q0 = swerr(r)[0]!;
    assert.equal(bits(q0, 1, 0), 0, 'RW1C');
    assert.equal(bits(q0, 15, 8), D.BAD_OPCODE, 'the other fields stay until the next error');
    submit(r, { opcode: 0x3c }, 2);
    r.settle();
    assert.equal(bits(swerr(r)[0]!, 39, 32), 0x3c, 'after the ack, a new error is recorded');
    assert.equal(r.anomalies.filter((a) => /SWERR/.test(a)).length, 0, 'the ack is silent');
  });

  it('writing 0 or other bits does not clear SWERR; RO fields ignore writes', () => {
    const r = setup();
    submit(r, { opcode: 0x3e }, 2);
    r.settle();
    const before = swerr(r)[0]!;
    r.w64(C.IDXD_SWERR_OFFSET, 0n);
    r.w32(C.IDXD_SWERR_OFFSET, 0xff00);
    assert.equal(swerr(r)[0], before);
  });

  it('each error sets INTCAUSE.err and sends the misc interrupt with softerr_int_en', () => {
    const r = setup();
    const mark = r.bus.calls.length;
    submit(r, { opcode: 0x3e }, 2);
    submit(r, { opcode: 0x3d }, 2);
    r.settle();
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_ERR);
    const raised = r.bus.since(mark).filter((c) => c.op === 'raise');
    assert.equal(raised.length, 2, 'one message per error, the overflowed one too');
    r.w32(C.IDXD_INTCAUSE_OFFSET, C.IDXD_INTC_ERR);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), 0, 'INTCAUSE is RW1C');
  });

  it('without softerr_int_en: INTCAUSE.err, no message', () => {
    const r = setup(0);
    const mark = r.bus.calls.length;
    submit(r, { opcode: 0x3e }, 2);
    r.settle();
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_ERR);
    assert.equal(r.bus.since(mark).length, 0);
  });
});
