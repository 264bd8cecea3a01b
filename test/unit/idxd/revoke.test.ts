/**
 * Interrupt-handle revocation: INTCAUSE.int_handle_revoked with the misc interrupt, stale
 * handles completing with INT_HANDLE_INVAL (0x19) without an interrupt or any effect, new
 * handle numbers, and Linux's recovery (idxd_int_handle_revoke: request again, swap, resubmit).
 */
import { strict as assert } from 'node:assert';
import { IntHandleTable } from '../../../src/platform/idxd/handles';
import { C, enabledWq, msixEntry, record, rig, submit, type Rig } from './helpers';

const K = C.IDXD_CMD;
const OP = C.DSA_OPCODE;
const D = C.DSA_COMP;
const RCI = C.IDXD_OP_FLAG.CRAV | C.IDXD_OP_FLAG.RCR | C.IDXD_OP_FLAG.RCI;
const handle = (r: Rig, operand: number) => (r.cmd(K.REQUEST_INT_HANDLE, operand) >>> 8) & 0xffff;

function setup() {
  const r = rig();
  msixEntry(r, 0, 0xfee0_0000, 0x20);
  msixEntry(r, 1, 0xfee0_0000, 0x21);
  msixEntry(r, 2, 0xfee0_0000, 0x22);
  enabledWq(r, { size: 8 });
  const buf = r.mem.allocate(0x4000);
  return { r, buf, comp: buf + 0x3000 };
}

describe('IDXD interrupt-handle revocation', () => {
  it('INTCAUSE bit 31 and a misc interrupt on MSI-X entry 0, whatever GENCTRL says', () => {
    const { r } = setup();
    handle(r, 1);
    const mark = r.bus.calls.length;
    assert.equal(r.dev.revokeIntHandles(), 1);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_INT_HANDLE_REVOKED);
    assert.deepEqual(
      r.bus.since(mark).map((c) => (c.op === 'raise' ? `raise ${c.index}` : c.op)),
      ['raise 0', 'send'],
    );
    assert.deepEqual(r.dev.handles.list(), []);
    r.w32(C.IDXD_INTCAUSE_OFFSET, C.IDXD_INTC_INT_HANDLE_REVOKED);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), 0, 'RW1C');
  });

  it('descriptors in flight with a revoked handle complete with 0x19: no effect, no interrupt', () => {
    const { r, buf, comp } = setup();
    const h = handle(r, 1);
    r.mem.fill(buf, 64, 0xab);
    for (let i = 0; i < 3; i++) {
      submit(r, {
        opcode: OP.MEMMOVE,
        flags: RCI,
        completion_addr: comp + 32 * i,
        src_addr: buf,
        dst_addr: buf + 0x1000 + 0x100 * i,
        xfer_size: 64,
        int_handle: h,
      });
    }
    r.clock.runNext(Infinity); // the first completes normally
    assert.equal(record(r, comp).status, D.SUCCESS);
    const mark = r.bus.calls.length;
    r.dev.revokeIntHandles();
    r.settle();
    assert.deepEqual(
      [1, 2].map((i) => record(r, comp + 32 * i).status),
      [D.INT_HANDLE_INVAL, D.INT_HANDLE_INVAL],
    );
    assert.equal(r.mem.read8(buf + 0x1100), 0, 'not executed: resubmitting is safe');
    assert.deepEqual(
      r.bus
        .raised()
        .slice(-1)
        .map((c) => c.index),
      [0],
      'only the misc interrupt since',
    );
    assert.equal(r.bus.since(mark).filter((c) => c.op === 'raise').length, 1);
  });

  it('REQUEST_INT_HANDLE after revocation returns new numbers; a stale one never aliases', () => {
    const { r } = setup();
    const h1 = handle(r, 1);
    const h2 = handle(r, 2);
    r.dev.revokeIntHandles();
    const n1 = handle(r, 1);
    const n2 = handle(r, 2);
    assert.notEqual(n1, h1);
    assert.notEqual(n2, h2);
    assert.ok(![h1, h2].includes(n1) && ![h1, h2].includes(n2));
    assert.equal(r.dev.handles.resolve(h1), undefined);
    assert.deepEqual(r.dev.handles.resolve(n1), { table: 'msix', index: 1 });
    assert.equal(
      r.cmd(K.RELEASE_INT_HANDLE, h1) & 0xff,
      C.IDXD_CMDSTS.ERR_INVAL_INT_IDX_RELEASE,
      'a revoked handle cannot be released',
    );
  });

  it('RESET_DEVICE empties the table without retiring: numbering starts again', () => {
    const { r } = setup();
    handle(r, 1);
    r.dev.revokeIntHandles();
    r.cmd(K.RESET_DEVICE);
    assert.equal(handle(r, 1), 0);
  });

  it('retired numbers are reused only when no free one is left', () => {
    const t = new IntHandleTable(3);
    t.request('msix', 1);
    t.request('msix', 2);
    assert.equal(t.revoke(), 2);
    assert.equal(t.request('msix', 1).handle, 2);
    assert.equal(t.request('msix', 2).handle, 0, 'the lowest retired one');
    assert.equal(t.request('ims', 0).handle, 1);
    assert.equal(t.request('ims', 1).status, C.IDXD_CMDSTS.ERR_NO_HANDLE);
  });

  it("Linux's recovery: request again, swap the handle, resubmit what completed with 0x19", () => {
    const { r, buf, comp } = setup();
    const ie = { id: 1, int_handle: handle(r, 1) };
    r.mem.fill(buf, 64, 0xcd);
    const desc = {
      opcode: OP.MEMMOVE,
      flags: RCI,
      completion_addr: comp,
      src_addr: buf,
      dst_addr: buf + 0x1000,
      xfer_size: 64,
    };
    submit(r, { ...desc, int_handle: ie.int_handle });
    r.w32(C.IDXD_EMU_INJECT_OFFSET, C.EMU_INJECT.REVOKE_INT_HANDLES); // the MMIO way
    r.settle();
    assert.ok(r.r32(C.IDXD_INTCAUSE_OFFSET) & C.IDXD_INTC_INT_HANDLE_REVOKED);
    assert.equal(record(r, comp).status, D.INT_HANDLE_INVAL);
    // idxd_int_handle_revoke(): for each entry with a valid handle, REQUEST_INT_HANDLE again.
    const fresh = handle(r, ie.id);
    assert.notEqual(fresh, ie.int_handle);
    ie.int_handle = fresh;
    // idxd_int_handle_resubmit_work(): status cleared, the descriptor submitted again.
    r.mem.write8(comp, 0);
    const mark = r.bus.calls.length;
    submit(r, { ...desc, int_handle: ie.int_handle });
    r.settle();
    assert.equal(record(r, comp).status, D.SUCCESS);
    assert.equal(r.mem.read8(buf + 0x1000), 0xcd);
    const raised = r.bus.since(mark).filter((c) => c.op === 'raise');
    assert.deepEqual(
      raised.map((c) => c.index),
      [1],
      'the completion interrupt on MSI-X entry 1 again',
    );
  });
});
