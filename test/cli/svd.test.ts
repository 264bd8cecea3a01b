import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_CONFIG, FIXTURES, runCli } from './support';

describe('cli: ims-debug svd', () => {
  it('writes one DSA peripheral and its IMS table per device, at the BARs a run uses', () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'svd-')), 'dsa.svd');
    const r = runCli(['svd', '--config', path.join(FIXTURES, 'two-devices.conf'), '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    const xml = readFileSync(out, 'utf8');
    assert.match(xml, /^<\?xml version="1\.0"/);
    const peripherals = [...xml.matchAll(/<peripheral>\s*<name>([^<]+)<\/name>/g)].map((m) => m[1]);
    assert.deepEqual(peripherals, ['DSA0', 'DSA0_IMS', 'DSA1', 'DSA1_IMS']);
    assert.match(xml, /<baseAddress>0xE0000000<\/baseAddress>/i);
    assert.match(xml, /<baseAddress>0xE1000000<\/baseAddress>/i);
  });

  it('prints to stdout, and refuses a bad option or config with exit status 2', () => {
    const r = runCli(['svd', '--config', EXAMPLE_CONFIG]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /<name>GENCAP[^<]*<\/name>/);
    assert.equal(runCli(['svd', '--devices', '0']).status, 2);
    const bad = runCli(['svd', '--config', path.join(FIXTURES, 'wq-too-big.conf')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /wq-too-big\.conf:\d+:\d+/);
  });
});
