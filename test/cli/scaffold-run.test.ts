/**
 * A model created from an example (Create Driver Model from Example…, its vscode-free half) runs
 * with the real CLI as the bundled example does: the examples that require the driver core find
 * it in the lib/ folder written beside the new model's folder.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scaffoldFiles, type ScaffoldFile } from '../../src/extension/model/scaffold';
import { repoRoot, runCli } from './support';

const EXAMPLES = path.join(repoRoot, 'examples');

function files(dir: string): ScaffoldFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ path: e.name, text: readFileSync(path.join(dir, e.name), 'utf8') }));
}

describe('cli: a model created from an example', () => {
  const lib = files(path.join(EXAMPLES, 'lib'));
  const kernelTypes = readFileSync(path.join(repoRoot, 'types', 'kernel.d.ts'), 'utf8');
  let top: string;
  before(() => {
    top = mkdtempSync(path.join(os.tmpdir(), 'ims-created-'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  const examples = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'lib')
    .map((e) => e.name);
  for (const name of examples) {
    it(`runs ${name} as the bundled example runs`, () => {
      const dir = path.join(top, name);
      for (const f of scaffoldFiles(files(path.join(EXAMPLES, name)), kernelTypes, lib)) {
        mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        writeFileSync(path.join(dir, f.path), f.text);
      }
      const created = runCli(['run', path.join(dir, 'driver.js')]);
      const bundled = runCli(['run', path.join(EXAMPLES, name, 'driver.js')]);
      assert.equal(created.status, 0, created.stderr);
      assert.equal(created.stdout, bundled.stdout);
    });
  }
});
