// Bundles the entry points into dist/: the extension, the standalone DAP server (stdio), the
// model worker the debugger runs, the ims-debug CLI, and the interrupt timeline's webview script
// (for the browser). `node esbuild.mjs cli worker` builds only the named ones; `--watch` keeps
// rebuilding.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  extension: 'src/extension/extension.ts',
  adapter: 'src/adapter/main.ts',
  worker: 'src/runtime/worker/main.ts',
  cli: 'src/cli/main.ts',
  timeline: 'src/extension/timeline/webview/main.ts',
};

/** Entry points that run in a webview, not in Node. */
const browser = {
  timeline: { platform: 'browser', target: 'chrome120', format: 'iife', external: [] },
};

const watch = process.argv.includes('--watch');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const name of only) {
  if (!(name in entries)) {
    console.error(
      `esbuild: unknown entry point '${name}' (one of ${Object.keys(entries).join(', ')})`,
    );
    process.exit(1);
  }
}
const selected = Object.entries(entries).filter(
  ([name]) => only.length === 0 || only.includes(name),
);
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

const missing = selected.filter(([, src]) => !existsSync(src));
if (missing.length > 0) {
  console.error(
    `esbuild: missing entry points: ${missing.map(([n, s]) => `${n} (${s})`).join(', ')}`,
  );
  process.exit(1);
}

const builds = selected.map(([name, src]) => ({
  ...common,
  entryPoints: [src],
  outfile: `dist/${name}.js`,
  ...(name === 'cli' ? { banner: { js: '#!/usr/bin/env node' } } : {}),
  ...(browser[name] ?? {}),
}));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
