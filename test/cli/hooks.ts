/**
 * Mocha root hooks of the CLI tests: bundle the CLI's entry alone (the other entry points of
 * the full build need not exist) to dist/cli.js through esbuild.mjs itself, so
 * that the tests run the real `ims-debug` bin as a child process.
 */
import { execFileSync } from 'node:child_process';
import { repoRoot } from './support';

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    this.timeout(120_000);
    execFileSync(process.execPath, ['esbuild.mjs', 'cli'], { cwd: repoRoot, stdio: 'inherit' });
  },
};
