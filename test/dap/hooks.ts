/**
 * Mocha root hooks of the DAP tests: bundle the adapter and the model worker through
 * esbuild.mjs, so the tests drive the real `node dist/adapter.js` even when run alone.
 */
import { execFileSync } from 'node:child_process';
import { ROOT } from './harness';

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    this.timeout(120_000);
    execFileSync(process.execPath, ['esbuild.mjs', 'adapter', 'worker'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  },
};
