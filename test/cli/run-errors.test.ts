/**
 * `ims-debug run` when things go wrong: a model that does not parse, one that throws, one
 * that oopses in a kernel call (exit 1, at the model's file:line:col, no stack of ims-debug's
 * own), and bad usage — options, a missing model, an invalid accel-config file (exit 2, naming
 * the option or the config file's place and field).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE, FIXTURES, jsonLines, runCli, type CliResult } from './support';

/** No frame of ims-debug's own code in what a user's mistake prints. */
function assertNoInternalStack(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /dist[/\\]cli\.js|node:internal|src[/\\](cli|runtime|platform)/);
}

/** `file:line:col` (1-based) of the first occurrence of `needle` in `file`. */
function locate(file: string, needle: string): { line: number; column: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} in ${file}`);
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

describe('ims-debug run: errors', () => {
  describe('a model with a syntax error', () => {
    let dir: string;
    let model: string;
    before(() => {
      // Kept as .txt in the repository so that lint and the formatter do not trip over it.
      dir = mkdtempSync(path.join(os.tmpdir(), 'ims-debug-cli-'));
      model = path.join(dir, 'broken.js');
      copyFileSync(path.join(FIXTURES, 'syntax-error.js.txt'), model);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('exits 1 and names the line and column, with the line and a caret', () => {
      const at = locate(model, '= ;');
      at.column += 2; // the unexpected token is the ';'
      const r = runCli(['run', model]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`broken\\.js:${at.line}:${at.column}: SyntaxError: `));
      assert.match(r.stderr, / \| const broken = ;\n\s+\| {16}\^/);
      assertNoInternalStack(r);
    });
  });

  describe('a model that throws', () => {
    const model = path.join(FIXTURES, 'throws.js');

    it("exits 1 and names the throwing line, then the model's call stack", () => {
      const at = locate(model, 'wqs.length'); // V8 points at the property it could not read
      const r = runCli(['run', model]);
      assert.equal(r.status, 1);
      const first = r.stderr.split('\n')[0]!;
      assert.equal(
        first,
        `test/cli/fixtures/throws.js:${at.line}:${at.column}: TypeError: Cannot read properties of undefined (reading 'wqs')`,
      );
      assert.ok(
        r.stderr.includes(`\n    at probe (test/cli/fixtures/throws.js:${at.line}:${at.column})\n`),
      );
      assert.match(r.stderr, /^ {4}at module_pci_driver \(kernel API\)$/m);
      assertNoInternalStack(r);
    });

    it('with --json keeps stdout to JSON lines only', () => {
      const r = runCli(['run', model, '--json']);
      assert.equal(r.status, 1);
      assert.doesNotThrow(() => jsonLines(r.stdout));
      assert.match(r.stderr, /throws\.js:\d+:\d+: TypeError/);
    });
  });

  describe('a model whose kernel call oopses', () => {
    it('exits 1 with the kernel error at the call in the model', () => {
      const model = path.join(FIXTURES, 'oops.js');
      const at = locate(model, 'readl(');
      const r = runCli(['run', model]);
      assert.equal(r.status, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `^test/cli/fixtures/oops\\.js:${at.line}:${at.column}: KernelError: BUG: unable to handle page fault for address: 0x1234`,
          'm',
        ),
      );
      assert.match(r.stderr, /^ {4}at readl \(kernel API\)\n {4}at read_status \(/m);
      assertNoInternalStack(r);
    });
  });

  describe('bad usage', () => {
    for (const cpus of ['0', '65', 'two', '1.5', '-1'])
      it(`--cpus ${cpus}: exits 2 naming --cpus`, () => {
        const r = runCli(['run', EXAMPLE, '--cpus', cpus]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--cpus/);
        assert.equal(r.stdout, '');
        assertNoInternalStack(r);
      });

    it('a missing model: exits 2 naming <model> and the path', () => {
      const r = runCli(['run', 'test/cli/fixtures/no-such-model.js']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /<model>: no such file: test\/cli\/fixtures\/no-such-model\.js/);
      assertNoInternalStack(r);
    });

    it('a folder as the model: exits 2', () => {
      const r = runCli(['run', 'test/cli/fixtures']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /<model>: not a file/);
    });

    it('no model: exits 2', () => {
      const r = runCli(['run']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /missing required argument 'model'/);
    });

    it('an unknown option or command: exits 2', () => {
      assert.equal(runCli(['run', EXAMPLE, '--frobnicate']).status, 2);
      assert.equal(runCli(['frobnicate']).status, 2);
    });

    it('a missing config file: exits 2 naming --config', () => {
      const r = runCli(['run', EXAMPLE, '--config', 'test/cli/fixtures/none.conf']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--config: no such file: test\/cli\/fixtures\/none\.conf/);
    });

    it('an invalid accel-config file: exits 2 naming file:line:col, place and field', () => {
      const conf = path.join(FIXTURES, 'wq-too-big.conf');
      const at = locate(conf, '300');
      const r = runCli(['run', EXAMPLE, '--config', conf]);
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        new RegExp(
          `^test/cli/fixtures/wq-too-big\\.conf:${at.line}:${at.column}: dsa0 › group0\\.0 › wq0\\.0: "size": 300 exceeds`,
          'm',
        ),
      );
      assert.equal(r.stdout, '', 'the model did not run');
      assertNoInternalStack(r);
    });
  });

  describe('config warnings', () => {
    it('go to stderr, before the run; the run still succeeds', () => {
      const conf = path.join(FIXTURES, 'unknown-key.conf');
      const at = locate(conf, '"colour"');
      const r = runCli(['run', EXAMPLE, '--config', conf, '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `^test/cli/fixtures/unknown-key\\.conf:${at.line}:${at.column}: warning: dsa0: "colour": unknown key`,
        ),
      );
      assert.ok(jsonLines(r.stdout).length > 0);
    });
  });
});
