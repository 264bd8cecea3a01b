#!/usr/bin/env node
// Runs the extension tests (test/vscode/suite) in a real VS Code, then the untrusted-workspace
// check. Desktop VS Code through @vscode/test-electron when VSCODE_EXECUTABLE names one or
// `--runner electron` is given (it downloads VS Code); otherwise code-server in headless
// Chromium, installing what that needs into .cache/ on the first run.
//
//   node scripts/vscode/run.mjs [--runner code-server|electron] [--only tests|untrusted]
//
// The extension under test is this folder with dist/ built by `npm run build`. Environment:
// IMS_VSCODE_RUNNER (code-server | electron), VSCODE_EXECUTABLE, VSCODE_VERSION (electron),
// IMS_VSCODE_CACHE (instead of .cache/), IMS_VSCODE_TIMEOUT_MS (the extension tests' limit,
// default 300000), IMS_VSCODE_KEEP=1 (keep the run's scratch folder after a pass; a failed
// run's is always kept, with logs and a screenshot).
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleSuite } from './bundle.mjs';
import { ROOT, SCRATCH } from './paths.mjs';

const TESTS_TIMEOUT_MS = Number(process.env.IMS_VSCODE_TIMEOUT_MS ?? 300_000);

function log(text) {
  console.log(`[vscode-test] ${text}`);
}

function usage(message) {
  console.error(`run.mjs: ${message}`);
  console.error(
    'usage: node scripts/vscode/run.mjs [--runner code-server|electron] [--only tests|untrusted]',
  );
  process.exit(2);
}

/** The runner to use: the flag, else desktop VS Code when VSCODE_EXECUTABLE names one. */
function chooseRunner(flag) {
  if (flag !== undefined) {
    if (flag !== 'code-server' && flag !== 'electron') usage(`unknown runner '${flag}'`);
    return flag;
  }
  const env = process.env.IMS_VSCODE_RUNNER;
  if (env === 'code-server' || env === 'electron') return env;
  return process.env.VSCODE_EXECUTABLE ? 'electron' : 'code-server';
}

/** dist/ must hold the extension as `npm run build` makes it. */
function checkBuilt() {
  const needed = ['extension.js', 'adapter.js', 'worker.js'].map((f) => path.join(ROOT, 'dist', f));
  const missing = needed.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `${missing.map((f) => path.relative(ROOT, f)).join(', ')} missing: run "npm run build" first`,
    );
  }
}

/** A fresh copy of the example to open as the workspace (nothing of a run lands in the repo). */
function copyExample(dir) {
  const dest = path.join(dir, 'idxd-ims');
  cpSync(path.join(ROOT, 'examples', 'idxd-ims'), dest, { recursive: true });
  return dest;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { runner: { type: 'string' }, only: { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  const runner = chooseRunner(values.runner);
  const only = values.only;
  if (only !== undefined && only !== 'tests' && only !== 'untrusted')
    usage(`unknown --only '${only}'`);

  const t0 = Date.now();
  checkBuilt();
  const runDir = path.join(
    SCRATCH,
    'runs',
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`,
  );
  mkdirSync(runDir, { recursive: true });
  const testsIndex = await bundleSuite(path.join(runDir, 'suite'));
  log(`runner: ${runner}; scratch: ${path.relative(ROOT, runDir)}`);

  const results = [];
  if (runner === 'electron') {
    const { runWithElectron } = await import('./electron.mjs');
    if (only !== 'untrusted') {
      const code = await runWithElectron({
        folder: copyExample(path.join(runDir, 'tests')),
        extensionPath: ROOT,
        testsIndex,
        profileDir: path.join(runDir, 'tests'),
      });
      results.push(['extension tests', code]);
    }
    if (only !== 'tests') {
      log(
        'the untrusted-workspace check drives the workbench in a browser: run it with --runner code-server',
      );
    }
  } else {
    const { ensureCodeServerTools } = await import('./install.mjs');
    const { runExtensionTests } = await import('./code-server.mjs');
    const tools = await ensureCodeServerTools();
    if (only !== 'untrusted') {
      const t = Date.now();
      const scratch = path.join(runDir, 'tests');
      const code = await runExtensionTests(tools, {
        scratch,
        folder: copyExample(scratch),
        extensionPath: ROOT,
        testsIndex,
        timeoutMs: TESTS_TIMEOUT_MS,
      });
      log(`extension tests: exit code ${code} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      results.push(['extension tests', code]);
    }
    if (only !== 'tests') {
      const t = Date.now();
      const { checkUntrusted } = await import('../../test/vscode/e2e/untrusted.mjs');
      const { packageVsix } = await import('./vsix.mjs');
      const scratch = path.join(runDir, 'untrusted');
      mkdirSync(scratch, { recursive: true });
      const vsix = await packageVsix(path.join(scratch, 'ims-debug.vsix'));
      const code = await checkUntrusted(tools, { scratch, folder: copyExample(scratch), vsix });
      log(`untrusted workspace: exit code ${code} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      results.push(['untrusted workspace', code]);
    }
  }
  const failed = results.filter(([, c]) => c !== 0);
  log(
    `${results.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (failed.length === 0 && process.env.IMS_VSCODE_KEEP !== '1')
    rmSync(runDir, { recursive: true, force: true });
  // The first failure's own code (codeAutomationExit's, or VS Code's exit code).
  return failed[0]?.[1] ?? 0;
}

// Ctrl+C or a CI kill: exit through process.exit so the code-server group is taken down too.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[vscode-test] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
