import { strict as assert } from 'node:assert';
import { C, configureWq, enabledWq, portal, record, rig, submit } from './helpers';

const OP = C.DSA_OPCODE;
const F = C.IDXD_OP_FLAG;
const K = C.IDXD_CMD;
const CR = F.CRAV | F.RCR;
const swerrCode = (r: ReturnType<typeof rig>) => Number((r.r64(C.IDXD_SWERR_OFFSET) >> 8n) & 0xffn);
const wqMask = (wq: number) => 1 << wq;

describe('IDXD portals (BAR2)', () => {
  it('portal offsets: ((wq * 4) << 12) + prot * 0x1000', () => {
    assert.equal(portal(0) - portal(0, 0), 0);
    assert.equal(portal(3, 1) - portal(0), 3 * 0x4000 + 0x1000);
    const r = rig();
    const snap = r.dev.snapshot();
    assert.equal(snap.wqs[2]!.portals.limited, '0x300109000');
  });

  it('a dedicated WQ that is full drops the descriptor and records SWERR', () => {
    const r = rig();
    enabledWq(r, { size: 2 });
    const comp = r.mem.allocate(0x1000);
    for (let i = 0; i < 3; i++) {
      assert.equal(
        submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 * i }),
        true,
        'posted',
      );
    }
    assert.equal(swerrCode(r), C.SWERR_CODE.DWQ_FULL);
    assert.equal(r.dev.engine.occupancyOf(0), 2);
    r.settle();
    assert.equal(record(r, comp + 64).status, 0, 'third never ran');
    assert.equal(record(r, comp + 32).status, C.DSA_COMP.SUCCESS);
  });

  it('a shared WQ takes ENQCMD/ENQCMDS and answers retry when full or over threshold', () => {
    const r = rig();
    enabledWq(r, { dedicated: false, size: 4, thresh: 1, pasid: null });
    const comp = r.mem.allocate(0x1000);
    assert.equal(
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp, pasid: 5 }, 0, 'enqcmd', 1),
      true,
    );
    assert.equal(
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 }, 0, 'enqcmd', 1),
      false,
      'limited portal: thresh 1',
    );
    for (let i = 1; i < 4; i++) {
      assert.equal(
        submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 * i }, 0, 'enqcmds'),
        true,
      );
    }
    assert.equal(submit(r, { opcode: OP.NOOP }, 0, 'enqcmds'), false, 'unlimited portal: size 4');
    assert.equal(r.r64(C.IDXD_SWERR_OFFSET) & 1n, 0n, 'retry is not an error');
    r.settle();
    assert.equal(record(r, comp + 96).status, C.DSA_COMP.SUCCESS);
  });

  it('MOVDIR64B to a shared WQ and any write to a disabled WQ record SWERR', () => {
    const r = rig();
    enabledWq(r, { dedicated: false, size: 4, thresh: 4, pasid: null });
    assert.equal(submit(r, { opcode: OP.NOOP }), true);
    assert.equal(swerrCode(r), C.SWERR_CODE.SWQ_MOVDIR64B);
    r.w64(C.IDXD_SWERR_OFFSET, 3n);
    assert.equal(submit(r, { opcode: OP.NOOP, pasid: 9 }, 1, 'enqcmd'), false);
    const q0 = r.r64(C.IDXD_SWERR_OFFSET);
    assert.equal(Number((q0 >> 8n) & 0xffn), C.SWERR_CODE.WQ_NOT_ENABLED);
    assert.equal(Number((q0 >> 16n) & 0xffn), 1, 'wq_idx');
    assert.equal(Number((q0 >> 40n) & 0xfffffn), 9, 'pasid');
  });

  it('ENQCMD to a dedicated WQ is answered with retry; bad offsets are reported', () => {
    const r = rig();
    enabledWq(r);
    assert.equal(submit(r, { opcode: OP.NOOP }, 0, 'enqcmds'), false);
    assert.equal(submit(r, { opcode: OP.NOOP }, 0, 'movdir64b', 2), true);
    assert.equal(r.dev.engine.occupancyOf(0), 0);
    assert.equal(r.anomalies.length, 2);
    r.mem.write32(portal(0), 1);
    assert.match(r.anomalies[2]!, /64-byte/);
  });

  it('DISABLE_WQ stops new submissions and completes after the queued work', () => {
    const r = rig({ timing: { descriptorNs: 500 } });
    enabledWq(r, { size: 8 });
    const comp = r.mem.allocate(0x1000);
    const t0 = r.clock.now;
    for (let i = 0; i < 3; i++)
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 * i });
    r.w32(C.IDXD_CMD_OFFSET, (K.DISABLE_WQ << 20) | wqMask(0)); // runs at t0 + 1000
    while (r.clock.now < t0 + 1000) r.clock.runNext(Infinity);
    assert.equal(
      r.r32(C.IDXD_CMDSTS_OFFSET),
      C.IDXD_CMDSTS_ACTIVE,
      'draining the third descriptor',
    );
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 96 });
    assert.equal(swerrCode(r), C.SWERR_CODE.WQ_NOT_ENABLED, 'no longer accepting');
    r.settle();
    assert.equal(r.clock.now, t0 + 1500);
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), 0);
    for (let i = 0; i < 3; i++) assert.equal(record(r, comp + 32 * i).status, C.DSA_COMP.SUCCESS);
    assert.equal(record(r, comp + 96).status, 0);
    assert.equal(r.r32(0x500 + 24) >>> 30, 0);
  });

  it('a drain command waits: CMDSTS stays active until the WQ is empty', () => {
    const r = rig({ timing: { commandNs: 10, descriptorNs: 500 } });
    enabledWq(r, { size: 8 });
    const comp = r.mem.allocate(0x1000);
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp });
    r.w32(C.IDXD_CMD_OFFSET, (K.DRAIN_WQ << 20) | wqMask(0));
    r.clock.runNext(Infinity);
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), C.IDXD_CMDSTS_ACTIVE, 'command ran, still draining');
    r.clock.runNext(Infinity);
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), 0);
    assert.equal(record(r, comp).status, C.DSA_COMP.SUCCESS);
  });

  it('ABORT_WQ discards queued work without completion records', () => {
    const r = rig({ timing: { commandNs: 10 } });
    enabledWq(r, { size: 8 });
    const comp = r.mem.allocate(0x1000);
    for (let i = 0; i < 3; i++)
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 * i });
    assert.equal(r.cmd(K.ABORT_WQ, wqMask(0)), 0);
    for (let i = 0; i < 3; i++) assert.equal(record(r, comp + 32 * i).status, 0);
    assert.equal(r.dev.engine.occupancyOf(0), 0);
    assert.equal(r.r32(0x500 + 24) & 0xffff, 0);
  });

  it('ABORT_PASID only hits that PASID', () => {
    const r = rig({ timing: { commandNs: 10 } });
    enabledWq(r, { dedicated: false, size: 8, thresh: 8, pasid: null, engines: 1 });
    configureWq(r, { wq: 1, size: 8 });
    const comp = r.mem.allocate(0x1000);
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp, pasid: 1 }, 0, 'enqcmds');
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32, pasid: 2 }, 0, 'enqcmds');
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 64, pasid: 1 }, 0, 'enqcmds');
    assert.equal(r.cmd(K.ABORT_PASID, 1), 0);
    assert.deepEqual(
      [0, 32, 64].map((o) => record(r, comp + o).status),
      [0, 1, 0],
    );
  });
});
