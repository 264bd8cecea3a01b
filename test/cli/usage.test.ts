/** `ims-debug --version` and `--help`. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli } from './support';

describe('ims-debug: version and help', () => {
  it('--version prints the package version and exits 0', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = runCli(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('--help shows the run command and an example, and exits 0', () => {
    const r = runCli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: ims-debug/);
    assert.match(r.stdout, /\brun \[options\] <model>/);
    assert.match(r.stdout, /\$ ims-debug run examples\/idxd-ims\/driver\.js/);
  });

  it('run --help lists the options', () => {
    const r = runCli(['run', '--help']);
    assert.equal(r.status, 0);
    for (const option of [
      '--config <file>',
      '--cpus <n>',
      '--dmar-fault-irq',
      '--json',
      '--verbose',
    ])
      assert.ok(r.stdout.includes(option), option);
  });

  it('without a command prints the help on stderr and exits 2', () => {
    const r = runCli([]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Usage: ims-debug/);
  });
});
