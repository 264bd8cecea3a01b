/**
 * Dedicated vs shared submission and the WQ limits: MOVDIR64B to a full DWQ is dropped (SWERR),
 * ENQCMD(S) to a full SWQ is answered with retry until the engine frees a slot, the shared-WQ
 * threshold (ENQCMD and the limited portal) vs wq_size (ENQCMDS through the unlimited portal),
 * the per-WQ transfer and batch limits, and the WQ-mask commands on several WQs at once.
 */
import { strict as assert } from 'node:assert';
import { encodeDescriptor } from '../../../src/platform/idxd/descriptor';
import { C, configureWq, enabledWq, record, rig, submit } from './helpers';

const OP = C.DSA_OPCODE;
const F = C.IDXD_OP_FLAG;
const D = C.DSA_COMP;
const K = C.IDXD_CMD;
const CR = F.CRAV | F.RCR;
const swerrCode = (r: ReturnType<typeof rig>) => (r.r32(C.IDXD_SWERR_OFFSET) >>> 8) & 0xff;

describe('IDXD submission', () => {
  it('DWQ: MOVDIR64B beyond wq_size is dropped and recorded (DWQ_FULL), with a misc interrupt', () => {
    const r = rig();
    enabledWq(r, { size: 2 });
    r.w32(C.IDXD_GENCTRL_OFFSET, C.IDXD_GENCTRL_SOFTERR_INT_EN);
    const comp = r.mem.allocate(0x1000);
    for (let i = 0; i < 3; i++)
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 * i });
    assert.equal(swerrCode(r), C.SWERR_CODE.DWQ_FULL);
    assert.equal(r.bus.raised().at(-1)!.index, 0);
    r.settle();
    assert.deepEqual(
      [0, 1, 2].map((i) => record(r, comp + 32 * i).status),
      [D.SUCCESS, D.SUCCESS, 0],
    );
  });

  it('SWQ: ENQCMD meets the threshold on either portal; ENQCMDS fills up to wq_size unlimited', () => {
    const r = rig();
    enabledWq(r, { dedicated: false, size: 4, thresh: 2, pasid: null });
    const n = { opcode: OP.NOOP };
    assert.equal(submit(r, n, 0, 'enqcmd', 0), true);
    assert.equal(submit(r, n, 0, 'enqcmd', 0), true);
    assert.equal(submit(r, n, 0, 'enqcmd', 0), false, 'ENQCMD at occupancy 2 = threshold');
    assert.equal(submit(r, n, 0, 'enqcmds', 1), false, 'limited portal: threshold too');
    assert.equal(submit(r, n, 0, 'enqcmds', 0), true);
    assert.equal(submit(r, n, 0, 'enqcmds', 0), true);
    assert.equal(submit(r, n, 0, 'enqcmds', 0), false, 'full: occupancy 4 = wq_size');
    assert.equal(r.dev.engine.occupancyOf(0), 4);
    assert.equal(r.r32(C.IDXD_SWERR_OFFSET) & 1, 0, 'retry is no error');
  });

  it('an ENQCMDS retry loop succeeds once the engine retires a descriptor', () => {
    const r = rig();
    enabledWq(r, { dedicated: false, size: 1, thresh: 1, pasid: null });
    const comp = r.mem.allocate(0x1000);
    assert.equal(
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp }, 0, 'enqcmds'),
      true,
    );
    let tries = 0;
    const d = encodeDescriptor({ opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 });
    const portal = 0x3_0010_0000;
    while (!r.mem.write64B(portal, d, 'enqcmds')) {
      tries++;
      r.clock.runNext(r.clock.now + 100); // cpu_relax(): 100 ns pass
      r.clock.advanceTo(r.clock.now + 100);
    }
    assert.equal(tries, 2, 'the NOOP takes 200 ns');
    r.settle();
    assert.equal(record(r, comp + 32).status, D.SUCCESS);
  });

  it('MOVDIR64B to a SWQ and ENQCMD to a DWQ are refused', () => {
    const r = rig();
    configureWq(r, { wq: 1, dedicated: false, size: 4, thresh: 4, pasid: null });
    enabledWq(r, { wq: 0 });
    assert.equal(r.cmd(K.ENABLE_WQ, 1), 0);
    assert.equal(submit(r, { opcode: OP.NOOP }, 0, 'enqcmds'), false);
    assert.equal(submit(r, { opcode: OP.NOOP }, 1, 'movdir64b'), true, 'posted');
    assert.equal(swerrCode(r), C.SWERR_CODE.SWQ_MOVDIR64B);
  });

  it('the WQ transfer limit (WQCFG.max_xfer_shift) and batch limit (max_batch_shift)', () => {
    const r = rig();
    enabledWq(r, { xferShift: 12, batchShift: 2 });
    const buf = r.mem.allocate(0x4000);
    const comp = buf + 0x3000;
    const list = buf + 0x2000;
    for (let i = 0; i < 5; i++)
      r.mem.writeBytes(list + 64 * i, encodeDescriptor({ opcode: OP.NOOP }));
    const fill = (i: number, n: number) =>
      submit(r, {
        opcode: OP.MEMFILL,
        flags: CR,
        completion_addr: comp + 32 * i,
        dst_addr: buf,
        xfer_size: n,
      });
    const batch = (i: number, n: number) =>
      submit(r, {
        opcode: OP.BATCH,
        flags: CR,
        completion_addr: comp + 32 * i,
        src_addr: list,
        xfer_size: n,
      });
    fill(0, 4096);
    fill(1, 4097);
    batch(2, 4);
    batch(3, 5);
    batch(4, 1);
    r.settle();
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => record(r, comp + 32 * i).status),
      [D.SUCCESS, D.XFER_ERANGE, D.SUCCESS, D.DESC_CNT_ERANGE, D.DESC_CNT_ERANGE],
    );
  });

  it('a transfer or batch over the WQ limit is refused at once (descriptorNs, no data time)', () => {
    const r = rig();
    enabledWq(r, { xferShift: 20, batchShift: 2 });
    const comp = r.mem.allocate(0x1000);
    const t0 = r.clock.now;
    submit(r, { opcode: OP.MEMFILL, flags: CR, completion_addr: comp, xfer_size: (1 << 20) + 1 });
    assert.equal(r.clock.nextEventTime(), t0 + r.dev.timing.descriptorNs);
    r.settle();
    const t1 = r.clock.now;
    submit(r, {
      opcode: OP.BATCH,
      flags: CR,
      completion_addr: comp + 32,
      src_addr: comp,
      xfer_size: 1 << 30,
    });
    assert.equal(r.clock.nextEventTime(), t1 + r.dev.timing.descriptorNs);
    r.settle();
    assert.deepEqual(
      [record(r, comp).status, record(r, comp + 32).status],
      [D.XFER_ERANGE, D.DESC_CNT_ERANGE],
    );
  });
});

describe('IDXD WQ-mask commands on several WQs', () => {
  const wqMask = (wq: number) => (1 << (wq % 16)) | (Math.floor(wq / 16) << 16);

  it('DRAIN_WQ, ABORT_WQ, RESET_WQ, DISABLE_WQ with several bits of one block', () => {
    const r = rig({ caps: { wqcap: { num_wqs: 20 }, msix_count: 21 } });
    configureWq(r, { wq: 1, size: 4 });
    configureWq(r, { wq: 17, size: 4 });
    configureWq(r, { wq: 18, size: 4 });
    assert.equal(r.cmd(K.ENABLE_DEVICE), 0);
    for (const wq of [1, 17, 18]) assert.equal(r.cmd(K.ENABLE_WQ, wq), 0);
    const both = wqMask(17) | wqMask(18);
    assert.equal(both, (1 << 1) | (1 << 2) | (1 << 16));
    assert.equal(r.cmd(K.DRAIN_WQ, both), 0);
    assert.equal(r.cmd(K.ABORT_WQ, both), 0);
    assert.equal(r.cmd(K.RESET_WQ, both), 0);
    const state = (wq: number) => r.r32(r.dev.config.wqcfgOffset(wq, 6)) >>> 30;
    assert.deepEqual([state(1), state(17), state(18)], [1, 0, 0]);
    assert.equal(r.r32(r.dev.config.wqcfgOffset(17)), 0, 'RESET_WQ: WQCFG back to reset');
    assert.equal(r.cmd(K.DISABLE_WQ, wqMask(1)), 0);
    assert.equal(state(1), 0);
    assert.equal(r.cmd(K.DISABLE_WQ, 1 << 1), C.IDXD_CMDSTS.ERR_DEV_NOT_EN, 'block 0 bit 1 = WQ 1');
    assert.equal(r.cmd(K.DISABLE_WQ, (1 << 4) | (1 << 16)), C.IDXD_CMDSTS.INVAL_WQIDX, 'WQ 20');
  });

  it("DRAIN_WQ waits for the WQ's descriptors; ABORT_WQ discards them unreported", () => {
    const r = rig();
    enabledWq(r, { wq: 0, size: 8 });
    const buf = r.mem.allocate(0x20000);
    const comp = buf + 0x1f000;
    submit(r, {
      opcode: OP.MEMFILL,
      flags: CR,
      completion_addr: comp,
      dst_addr: buf,
      xfer_size: 0x10000,
    });
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 });
    assert.equal(r.cmd(K.DRAIN_WQ, wqMask(0)), 0);
    assert.equal(record(r, comp + 32).status, D.SUCCESS, 'drained: both completed first');
    submit(r, {
      opcode: OP.MEMFILL,
      flags: CR,
      completion_addr: comp + 64,
      dst_addr: buf,
      xfer_size: 0x10000,
    });
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 96 });
    assert.equal(r.cmd(K.ABORT_WQ, wqMask(0)), 0);
    assert.deepEqual([record(r, comp + 64).status, record(r, comp + 96).status], [0, 0]);
    assert.equal(r.dev.engine.occupancyOf(0), 0);
  });
});
