import { strict as assert } from 'node:assert';
import { C, enabledWq, imsSlot, msixEntry, rig, submit } from './helpers';

describe('IDXD snapshot', () => {
  it('is plain JSON and has no side effects', () => {
    const r = rig();
    enabledWq(r, { wq: 2, group: 1, pasid: 3 });
    imsSlot(r, 10, 0xfee0_2000, 0x52, 1);
    r.cmd(C.IDXD_CMD.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS | 10);
    const comp = r.mem.allocate(0x1000);
    submit(r, { opcode: C.DSA_OPCODE.NOOP, flags: 0x1c, completion_addr: comp, int_handle: 0 }, 2);
    r.settle();
    const calls = r.bus.calls.length;
    const now = r.clock.now;
    const intcause = r.r32(C.IDXD_INTCAUSE_OFFSET);
    const a = r.dev.snapshot();
    const b = r.dev.snapshot();
    assert.deepEqual(a, b);
    assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
    assert.equal(r.bus.calls.length, calls);
    assert.equal(r.clock.now, now);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), intcause);
    assert.equal(r.dev.ims.peek(10).pending, true, 'looking does not release');
  });

  it('shows state, decoded registers, WQs, groups, MSI-X, IMS slots in use and handles', () => {
    const r = rig();
    enabledWq(r, { wq: 2, group: 1, pasid: 3 });
    msixEntry(r, 1, 0xfee0_1000, 0x41, false);
    imsSlot(r, 10, 0xfee0_2000, 0x52, (3 << 12) | 9);
    r.cmd(C.IDXD_CMD.REQUEST_INT_HANDLE, C.CMD_INT_HANDLE_IMS | 10);
    const comp = r.mem.allocate(0x1000);
    submit(r, { opcode: C.DSA_OPCODE.NOOP, flags: 0x1c, completion_addr: comp, int_handle: 0 }, 2);
    r.settle();
    const s = r.dev.snapshot();
    assert.equal(s.bdf, '0000:6a:01.0');
    assert.equal(s.state, 'ENABLED');
    assert.equal(s.version, '0x100');
    assert.equal(s.deviceId, 0x0b25);
    const gensts = s.registers.find((x) => x.name === 'GENSTS')!;
    assert.equal(gensts.fields[0]!.text, 'ENABLED (1)');
    assert.equal(s.registers.find((x) => x.name === 'GENCAP')!.value, '0x00000000915f0117');
    const wq = s.wqs[2]!;
    assert.equal(wq.state, 'enabled');
    assert.equal(wq.mode, 'dedicated');
    assert.equal(wq.group, 1);
    assert.equal(wq.pasid, 3);
    assert.equal(wq.max_xfer_bytes, 1 << 20);
    assert.equal(
      wq.wqcfg.find((x) => x.name === 'WQCFG[2].status')!.fields.at(-1)!.text,
      'ENABLED (1)',
    );
    assert.deepEqual(s.groups[1]!.wqs, [2]);
    assert.deepEqual(s.groups[1]!.engines, [0]);
    assert.equal(s.msix.length, 9);
    assert.equal(s.msix[1]!.masked, true);
    assert.deepEqual(s.handles, [{ handle: 0, table: 'ims', index: 10 }]);
    assert.equal(s.ims.slots, 2048);
    assert.deepEqual(
      s.ims.inUse.map((x) => [x.slot, x.mask, x.pasid_en, x.pasid, x.pending]),
      [[10, true, true, 3, true]],
    );
  });
});
