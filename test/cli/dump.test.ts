/**
 * `ims-debug run <model> --dump` on the bundled example: after the domain tree, every file of
 * /sys/kernel/debug/irq as module init left the machine, each after a `==> path <==` header
 * (tail's format for several files); with `--json` on stderr. The bundle is built by the root
 * hook (hooks.ts) before any CLI test.
 */
import { strict as assert } from 'node:assert';
import { EXAMPLE, runCli, summary, treeLines, type CliResult } from './support';

/** A PCI BDF as Linux prints it. */
const BDF_RE = /[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]/;

interface DumpedFile {
  path: string;
  lines: string[];
}

/**
 * The files of the dump in `output`: each header's path and the lines up to the empty line
 * that ends the file (tail's separator, or the one before the summary). The only empty line
 * inside a file is the one msi_domain_debug_show prints before `address_hi:`.
 */
function parseDump(output: string): DumpedFile[] {
  const lines = output.split('\n');
  const files: DumpedFile[] = [];
  lines.forEach((l, i) => {
    const m = /^==> (.*) <==$/.exec(l);
    if (!m) return;
    let end = i + 1;
    while (
      end < lines.length &&
      (lines[end] !== '' || lines[end + 1]?.startsWith('  address_hi: ') === true)
    )
      end++;
    files.push({ path: m[1]!, lines: lines.slice(i + 1, end) });
  });
  return files;
}

/** The tree's irq rows: irq, action, and for a requested irq its vector and CPU. */
interface TreeIrq {
  irq: number;
  action: string;
  vector: number | null;
  cpu: number | null;
}

function treeIrqs(stdout: string): TreeIrq[] {
  const out: TreeIrq[] = [];
  for (const line of treeLines(stdout)) {
    const m = /^[│ ]+(\d+)\s+\d+\s+(\S+)\s+(?:0x([0-9a-f]+) → CPU (\d+)|reserved)\s/.exec(line);
    if (m)
      out.push({
        irq: Number(m[1]),
        action: m[2]!,
        vector: m[3] === undefined ? null : parseInt(m[3], 16),
        cpu: m[4] === undefined ? null : Number(m[4]),
      });
  }
  return out;
}

describe('ims-debug run --dump', () => {
  let r: CliResult;
  let files: DumpedFile[];

  before(() => {
    r = runCli(['run', EXAMPLE, '--dump']);
    files = parseDump(r.stdout);
  });

  it('exits 0, nothing on stderr, the summary still last', () => {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(summary(r.stdout));
    assert.match(r.stdout.trimEnd().split('\n').at(-1)!, /^\d+ messages: /);
  });

  it('prints the domain files, then one irq file per irq of the tree, after the tree', () => {
    const bdf = BDF_RE.exec(r.stdout)![0];
    const d = '/sys/kernel/debug/irq/domains/';
    assert.deepEqual(
      files.filter((f) => f.path.startsWith(d)).map((f) => f.path.slice(d.length)),
      ['INTEL-IR-0-13', `IR-PCI-IDXD-${bdf}-15`, `IR-PCI-MSIX-${bdf}-12`, 'VECTOR', 'default'],
    );
    const irqs = treeIrqs(r.stdout).map((q) => q.irq);
    assert.ok(irqs.length > 0);
    assert.deepEqual(
      files.filter((f) => f.path.includes('/irqs/')).map((f) => f.path),
      irqs.map((n) => `/sys/kernel/debug/irq/irqs/${n}`),
    );
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => l.startsWith('==> '));
    assert.ok(first > lines.findIndex((l) => l.startsWith('irq domains after module init:')));
    assert.equal(lines[first - 1], '', 'an empty line before the first header');
  });

  it('separates the files with one empty line, as tail does', () => {
    const lines = r.stdout.split('\n');
    lines.forEach((l, i) => {
      if (l.startsWith('==> ') && i > 0) assert.equal(lines[i - 1], '', `before ${l}`);
    });
  });

  it('VECTOR: the matrix with one table row per CPU', () => {
    const v = files.find((f) => f.path.endsWith('/domains/VECTOR'))!;
    assert.equal(v.lines[0], 'name:   VECTOR');
    assert.equal(v.lines[1], ' size:   0');
    assert.ok(v.lines.includes(' flags:  0x00000103'));
    assert.ok(v.lines.includes('System: 38: 0-19,21,50,128,236,240-242,244,246-255'));
    const head = v.lines.indexOf(' | CPU | avl | man | mac | act | vectors');
    assert.ok(head > 0);
    assert.deepEqual(
      v.lines.slice(head + 1).map((l) => Number(l.slice(0, 6))),
      [0, 1, 2, 3],
      'the default 4 CPUs, online',
    );
  });

  it('each irq file agrees with the tree: action state, vector and CPU of its VECTOR level', () => {
    for (const q of treeIrqs(r.stdout)) {
      const f = files.find((x) => x.path.endsWith(`/irqs/${q.irq}`))!;
      assert.equal(f.lines[0], 'handler:  handle_edge_irq');
      assert.match(f.lines[1]!, new RegExp(`^device:   ${BDF_RE.source}$`));
      const at = (label: string): string => {
        const l = f.lines.find((x) => x.trimStart().startsWith(label));
        assert.ok(l, `${q.irq}: ${label}`);
        return l.trim().slice(label.length).trim();
      };
      if (q.vector === null) {
        assert.equal(at('Vector:'), '0', `irq ${q.irq} is reserved`);
        assert.equal(at('has_reserved:'), '1');
        assert.equal(at('ddepth:'), '1');
      } else {
        assert.equal(Number(at('Vector:')), q.vector, `irq ${q.irq}`);
        assert.equal(Number(at('Target:')), q.cpu, `irq ${q.irq}`);
        assert.equal(at('effectiv:'), String(q.cpu));
        assert.ok(f.lines.includes('            IRQD_IRQ_STARTED'), `irq ${q.irq}`);
      }
      const top = at('domain:');
      assert.match(top, q.action === 'idxd-portal' ? /^IR-PCI-IDXD-.*-15$/ : /^IR-PCI-MSIX-.*-12$/);
      assert.ok(f.lines.includes('    domain:  INTEL-IR-0-13'));
      assert.ok(f.lines.includes('        domain:  VECTOR'));
      assert.ok(f.lines.includes('  address_hi: 0x00000000'), 'the MSI level prints the message');
    }
  });

  it('with --json: stdout stays JSON, the dump goes to stderr', () => {
    const j = runCli(['run', EXAMPLE, '--json', '--dump']);
    assert.equal(j.status, 0, j.stderr);
    for (const l of j.stdout.split('\n').filter((x) => x !== '')) JSON.parse(l);
    assert.deepEqual(
      parseDump(j.stderr).map((f) => f.path),
      files.map((f) => f.path),
    );
  });

  it('without --dump: no debugfs headers', () => {
    const plain = runCli(['run', EXAMPLE]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.ok(!plain.stdout.includes('==> '));
  });

  it('run --help explains --dump', () => {
    const h = runCli(['run', '--help']);
    assert.match(h.stdout, /--dump/);
    assert.match(h.stdout, /\/sys\/kernel\/debug\/irq/);
  });
});
