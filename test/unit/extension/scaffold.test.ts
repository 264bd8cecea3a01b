import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import {
  KERNEL_TYPES_PATH,
  SHARED_LIB_DIR,
  exampleTitle,
  freeName,
  scaffoldFiles,
  sortExamples,
  type ScaffoldFile,
} from '../../../src/extension/model/scaffold';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const KERNEL_TYPES = readFileSync(path.join(ROOT, 'types', 'kernel.d.ts'), 'utf8');

function exampleFiles(name: string): ScaffoldFile[] {
  const dir = path.join(EXAMPLES, name);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ path: e.name, text: readFileSync(path.join(dir, e.name), 'utf8') }));
}

/** The type errors VS Code's JavaScript support would show in a folder (its jsconfig.json). */
function problems(dir: string): string[] {
  const configPath = path.join(dir, 'jsconfig.json');
  const read = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  assert.equal(read.error, undefined);
  const cfg = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, configPath);
  const program = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options });
  return [...cfg.errors, ...ts.getPreEmitDiagnostics(program)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

describe('extension: creating a model from an example', () => {
  const examples = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'lib')
    .map((e) => e.name);
  const lib = exampleFiles('lib');

  it('titles an example with the first sentence of its header comment', () => {
    const title = exampleTitle(readFileSync(path.join(EXAMPLES, 'starter', 'driver.js'), 'utf8'));
    assert.equal(title, 'A starting point for a driver model');
    assert.equal(exampleTitle('/*\n * One: two.\n */'), 'One');
    assert.equal(exampleTitle('no comment'), '');
  });

  it('offers the starter first, then the examples by name', () => {
    const sorted = sortExamples(examples.map((name) => ({ name, title: '' }))).map((e) => e.name);
    assert.equal(sorted[0], 'starter');
    assert.deepEqual(sorted.slice(1), [...sorted.slice(1)].sort());
  });

  it('picks a folder name that is not taken', () => {
    assert.equal(
      freeName('starter', () => false),
      'starter',
    );
    const taken = new Set(['starter', 'starter-2']);
    assert.equal(
      freeName('starter', (n) => taken.has(n)),
      'starter-3',
    );
  });

  it('refuses an example without driver.js', () => {
    assert.throws(() => scaffoldFiles([{ path: 'x.conf', text: '' }], KERNEL_TYPES), /driver\.js/);
  });

  for (const name of examples) {
    it(`creates ${name} as a folder the editor types without problems`, () => {
      const example = exampleFiles(name);
      const files = scaffoldFiles(example, KERNEL_TYPES, lib);
      const jsconfig = files.find((f) => f.path === 'jsconfig.json')!.text;
      assert.ok(jsconfig.includes(KERNEL_TYPES_PATH), jsconfig);
      assert.ok(
        !jsconfig.split(SHARED_LIB_DIR).join('').includes('../'),
        'nothing outside the folder but the shared lib',
      );
      assert.equal(files.find((f) => f.path === KERNEL_TYPES_PATH)?.text, KERNEL_TYPES);
      // The shared driver core comes beside the folder exactly when the example requires it.
      const required = example.some((f) => f.text.includes(`require('${SHARED_LIB_DIR}idxd')`));
      assert.equal(
        files.some((f) => f.path === `${SHARED_LIB_DIR}idxd.js`),
        required,
        'lib/idxd.js beside the model when its driver requires it',
      );
      const top = mkdtempSync(path.join(os.tmpdir(), 'ims-scaffold-'));
      const dir = path.join(top, name);
      try {
        for (const f of files) {
          mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
          writeFileSync(path.join(dir, f.path), f.text);
        }
        assert.deepEqual(problems(dir), []);
        // The check can fail: a wrong call to the kernel API is reported.
        writeFileSync(path.join(dir, 'wrong.js'), 'readl();\n');
        assert.ok(problems(dir).some((p) => /argument/.test(p)));
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    });
  }
});
