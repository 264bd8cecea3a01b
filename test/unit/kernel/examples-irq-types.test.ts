/**
 * The interrupt examples (msix-dynamic, msix-reenable, affinity) type-check against kernel.d.ts
 * through their own jsconfig.json, as VS Code checks them.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import ts from 'typescript';
import { DTS, ROOT, formatDiagnostics } from './dts';

for (const name of ['msix-dynamic', 'msix-reenable', 'affinity']) {
  describe(`kernel: examples/${name} type-checks against kernel.d.ts`, () => {
    const jsconfig = path.join(ROOT, 'examples', name, 'jsconfig.json');

    it('has no type errors', () => {
      const read = ts.readConfigFile(jsconfig, (f) => ts.sys.readFile(f));
      assert.equal(read.error, undefined);
      const cfg = ts.parseJsonConfigFileContent(
        read.config,
        ts.sys,
        path.dirname(jsconfig),
        undefined,
        jsconfig,
      );
      const files = cfg.fileNames.map((f) => path.resolve(f));
      assert.ok(files.includes(DTS), 'kernel.d.ts not included');
      assert.ok(files.includes(path.join(ROOT, 'examples', name, 'driver.js')));
      const program = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options });
      assert.deepEqual(formatDiagnostics(ts.getPreEmitDiagnostics(program)), []);
    });
  });
}
