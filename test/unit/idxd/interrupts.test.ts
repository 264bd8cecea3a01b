import { strict as assert } from 'node:assert';
import { C, enabledWq, imsSlot, msixEntry, record, rig, submit, type Rig } from './helpers';

const F = C.IDXD_OP_FLAG;
const OP = C.DSA_OPCODE;
const D = C.DSA_COMP;
const K = C.IDXD_CMD;
const RCI = F.CRAV | F.RCR | F.RCI;

function setup(opts: Parameters<typeof rig>[0] = {}, wq: Parameters<typeof enabledWq>[1] = {}) {
  const r = rig(opts);
  enabledWq(r, wq);
  const comp = r.mem.allocate(0x1000);
  return { r, comp };
}

const handle = (r: Rig, operand: number) => (r.cmd(K.REQUEST_INT_HANDLE, operand) >>> 8) & 0xffff;

describe('IDXD completion interrupts', () => {
  it('RCI through an MSI-X handle sends the entry message after the record', () => {
    const { r, comp } = setup();
    msixEntry(r, 1, 0xfee0_1000, 0x41);
    const h = handle(r, 1);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: h });
    let statusAtSend = -1;
    const send = r.bus.send.bind(r.bus);
    r.bus.send = (id, lo, hi, data) => {
      statusAtSend = r.mem.read8(comp);
      send(id, lo, hi, data);
    };
    r.settle();
    assert.equal(statusAtSend, D.SUCCESS, 'record written before the interrupt');
    assert.deepEqual(r.bus.calls, [
      { op: 'raise', id: 1, source: 'msix', index: 1, bdf: '0000:6a:01.0', pasid: null },
      { op: 'send', id: 1, address_lo: 0xfee0_1000, address_hi: 0, data: 0x41 },
    ]);
  });

  it('RCI through an IMS handle sends the slot message', () => {
    const { r, comp } = setup();
    imsSlot(r, 5, 0xfee0_2000, 0x52, 0);
    const h = handle(r, C.CMD_INT_HANDLE_IMS | 5);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: h });
    r.settle();
    assert.deepEqual(r.bus.calls, [
      { op: 'raise', id: 1, source: 'ims', index: 5, bdf: '0000:6a:01.0', pasid: null },
      { op: 'send', id: 1, address_lo: 0xfee0_2000, address_hi: 0, data: 0x52 },
    ]);
    assert.equal(r.bus.originOfMessage(1)?.requesterId, 0x6a08);
  });

  it('a masked IMS slot pends; unmasking sends with the current address/data; a second merges', () => {
    const { r, comp } = setup();
    imsSlot(r, 7, 0xfee0_2000, 0x52, 1);
    const h = handle(r, C.CMD_INT_HANDLE_IMS | 7);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: h });
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp + 32, int_handle: h });
    r.settle();
    assert.deepEqual(
      r.bus.since(0).map((c) => c.op),
      ['raise', 'pend', 'raise', 'drop'],
    );
    assert.deepEqual(r.bus.calls[3], {
      op: 'drop',
      id: 2,
      reason: 'merged into pending message #1 (one pending bit per entry)',
    });
    assert.equal(r.dev.ims.peek(7).pending, true);
    const base = r.dev.layout.imsOffset + 7 * 16;
    r.w32(base, 0xfee0_3000); // retarget while masked
    r.w32(base + 8, 0x63);
    r.w32(base + 12, 0);
    assert.deepEqual(r.bus.calls.at(-1), {
      op: 'send',
      id: 1,
      address_lo: 0xfee0_3000,
      address_hi: 0,
      data: 0x63,
    });
    assert.deepEqual(r.bus.unfinished(), []);
    assert.deepEqual(r.bus.violations, []);
  });

  it('a masked MSI-X entry pends (PBA) and unmask releases it', () => {
    const { r, comp } = setup();
    msixEntry(r, 2, 0xfee0_1000, 0x41, false);
    const h = handle(r, 2);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: h });
    r.settle();
    assert.equal(r.r32(r.dev.layout.msixPbaOffset), 0b100);
    r.w32(r.dev.layout.msixTableOffset + 2 * 16 + 12, 0);
    assert.equal(r.bus.calls.at(-1)!.op, 'send');
    assert.equal(r.r32(r.dev.layout.msixPbaOffset), 0);
  });

  it('IMS PASID check: matching PASID delivers, a different one is dropped with a reason', () => {
    const { r, comp } = setup({}, { pasid: 0x42 });
    const ctrl = (0x42 << 12) | (1 << 3);
    imsSlot(r, 1, 0xfee0_2000, 0x52, ctrl);
    imsSlot(r, 2, 0xfee0_2000, 0x53, (0x99 << 12) | (1 << 3));
    const h1 = handle(r, C.CMD_INT_HANDLE_IMS | 1);
    const h2 = handle(r, C.CMD_INT_HANDLE_IMS | 2);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: h1 });
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp + 32, int_handle: h2 });
    r.settle();
    assert.deepEqual(r.bus.calls[0], {
      op: 'raise',
      id: 1,
      source: 'ims',
      index: 1,
      bdf: '0000:6a:01.0',
      pasid: 0x42,
    });
    assert.equal(r.bus.calls[1]!.op, 'send');
    assert.equal(r.bus.calls[3]!.op, 'drop');
    assert.match(
      (r.bus.calls[3] as { reason: string }).reason,
      /PASID 0x99 but the descriptor has PASID 0x42/,
    );
    assert.equal(record(r, comp + 32).status, D.SUCCESS, 'the descriptor itself succeeded');
  });

  it('MSIX_PERM: pasid_en with another PASID drops; ignore suppresses', () => {
    const { r, comp } = setup({}, { pasid: 7 });
    msixEntry(r, 1, 0xfee0_1000, 0x41);
    msixEntry(r, 2, 0xfee0_1000, 0x42);
    r.w32(r.dev.layout.msixPermOffset + 8, (8 << 12) | 8);
    r.w32(r.dev.layout.msixPermOffset + 16, 4);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: handle(r, 1) });
    submit(r, {
      opcode: OP.NOOP,
      flags: RCI,
      completion_addr: comp + 32,
      int_handle: handle(r, 2),
    });
    r.settle();
    assert.deepEqual(
      r.bus.calls.map((c) => c.op),
      ['raise', 'drop', 'raise', 'drop'],
    );
    assert.match(
      (r.bus.calls[1] as { reason: string }).reason,
      /MSIX_PERM\[1\] allows PASID 0x8 only/,
    );
    assert.match((r.bus.calls[3] as { reason: string }).reason, /ignore is set/);
    r.w32(r.dev.layout.msixPermOffset + 8, (7 << 12) | 8);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp + 64, int_handle: 0 });
    r.settle();
    assert.deepEqual(r.bus.calls.at(-2), {
      op: 'raise',
      id: 3,
      source: 'msix',
      index: 1,
      bdf: '0000:6a:01.0',
      pasid: 7,
    });
    assert.equal(r.bus.calls.at(-1)!.op, 'send');
  });

  it('MSIX_PERM does not gate the misc interrupt (entry 0), and a dedicated WQ uses its PASID', () => {
    const { r, comp } = setup({}, { pasid: 9 });
    msixEntry(r, 0, 0xfee0_0000, 0x20);
    msixEntry(r, 1, 0xfee0_1000, 0x41);
    r.w32(r.dev.layout.msixPermOffset, 4); // entry 0: ignore (Linux never writes entry 0)
    r.w32(r.dev.layout.msixPermOffset + 8, (9 << 12) | 8); // idxd_device_set_perm_entry
    r.w32(C.IDXD_GENCTRL_OFFSET, C.IDXD_GENCTRL_SOFTERR_INT_EN);
    const h = handle(r, 1);
    const mark = r.bus.calls.length;
    submit(r, { opcode: 0x3e }); // no CRAV: SWERR and the misc interrupt
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: h });
    r.settle();
    assert.deepEqual(
      r.bus.since(mark).map((c) => (c.op === 'raise' ? `raise ${c.index} ${c.pasid}` : c.op)),
      ['raise 0 null', 'send', 'raise 1 9', 'send'],
    );
  });

  it('a handle never requested, or released, completes with INT_HANDLE_INVAL (0x19), no interrupt', () => {
    const { r, comp } = setup();
    r.mem.fill(comp + 0x100, 8, 1);
    submit(r, {
      opcode: OP.MEMMOVE,
      flags: RCI,
      completion_addr: comp,
      int_handle: 3,
      src_addr: comp + 0x100,
      dst_addr: comp + 0x200,
      xfer_size: 8,
    });
    r.settle();
    assert.equal(record(r, comp).status, D.INT_HANDLE_INVAL);
    assert.equal(r.mem.read8(comp + 0x200), 0, 'not executed, so resubmitting is safe');
    const h = handle(r, 1);
    r.cmd(K.RELEASE_INT_HANDLE, h);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp + 32, int_handle: h });
    r.dev.revokeIntHandles();
    r.settle();
    assert.equal(record(r, comp + 32).status, D.INT_HANDLE_INVAL);
    assert.deepEqual(
      r.bus.raised().map((c) => c.index),
      [0],
      'only the revocation (misc) interrupt',
    );
  });

  it('without REQUEST_INT_HANDLE in CMDCAP, int_handle is the MSI-X index', () => {
    const { r, comp } = setup({ caps: { gencap: { cmd_cap: false } } });
    assert.equal(r.r32(C.IDXD_CMDCAP_OFFSET), 0);
    assert.equal(r.cmd(K.REQUEST_INT_HANDLE, 3), C.IDXD_CMDSTS.INVAL_CMD);
    msixEntry(r, 3, 0xfee0_1000, 0x43);
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp, int_handle: 3 });
    submit(r, { opcode: OP.NOOP, flags: RCI, completion_addr: comp + 32, int_handle: 9 });
    r.settle();
    assert.deepEqual(r.bus.calls[1], {
      op: 'send',
      id: 1,
      address_lo: 0xfee0_1000,
      address_hi: 0,
      data: 0x43,
    });
    assert.equal(record(r, comp + 32).status, D.INT_HANDLE_INVAL);
  });

  it('an error completion still interrupts when the handle is valid', () => {
    const { r, comp } = setup();
    msixEntry(r, 1, 0xfee0_1000, 0x41);
    submit(r, { opcode: 0x42, flags: RCI, completion_addr: comp, int_handle: handle(r, 1) });
    r.settle();
    assert.equal(record(r, comp).status, D.BAD_OPCODE);
    assert.equal(r.bus.calls.at(-1)!.op, 'send');
  });

  it('device reset drops pending messages with a reason (nothing vanishes)', () => {
    const { r, comp } = setup();
    imsSlot(r, 0, 0xfee0_2000, 0x52, 1);
    submit(r, {
      opcode: OP.NOOP,
      flags: RCI,
      completion_addr: comp,
      int_handle: handle(r, C.CMD_INT_HANDLE_IMS),
    });
    r.settle();
    r.dev.reset();
    assert.equal(r.bus.calls.at(-1)!.op, 'drop');
    assert.deepEqual(r.bus.unfinished(), []);
  });
});
