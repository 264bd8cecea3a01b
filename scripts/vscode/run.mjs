#!/usr/bin/env node
// Runs the extension tests (test/vscode/suite) in a real VS Code, then the two checks that drive
// the workbench in a browser with the extension installed from its VSIX (test/vscode/e2e): the
// untrusted workspace, and a debugging session clicked through as a person does. Desktop VS Code
// through @vscode/test-electron when VSCODE_EXECUTABLE names one or `--runner electron` is given
// (it downloads VS Code); otherwise code-server in headless Chromium, installing what that needs
// into .cache/ on the first run.
//
//   node scripts/vscode/run.mjs [--runner code-server|electron]
//                               [--only tests|untrusted|workbench|e2e] [--update-screenshots]
//
// --only e2e runs both browser checks (untrusted and workbench). --update-screenshots copies the
// workbench check's screenshots that the docs show into docs/images/ after it passes.
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
    'usage: node scripts/vscode/run.mjs [--runner code-server|electron] ' +
      '[--only tests|untrusted|workbench|e2e] [--update-screenshots]',
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

/**
 * A fresh copy of the example to open as the workspace (nothing of a run lands in the repo), with
 * the examples' shared driver core beside it (lib/, which its driver requires as ../lib/idxd).
 */
function copyExample(dir) {
  const dest = path.join(dir, 'idxd-ims');
  cpSync(path.join(ROOT, 'examples', 'idxd-ims'), dest, { recursive: true });
  cpSync(path.join(ROOT, 'examples', 'lib'), path.join(dir, 'lib'), { recursive: true });
  return dest;
}

/**
 * A fresh copy of the example laid out as in the repository (examples/idxd-ims beside
 * types/kernel.d.ts, which its jsconfig.json includes), so the editor shows what it shows a person
 * who opens the example from a checkout: the kernel API typed, no spurious problems.
 */
function copyExampleAsInRepo(dir) {
  cpSync(path.join(ROOT, 'types'), path.join(dir, 'types'), { recursive: true });
  return copyExample(path.join(dir, 'examples'));
}

/** What `--only` selects: which of the three parts run. */
const ONLY = {
  tests: ['tests'],
  untrusted: ['untrusted'],
  workbench: ['workbench'],
  e2e: ['untrusted', 'workbench'],
};

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runner: { type: 'string' },
        only: { type: 'string' },
        'update-screenshots': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  const runner = chooseRunner(values.runner);
  if (values.only !== undefined && !Object.hasOwn(ONLY, values.only))
    usage(`unknown --only '${values.only}'`);
  const parts = new Set(
    values.only === undefined ? ['tests', 'untrusted', 'workbench'] : ONLY[values.only],
  );

  const t0 = Date.now();
  checkBuilt();
  const runDir = path.join(
    SCRATCH,
    'runs',
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`,
  );
  mkdirSync(runDir, { recursive: true });
  const testsIndex = parts.has('tests') ? await bundleSuite(path.join(runDir, 'suite')) : undefined;
  log(`runner: ${runner}; scratch: ${path.relative(ROOT, runDir)}`);

  const results = [];
  if (runner === 'electron') {
    const { runWithElectron } = await import('./electron.mjs');
    if (parts.has('tests')) {
      const code = await runWithElectron({
        folder: copyExample(path.join(runDir, 'tests')),
        extensionPath: ROOT,
        testsIndex,
        profileDir: path.join(runDir, 'tests'),
      });
      results.push(['extension tests', code]);
    }
    if (parts.has('untrusted') || parts.has('workbench')) {
      log(
        'the untrusted-workspace and workbench checks drive the workbench in a browser: run them with --runner code-server',
      );
    }
  } else {
    const { ensureCodeServerTools } = await import('./install.mjs');
    const { runExtensionTests } = await import('./code-server.mjs');
    const tools = await ensureCodeServerTools();
    if (parts.has('tests')) {
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
    // Both browser checks install the same package, made once.
    let vsix;
    const packaged = async () => {
      if (vsix === undefined) {
        const { packageVsix } = await import('./vsix.mjs');
        const t = Date.now();
        vsix = await packageVsix(path.join(runDir, 'ims-debug.vsix'));
        log(`packaged ${path.basename(vsix)} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }
      return vsix;
    };
    /** Runs one browser check in its own scratch folder with the package installed. */
    const browserCheck = async (part, label, check) => {
      if (!parts.has(part)) return;
      const scratch = path.join(runDir, part);
      mkdirSync(scratch, { recursive: true });
      const pkg = await packaged();
      const t = Date.now();
      const code = await check(scratch, pkg);
      log(`${label}: exit code ${code} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      results.push([label, code]);
    };
    await browserCheck('untrusted', 'untrusted workspace', async (scratch, pkg) => {
      const { checkUntrusted } = await import('../../test/vscode/e2e/untrusted.mjs');
      return checkUntrusted(tools, { scratch, folder: copyExample(scratch), vsix: pkg });
    });
    await browserCheck('workbench', 'workbench session', async (scratch, pkg) => {
      const { checkWorkbench } = await import('../../test/vscode/e2e/workbench.mjs');
      return checkWorkbench(tools, {
        scratch,
        folder: copyExampleAsInRepo(scratch),
        vsix: pkg,
        copyShotsTo: values['update-screenshots'] ? path.join(ROOT, 'docs', 'images') : undefined,
      });
    });
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
