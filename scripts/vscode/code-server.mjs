// Runs VS Code's workbench from code-server in headless Chromium, for machines without a desktop
// VS Code. code-server starts in its own process group with every folder it writes in a scratch
// directory; the browser opens the workbench on a folder, with the extension under development
// and (for extension tests) the smoke-test driver, whose `codeAutomationLog` carries the
// extension host's console and `codeAutomationExit` the tests' result.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { format } from 'node:util';
import { run } from './proc.mjs';

const SERVER_START_MS = 60_000;
const WORKBENCH_MS = 90_000;

/** User settings for a quiet, offline workbench. */
function userSettings(trust) {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'npm.autoDetect': 'off',
    'typescript.tsserver.experimental.enableProjectDiagnostics': false,
    'security.workspace.trust.enabled': trust,
    // Open the folder in Restricted Mode without the startup question.
    'security.workspace.trust.startupPrompt': 'never',
  };
}

function log(text) {
  console.log(`[code-server] ${text}`);
}

/** code-server's environment: every folder it writes in is in the scratch directory. */
function serverEnv(dirs) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
  };
}

/** Installs a packaged extension into the launch's extensions folder, as a user would. */
async function installVsix(tools, dirs, vsix) {
  const t0 = Date.now();
  await run(
    tools.node24,
    [
      tools.codeServerEntry,
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--install-extension',
      vsix,
    ],
    { env: serverEnv(dirs), stdio: ['ignore', 'ignore', 'inherit'] },
  );
  log(`installed ${path.basename(vsix)} (${Date.now() - t0} ms)`);
}

/**
 * Starts code-server and resolves once it listens.
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void>, logFile: string }>}
 * @throws Error with the end of the server's log when it exits or does not listen in time
 */
async function startServer(tools, dirs, { trust, smokeTest }) {
  const configFile = path.join(dirs.root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [
    tools.codeServerEntry,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--config',
    configFile,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-proxy',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option',
    'reconnection-grace-time=5',
    ...(trust ? [] : ['--disable-workspace-trust']),
    ...(smokeTest ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const logFile = path.join(dirs.root, 'code-server.log');
  const out = createWriteStream(logFile);
  // detached: its own process group (setsid), so the extension host and watchers go with it.
  const child = spawn(tools.node24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(dirs),
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');

  let seen = '';
  const listening = new Promise((resolve) => {
    const onData = (d) => {
      out.write(d);
      seen += d.toString();
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });

  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const kill = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // the group is gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Whatever of the group outlived the main process (extension host, watchers, terminals).
    kill('SIGKILL');
    for (let i = 0; i < 100 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 50));
    if (groupAlive()) log(`warning: process group ${child.pid} still has members after SIGKILL`);
    out.end();
  };
  // A runner that dies (an exception, Ctrl+C) still takes the server's group with it.
  const onExit = () => kill('SIGKILL');
  process.once('exit', onExit);

  let timer;
  const port = await Promise.race([
    listening,
    exited.then(({ code, signal }) => {
      throw new Error(
        `code-server exited (${signal ?? `exit ${code}`}) before listening:\n${tail()}`,
      );
    }),
    new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`code-server did not listen within ${SERVER_START_MS / 1000} s:\n${tail()}`),
          ),
        SERVER_START_MS,
      );
    }),
  ]).catch(async (e) => {
    await stop();
    throw e;
  });
  clearTimeout(timer);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch((e) => e);
  if (!(health instanceof Response) || !health.ok) {
    await stop();
    throw new Error(`code-server listens on ${port} but /healthz does not answer:\n${tail()}`);
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    stop: async () => {
      process.removeListener('exit', onExit);
      await stop();
    },
  };
}

/** The scratch folders of one code-server launch under `root`. */
function makeDirs(root) {
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    xdgCache: path.join(root, 'xdg-cache'),
    tmp: path.join(root, 'tmp'),
    browser: path.join(root, 'browser'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  return dirs;
}

/** The browser window's size unless a check asks for another. */
const VIEWPORT = { width: 1400, height: 900 };

/** Launches headless Chromium with a fresh profile in `dirs.browser`. */
async function openBrowser(tools, dirs, viewport = VIEWPORT) {
  const require = createRequire(import.meta.url);
  const { chromium } = require(tools.playwrightCore);
  return chromium.launchPersistentContext(dirs.browser, {
    executablePath: tools.chromium,
    headless: true,
    viewport,
    env: { ...process.env, XDG_CONFIG_HOME: dirs.browser, XDG_CACHE_HOME: dirs.browser },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The workbench URL for `folder` with the `vscode-remote` payload entries. */
function workbenchUrl(server, folder, payload) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const entries = payload.map(([k, v]) => [k, k.endsWith('Path') ? remote(v) : v]);
  const q = new URLSearchParams({ folder, payload: JSON.stringify(entries) });
  return `${server.url}/?${q.toString()}`;
}

/**
 * Starts code-server and a browser, runs `drive(page, open)` and tears both down (the browser,
 * then the server's whole process group), whatever happens.
 * @param {object} o
 * @param {string} o.scratch folder for this launch's profiles and logs
 * @param {boolean} o.trust whether Workspace Trust is enabled (the folder starts untrusted)
 * @param {boolean} o.smokeTest whether the smoke-test driver runs (extension tests; it also
 *   makes VS Code refuse to open dialogs, and is what honours `extensionDevelopmentPath`)
 * @param {string} [o.vsix] a packaged extension to install first
 * @param {Record<string, unknown>} [o.settings] user settings to add to (or override) the quiet
 *   defaults, e.g. for screenshots
 * @param {{ width: number, height: number }} [o.viewport] the browser window (default 1400×900)
 * @param {(page: any, open: (folder: string, payload: [string, string][]) => Promise<void>) => Promise<T>} o.drive
 * @returns {Promise<T>}
 * @template T
 */
export async function withWorkbench(
  tools,
  { scratch, trust, smokeTest, vsix, settings, viewport, drive },
) {
  const dirs = makeDirs(scratch);
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...userSettings(trust), ...settings }, null, 2) + '\n',
  );
  if (vsix !== undefined) await installVsix(tools, dirs, vsix);
  const t0 = Date.now();
  const server = await startServer(tools, dirs, { trust, smokeTest });
  log(`listening on ${server.url} (${Date.now() - t0} ms); log in ${server.logFile}`);
  let context;
  let page;
  try {
    context = await openBrowser(tools, dirs, viewport);
    page = context.pages()[0] ?? (await context.newPage());
    const pageLog = createWriteStream(path.join(dirs.root, 'browser-console.log'));
    page.on('console', (m) => pageLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => pageLog.write(`[pageerror] ${e.message}\n`));
    const open = async (folder, payload) => {
      await page.goto(workbenchUrl(server, folder, payload));
      await page.waitForSelector('.monaco-workbench', { timeout: WORKBENCH_MS });
    };
    return await drive(page, open);
  } catch (e) {
    if (page !== undefined) {
      const shot = path.join(dirs.root, 'failure.png');
      await page.screenshot({ path: shot }).then(
        () => log(`screenshot of the failure: ${shot}`),
        () => undefined,
      );
    }
    throw e;
  } finally {
    await context?.close().catch(() => undefined);
    await server.stop();
  }
}

/**
 * Runs the extension tests at `testsIndex` against the extension at `extensionPath` in the
 * workbench opened on `folder`; forwards the extension host's output and resolves with the
 * exit code the tests report.
 * @throws Error when the workbench does not report an exit code within `timeoutMs`
 */
export function runExtensionTests(
  tools,
  { scratch, folder, extensionPath, testsIndex, env, timeoutMs },
) {
  return withWorkbench(tools, {
    scratch,
    trust: false,
    smokeTest: true,
    drive: async (page, open) => {
      let reportExit;
      const exit = new Promise((resolve) => {
        reportExit = resolve;
      });
      let offline = 0;
      await page.exposeFunction('codeAutomationLog', (type, args) => {
        // console.log's arguments, format string first (mocha's reporter uses %s and %d).
        const text = format(...(Array.isArray(args) ? args : [args]));
        // The workbench asks the extension gallery for updates; there is no network for it.
        if (/getaddrinfo ENOTFOUND|ERR_NAME_NOT_RESOLVED/.test(text)) {
          offline++;
          return;
        }
        (type === 'error' ? process.stderr : process.stdout).write(text + '\n');
      });
      await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
      await open(folder, [
        ['extensionDevelopmentPath', extensionPath],
        ['extensionTestsPath', testsIndex],
        ['extensionEnvironment', JSON.stringify(env ?? {})],
      ]);
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `the extension tests did not finish within ${timeoutMs / 1000} s ` +
                  '(no codeAutomationExit from the workbench)',
              ),
            ),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
        if (offline > 0) log(`${offline} log entries about unreachable hosts (gallery) left out`);
      }
    },
  });
}
