/**
 * `ims-debug run` on a fixture model that uses ims_debug.revoke_int_handles and
 * ims_debug.halt_device: each one raises its INTCAUSE bit with the misc interrupt, the halt is
 * visible in GENSTS, and wrong arguments are errors the model can catch.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { FIXTURES, eventLines, runCli, type CliResult } from './support';

describe('ims-debug run: ims_debug fault injection', () => {
  let run: CliResult;
  const printed = (prefix: string): string[] =>
    run.stdout
      .split('\n')
      .map((l) => /inject: (.*)$/.exec(l)?.[1])
      .filter((l): l is string => l?.startsWith(prefix) === true);
  before(() => {
    run = runCli(['run', path.join(FIXTURES, 'inject.js')]);
  });

  it('revokes the handles: INTCAUSE.int_handle_revoked with a misc interrupt', () => {
    assert.equal(run.status, 0, run.stderr);
    // No handle was requested, so none is revoked; the cause and interrupt still come.
    assert.deepEqual(printed('revoked'), ['revoked 0']);
    assert.equal(printed('INTCAUSE')[0], 'INTCAUSE 0x80000000');
  });

  it('halts the device: INTCAUSE.halt_state and err, GENSTS HALT with the reset type', () => {
    // IDXD_INTC_HALT_STATE 0x10 | IDXD_INTC_ERR 0x01 (hwError records SWERR HW_ERR1).
    assert.equal(printed('INTCAUSE')[1], 'INTCAUSE 0x11');
    // GENSTS: state HALT (3) in bits 1:0, reset_type FLR (1) in bits 3:2.
    assert.deepEqual(printed('GENSTS'), ['GENSTS 0x7']);
    const delivered = eventLines(run.stdout).filter((e) => e.kind === 'delivered');
    assert.equal(delivered.length, 2);
  });

  it('names the wrong argument', () => {
    assert.deepEqual(printed('error'), [
      'error ims_debug.halt_device: the argument is not the pci_dev of a DSA device',
      'error ims_debug.halt_device: resetType must be 0..3, got 7',
    ]);
  });
});
