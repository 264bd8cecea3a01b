/**
 * Which files the model loader loads as model files: the program, the files it reaches by
 * relative requires wherever they are (a library beside the model's folder), not a file with a
 * node_modules segment in its path, and not an absolute path outside the model's folder. Both
 * modes (instrumented for debugging, plain for headless runs) load the same files the same way.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelLoader, NO_HOOKS } from '../../../src/runtime/loader';

describe('model loader: model files', () => {
  let dir: string;
  let program: string;
  const file = (rel: string, text: string): string => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loader-'));
    file('lib/helper.js', "exports.twice = (x) => x * 2;\nexports.more = require('./more');\n");
    file('lib/more.js', 'module.exports = 3;\n');
    file('node_modules/pkg/index.js', 'module.exports = 4;\n');
    file('outside.js', 'module.exports = 5;\n');
    program = file(
      'model/driver.js',
      [
        "const { twice, more } = require('../lib/helper');",
        "const pkg = require('../node_modules/pkg');",
        `const outside = require(${JSON.stringify(path.join(dir, 'outside.js'))});`,
        'module.exports = [twice(1), more, pkg, outside];',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const instrument of [false, true]) {
    it(`loads a relatively required library outside the model's folder as a model file (${instrument ? 'instrumented' : 'plain'})`, () => {
      const loader = new ModelLoader(path.dirname(program), instrument, NO_HOOKS);
      assert.deepEqual(loader.load(program), [2, 3, 4, 5]);
      assert.deepEqual(
        loader.files.map((f) => path.relative(dir, f.file)),
        [
          path.join('model', 'driver.js'),
          path.join('lib', 'helper.js'),
          path.join('lib', 'more.js'),
        ],
      );
      assert.equal(loader.isModelFile(path.join(dir, 'lib', 'helper.js')), true);
      assert.equal(loader.isModelFile(path.join(dir, 'outside.js')), false);
      assert.equal(loader.isModelFile(path.join(dir, 'node_modules', 'pkg', 'index.js')), false);
      const sites = loader.files[1]!.transform.sites;
      if (instrument) assert.ok(sites.length > 0, 'the library is instrumented');
    });
  }
});
