/**
 * Every command in every device state: (command, state) → CMDSTS.err, as a table. The states
 * are built through the MMIO path the way a driver gets there; each cell runs on a fresh device.
 */
import { strict as assert } from 'node:assert';
import { C, configureWq, enabledWq, rig, type Rig } from './helpers';

const S = C.IDXD_CMDSTS;
const K = C.IDXD_CMD;
const wqMask = (wq: number) => (1 << (wq % 16)) | (Math.floor(wq / 16) << 16);

type State = 'disabled' | 'enabled' | 'wqEnabled' | 'haltedSoftware' | 'haltedFlr';
const STATES: readonly State[] = [
  'disabled',
  'enabled',
  'wqEnabled',
  'haltedSoftware',
  'haltedFlr',
];

/** A device in `state`, WQ 0 configured (and enabled for wqEnabled and the halted states). */
function inState(state: State): Rig {
  const r = rig();
  if (state === 'disabled') {
    configureWq(r);
    return r;
  }
  if (state === 'enabled') {
    configureWq(r);
    assert.equal(r.cmd(K.ENABLE_DEVICE), S.SUCCESS);
    return r;
  }
  enabledWq(r);
  if (state === 'haltedSoftware') r.dev.halt(C.IDXD_DEVICE_RESET_SOFTWARE);
  if (state === 'haltedFlr') r.dev.halt(C.IDXD_DEVICE_RESET_FLR);
  return r;
}

const H = S.HW_ERR;
/** [command, operand, expected CMDSTS.err per state in STATES order]. */
const TABLE: [string, number, number, [number, number, number, number, number]][] = [
  ['ENABLE_DEVICE', 0, K.ENABLE_DEVICE, [S.SUCCESS, S.ERR_DEV_ENABLED, S.ERR_DEV_ENABLED, H, H]],
  ['DISABLE_DEVICE', 0, K.DISABLE_DEVICE, [S.ERR_DIS_DEV_EN, S.SUCCESS, S.SUCCESS, H, H]],
  ['DRAIN_ALL', 0, K.DRAIN_ALL, [S.SUCCESS, S.SUCCESS, S.SUCCESS, H, H]],
  ['ABORT_ALL', 0, K.ABORT_ALL, [S.SUCCESS, S.SUCCESS, S.SUCCESS, H, H]],
  ['RESET_DEVICE', 0, K.RESET_DEVICE, [S.SUCCESS, S.SUCCESS, S.SUCCESS, S.SUCCESS, H]],
  ['ENABLE_WQ 0', 0, K.ENABLE_WQ, [S.ERR_DEV_NOTEN, S.SUCCESS, S.ERR_WQ_ENABLED, H, H]],
  ['ENABLE_WQ 8', 8, K.ENABLE_WQ, [S.INVAL_WQIDX, S.INVAL_WQIDX, S.INVAL_WQIDX, H, H]],
  ['DISABLE_WQ 0', wqMask(0), K.DISABLE_WQ, [S.ERR_DEV_NOT_EN, S.ERR_DEV_NOT_EN, S.SUCCESS, H, H]],
  ['DRAIN_WQ 0', wqMask(0), K.DRAIN_WQ, [S.ERR_DEV_NOT_EN, S.ERR_DEV_NOT_EN, S.SUCCESS, H, H]],
  ['ABORT_WQ 0', wqMask(0), K.ABORT_WQ, [S.ERR_DEV_NOT_EN, S.ERR_DEV_NOT_EN, S.SUCCESS, H, H]],
  ['RESET_WQ 0', wqMask(0), K.RESET_WQ, [S.ERR_DEV_NOT_EN, S.ERR_DEV_NOT_EN, S.SUCCESS, H, H]],
  [
    'DRAIN_WQ 0+1',
    wqMask(0) | wqMask(1),
    K.DRAIN_WQ,
    [S.ERR_DEV_NOT_EN, S.ERR_DEV_NOT_EN, S.ERR_DEV_NOT_EN, H, H],
  ],
  ['DRAIN_WQ none', 0, K.DRAIN_WQ, [S.INVAL_WQIDX, S.INVAL_WQIDX, S.INVAL_WQIDX, H, H]],
  ['ABORT_WQ 16', wqMask(16), K.ABORT_WQ, [S.INVAL_WQIDX, S.INVAL_WQIDX, S.INVAL_WQIDX, H, H]],
  ['DRAIN_PASID', 5, K.DRAIN_PASID, [S.SUCCESS, S.SUCCESS, S.SUCCESS, H, H]],
  ['ABORT_PASID', 5, K.ABORT_PASID, [S.SUCCESS, S.SUCCESS, S.SUCCESS, H, H]],
  ['REQUEST_INT_HANDLE 1', 1, K.REQUEST_INT_HANDLE, [S.SUCCESS, S.SUCCESS, S.SUCCESS, H, H]],
  [
    'REQUEST_INT_HANDLE 9',
    9,
    K.REQUEST_INT_HANDLE,
    [S.ERR_INVAL_INT_IDX, S.ERR_INVAL_INT_IDX, S.ERR_INVAL_INT_IDX, H, H],
  ],
  [
    'RELEASE_INT_HANDLE 5 (never requested)',
    5,
    K.RELEASE_INT_HANDLE,
    [S.ERR_INVAL_INT_IDX_RELEASE, S.ERR_INVAL_INT_IDX_RELEASE, S.ERR_INVAL_INT_IDX_RELEASE, H, H],
  ],
  ['code 0', 0, 0, [S.INVAL_CMD, S.INVAL_CMD, S.INVAL_CMD, S.INVAL_CMD, S.INVAL_CMD]],
  ['code 15', 0, 15, [S.INVAL_CMD, S.INVAL_CMD, S.INVAL_CMD, S.INVAL_CMD, S.INVAL_CMD]],
];

describe('IDXD commands: (command, state) → CMDSTS', () => {
  for (const [name, operand, code, expected] of TABLE) {
    it(name, () => {
      const got = STATES.map((state) => {
        const r = inState(state);
        const sts = r.cmd(code, operand, true);
        assert.equal(sts >>> 31, 0, `${state}: CMDSTS.active clear at completion`);
        assert.ok(
          (r.r32(C.IDXD_INTCAUSE_OFFSET) & C.IDXD_INTC_CMD) !== 0,
          `${state}: INTCAUSE.cmd (int_req), whatever the status`,
        );
        return sts & 0xff;
      });
      assert.deepEqual(
        got.map((v) => C.nameOf(S, v) ?? v),
        expected.map((v) => C.nameOf(S, v) ?? v),
        STATES.join(', '),
      );
    });
  }

  it('a successful REQUEST_INT_HANDLE returns the handle in CMDSTS[23:8]; errors return 0', () => {
    const r = inState('enabled');
    r.cmd(K.REQUEST_INT_HANDLE, 2);
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 1), 1 << 8);
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 9), S.ERR_INVAL_INT_IDX);
  });

  it('a command with no effect in its state changes nothing (ERR_DEV_NOT_EN on several WQs)', () => {
    const r = inState('wqEnabled');
    configureWq(r, { wq: 1 });
    assert.equal(r.cmd(K.DISABLE_WQ, wqMask(0) | wqMask(1)), S.ERR_DEV_NOT_EN);
    assert.equal(r.r32(r.dev.config.wqcfgOffset(0, 6)) >>> 30, 1, 'WQ 0 still enabled');
  });
});
