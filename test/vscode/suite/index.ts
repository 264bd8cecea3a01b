/**
 * The extension-tests entry point VS Code loads (`extensionTestsPath`): runs every `*.test.js`
 * bundled beside it with mocha inside the extension host. VS Code calls `run()` and reports a
 * rejection as a failed run (exit code 1). Both runners in scripts/vscode load it unchanged.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js beside ${__filename}`));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} VS Code extension test(s) failed`));
      else resolve();
    });
  });
}
