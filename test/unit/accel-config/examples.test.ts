import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  grpcfgFor,
  parseAccelConfig,
  SPR_DSA_CAPS,
  wqcfgDwords,
  wqcfgFor,
  type DeviceConfig,
} from '../../../src/platform/accel-config';
import { EXAMPLES_DIR } from './helpers';

const present = existsSync(EXAMPLES_DIR);
const files = present ? readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.conf')) : [];

function load(name: string): DeviceConfig {
  const { devices, warnings } = parseAccelConfig(
    readFileSync(join(EXAMPLES_DIR, name), 'utf8'),
    name,
  );
  assert.deepEqual(warnings, []);
  assert.equal(devices.length, 1);
  return devices[0]!;
}

/** WQCFG dwords 0..3 of a WQ (4..7 stay 0 without op_config). */
function wqcfg(device: DeviceConfig, id: number): string[] {
  const wq = device.wqs.find((w) => w.id === id)!;
  const dw = wqcfgDwords(wqcfgFor(wq, SPR_DSA_CAPS));
  assert.equal(dw.length, 8);
  assert.deepEqual([...dw.slice(4)], [0, 0, 0, 0]);
  return [...dw.slice(0, 4)].map((d) => d.toString(16));
}

describe('accel-config: the real example files', () => {
  it('finds the example folder with its .conf files', () => {
    assert.ok(
      present,
      `the example accel-config files are missing: expected them in ${EXAMPLES_DIR}`,
    );
    assert.deepEqual(files.sort(), ['app_profile.conf', 'os_profile.conf', 'storage_profile.conf']);
  });

  for (const name of files) {
    it(`loads ${name} without errors or warnings`, () => {
      load(name);
    });
  }

  it('normalizes os_profile.conf with the Linux defaults of an SPR DSA', () => {
    const d = load('os_profile.conf');
    assert.equal(d.name, 'dsa0');
    assert.equal(d.index, 0);
    assert.equal(d.read_buffer_limit, 0);
    assert.equal(d.event_log_size, null);
    assert.deepEqual(d.wqs, [
      {
        id: 0,
        group: 0,
        mode: 'shared',
        size: 16,
        threshold: 15,
        priority: 10,
        block_on_fault: false,
        max_transfer_size: 2097152,
        max_batch_size: 32,
        type: 'kernel',
        name: 'dmaengine',
        driver_name: 'dmaengine',
        ats_disable: false,
        prs_disable: false,
        op_config: null,
      },
    ]);
    assert.deepEqual(d.engines, [{ id: 0, group: 0 }]);
    assert.equal(d.groups.length, 4);
    assert.deepEqual(d.groups[0], {
      id: 0,
      wqs: [0],
      engines: [0],
      read_buffers_reserved: 0,
      read_buffers_allowed: 96,
      use_read_buffer_limit: false,
      traffic_class_a: 1,
      traffic_class_b: 1,
      desc_progress_limit: 0,
      batch_progress_limit: 0,
    });
    assert.deepEqual(
      d.groups.slice(1).map((g) => [g.id, g.wqs, g.engines]),
      [
        [1, [], []],
        [2, [], []],
        [3, [], []],
      ],
    );
  });

  it('encodes os_profile.conf: a shared kernel WQ gets pasid_en and priv', () => {
    // size 16, thresh 15, dword 2 = priority 10 << 4 | pasid_en << 28 | priv << 29,
    // dword 3 = max_xfer_shift 21 | max_batch_shift 5 << 5.
    assert.deepEqual(wqcfg(load('os_profile.conf'), 0), ['10', 'f', '300000a0', 'b5']);
  });

  it('encodes app_profile.conf: shared user WQs get pasid_en, not priv', () => {
    const d = load('app_profile.conf');
    assert.deepEqual(wqcfg(d, 0), ['8', '6', '100000a0', 'ae']);
    assert.deepEqual(wqcfg(d, 1), ['20', '1c', '100000a0', 'b5']);
  });

  it('encodes storage_profile.conf: dedicated user WQs, threshold 0, no PASID yet', () => {
    const d = load('storage_profile.conf');
    assert.deepEqual(wqcfg(d, 0), ['20', '0', 'a1', 'ae']);
    assert.deepEqual(wqcfg(d, 1), ['20', '0', 'a1', 'b5']);
  });

  it('encodes the groups of app_profile.conf: one WQ and one engine each', () => {
    const d = load('app_profile.conf');
    // tc_a 1, tc_b 1 (DSA 1.0 without tc_override), rdbufs_allowed 96 << 20.
    assert.deepEqual(grpcfgFor(d.groups[0]!), {
      wqs: [1n, 0n, 0n, 0n],
      engines: 1n,
      flags: 0x06000009n,
    });
    assert.deepEqual(grpcfgFor(d.groups[1]!), {
      wqs: [2n, 0n, 0n, 0n],
      engines: 2n,
      flags: 0x06000009n,
    });
    assert.deepEqual(grpcfgFor(d.groups[2]!), {
      wqs: [0n, 0n, 0n, 0n],
      engines: 0n,
      flags: 0x06000009n,
    });
  });
});
