/**
 * A message held pending while Bus Master Enable is clear goes out when it is set again
 * (PCI: BME = 0 stops the function's memory writes, MSI-X messages included; a pending vector
 * that is unmasked must be sent once the function can). Found by the conservation property:
 * pended at a masked entry, BME cleared, the entry unmasked (nothing can be sent), BME set —
 * the message stayed pending at a live entry, lost without a reason.
 */
import { strict as assert } from 'node:assert';
import * as R from '../../../src/platform/pci/regs';
import { imsSlot, msixEntry, rig, type Rig } from './helpers';

const ADDR = 0xfee00000;

function setMaster(r: Rig, on: boolean): void {
  r.dev.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY | (on ? R.PCI_COMMAND_MASTER : 0));
}

/** The last bus call for message `id`. */
function last(r: Rig, id: number): string | undefined {
  return r.bus.calls.filter((c) => c.id === id).at(-1)?.op;
}

describe('IDXD: Bus Master Enable and pending messages', () => {
  it('an unmasked MSI-X entry sends its pending message when bus mastering is back', () => {
    const r = rig();
    msixEntry(r, 3, ADDR, 0x41, false);
    r.dev.msix.signal(3, null);
    const id = r.dev.msix.peek(3).pendingId!;
    assert.equal(last(r, id), 'pend');
    setMaster(r, false);
    msixEntry(r, 3, ADDR, 0x41, true);
    assert.equal(last(r, id), 'pend', 'no memory write while Bus Master Enable is clear');
    setMaster(r, true);
    assert.equal(last(r, id), 'send');
    assert.equal(r.dev.msix.peek(3).pending, false);
    assert.deepEqual(r.bus.violations, []);
  });

  it('an unmasked IMS slot sends its pending message when bus mastering is back', () => {
    const r = rig();
    imsSlot(r, 2, ADDR, 0x42, 1);
    r.dev.ims.signal(2, null);
    const id = r.dev.ims.peek(2).pendingId!;
    setMaster(r, false);
    imsSlot(r, 2, ADDR, 0x42, 0);
    assert.equal(last(r, id), 'pend');
    setMaster(r, true);
    assert.equal(last(r, id), 'send');
    assert.deepEqual(r.bus.violations, []);
  });

  it('a masked entry keeps its pending message when bus mastering is back', () => {
    const r = rig();
    msixEntry(r, 1, ADDR, 0x43, false);
    r.dev.msix.signal(1, null);
    const id = r.dev.msix.peek(1).pendingId!;
    setMaster(r, false);
    setMaster(r, true);
    assert.equal(last(r, id), 'pend');
    assert.equal(r.dev.msix.peek(1).pendingId, id);
  });
});
