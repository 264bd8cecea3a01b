// Bundles the extension tests (test/vscode/suite) into CommonJS files the extension host loads:
// index.js (the `run()` entry VS Code calls) and one file per *.test.ts, with mocha inside, so
// the bundle runs wherever it is written.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { ROOT } from './paths.mjs';

const SUITE = path.join(ROOT, 'test', 'vscode', 'suite');

/**
 * Bundles the suite into `outDir`; returns the path of its index.js.
 * @throws Error with esbuild's messages when a file does not compile
 */
export async function bundleSuite(outDir) {
  const tests = readdirSync(SUITE).filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: [path.join(SUITE, 'index.ts'), ...tests.map((f) => path.join(SUITE, f))],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // The extension host provides `vscode`; mocha's optional ESM loader is never used here.
    external: ['vscode'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    // Mocha's parallel mode (worker files found with require.resolve) is not used.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return path.join(outDir, 'index.js');
}
