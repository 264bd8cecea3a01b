import { strict as assert } from 'node:assert';
import {
  formatOpMask,
  grpcfgFor,
  parseOpMask,
  resolveCaps,
  SPR_DSA_CAPS,
  wqcfgDwords,
  wqcfgFor,
  type GroupConfig,
  type WqConfig,
} from '../../../src/platform/accel-config';
import { opcodesOutside } from '../../../src/platform/accel-config/opmask';

function wq(overrides: Partial<WqConfig>): WqConfig {
  return {
    id: 0,
    group: 0,
    mode: 'dedicated',
    size: 16,
    threshold: 0,
    priority: 1,
    block_on_fault: false,
    max_transfer_size: 2097152,
    max_batch_size: 32,
    type: 'user',
    name: 'w',
    driver_name: 'user',
    ats_disable: false,
    prs_disable: false,
    op_config: null,
    ...overrides,
  };
}

function group(overrides: Partial<GroupConfig>): GroupConfig {
  return {
    id: 0,
    wqs: [],
    engines: [],
    read_buffers_reserved: 0,
    read_buffers_allowed: 96,
    use_read_buffer_limit: false,
    traffic_class_a: 1,
    traffic_class_b: 1,
    desc_progress_limit: 0,
    batch_progress_limit: 0,
    ...overrides,
  };
}

/** WQCFG dword 2 of a WQ. */
function dword2(w: WqConfig, caps = SPR_DSA_CAPS, systemPasid = 0): number {
  return wqcfgDwords(wqcfgFor(w, caps, systemPasid))[2]!;
}

describe('accel-config: WQCFG and GRPCFG encodings', () => {
  it('gives a dedicated kernel WQ the system PASID, pasid_en and priv', () => {
    const f = wqcfgFor(wq({ type: 'kernel', priority: 9 }), SPR_DSA_CAPS, 5);
    assert.deepEqual([f.mode, f.pasid, f.pasid_en, f.priv, f.priority], [1, 5, 1, 1, 9]);
    // b0 mode, [7:4] priority, [27:8] pasid, b28 pasid_en, b29 priv
    assert.equal(dword2(wq({ type: 'kernel', priority: 9 }), SPR_DSA_CAPS, 5), 0x30000591);
  });

  it('leaves PASID to the opener for dedicated user WQs and needs a driver type for it', () => {
    assert.equal(dword2(wq({ type: 'user' })), 0x11);
    assert.equal(dword2(wq({ mode: 'shared', type: 'none', threshold: 4 })), 0x10);
    assert.equal(dword2(wq({ mode: 'shared', type: 'user', threshold: 4 })), 0x10000010);
  });

  it('sets no PASID bits when PASID is off', () => {
    const caps = resolveCaps({ pasidEnabled: false });
    assert.equal(dword2(wq({ type: 'kernel' }), caps, 5), 0x20000011);
  });

  it('places bof, ats_disable and prs_disable at bits 1, 2 and 3 of dword 2', () => {
    assert.equal(dword2(wq({ block_on_fault: true })), 0x13);
    assert.equal(dword2(wq({ ats_disable: true })), 0x15);
    assert.equal(dword2(wq({ prs_disable: true })), 0x19);
  });

  it('writes the size, threshold and the two shifts', () => {
    const dw = wqcfgDwords(
      wqcfgFor(
        wq({
          mode: 'shared',
          size: 128,
          threshold: 127,
          max_transfer_size: 2 ** 31,
          max_batch_size: 1024,
        }),
        SPR_DSA_CAPS,
      ),
    );
    assert.deepEqual([...dw.slice(0, 4)].map(Number), [128, 127, 0x10000010, 31 | (10 << 5)]);
  });

  it('adds the op_config dwords (8..15) for a 64-byte WQCFG', () => {
    const dw = wqcfgDwords(
      wqcfgFor(wq({ op_config: [0x1_003f_027dn, 0n, 0xffn << 32n, 1n << 63n] }), SPR_DSA_CAPS),
    );
    assert.equal(dw.length, 16);
    assert.deepEqual([...dw.slice(8)], [0x3f027d, 1, 0, 0, 0, 0xff, 0, 0x80000000]);
  });

  it('builds the GRPCFG bitmaps from WQ and engine ids', () => {
    const r = grpcfgFor(group({ wqs: [0, 63, 64, 130, 255], engines: [0, 3] }));
    assert.deepEqual(r.wqs, [(1n << 63n) | 1n, 1n, 1n << 2n, 1n << 63n]);
    assert.equal(r.engines, 0x9n);
  });

  it('packs every GRPFLGCFG field at its place, progress limits above bit 31', () => {
    const r = grpcfgFor(
      group({
        traffic_class_a: 7,
        traffic_class_b: 5,
        use_read_buffer_limit: true,
        read_buffers_reserved: 0xab,
        read_buffers_allowed: 0xcd,
        desc_progress_limit: 3,
        batch_progress_limit: 2,
      }),
    );
    assert.equal(r.flags, 0x23_0cd0_abafn);
  });
});

describe('accel-config: opcode masks', () => {
  it('reads and prints the kernel %*pb bitmap, most significant word first', () => {
    const text = '00000000,00000000,00000000,00000000,00000000,00000000,00000001,003f027d';
    const mask = parseOpMask(text);
    assert.deepEqual(mask, [0x1_003f_027dn, 0n, 0n, 0n]);
    assert.equal(formatOpMask(mask), text);
  });

  it('takes fewer words as the low ones, and spaces as separators', () => {
    assert.deepEqual(parseOpMask('ff 00000001'), [0xff_0000_0001n, 0n, 0n, 0n]);
    assert.deepEqual(parseOpMask('80000000,0,0,0,0,0,0,0'), [0n, 0n, 0n, 1n << 63n]);
  });

  it('refuses malformed masks', () => {
    assert.throws(() => parseOpMask('0x1'), RangeError);
    assert.throws(() => parseOpMask('1,2,3,4,5,6,7,8,9'), RangeError);
  });

  it('lists the opcodes a mask has beyond another', () => {
    assert.deepEqual(opcodesOutside([0b1011n, 0n, 0n, 1n], [0b0001n, 0n, 0n, 0n]), [1, 3, 192]);
  });
});
