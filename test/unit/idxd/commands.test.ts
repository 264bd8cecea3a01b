import { strict as assert } from 'node:assert';
import * as R from '../../../src/platform/pci/regs';
import { C, configureWq, enabledWq, msixEntry, rig } from './helpers';

const S = C.IDXD_CMDSTS;
const K = C.IDXD_CMD;
/** The DISABLE_WQ-style operand: BIT(wq % 16) | (wq / 16) << 16. */
const wqMask = (wq: number) => (1 << (wq % 16)) | (Math.floor(wq / 16) << 16);

describe('IDXD commands: flow', () => {
  it('polled: CMDSTS.active while running, status after commandNs, no interrupt', () => {
    const r = rig();
    r.w32(C.IDXD_CMD_OFFSET, K.ENABLE_DEVICE << 20);
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), C.IDXD_CMDSTS_ACTIVE);
    assert.equal(r.clock.nextEventTime(), 1000);
    r.settle();
    assert.equal(r.r32(C.IDXD_CMDSTS_OFFSET), 0);
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET) & 3, C.IDXD_DEVICE_STATE_ENABLED);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), 0);
    assert.equal(r.bus.calls.length, 0);
  });

  it('int_req: INTCAUSE.cmd and a message on MSI-X entry 0', () => {
    const r = rig();
    msixEntry(r, 0, 0xfee0_0000, 0x24);
    r.cmd(K.ENABLE_DEVICE, 0, true);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_CMD);
    assert.deepEqual(r.bus.calls, [
      { op: 'raise', id: 1, source: 'msix', index: 0, bdf: '0000:6a:01.0', pasid: null },
      { op: 'send', id: 1, address_lo: 0xfee0_0000, address_hi: 0, data: 0x24 },
    ]);
  });

  it('a CMD write while active is ignored and recorded in SWERR (CMD_REG)', () => {
    const r = rig();
    r.w32(C.IDXD_GENCTRL_OFFSET, C.IDXD_GENCTRL_SOFTERR_INT_EN);
    r.w32(C.IDXD_CMD_OFFSET, K.ENABLE_DEVICE << 20);
    r.w32(C.IDXD_CMD_OFFSET, K.RESET_DEVICE << 20);
    assert.equal(r.r32(C.IDXD_CMD_OFFSET) >>> 20, K.ENABLE_DEVICE);
    assert.equal(r.r32(C.IDXD_SWERR_OFFSET) & 0xff01, (C.SWERR_CODE.CMD_REG << 8) | 1);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_ERR);
    assert.equal(r.bus.raised()[0]!.index, 0, 'error interrupt on entry 0');
    r.settle();
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET) & 3, 1);
    assert.match(r.anomalies[0]!, /while a command is active/);
  });

  it('unknown codes and code 0 fail with INVAL_CMD; a CMDCAP without handles refuses them', () => {
    const r = rig();
    for (const code of [0, 15, 31]) assert.equal(r.cmd(code), S.INVAL_CMD);
    const r2 = rig({ caps: { cmdcap: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } });
    assert.equal(r2.cmd(K.REQUEST_INT_HANDLE, 1), S.INVAL_CMD);
  });
});

describe('IDXD commands: device', () => {
  it('ENABLE_DEVICE: ERR_BUSMASTER_EN without bus master, ERR_DEV_ENABLED when enabled', () => {
    const r = rig();
    r.dev.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_BUSMASTER_EN);
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET) & 3, 0);
    r.dev.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY | R.PCI_COMMAND_MASTER);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.SUCCESS);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_DEV_ENABLED);
  });

  it('ENABLE_DEVICE: WQ sizes beyond total_wq_size → ERR_WQ_SIZE_ERANGE', () => {
    const r = rig();
    configureWq(r, { wq: 0, size: 100 });
    configureWq(r, { wq: 1, size: 29 });
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_WQ_SIZE_ERANGE);
  });

  it('ENABLE_DEVICE: group configuration errors 0x15..0x18', () => {
    const r = rig();
    r.w32(0x500, 8); // WQ0 size 8, in no group
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_GRP_CONFIG);
    configureWq(r, { wq: 0, group: 0 });
    configureWq(r, { wq: 0, group: 1, engines: 2 });
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_GRP_CONFIG2);
    r.w64(0x440, 0n);
    r.w64(0x400 + C.GRPENGCFG_OFFSET, 0n);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_GRP_CONFIG3);
    r.w64(0x400 + C.GRPENGCFG_OFFSET, 1n);
    r.w64(0x440 + C.GRPENGCFG_OFFSET, 1n);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_GRP_CONFIG4);
    r.w64(0x440 + C.GRPENGCFG_OFFSET, 0n);
    r.w32(0x400 + C.GRPFLGCFG_OFFSET, 97 << 20); // rdbufs_allowed > 96
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.ERR_CONFIG);
    r.w32(0x400 + C.GRPFLGCFG_OFFSET, 96 << 20);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.SUCCESS);
  });

  it('DISABLE_DEVICE: ERR_DIS_DEV_EN when disabled; disables WQs when enabled', () => {
    const r = rig();
    assert.equal(r.cmd(K.DISABLE_DEVICE), S.ERR_DIS_DEV_EN);
    enabledWq(r);
    assert.equal(r.cmd(K.DISABLE_DEVICE), S.SUCCESS);
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET) & 3, 0);
    assert.equal(r.r32(0x500 + 24) >>> 30, 0, 'WQCFG.wq_state');
  });

  it('RESET_DEVICE: configuration and WQs back to reset, handles freed, MSI-X kept', () => {
    const r = rig();
    msixEntry(r, 1, 0xfee0_0000, 0x31);
    enabledWq(r);
    r.w32(C.IDXD_GENCTRL_OFFSET, 3);
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 1), 0);
    assert.equal(r.cmd(K.RESET_DEVICE), S.SUCCESS);
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET), 0);
    assert.equal(r.r32(C.IDXD_GENCTRL_OFFSET), 0);
    assert.equal(r.r32(0x500), 0, 'WQCFG cleared');
    assert.equal(r.r64(0x400), 0n, 'GRPCFG cleared');
    assert.equal(r.r32(0x500 + 24) >>> 30, 0);
    assert.deepEqual(r.dev.handles.list(), []);
    assert.equal(r.r32(0x2000 + 16 + 8), 0x31, 'MSI-X table is not device config');
  });
});

describe('IDXD commands: WQs', () => {
  it('ENABLE_WQ: INVAL_WQIDX, ERR_DEV_NOTEN, ERR_WQ_SIZE, ERR_WQ_ENABLED, success', () => {
    const r = rig();
    assert.equal(r.cmd(K.ENABLE_WQ, 8), S.INVAL_WQIDX);
    configureWq(r, { wq: 0 });
    assert.equal(r.cmd(K.ENABLE_WQ, 0), S.ERR_DEV_NOTEN);
    r.cmd(K.ENABLE_DEVICE);
    configureWq(r, { wq: 1, size: 0 });
    assert.equal(r.cmd(K.ENABLE_WQ, 1), S.ERR_WQ_SIZE);
    assert.equal(r.cmd(K.ENABLE_WQ, 0), S.SUCCESS);
    assert.equal(r.r32(0x500 + 24) >>> 30, 1, 'WQCFG.wq_state reads enabled');
    assert.equal(r.cmd(K.ENABLE_WQ, 0), S.ERR_WQ_ENABLED);
  });

  it('ENABLE_WQ: not in a group, shared WQ thresholds, mode, BOF and size limits', () => {
    const r = rig({ caps: { wqcap: { shared_mode: false }, gencap: { block_on_fault: false } } });
    configureWq(r, { wq: 0 });
    r.cmd(K.ENABLE_DEVICE);
    r.w32(0x520, 4); // WQ1: size 4, dedicated, no group
    r.w32(0x528, 1);
    assert.equal(r.cmd(K.ENABLE_WQ, 1), S.ERR_GRP_CONFIG);
    configureWq(r, { wq: 2, dedicated: false, thresh: 0 });
    assert.equal(r.cmd(K.ENABLE_WQ, 2), S.ERR_WQ_SIZE, 'shared WQ with threshold 0');
    configureWq(r, { wq: 2, dedicated: false, thresh: 4 });
    assert.equal(r.cmd(K.ENABLE_WQ, 2), S.ERR_WQ_MODE, 'shared mode not in WQCAP');
    configureWq(r, { wq: 3 });
    r.w32(0x560 + 8, r.r32(0x560 + 8) | 2);
    assert.equal(r.cmd(K.ENABLE_WQ, 3), S.ERR_BOF_EN);
    configureWq(r, { wq: 4, batchShift: 11 });
    assert.equal(r.cmd(K.ENABLE_WQ, 4), S.ERR_MAX_BATCH_SIZE);
    configureWq(r, { wq: 5, xferShift: 31 });
    assert.equal(r.cmd(K.ENABLE_WQ, 5), S.SUCCESS);
    configureWq(r, { wq: 6, size: 120 });
    assert.equal(r.cmd(K.ENABLE_WQ, 6), S.ERR_WQ_SIZE_ERANGE);
  });

  it('WQCFG of an enabled WQ is locked; a disabled WQ of an enabled device is writable', () => {
    const r = rig();
    enabledWq(r, { wq: 0 });
    r.w32(0x500, 99);
    assert.equal(r.r32(0x500), 16);
    assert.match(r.anomalies.at(-1)!, /WQ 0 is enabled/);
    const n = r.anomalies.length;
    r.w32(0x500, 16); // Linux rewrites the same values: silent
    assert.equal(r.anomalies.length, n);
    r.w32(0x520, 8);
    assert.equal(r.r32(0x520), 8);
    // GRPWQCFG: bits of disabled WQs may change, the enabled WQ's bit may not.
    r.w64(0x400, 0b10n);
    assert.equal(r.r64(0x400), 0b11n);
  });

  it('DISABLE_WQ uses the bitmask operand; ERR_DEV_NOT_EN for a disabled WQ', () => {
    const r = rig();
    enabledWq(r, { wq: 0 });
    configureWq(r, { wq: 3 });
    assert.equal(r.cmd(K.ENABLE_WQ, 3), 0);
    assert.equal(r.cmd(K.DISABLE_WQ, 0), S.INVAL_WQIDX, 'empty mask');
    assert.equal(r.cmd(K.DISABLE_WQ, 1 << 16), S.INVAL_WQIDX, 'block 1 has no WQs');
    assert.equal(r.cmd(K.DISABLE_WQ, wqMask(1)), S.ERR_DEV_NOT_EN);
    assert.equal(r.cmd(K.DISABLE_WQ, wqMask(0) | wqMask(3)), S.SUCCESS);
    assert.equal(r.r32(0x500 + 24) >>> 30, 0);
    assert.equal(r.r32(0x560 + 24) >>> 30, 0);
    assert.equal(r.cmd(K.DISABLE_WQ, wqMask(0)), S.ERR_DEV_NOT_EN);
  });

  it('DRAIN_WQ / ABORT_WQ / RESET_WQ need an enabled WQ; RESET_WQ clears its WQCFG', () => {
    const r = rig();
    for (const code of [K.DRAIN_WQ, K.ABORT_WQ, K.RESET_WQ]) {
      assert.equal(r.cmd(code, wqMask(0)), S.ERR_DEV_NOT_EN);
    }
    enabledWq(r, { wq: 0 });
    assert.equal(r.cmd(K.DRAIN_WQ, wqMask(0)), S.SUCCESS);
    assert.equal(r.cmd(K.ABORT_WQ, wqMask(0)), S.SUCCESS);
    assert.equal(r.cmd(K.RESET_WQ, wqMask(0)), S.SUCCESS);
    assert.equal(r.r32(0x500), 0);
    assert.equal(r.r32(0x500 + 24), 1 << 29, 'status back to reset (mode_support)');
  });

  it('DRAIN_ALL, ABORT_ALL, DRAIN_PASID, ABORT_PASID succeed', () => {
    const r = rig();
    enabledWq(r);
    for (const code of [K.DRAIN_ALL, K.ABORT_ALL, K.DRAIN_PASID, K.ABORT_PASID]) {
      assert.equal(r.cmd(code, 5), S.SUCCESS);
    }
  });
});
