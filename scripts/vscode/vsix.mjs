// Packages the extension (dist/ as built) into a VSIX with vsce, as `npm run package` does but
// into a scratch folder, so the untrusted-workspace check installs what users install.
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './paths.mjs';
import { run } from './proc.mjs';

/**
 * Writes the VSIX to `file`.
 * @throws Error when vsce fails (its messages are on stderr)
 */
export async function packageVsix(file) {
  const vsce = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')),
    'vsce',
  );
  await run(
    process.execPath,
    [
      vsce,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      // The package.json names no repository, so vsce cannot turn README's relative links
      // (docs/…, screenshots) into absolute ones and would refuse to package: keep them as written.
      '--no-rewrite-relative-links',
      '-o',
      file,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return file;
}
