/**
 * `ims-debug run` on the DSA error-handling examples, with the real CLI: examples/idxd-revoke
 * (interrupt-handle revocation and Linux's recovery) and examples/idxd-errors (bad descriptors,
 * SWERR, a halt and its recovery, a halt that needs an FLR and its recovery). Outcomes come from the `--json` trace; what the model
 * concluded comes from its kernel log (text mode).
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { jsonLines, repoRoot, runCli, type CliResult, type JsonLine } from './support';

const REVOKE = path.join(repoRoot, 'examples', 'idxd-revoke', 'driver.js');
const ERRORS = path.join(repoRoot, 'examples', 'idxd-errors', 'driver.js');

/** Runs `model` in text mode and with `--json`; both must succeed quietly. */
function runBoth(model: string): { text: CliResult; json: CliResult; events: JsonLine[] } {
  const text = runCli(['run', model]);
  const json = runCli(['run', model, '--json']);
  assert.equal(text.status, 0, text.stderr);
  assert.equal(json.status, 0, json.stderr);
  return { text, json, events: jsonLines(json.stdout) };
}

const count = (events: JsonLine[], index: number) =>
  events.filter((e) => e.source === 'msix' && e.index === index).length;

describe('cli: examples/idxd-revoke', () => {
  let text: CliResult;
  let events: JsonLine[];
  before(() => {
    ({ text, events } = runBoth(REVOKE));
  });

  it('runs without errors or warnings and delivers every message', () => {
    assert.equal(text.stderr, '');
    assert.ok(events.length > 0);
    assert.deepEqual(
      events.filter((e) => e.kind !== 'delivered'),
      [],
    );
  });

  it('recovers: new handles, the 0x19 descriptors resubmitted, every copy verified', () => {
    const log = text.stdout;
    assert.match(log, /idxd 0000:6a:01\.0: interrupt handles revoked/);
    const swaps = [...log.matchAll(/wq0\.(\d): int handle (\d+) -> (\d+)/g)];
    assert.equal(swaps.length, 2, 'both WQs get a new handle');
    for (const m of swaps) assert.notEqual(m[2], m[3]);
    const resubmitted = [...log.matchAll(/wq0\.\d: 6 copies, (\d+) resubmitted/g)].map((m) =>
      Number(m[1]),
    );
    assert.equal(resubmitted.length, 2);
    assert.ok(
      resubmitted.every((n) => n > 0),
      `each WQ had descriptors in flight: ${resubmitted.join(', ')}`,
    );
    assert.match(log, /revocation recovery: all 12 copies verified/);
  });

  it('completion interrupts: one per copy and one per drain, none for an INT_HANDLE_INVAL', () => {
    // Per WQ (MSI-X entries 1 and 2): the first copy, the burst of 6, the revocation drain.
    for (const entry of [1, 2]) {
      const wq = events.filter((e) => e.source === 'msix' && e.index === entry);
      assert.equal(wq.length, 1 + 6 + 1, `entry ${entry}`);
      assert.ok(
        wq.every((e) => e.pasid === 1),
        'MSIX_PERM gives the system PASID to the message',
      );
    }
  });

  it('the misc interrupt: one per command (int_req) and one for the revocation', () => {
    // Commands: ENABLE_DEVICE, 2 × (REQUEST_INT_HANDLE, ENABLE_WQ), 2 × REQUEST_INT_HANDLE
    // after the revocation, and at remove 2 × (DISABLE_WQ, RELEASE_INT_HANDLE), DISABLE_DEVICE.
    assert.equal(count(events, 0), 12 + 1);
    assert.ok(events.every((e) => e.source === 'msix' && e.index <= 2));
  });
});

describe('cli: examples/idxd-errors', () => {
  let text: CliResult;
  let events: JsonLine[];
  before(() => {
    ({ text, events } = runBoth(ERRORS));
  });

  it('runs without errors or warnings and delivers every message on the misc vector', () => {
    assert.equal(text.stderr, '');
    assert.deepEqual(
      events.filter((e) => e.kind !== 'delivered'),
      [],
    );
    assert.ok(events.every((e) => e.source === 'msix' && e.index === 0 && e.pasid === null));
  });

  it('bad descriptors: SWERR for the two without a usable record, statuses for the others', () => {
    const log = text.stdout;
    assert.match(log, /bad opcode 0x3f: SWERR error 0x10/);
    assert.match(log, /err\[0\]: 0x0000013f0000104d/, 'valid, desc/wq valid, priv, 0x10, op 0x3f');
    assert.match(log, /completion record at \+8: SWERR error 0x1b/);
    assert.match(log, /MEMMOVE of 2097153 bytes: completion status 0x13/);
    assert.match(log, /BATCH of 1 descriptor: completion status 0x14/);
    assert.match(log, /bad descriptors: every error reported as expected/);
    assert.doesNotMatch(log, /overflow/);
  });

  it('the halt: reported, commands refused with HW_ERR, RESET_DEVICE recovers', () => {
    const log = text.stdout;
    assert.match(log, /device halted \(GENSTS 0x3\): software reset will recover it/);
    assert.match(log, /while halted: ENABLE_WQ gets CMDSTS 0x03/);
    assert.match(log, /RESET_DEVICE: CMDSTS 0x00, GENSTS 0x0/);
    assert.match(log, /device recovered from the halt/);
    assert.match(log, /copy after recovery: data verified/);
    const order = ['device halted', 'RESET_DEVICE', 'device recovered', 'copy after recovery'];
    const at = order.map((s) => log.indexOf(s));
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      'in this order',
    );
  });

  it('the halt that needs an FLR: pci_reset_function recovers it, configuration restored', () => {
    const log = text.stdout;
    assert.match(log, /idxd halted, doing FLR\. After FLR, configs are restored/);
    assert.match(log, /while halted for FLR: RESET_DEVICE gets CMDSTS 0x03/);
    assert.match(log, /after FLR: COMMAND 0x6, GENSTS 0x0/, 'pci_restore_state: COMMAND back');
    assert.match(log, /device recovered from the FLR/);
    assert.match(log, /copy after FLR: data verified/);
    assert.doesNotMatch(log, /FLR failed|HALT:|resetting|reset done/);
    const order = [
      'copy after recovery',
      'doing FLR',
      'while halted for FLR',
      'after FLR: COMMAND',
      'device recovered from the FLR',
      'copy after FLR',
    ];
    const at = order.map((s) => log.indexOf(s));
    assert.ok(at.every((i) => i >= 0));
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      'in this order',
    );
  });

  it('the FLR takes the 100 ms of pcie_flr between the FLR halt and the commands after it', () => {
    // The misc messages before the FLR part are 9 (the 11 counted below less the 2 at remove):
    // then the FLR halt (10th), RESET_DEVICE while halted (11th), ENABLE_DEVICE (12th).
    const misc = events.filter((e) => e.source === 'msix' && e.index === 0);
    const gap = misc[11]!.t - misc[10]!.t;
    assert.ok(gap >= 100e6, `${gap} ns between RESET_DEVICE while halted and ENABLE_DEVICE`);
  });

  it('the misc interrupt: 8 commands with int_req, 2 software errors, 1 halt; then the FLR part', () => {
    // ENABLE_DEVICE, ENABLE_WQ; ENABLE_WQ while halted; RESET_DEVICE, ENABLE_DEVICE, ENABLE_WQ;
    // DISABLE_WQ, DISABLE_DEVICE at remove. The FLR part: its halt, RESET_DEVICE while halted,
    // and ENABLE_DEVICE, ENABLE_WQ in reset_done (its RESET_DEVICE is polled, without int_req).
    assert.equal(count(events, 0), 8 + 2 + 1 + (1 + 1 + 2));
  });
});
