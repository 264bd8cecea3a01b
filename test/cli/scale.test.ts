import { strict as assert } from 'node:assert';
import path from 'node:path';
import { EXAMPLE, FIXTURES, jsonLines, runCli, treeLines } from './support';

const TWO = path.join(FIXTURES, 'two-devices.conf');

describe('cli: several devices and IR units', () => {
  it('runs the example on two DSAs split across two IR units', () => {
    const r = runCli(['run', EXAMPLE, '--config', TWO, '--ir-units', '2', '--cpus', '8']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((r.stdout.match(/data verified/g) ?? []).length, 4, 'two WQs on each device');
    const tree = treeLines(r.stdout).join('\n');
    const ir1 = tree.indexOf('INTEL-IR-1');
    assert.ok(tree.indexOf('INTEL-IR-0') < tree.indexOf('IR-PCI-IDXD-0000:6a:01.0'));
    assert.ok(tree.indexOf('IR-PCI-IDXD-0000:6a:01.0') < ir1, 'dsa0 is below INTEL-IR-0');
    assert.ok(ir1 < tree.indexOf('IR-PCI-IDXD-0000:6f:01.0'), 'dsa1 is below INTEL-IR-1');
  });

  it('delivers each device’s IMS completions through its own IR unit', () => {
    const r = runCli(['run', EXAMPLE, '--config', TWO, '--ir-units', '2', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const ims = jsonLines(r.stdout).filter((e) => e.source === 'ims');
    assert.deepEqual([...new Set(ims.map((e) => e.bdf))].sort(), ['0000:6a:01.0', '0000:6f:01.0']);
    assert.ok(ims.every((e) => e.kind === 'delivered'));
  });

  it('adds a device the config does not name, which the example configures itself', () => {
    const r = runCli(['run', EXAMPLE, '--devices', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /0000:6f:01\.0: no accel-config: using one dedicated kernel WQ/);
  });

  it('refuses fewer devices than the config names, and out-of-range counts, naming the option', () => {
    const few = runCli(['run', EXAMPLE, '--config', TWO, '--devices', '1']);
    assert.equal(few.status, 2);
    assert.match(few.stderr, /--devices/);
    assert.match(few.stderr, /names dsa1, so at least 2 devices are needed/);
    for (const [opt, v] of [
      ['--devices', '9'],
      ['--ir-units', '0'],
    ] as const) {
      const bad = runCli(['run', EXAMPLE, opt, v]);
      assert.equal(bad.status, 2, `${opt} ${v}`);
      assert.match(bad.stderr, new RegExp(opt));
    }
  });
});
