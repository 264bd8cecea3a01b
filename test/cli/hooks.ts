/**
 * Mocha root hooks of the CLI tests: bundle the CLI's entry alone (the other entry points of
 * the full build need not exist) to dist/cli.js, with the options esbuild.mjs uses for it, so
 * that the tests run the real `ims-debug` bin as a child process.
 */
import * as esbuild from 'esbuild';
import { CLI_JS, repoRoot } from './support';
import path from 'node:path';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'src/cli/main.ts')],
      outfile: CLI_JS,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      logLevel: 'warning',
      external: ['vscode'],
      mainFields: ['module', 'main'],
      banner: { js: '#!/usr/bin/env node' },
    });
  },
};
