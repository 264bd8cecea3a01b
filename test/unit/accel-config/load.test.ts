import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import {
  AccelConfigError,
  SPR_DSA_CAPS,
  summarizeDevices,
} from '../../../src/platform/accel-config';
import { loadAccelConfig } from '../../../src/runtime/accel-config-file';
import { FIXTURES_DIR } from './helpers';

describe('accel-config: loading files', () => {
  it('loads a file and names it by the path it was given', () => {
    const path = join(FIXTURES_DIR, 'size-over-total.conf');
    assert.throws(
      () => loadAccelConfig(path),
      (e: unknown) =>
        e instanceof AccelConfigError &&
        e.errors.length === 1 &&
        e.message ===
          `${path}:12:20: dsa0 › group0.0 › wq0.0: "size": 300 exceeds the device's total WQ size 128`,
    );
  });

  it('checks against the caps it is given', () => {
    const { devices } = loadAccelConfig(join(FIXTURES_DIR, 'size-over-total.conf'), {
      totalWqSize: 512,
    });
    assert.equal(devices[0]!.wqs[0]!.size, 300);
  });

  it('reports an unreadable file as a config error, not a bare exception', () => {
    const path = join(FIXTURES_DIR, 'no-such-file.conf');
    assert.throws(
      () => loadAccelConfig(path),
      (e: unknown) =>
        e instanceof AccelConfigError &&
        e.message.startsWith(`${path}:1:1: cannot read the file: ENOENT`),
    );
  });

  it('summarizes devices as plain JSON, with the register values in hex', () => {
    const { devices } = loadAccelConfig(join(FIXTURES_DIR, 'trailing-commas.conf'));
    const summary = summarizeDevices(devices, SPR_DSA_CAPS);
    assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
    const d = summary[0]!;
    assert.equal(d.dev, 'dsa0');
    assert.deepEqual(
      d.wqs.map((w) => [w.dev, w.op_config, w.wqcfg.slice(0, 4)]),
      [['wq0.0', null, ['0x00000010', '0x00000000', '0x30000051', '0x000000b5']]],
    );
    assert.deepEqual(d.groups[0]!.grpcfg, {
      wqs: ['0x0000000000000001', '0x0000000000000000', '0x0000000000000000', '0x0000000000000000'],
      engines: '0x0000000000000001',
      flags: '0x0000000006000009',
    });
    assert.deepEqual(d.engines, [{ dev: 'engine0.0', group: 0 }]);
  });
});
