/**
 * `ims-debug run` on the interrupt examples: dynamic MSI-X allocation (examples/msix-dynamic),
 * the free-and-reallocate dance that loses an interrupt (examples/msix-reenable), and moving an
 * interrupt between CPUs with a CPU going offline (examples/affinity). Each runs as text and as
 * `--json`; the tests read the trace and the driver's log.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  eventLines,
  jsonLines,
  repoRoot,
  runCli,
  summary,
  type CliResult,
  type JsonLine,
} from './support';

const example = (name: string): string => path.join(repoRoot, 'examples', name, 'driver.js');

/** Runs `model` as text and as --json (extra args for both). */
function runBoth(model: string, args: string[] = []): { text: CliResult; json: CliResult } {
  return {
    text: runCli(['run', model, ...args]),
    json: runCli(['run', model, ...args, '--json']),
  };
}

/** The kernel log lines of a text run (the trace lines and the tree left out). */
function logLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^\[\s*\d+\.\d{6}\] /.test(l) && !/^\[[^\]]*\] #\d+ /.test(l))
    .map((l) => l.replace(/^\[[^\]]*\] /, ''));
}

describe('ims-debug run: the interrupt examples', () => {
  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['esbuild.mjs', 'cli'], { cwd: repoRoot, stdio: 'inherit' });
  });

  describe('examples/msix-dynamic: WQ vectors allocated with pci_msix_alloc_irq_at', () => {
    let text: CliResult;
    let json: CliResult;
    before(() => {
      ({ text, json } = runBoth(example('msix-dynamic')));
    });

    it('exits 0, every message delivered', () => {
      assert.equal(text.status, 0, text.stderr);
      assert.equal(json.status, 0, json.stderr);
      const s = summary(text.stdout);
      assert.ok(s);
      assert.equal(s.delivered, s.messages);
    });

    it('keeps a new entry masked, its IRTE at 0xef, until request_irq', () => {
      const log = logLines(text.stdout);
      assert.ok(
        log.includes(
          'idxd 0000:6a:01.0: wq0: MSI-X entry 1 → irq 25, IRTE 1; before request_irq: Vector Control 0x1, IRTE vector 0xef',
        ),
        log.join('\n'),
      );
      assert.ok(
        log.includes(
          'idxd 0000:6a:01.0: wq0: after request_irq: Vector Control 0x0, IRTE vector 0x20',
        ),
      );
    });

    it('takes each WQ completion through its own entry, and MSI_ANY_INDEX reuses the freed one', () => {
      const wq = jsonLines(json.stdout).filter(
        (e) => e.source === 'msix' && e.index > 0 && e.kind === 'delivered',
      );
      assert.deepEqual(
        wq.map((e) => e.index),
        [1, 2, 1],
      );
      const log = logLines(text.stdout);
      assert.ok(log.includes('idxd 0000:6a:01.0: wq0: MSI-X entry 1 freed'));
      assert.ok(
        log.includes(
          'idxd 0000:6a:01.0: Intel(R) Accelerator Device (v100): 2 WQs, MSI-X enabled throughout: yes',
        ),
      );
    });
  });

  describe('examples/msix-reenable: pci_free_irq_vectors + pci_alloc_irq_vectors', () => {
    let text: CliResult;
    let json: CliResult;
    before(() => {
      ({ text, json } = runBoth(example('msix-reenable')));
    });

    it('exits 0 with exactly one message dropped: the completion in the window', () => {
      assert.equal(text.status, 0, text.stderr);
      assert.equal(json.status, 0, json.stderr);
      const s = summary(text.stdout);
      assert.ok(s);
      assert.equal(s.dropped, 1);
      assert.equal(s.faulted, 0);
      const dropped = jsonLines(json.stdout).filter((e) => e.kind === 'dropped');
      assert.equal(dropped.length, 1);
      const d = dropped[0]!;
      assert.deepEqual([d.source, d.index, d.vector, d.cpu], ['msix', 1, null, null]);
      assert.match(
        d.reason ?? '',
        /^lost: MSI-X is disabled in 0000:6a:01\.0's Message Control \(Enable=0, cleared by pci_free_irq_vectors\(\)\)/,
      );
    });

    it('shows the driver the lost interrupt: a timeout while the completion record says done', () => {
      const log = logLines(text.stdout);
      assert.ok(
        log.includes(
          'idxd 0000:6a:01.0: re-enable: MSI-X vectors freed, Message Control 0x8 (Enable clear)',
        ),
        log.join('\n'),
      );
      assert.ok(
        log.some((l) =>
          /wq0: no completion interrupt within 1 ms — yet the completion record says status 0x1 and the data is there: the interrupt was lost$/.test(
            l,
          ),
        ),
      );
      assert.ok(
        log.some((l) => l.endsWith('one completion interrupt was lost in the re-enable window')),
      );
    });

    it('delivers again after the re-enable, on three vectors', () => {
      const events = jsonLines(json.stdout);
      const drop = events.findIndex((e) => e.kind === 'dropped');
      const after = events.slice(drop + 1).filter((e) => e.index > 0);
      assert.deepEqual(
        after.map((e) => [e.kind, e.index]),
        [
          ['delivered', 1],
          ['delivered', 2],
        ],
      );
      assert.ok(
        logLines(text.stdout).includes('idxd 0000:6a:01.0: MSI-X enabled with 3 of 9 vectors'),
      );
    });
  });

  describe('examples/affinity: irq_set_affinity and a CPU going offline', () => {
    let text: CliResult;
    let json: CliResult;
    let ims: JsonLine[];
    before(() => {
      ({ text, json } = runBoth(example('affinity'), ['--cpus', '4']));
      ims = jsonLines(json.stdout).filter((e) => e.source === 'ims');
    });

    it('exits 0; every completion delivered', () => {
      assert.equal(text.status, 0, text.stderr);
      assert.equal(json.status, 0, json.stderr);
      assert.ok(ims.length > 0);
      assert.ok(ims.every((e) => e.kind === 'delivered'));
    });

    it('takes the completion interrupt where the irq was moved: CPU 1, 3, 2, 1 (CPU 2 offline), 2', () => {
      assert.deepEqual(
        ims.map((e) => e.cpu),
        [1, 3, 2, 1, 2, 2],
      );
      assert.ok(
        ims.every((e) => e.irte === ims[0]!.irte),
        'one IRTE throughout',
      );
    });

    it('logs the IRTE DST change and the old vector kept for the cleanup timer', () => {
      const log = logLines(text.stdout);
      assert.ok(
        log.some((l) =>
          /irq_set_affinity\(\[3\]\): irq 33 on CPU 3 vector 0x20 \(previous: CPU 1 vector 0x20, cleanup pending\); IRTE 9: vector 0x20 DST 3 \(not cached\)$/.test(
            l,
          ),
        ),
        log.join('\n'),
      );
      assert.ok(
        log.some((l) =>
          /a jiffy later: irq 33 on CPU 3 vector 0x20; IRTE 9: vector 0x20 DST 3 \(cached\)$/.test(
            l,
          ),
        ),
      );
    });

    it('migrates the irq off an offline CPU with Linux’s messages, and back after add_cpu', () => {
      const log = logLines(text.stdout);
      const i = log.indexOf('IRQ 33: no longer affine to CPU2');
      assert.ok(i >= 0, log.join('\n'));
      assert.equal(log[i + 1], 'smpboot: CPU 2 is now offline');
      assert.ok(
        log.some((l) => /remove_cpu\(2\): irq 33 on CPU 1 .* DST 1 \(not cached\)$/.test(l)),
      );
      assert.ok(log.includes('smpboot: Booting Node 0 Processor 2 APIC 0x2'));
    });

    it('shows a stale interrupt entry cache entry when an IRTE is written without a flush', () => {
      const stale = eventLines(text.stdout).filter((e) => e.rest.includes('stale IRTE'));
      assert.equal(stale.length, 1);
      assert.equal(stale[0]!.kind, 'delivered');
      assert.ok(
        logLines(text.stdout).includes(
          'idxd 0000:6a:01.0: IRTE 9 rewritten without a flush: cache holds FPD 0, table FPD 1',
        ),
      );
    });

    it('refuses to run on fewer than 4 CPUs, saying why', () => {
      const r = runCli(['run', example('affinity'), '--cpus', '2']);
      assert.match(r.stdout, /run it with 4 CPUs or more/);
    });
  });
});
