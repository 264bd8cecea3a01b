import { strict as assert } from 'node:assert';
import {
  checkRegister,
  decodeRegister,
  encodeFields,
  getField,
} from '../../../src/platform/idxd/regdef';
import { C, rig } from './helpers';

const fieldOf = (r: ReturnType<typeof rig>, reg: string, name: string) => {
  const inst = r.dev.registers.byName(reg);
  return Number(getField(inst.def, r.dev.registers.value(inst), name));
};

describe('IDXD register table', () => {
  it('places every top-level register at its registers.h offset and width', () => {
    const r = rig();
    const expect: [string, number, number][] = [
      ['VERSION', 0x00, 32],
      ['GENCAP', 0x10, 64],
      ['WQCAP', 0x20, 64],
      ['GRPCAP', 0x30, 64],
      ['ENGCAP', 0x38, 64],
      ['OPCAP', 0x40, 256],
      ['TABLE', 0x60, 128],
      ['GENCFG', 0x80, 32],
      ['GENCTRL', 0x88, 32],
      ['GENSTS', 0x90, 32],
      ['INTCAUSE', 0x98, 32],
      ['CMD', 0xa0, 32],
      ['CMDSTS', 0xa8, 32],
      ['CMDCAP', 0xb0, 32],
      ['SWERR', 0xc0, 256],
      ['PERFCAP', 0x1000, 64],
    ];
    for (const [name, offset, width] of expect) {
      const def = r.dev.tables.top.find((d) => d.name === name);
      assert.ok(def, name);
      assert.equal(def.offset, offset, name);
      assert.equal(def.width, width, name);
      assert.ok(def.source.length > 0 && def.description.length > 0, name);
    }
  });

  it('every register and table layout covers its bits exactly once', () => {
    const r = rig();
    const t = r.dev.tables;
    const all = [
      ...t.top,
      ...t.grpcfg.registers,
      ...t.wqcfg.registers,
      ...t.msixPerm.registers,
      ...t.ims.registers,
      ...t.msix.registers,
    ];
    for (const def of all) assert.deepEqual(checkRegister(def), [], def.name);
  });

  it('field positions follow registers.h (encode/decode round trip)', () => {
    const r = rig();
    const def = (n: string) => r.dev.tables.top.find((d) => d.name === n)!;
    assert.equal(encodeFields(def('GENCAP'), { max_xfer_shift: 31 }), 31n << 16n);
    assert.equal(encodeFields(def('GENCAP'), { max_batch_shift: 10 }), 10n << 21n);
    assert.equal(encodeFields(def('GENCAP'), { max_ims_mult: 8 }), 8n << 25n);
    assert.equal(encodeFields(def('GENCAP'), { config_en: 1, cmd_cap: 1 }), (1n << 31n) | 16n);
    assert.equal(
      encodeFields(def('WQCAP'), { num_wqs: 8, wqcfg_size: 1, dedicated_mode: 1 }),
      (8n << 16n) | (1n << 24n) | (1n << 49n),
    );
    assert.equal(
      encodeFields(def('GRPCAP'), { total_rdbufs: 96, rdbuf_limit: 1 }),
      (96n << 8n) | (1n << 17n),
    );
    assert.equal(
      encodeFields(def('TABLE'), { wqcfg: 5, ims: 0x80, perfmon: 0x10 }),
      (5n << 16n) | (0x80n << 48n) | (0x10n << 64n),
    );
    assert.equal(encodeFields(def('GENCFG'), { user_int_en: 1, rdbuf_limit: 3 }), 0x1003n);
    assert.equal(encodeFields(def('GENSTS'), { state: 3, reset_type: 1 }), 7n);
    assert.equal(
      encodeFields(def('INTCAUSE'), { err: 1, cmd: 1, int_handle_revoked: 1 }),
      0x80000003n,
    );
    assert.equal(encodeFields(def('CMD'), { cmd: 13, operand: 0x10005, int_req: 1 }), 0x80d10005n);
    assert.equal(
      encodeFields(def('CMDSTS'), { err: 0x41, result: 0x1234, active: 1 }),
      0x80123441n,
    );
    const sw = encodeFields(def('SWERR'), {
      valid: 1,
      error: 0x1b,
      wq_idx: 2,
      operation: 3,
      pasid: 0xabcde,
      batch_idx: 7,
      invalid_flags: 0x40,
      fault_addr: 0x1234_5678_9abcn,
    });
    assert.equal(
      sw & 0xffff_ffff_ffff_ffffn,
      1n | (0x1bn << 8n) | (2n << 16n) | (3n << 32n) | (0xabcden << 40n),
    );
    assert.equal((sw >> 64n) & 0xffff_ffff_ffff_ffffn, 7n | (0x40n << 32n));
    assert.equal((sw >> 128n) & 0xffff_ffff_ffff_ffffn, 0x1234_5678_9abcn);
    assert.throws(() => encodeFields(def('GENSTS'), { state: 4 }), RangeError);
    assert.throws(() => encodeFields(def('GENSTS'), { nope: 1 }), RangeError);
  });

  it('decodes fields with enum names and hex text', () => {
    const r = rig();
    const gensts = r.dev.tables.top.find((d) => d.name === 'GENSTS')!;
    const d = decodeRegister(gensts, 1);
    assert.deepEqual(
      d.map((f) => [f.field, f.text]),
      [
        ['state', 'ENABLED (1)'],
        ['reset_type', 'SOFTWARE (0)'],
        ['rsvd', '0'],
      ],
    );
    const cmdsts = r.dev.tables.top.find((d) => d.name === 'CMDSTS')!;
    assert.equal(decodeRegister(cmdsts, 0x21)[0]!.text, 'ERR_WQ_ENABLED (33)');
    const gencap = r.dev.tables.top.find((d) => d.name === 'GENCAP')!;
    assert.equal(
      decodeRegister(gencap, 31n << 16n).find((f) => f.field === 'max_xfer_shift')!.text,
      '0x1f (31)',
    );
  });

  it('capability registers read the SPR values (plus cmd_cap)', () => {
    const r = rig();
    assert.equal(r.r32(C.IDXD_VER_OFFSET), 0x100);
    // Real SPR: 0x40915f0107 (cmd_cap 0, reserved bit 38); ours: cmd_cap set, bit 38 clear.
    assert.equal(r.r64(C.IDXD_GENCAP_OFFSET), 0x915f0117n);
    assert.equal(fieldOf(r, 'GENCAP', 'max_ims_mult') * 256, 2048);
    assert.equal(fieldOf(r, 'WQCAP', 'total_wq_size'), 128);
    assert.equal(fieldOf(r, 'WQCAP', 'num_wqs'), 8);
    assert.equal(fieldOf(r, 'WQCAP', 'wqcfg_size'), 0);
    assert.equal(fieldOf(r, 'GRPCAP', 'num_groups'), 4);
    assert.equal(fieldOf(r, 'GRPCAP', 'total_rdbufs'), 96);
    assert.equal(r.r64(C.IDXD_ENGCAP_OFFSET), 4n);
    // NOOP..COMPVAL, DUALCAST (9), CRCGEN (0x10), COPY_CRC (0x11)
    assert.equal(r.r64(C.IDXD_OPCAP_OFFSET), 0x3027fn);
    for (let q = 1; q < 4; q++) assert.equal(r.r64(C.IDXD_OPCAP_OFFSET + 8 * q), 0n);
    assert.equal(r.r32(C.IDXD_CMDCAP_OFFSET), 0x7ffe);
    assert.ok(r.r32(C.IDXD_CMDCAP_OFFSET) & (1 << 13) && r.r32(C.IDXD_CMDCAP_OFFSET) & (1 << 14));
  });

  it('TABLE locates GRPCFG, WQCFG, MSIX_PERM, IMS and PERFMON (x 0x100)', () => {
    const r = rig();
    const t = r.r64(C.IDXD_TABLE_OFFSET);
    const f = (n: number) => Number((t >> BigInt(16 * n)) & 0xffffn) * C.IDXD_TABLE_MULT;
    assert.equal(f(0), r.dev.layout.grpcfgOffset);
    assert.equal(f(1), r.dev.layout.wqcfgOffset);
    assert.equal(f(2), r.dev.layout.msixPermOffset);
    assert.equal(f(3), r.dev.layout.imsOffset);
    assert.equal(Number(r.r64(C.IDXD_TABLE_OFFSET + 8) & 0xffffn) * 0x100, 0x1000);
    assert.deepEqual(
      [
        r.dev.layout.grpcfgOffset,
        r.dev.layout.wqcfgOffset,
        r.dev.layout.msixPermOffset,
        r.dev.layout.imsOffset,
      ],
      [0x400, 0x500, 0x300, 0x8000],
    );
    assert.equal(r.dev.layout.bar0Size, 0x10000);
    assert.equal(r.dev.layout.bar2Size, 0x20000);
    assert.equal(r.r64(0x1000), 0n, 'PERFCAP: no counters');
  });

  it('the MSI-X capability points at the table and PBA in BAR0', () => {
    const r = rig();
    const cap = r.dev.pci.msixCap;
    assert.equal(r.dev.pci.readConfig16(cap + 2) & 0x7ff, 8, 'QSIZE = 9 - 1');
    assert.equal(r.dev.pci.readConfig32(cap + 4), 0x2000);
    assert.equal(r.dev.pci.readConfig32(cap + 8), 0x3000);
    assert.equal(r.dev.pci.readConfig32(0), 0x0b258086);
    assert.equal(r.dev.requesterId, 0x6a08);
  });

  it('WQCFG stride follows WQCAP.wqcfg_size and reads back wq_state', () => {
    const r = rig({ caps: { wqcap: { wqcfg_size: 1, op_config: true } } });
    assert.equal(r.dev.layout.wqcfgStride, 64);
    assert.equal(fieldOf(r, 'WQCAP', 'wqcfg_size'), 1);
    assert.ok(r.dev.registers.byName('WQCFG[7].op_config'));
    assert.equal(r.dev.registers.byName('WQCFG[1].size').offset, 0x540);
    // wq_state RO: a write is ignored; mode_support reads 1.
    r.w32(0x500 + 24, 0xffffffff);
    assert.equal(r.r32(0x500 + 24) >>> 30, 0);
    assert.equal((r.r32(0x500 + 24) >>> 29) & 1, 1);
  });

  it('table field encodings follow union wqcfg, group_flags, msix_perm and the IMS slot', () => {
    const r = rig();
    const t = r.dev.tables;
    const reg = (layout: typeof t.wqcfg, name: string) =>
      layout.registers.find((x) => x.name === name)!;
    const mode = reg(t.wqcfg, 'mode');
    assert.equal(mode.offset, 8, 'WQCFG_PASID_IDX = WQCFG_PRIVL_IDX = 2');
    assert.equal(
      encodeFields(mode, {
        mode: 1,
        bof: 1,
        wq_ats_disable: 1,
        wq_prs_disable: 1,
        priority: 15,
        pasid: 0xfffff,
        pasid_en: 1,
        priv: 1,
      }),
      0x3fff_ffffn,
    );
    assert.equal(encodeFields(mode, { pasid: 1 }), 1n << 8n);
    assert.equal(
      encodeFields(reg(t.wqcfg, 'max'), { max_xfer_shift: 31, max_batch_shift: 15 }),
      31n | (15n << 5n),
    );
    const status = reg(t.wqcfg, 'status');
    assert.equal(status.offset, 24, 'WQCFG_OCCUP_IDX = 6');
    assert.equal(
      encodeFields(status, { occupancy: 0xffff, occupancy_int: 1, mode_support: 1, wq_state: 3 }),
      0xe001ffffn,
    );
    assert.equal(
      encodeFields(reg(t.wqcfg, 'occup_inth'), { occupancy_inth: 5, occupancy_table_sel: 1 }),
      0x10005n,
    );
    const flags = reg(t.grpcfg, 'flags');
    assert.equal(flags.offset, 40);
    assert.equal(
      encodeFields(flags, {
        tc_a: 7,
        tc_b: 7,
        use_rdbuf_limit: 1,
        rdbufs_reserved: 0xff,
        rdbufs_allowed: 0xff,
        desc_progress_limit: 3,
        batch_progress_limit: 3,
      }),
      0x7n | (0x7n << 3n) | (1n << 7n) | (0xffn << 8n) | (0xffn << 20n) | (3n << 32n) | (3n << 36n),
    );
    assert.equal(reg(t.grpcfg, 'engines').offset, 32);
    assert.equal(t.grpcfg.stride, 64);
    const perm = reg(t.msixPerm, 'perm');
    assert.equal(encodeFields(perm, { ignore: 1, pasid_en: 1, pasid: 0xfffff }), 0xfffff00cn);
    assert.equal(t.msixPerm.stride, 8);
    const ctrl = reg(t.ims, 'ctrl');
    assert.equal(
      encodeFields(ctrl, { mask: 1, pasid_en: 1, pasid: 0x12345 }),
      (0x12345n << 12n) | 9n,
    );
    assert.equal(ctrl.reset, 1n, 'slots reset masked');
    assert.deepEqual(
      t.ims.registers.map((x) => [x.name, x.offset]),
      [
        ['address_lo', 0],
        ['address_hi', 4],
        ['data', 8],
        ['ctrl', 12],
      ],
    );
    assert.equal(encodeFields(reg(t.msix, 'vector_ctrl'), { mask: 1 }), 1n);
  });

  it('GRPCFG, MSIX_PERM and IMS entries sit at their strides', () => {
    const r = rig();
    assert.equal(r.dev.registers.byName('GRPCFG[1].wqs').offset, 0x440);
    assert.equal(r.dev.registers.byName('GRPCFG[1].engines').offset, 0x460);
    assert.equal(r.dev.registers.byName('GRPCFG[1].flags').offset, 0x468);
    assert.equal(r.dev.registers.byName('MSIX_PERM[8].perm').offset, 0x340);
    r.w32(0x300 + 8 * 3, (0x1234 << 12) | 8);
    assert.equal(r.r32(0x318), (0x1234 << 12) | 8);
    r.w32(0x8000 + 16 * 2047 + 12, (5 << 12) | 8 | 1);
    assert.equal(r.r32(0x8000 + 16 * 2047 + 12), (5 << 12) | 9);
    assert.equal(r.r32(0x8000 + 12), 1, 'IMS slots reset masked');
  });
});

describe('IDXD register access semantics', () => {
  it('INTCAUSE is write-1-to-clear', () => {
    const r = rig();
    r.cmd(C.IDXD_CMD.ENABLE_DEVICE, 0, true);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_CMD);
    r.w32(C.IDXD_INTCAUSE_OFFSET, 0);
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), C.IDXD_INTC_CMD, 'writing 0 keeps it');
    r.w32(C.IDXD_INTCAUSE_OFFSET, r.r32(C.IDXD_INTCAUSE_OFFSET));
    assert.equal(r.r32(C.IDXD_INTCAUSE_OFFSET), 0);
  });

  it('SWERR valid/overflow are RW1C, the rest read-only; a 64-bit ack is clean', () => {
    const r = rig();
    r.cmd(C.IDXD_CMD.ENABLE_DEVICE);
    r.w32(C.IDXD_CMD_OFFSET, C.IDXD_CMD.DRAIN_ALL << 20);
    r.w32(C.IDXD_CMD_OFFSET, C.IDXD_CMD.DRAIN_ALL << 20); // while active → SWERR
    r.w32(C.IDXD_CMD_OFFSET, C.IDXD_CMD.DRAIN_ALL << 20); // again → overflow
    const q0 = r.r64(C.IDXD_SWERR_OFFSET);
    assert.equal(q0 & 3n, 3n);
    assert.equal((q0 >> 8n) & 0xffn, BigInt(C.SWERR_CODE.CMD_REG));
    const n = r.anomalies.length;
    r.w64(C.IDXD_SWERR_OFFSET, q0 & 3n);
    assert.equal(r.r64(C.IDXD_SWERR_OFFSET) & 3n, 0n);
    assert.equal(
      (r.r64(C.IDXD_SWERR_OFFSET) >> 8n) & 0xffn,
      BigInt(C.SWERR_CODE.CMD_REG),
      'error code RO',
    );
    assert.equal(r.anomalies.length, n, 'ack produced no anomaly');
    r.settle();
  });

  it('reserved bits are ignored and reported; RO registers ignore writes', () => {
    const r = rig();
    r.w32(C.IDXD_GENCTRL_OFFSET, 0xffffffff);
    assert.equal(r.r32(C.IDXD_GENCTRL_OFFSET), 7);
    assert.match(r.anomalies.at(-1)!, /GENCTRL .* reserved bits 0xfffffff8/);
    r.w32(C.IDXD_GENCAP_OFFSET, 0x4);
    assert.equal(r.r64(C.IDXD_GENCAP_OFFSET), 0x915f0117n);
    assert.match(r.anomalies.at(-1)!, /read-only GENCAP/);
  });

  it('undefined offsets read 0 and writes are reported', () => {
    const r = rig();
    assert.equal(r.r32(0x1c), 0);
    assert.equal(r.r32(0x4000), 0);
    r.w32(0x1c, 5);
    r.w32(0x4000, 5);
    assert.equal(r.anomalies.length, 2);
    assert.match(r.anomalies[0]!, /undefined BAR0 offset 0x1c/);
    assert.equal(r.r32(0x1c), 0);
  });

  it('GENCFG is locked while the device is enabled', () => {
    const r = rig();
    r.w32(C.IDXD_GENCFG_OFFSET, 1 << 12);
    assert.equal(r.r32(C.IDXD_GENCFG_OFFSET), 1 << 12);
    r.cmd(C.IDXD_CMD.ENABLE_DEVICE);
    r.w32(C.IDXD_GENCFG_OFFSET, 0);
    assert.equal(r.r32(C.IDXD_GENCFG_OFFSET), 1 << 12);
    assert.match(r.anomalies.at(-1)!, /GENCFG is writable only while the device is disabled/);
  });

  it('no memory decode: reads return all 1s, writes are dropped, views still see', () => {
    const r = rig({ raw: true });
    assert.equal(r.r32(C.IDXD_VER_OFFSET), 0xffffffff);
    r.w32(C.IDXD_GENCTRL_OFFSET, 1);
    assert.equal(r.dev.bar0.peek32(C.IDXD_VER_OFFSET), 0x100);
    assert.equal(r.dev.bar0.peek32(C.IDXD_GENCTRL_OFFSET), 0);
    assert.match(r.anomalies[0]!, /Memory Space is off/);
  });

  it('unaligned accesses are reported and ignored', () => {
    const r = rig();
    r.dev.bar0.write32(C.IDXD_GENCTRL_OFFSET + 2, 1);
    assert.equal(r.r32(C.IDXD_GENCTRL_OFFSET), 0);
    assert.match(r.anomalies[0]!, /unaligned/);
  });
});
