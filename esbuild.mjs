// Bundles the four entry points into dist/: the extension, the standalone DAP server (stdio),
// the model worker the debugger runs, and the ims-debug CLI.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  extension: 'src/extension/extension.ts',
  adapter: 'src/adapter/main.ts',
  worker: 'src/runtime/worker/main.ts',
  cli: 'src/cli/main.ts',
};

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
  // Prefer ES module entries: some dependencies' UMD builds hide their requires from the bundler.
  mainFields: ['module', 'main'],
};

const missing = Object.entries(entries).filter(([, src]) => !existsSync(src));
if (missing.length > 0) {
  console.error(
    `esbuild: missing entry points: ${missing.map(([n, s]) => `${n} (${s})`).join(', ')}`,
  );
  process.exit(1);
}

const builds = Object.entries(entries).map(([name, src]) => ({
  ...common,
  entryPoints: [src],
  outfile: `dist/${name}.js`,
  ...(name === 'cli' ? { banner: { js: '#!/usr/bin/env node' } } : {}),
}));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
