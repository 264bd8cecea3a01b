/**
 * GENSTS halt states: entering HALT (platform call and the EMU_INJECT register), the halt
 * interrupt, what a halted device refuses, and recovery by RESET_DEVICE or FLR.
 */
import { strict as assert } from 'node:assert';
import { computeLayout, resolveCaps } from '../../../src/platform/idxd/caps';
import { C, enabledWq, msixEntry, record, rig, submit, type Rig } from './helpers';

const S = C.IDXD_CMDSTS;
const K = C.IDXD_CMD;
const OP = C.DSA_OPCODE;
const CR = C.IDXD_OP_FLAG.CRAV | C.IDXD_OP_FLAG.RCR;
const gensts = (r: Rig) => r.r32(C.IDXD_GENSTS_OFFSET);

function running(genctrl = C.IDXD_GENCTRL_SOFTERR_INT_EN | C.IDXD_GENCTRL_HALT_INT_EN): Rig {
  const r = rig();
  msixEntry(r, 0, 0xfee0_0000, 0x20);
  enabledWq(r, { size: 4 });
  r.w32(C.IDXD_GENCTRL_OFFSET, genctrl);
  return r;
}

describe('IDXD halt', () => {
  it('HALT with reset_type, INTCAUSE.halt_state and one misc interrupt (halt_int_en)', () => {
    const r = running();
    const mark = r.bus.calls.length;
    r.dev.halt(C.IDXD_DEVICE_RESET_FLR);
    assert.equal(gensts(r), C.IDXD_DEVICE_STATE_HALT | (C.IDXD_DEVICE_RESET_FLR << 2));
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_HALT_STATE);
    assert.deepEqual(
      r.bus.since(mark).map((c) => c.op),
      ['raise', 'send'],
    );
    assert.equal(r.bus.raised().at(-1)!.index, 0);
    assert.equal(r.dev.snapshot().state, 'HALT');
  });

  it('without halt_int_en: INTCAUSE.halt_state only, no message', () => {
    const r = running(0);
    const mark = r.bus.calls.length;
    r.dev.halt();
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_HALT_STATE);
    assert.equal(r.bus.since(mark).length, 0);
  });

  it('a hardware error also records HW_ERR1 in SWERR, still one message', () => {
    const r = running();
    const mark = r.bus.calls.length;
    r.dev.halt(C.IDXD_DEVICE_RESET_SOFTWARE, true);
    assert.equal(
      r.r32(C.IDXD_INTCAUSE_OFFSET),
      C.IDXD_INTC_HALT_STATE | C.IDXD_INTC_ERR,
      'both causes',
    );
    assert.equal((r.r32(C.IDXD_SWERR_OFFSET) >>> 8) & 0xff, C.DSA_COMP.HW_ERR1);
    assert.equal(r.bus.since(mark).filter((c) => c.op === 'raise').length, 1);
  });

  it('queued and running descriptors are discarded: no record, no interrupt', () => {
    const r = running();
    const comp = r.mem.allocate(0x1000);
    for (let i = 0; i < 3; i++)
      submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp + 32 * i });
    r.dev.halt();
    r.settle();
    for (let i = 0; i < 3; i++) assert.equal(record(r, comp + 32 * i).status, 0);
    assert.equal(r.dev.engine.occupancyOf(0), 0);
  });

  it('portals accept nothing while halted: MOVDIR64B dropped, ENQCMDS retry, no SWERR', () => {
    const r = running();
    const shared = rig();
    enabledWq(shared, { dedicated: false, size: 4, thresh: 4, pasid: null });
    shared.dev.halt();
    r.dev.halt();
    const comp = r.mem.allocate(0x1000);
    assert.equal(submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp }), true);
    assert.equal(submit(shared, { opcode: OP.NOOP }, 0, 'enqcmds'), false, 'retry');
    r.settle();
    assert.equal(record(r, comp).status, 0);
    assert.equal(r.r32(C.IDXD_SWERR_OFFSET) & 1, 0);
    assert.match(r.anomalies.at(-1)!, /while the device is halted/);
  });

  it('commands fail with HW_ERR; RESET_DEVICE recovers a SOFTWARE halt', () => {
    const r = running();
    r.dev.halt(C.IDXD_DEVICE_RESET_SOFTWARE);
    assert.equal(r.cmd(K.ENABLE_WQ, 0, true), S.HW_ERR);
    assert.equal(r.cmd(K.DISABLE_DEVICE), S.HW_ERR);
    assert.equal(r.cmd(K.RESET_DEVICE, 0, true), S.SUCCESS);
    assert.equal(gensts(r), C.IDXD_DEVICE_STATE_DISABLED, 'state and reset_type cleared');
    enabledWq(r);
    const comp = r.mem.allocate(0x1000);
    submit(r, { opcode: OP.NOOP, flags: CR, completion_addr: comp });
    r.settle();
    assert.equal(record(r, comp).status, C.DSA_COMP.SUCCESS, 'works again');
  });

  it('an FLR halt refuses RESET_DEVICE too; the FLR (device reset) recovers it', () => {
    const r = running();
    r.dev.halt(C.IDXD_DEVICE_RESET_FLR);
    assert.equal(r.cmd(K.RESET_DEVICE), S.HW_ERR);
    assert.equal(gensts(r) & 3, C.IDXD_DEVICE_STATE_HALT);
    r.dev.reset();
    assert.equal(r.dev.config.deviceState, C.IDXD_DEVICE_STATE_DISABLED);
    assert.equal(r.dev.config.resetType, 0);
  });

  it('a command waiting for its drain when the device halts completes with HW_ERR', () => {
    const r = running();
    const comp = r.mem.allocate(0x1000);
    const buf = r.mem.allocate(0x10000);
    submit(r, {
      opcode: OP.MEMFILL,
      flags: CR,
      completion_addr: comp,
      dst_addr: buf,
      xfer_size: 0x10000, // ~2.4 µs: still running when the command (1 µs) runs
    });
    r.w32(C.IDXD_CMD_OFFSET, ((1 << 31) | (K.DRAIN_ALL << 20)) >>> 0);
    while (r.clock.runNext(r.clock.now + 1000));
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), C.IDXD_CMDSTS_ACTIVE);
    r.dev.halt();
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), S.HW_ERR);
    assert.ok(r.r32(C.IDXD_INTCAUSE_OFFSET) & C.IDXD_INTC_CMD);
  });

  it('a second halt is reported and ignored', () => {
    const r = running();
    r.dev.halt(C.IDXD_DEVICE_RESET_SOFTWARE);
    r.dev.halt(C.IDXD_DEVICE_RESET_COLD);
    assert.equal(gensts(r) >>> 2, C.IDXD_DEVICE_RESET_SOFTWARE);
    assert.match(r.anomalies.at(-1)!, /already halted/);
  });

  it('EMU_INJECT: halt with reset_type and hw_error through MMIO; the register reads 0', () => {
    const r = running();
    const v = C.EMU_INJECT.HALT | (C.IDXD_DEVICE_RESET_WARM << 2) | C.EMU_INJECT.HW_ERROR;
    r.w32(C.IDXD_EMU_INJECT_OFFSET, v);
    assert.equal(gensts(r), C.IDXD_DEVICE_STATE_HALT | (C.IDXD_DEVICE_RESET_WARM << 2));
    assert.equal((r.r32(C.IDXD_SWERR_OFFSET) >>> 8) & 0xff, C.DSA_COMP.HW_ERR1);
    assert.equal(r.r32(C.IDXD_EMU_INJECT_OFFSET), 0);
    const inj = r.dev.registers.byName('EMU_INJECT');
    assert.match(inj.def.source, /emulator/);
  });

  it('EMU_INJECT: reserved bits are reported, the defined ones still act', () => {
    const r = running();
    r.w32(C.IDXD_EMU_INJECT_OFFSET, 0x100 | C.EMU_INJECT.REVOKE_INT_HANDLES);
    assert.ok(r.r32(C.IDXD_INTCAUSE_OFFSET) & C.IDXD_INTC_INT_HANDLE_REVOKED);
    assert.ok(r.anomalies.some((a) => /EMU_INJECT .*reserved/.test(a)));
  });

  it("EMU_INJECT's offset is reserved in the layout: a table placed over it is refused", () => {
    assert.throws(
      () => computeLayout(resolveCaps({ msix_count: 32 }), { msixPermOffset: 0x200 }),
      /EMU_INJECT overlaps MSIX_PERM/,
    );
  });
});
