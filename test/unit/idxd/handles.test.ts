import { strict as assert } from 'node:assert';
import { IntHandleTable } from '../../../src/platform/idxd/handles';
import { C, rig } from './helpers';

const S = C.IDXD_CMDSTS;
const K = C.IDXD_CMD;
const result = (sts: number) => (sts >>> 8) & 0xffff;

describe('IDXD interrupt handles', () => {
  it('REQUEST_INT_HANDLE for MSI-X returns a handle in CMDSTS[23:8]', () => {
    const r = rig();
    const sts = r.cmd(K.REQUEST_INT_HANDLE, 1, true);
    assert.equal(sts & 0xff, S.SUCCESS);
    assert.equal(sts >>> 31, 0);
    assert.equal(result(sts), 0, 'first handle: entry 0 of the handle table');
    assert.equal(result(r.cmd(K.REQUEST_INT_HANDLE, 2)), 1);
    assert.equal(result(r.cmd(K.REQUEST_INT_HANDLE, 1)), 0, 'same target → same handle');
    assert.deepEqual(r.dev.handles.list(), [
      { handle: 0, table: 'msix', index: 1 },
      { handle: 1, table: 'msix', index: 2 },
    ]);
  });

  it('REQUEST_INT_HANDLE for IMS (operand bit 16)', () => {
    const r = rig();
    const sts = r.cmd(K.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS | 2047);
    assert.equal(sts & 0xff, S.SUCCESS);
    assert.deepEqual(r.dev.handles.resolve(result(sts)), { table: 'ims', index: 2047 });
  });

  it('a bad index fails with ERR_INVAL_INT_IDX (0x41)', () => {
    const r = rig();
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 9) & 0xff, S.ERR_INVAL_INT_IDX);
    assert.equal(
      r.cmd(K.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS | 2048) & 0xff,
      S.ERR_INVAL_INT_IDX,
    );
    const noIms = rig({ caps: { gencap: { max_ims_mult: 0 } } });
    assert.equal(noIms.cmd(K.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS) & 0xff, S.ERR_INVAL_INT_IDX);
  });

  it('a full handle table fails with ERR_NO_HANDLE (0x42)', () => {
    const r = rig({ caps: { int_handles: 2 } });
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 1), 0);
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS | 5), 1 << 8);
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 2) & 0xff, S.ERR_NO_HANDLE);
  });

  it('RELEASE_INT_HANDLE frees the handle; unknown or wrong-table handles fail', () => {
    const r = rig();
    const h = result(r.cmd(K.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS | 3));
    assert.equal(
      r.cmd(K.RELEASE_INT_HANDLE, h) & 0xff,
      S.ERR_INVAL_INT_IDX_RELEASE,
      'IMS bit missing',
    );
    assert.equal(r.cmd(K.RELEASE_INT_HANDLE, C.CMD_INT_HANDLE_IMS | h) & 0xff, S.SUCCESS);
    assert.equal(r.dev.handles.resolve(h), undefined);
    assert.equal(
      r.cmd(K.RELEASE_INT_HANDLE, C.CMD_INT_HANDLE_IMS | h) & 0xff,
      S.ERR_INVAL_INT_IDX_RELEASE,
    );
  });

  it('revocation empties the table and signals INTCAUSE.int_handle_revoked', () => {
    const r = rig();
    r.cmd(K.REQUEST_INT_HANDLE, 1);
    r.dev.revokeIntHandles();
    assert.deepEqual(r.dev.handles.list(), []);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_INT_HANDLE_REVOKED);
    assert.equal(r.bus.calls[0]!.op, 'raise');
  });

  it('IntHandleTable: lowest free entry is reused after release', () => {
    const t = new IntHandleTable(4);
    assert.equal(t.request('msix', 3).handle, 0);
    assert.equal(t.request('ims', 3).handle, 1);
    assert.equal(t.release(0, 'msix'), 0);
    assert.equal(t.request('ims', 9).handle, 0);
    assert.equal(t.lookup(1), 3 | 0x10000);
    assert.equal(t.lookup(3), -1);
    assert.equal(t.clear(), 2);
  });
});
