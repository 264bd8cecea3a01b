/**
 * `ims-debug run --trace <file>`: the run's interrupt timeline as a Chrome/Perfetto trace file,
 * on the bundled example (IMS and MSI-X completions on three CPUs) and on the fixture whose
 * messages are held pending and faulted. The file is checked against the schema of what
 * ims-debug writes and against the same run's `--json` events; the run's own output does not
 * change, and a file that cannot be written is an error that names it.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChromeTrace, CompleteEvent } from '../../src/platform/chrome-trace';
import { assertChromeTrace } from '../unit/chrome-trace/schema';
import { assertWellFormed, flows, slices, trackOf } from '../unit/chrome-trace/check';
import { EXAMPLE, FIXTURES, jsonLines, runCli, summary, type CliResult } from './support';

const BDF = '0000:6a:01.0';

function readTrace(file: string): ChromeTrace {
  const t = JSON.parse(readFileSync(file, 'utf8')) as ChromeTrace;
  assertChromeTrace(t);
  assertWellFormed(t);
  return t;
}

describe('ims-debug run --trace', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ims-trace-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the example', () => {
    let plain: CliResult;
    let traced: CliResult;
    let json: CliResult;
    let t: ChromeTrace;
    let file: string;
    before(() => {
      file = path.join(dir, 'example.json');
      plain = runCli(['run', EXAMPLE]);
      traced = runCli(['run', EXAMPLE, '--trace', file]);
      json = runCli(['run', EXAMPLE, '--json', '--trace', path.join(dir, 'example-json.json')]);
      t = readTrace(file);
    });

    it('exits 0, prints what a run without it prints, and says where the file went', () => {
      assert.equal(traced.status, 0, traced.stderr);
      assert.equal(traced.stdout, plain.stdout);
      assert.match(
        traced.stderr,
        /^wrote the interrupt timeline to \/.*example\.json \(\d+ trace events\); open it in ui\.perfetto\.dev or chrome:\/\/tracing$/m,
      );
      assert.doesNotMatch(traced.stderr, /warning/);
    });

    it('keeps stdout JSON-only with --json', () => {
      assert.equal(json.status, 0, json.stderr);
      assert.ok(jsonLines(json.stdout).length > 0);
      assert.equal(
        readFileSync(path.join(dir, 'example-json.json'), 'utf8'),
        readFileSync(file, 'utf8'),
        'the same run gives the same file',
      );
    });

    it("has every message once, on its slot's track, with its outcome and path", () => {
      const lines = jsonLines(json.stdout);
      const last = new Map(lines.map((l) => [l.id, l]));
      const messages = slices(t).filter((e) => e.cat === 'message');
      assert.equal(messages.length, summary(plain.stdout)?.messages);
      assert.equal(messages.length, last.size);
      for (const m of messages) {
        const l = last.get(m.args.message as number)!;
        assert.equal(m.args.outcome, l.kind);
        assert.equal(m.args.path, l.path);
        assert.equal(m.ts, l.t / 1000);
        assert.equal(
          trackOf(t, m),
          `dsa0 ${BDF}/${l.source === 'ims' ? 'IMS slot' : 'MSI-X entry'} ${l.index}`,
        );
      }
      assert.deepEqual([...new Set(messages.map((m) => trackOf(t, m)))].sort(), [
        `dsa0 ${BDF}/IMS slot 0`,
        `dsa0 ${BDF}/IMS slot 1`,
        `dsa0 ${BDF}/MSI-X entry 0`,
      ]);
    });

    it('runs each handler on the CPU the message went to, linked by a flow', () => {
      const lines = jsonLines(json.stdout);
      const starts = flows(t, 's');
      assert.equal(starts.length, lines.filter((l) => l.kind === 'delivered').length);
      for (const f of flows(t, 'f')) {
        const msg = lines.find((l) => l.id === f.id && l.kind === 'delivered')!;
        const i = t.traceEvents.indexOf(f);
        const handler = t.traceEvents[i - 1] as CompleteEvent;
        assert.equal(trackOf(t, handler), `CPUs/CPU ${msg.cpu}`);
        assert.equal(handler.args.irq, msg.virq);
        assert.equal(handler.args.message, msg.id);
        assert.ok(handler.ts >= msg.t / 1000, 'the CPU takes it after the delivery');
      }
      // The misc interrupt is threaded: the hardirq wakes the thread, which reads INTCAUSE.
      const misc = slices(t).filter((e) => e.cat === 'handler' && e.args.irq === 24);
      assert.ok(misc.length > 0);
      const threads = misc.filter((e) => e.name === 'irq/24-idxd-misc') as CompleteEvent[];
      assert.equal(threads.length * 2, misc.length, 'a thread run after each hardirq');
      for (const th of threads) assert.equal(th.dur, 0.42, 'an MMIO read and write: 400 + 20 ns');
      assert.equal(t.otherData.trace_events_overwritten, 0);
    });
  });

  describe('a run with a pending and a faulted message', () => {
    let r: CliResult;
    let t: ChromeTrace;
    before(() => {
      const file = path.join(dir, 'fault.json');
      r = runCli(['run', path.join(FIXTURES, 'fault-and-mask.js'), '--trace', file]);
      t = readTrace(file);
    });

    it('puts the fault on the IR unit’s track with its reason', () => {
      assert.equal(r.status, 0, r.stderr);
      const faults = slices(t).filter((e) => e.cat === 'fault');
      assert.equal(faults.length, 1);
      assert.equal(trackOf(t, faults[0]!), 'INTEL-IR-0/remapping faults');
      assert.equal(faults[0]!.args.fault, '0x22');
      assert.match(String(faults[0]!.args.reason), /^INTEL-IR-0: Present field/);
      const onSlot = slices(t).find((e) => e.name === `#${faults[0]!.args.message} faulted`);
      assert.equal(onSlot?.ph, 'i');
      assert.equal(trackOf(t, onSlot), `dsa0 ${BDF}/MSI-X entry 0`);
    });

    it('spans the held message from its pend to its delivery', () => {
      const held = slices(t).find((e) => e.cat === 'message' && 'pended_ns' in e.args) as
        CompleteEvent | undefined;
      assert.ok(held);
      assert.equal(held.ph, 'X');
      assert.equal(held.args.outcome, 'delivered');
      assert.equal(held.ts, (held.args.pended_ns as number) / 1000);
      assert.equal(held.dur, (held.args.waited_ns as number) / 1000);
      assert.ok(held.dur > 0);
    });

    it('shows the delivery the lazily disabled irq did not handle', () => {
      const masked = slices(t).filter((e) => e.name.endsWith('(actions not run)'));
      assert.equal(masked.length, 1);
      assert.equal(trackOf(t, masked[0]!), 'CPUs/CPU 0');
    });
  });

  describe('a file that cannot be written', () => {
    it('names it, exits 1, and keeps the run’s output', () => {
      const file = path.join(dir, 'no-such-dir', 'out.json');
      const plain = runCli(['run', EXAMPLE]);
      const r = runCli(['run', EXAMPLE, '--trace', file]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, plain.stdout);
      assert.match(
        r.stderr,
        /^error: --trace: cannot write \/.*no-such-dir\/out\.json: no such directory$/m,
      );
      assert.equal(existsSync(file), false);
    });

    it('is a directory: says so', () => {
      const r = runCli(['run', EXAMPLE, '--trace', dir]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^error: --trace: cannot write .*: it is a directory$/m);
    });
  });

  it('writes the trace up to where a model threw, and still exits 1 for the error', () => {
    const file = path.join(dir, 'throws.json');
    const r = runCli(['run', path.join(FIXTURES, 'throws.js'), '--trace', file]);
    assert.equal(r.status, 1);
    const t = readTrace(file);
    assert.equal(t.otherData.producer, 'ims-debug');
  });
});
