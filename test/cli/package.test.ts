/**
 * What the VSIX holds: the files `vsce ls` lists for `npm run package` (the same .vscodeignore
 * and manifest). The bundles the manifest names, the examples with the kernel types their
 * jsconfig.json includes, the README and the pictures it shows; no sources, tests, benchmarks,
 * scripts or dependencies.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support';

interface Manifest {
  main: string;
  engines: { vscode: string };
  contributes: { debuggers: { type: string; program?: string }[] };
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const rel = (p: string): string => path.posix.normalize(p.replace(/^\.\//, ''));

function packagedFiles(): string[] {
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 50_000,
  });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

describe('the VSIX (vsce ls)', () => {
  let files: string[];
  before(() => {
    files = packagedFiles();
  });

  it('holds the bundles the manifest names: main and the debugger program', () => {
    const ims = manifest.contributes.debuggers.find((d) => d.type === 'ims');
    assert.ok(ims?.program, 'the ims debugger names a program');
    for (const f of [manifest.main, ims.program, 'dist/worker.js', 'dist/cli.js'])
      assert.ok(files.includes(rel(f)), `${f} is packaged`);
  });

  it('holds no sources, tests, benchmarks, scripts, dependencies or source maps', () => {
    const bad = files.filter((f) =>
      /^(src|test|bench|scripts|node_modules|\.ci|\.cache)\/|\.map$|^tsconfig|^esbuild/.test(f),
    );
    assert.deepEqual(bad, []);
    const ts = files.filter((f) => /\.[cm]?ts$/.test(f));
    assert.deepEqual(ts, ['types/kernel.d.ts'], 'the only TypeScript is the kernel API types');
  });

  it("holds each example's files and the kernel types its jsconfig.json includes", () => {
    for (const f of files.filter((x) => x.endsWith('/jsconfig.json'))) {
      const cfg = JSON.parse(readFileSync(path.join(repoRoot, f), 'utf8')) as {
        include?: string[];
      };
      for (const inc of cfg.include ?? []) {
        if (inc.includes('*')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), inc));
        assert.ok(files.includes(target), `${f} includes ${inc}: ${target} is packaged`);
      }
    }
    assert.ok(files.includes('examples/idxd-ims/driver.js'));
    assert.ok(files.includes('examples/idxd-ims/accel-config.conf'));
    assert.ok(files.includes('examples/lib/idxd.js'), 'the core the examples require');
  });

  it('holds the pictures the README shows', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    assert.ok(images.length > 0, 'the README shows pictures');
    for (const img of images) assert.ok(files.includes(rel(img)), `${img} is packaged`);
  });

  it('asks for a VS Code the code-server build in CI (VS Code 1.139) satisfies', () => {
    const m = /^\^(\d+)\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(m, `engines.vscode is a caret range: ${manifest.engines.vscode}`);
    assert.equal(Number(m[1]), 1);
    assert.ok(Number(m[2]) <= 139, `engines.vscode ${manifest.engines.vscode} admits 1.139`);
  });
});
