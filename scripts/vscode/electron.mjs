// Runs the extension tests in desktop VS Code with @vscode/test-electron: the VS Code named by
// VSCODE_EXECUTABLE, or one test-electron downloads (VSCODE_VERSION, default 'stable') into
// .vscode-test/. Needs a display (on Linux without one, run it under xvfb-run).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { ROOT } from './paths.mjs';

/**
 * Runs the suite at `testsIndex` in desktop VS Code opened on `folder`.
 * @returns {Promise<number>} the exit code of VS Code (0: every test passed)
 * @throws Error when VS Code cannot be downloaded or started
 */
export async function runWithElectron({ folder, extensionPath, testsIndex, profileDir }) {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (executable && !existsSync(executable)) {
    throw new Error(`VSCODE_EXECUTABLE names ${executable}, which does not exist`);
  }
  try {
    return await runTests({
      ...(executable
        ? { vscodeExecutablePath: path.resolve(executable) }
        : {
            version: process.env.VSCODE_VERSION ?? 'stable',
            cachePath: path.join(ROOT, '.vscode-test'),
          }),
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsIndex,
      launchArgs: [
        folder,
        `--user-data-dir=${path.join(profileDir, 'user-data')}`,
        `--extensions-dir=${path.join(profileDir, 'extensions')}`,
        '--disable-extensions',
      ],
    });
  } catch (e) {
    if (e instanceof TestRunFailedError) return e.code ?? 1;
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `desktop VS Code could not run (${why}). Set VSCODE_EXECUTABLE to an installed VS Code, ` +
        'or use the code-server runner: node scripts/vscode/run.mjs --runner code-server',
      { cause: e },
    );
  }
}
