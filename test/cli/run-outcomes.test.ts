/**
 * `ims-debug run` on a fixture model that makes messages end in outcomes other than a plain
 * delivery: one held pending at a masked MSI-X entry (delivered when enable_irq unmasks it) and
 * one faulted by the IR unit after the model cleared its IRTE. Neither is an error of the run.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { FIXTURES, eventLines, jsonLines, runCli, summary, type CliResult } from './support';

describe('ims-debug run: pending and faulted messages', () => {
  const model = path.join(FIXTURES, 'fault-and-mask.js');
  let text: CliResult;
  let json: CliResult;
  before(() => {
    text = runCli(['run', model]);
    json = runCli(['run', model, '--json']);
  });

  it('exits 0: a fault is an outcome, not a failure of the run', () => {
    assert.equal(text.status, 0, text.stderr);
    assert.equal(json.status, 0, json.stderr);
  });

  it('prints the pending message, then its delivery under the same id', () => {
    const events = eventLines(text.stdout);
    const pending = events.filter((e) => e.kind === 'pending');
    assert.equal(pending.length, 1);
    const p = pending[0]!;
    assert.match(p.rest, /^MSI-X entry 0 of [0-9a-f:.]+ +held: the entry is masked$/);
    const later = events.slice(events.indexOf(p) + 1).filter((e) => e.id === p.id);
    assert.deepEqual(
      later.map((e) => e.kind),
      ['delivered'],
    );
  });

  it('prints the fault with its IRTE, VT-d fault reason code and reason', () => {
    const faulted = eventLines(text.stdout).filter((e) => e.kind === 'faulted');
    assert.equal(faulted.length, 1);
    // VT-d spec, interrupt-remapping fault reason 22h: the IRTE's Present field is clear.
    assert.match(
      faulted[0]!.rest,
      /^MSI-X entry 0 of [0-9a-f:.]+ → IRTE \d+ +fault 0x22: INTEL-IR-0: Present field .*clear/,
    );
    assert.match(text.stdout, /DMAR: \[INTR-REMAP\] Request device \[6a:01\.0\] fault index/);
  });

  it('gives the fault and reason in --json', () => {
    const lines = jsonLines(json.stdout);
    const f = lines.filter((e) => e.kind === 'faulted');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.fault, 0x22);
    assert.equal(typeof f[0]!.irte, 'number');
    assert.equal(f[0]!.vector, null);
    assert.equal(f[0]!.cpu, null);
    assert.match(f[0]!.reason ?? '', /Present field/);
    const s = summary(text.stdout);
    assert.ok(s);
    assert.equal(s.pending, 1);
    assert.equal(s.faulted, 1);
    assert.equal(s.delivered, lines.filter((e) => e.kind === 'delivered').length);
  });
});

describe("ims-debug run: the model's console", () => {
  const model = path.join(FIXTURES, 'console.js');

  it('goes to stdout with the kernel log in text mode', () => {
    const r = runCli(['run', model]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^hello from the model$/m);
    assert.match(r.stdout, /^\[\s+0\.\d{6}\] hello from the kernel log$/m);
    assert.match(r.stdout, /^0 messages: /m);
  });

  it('goes to stderr with --json, which keeps stdout for events (none here)', () => {
    const r = runCli(['run', model, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^hello from the model$/m);
    assert.doesNotMatch(r.stderr, /kernel log/, 'the kernel log only with --verbose');
  });
});
