import { strict as assert } from 'node:assert';
import { MsixTable, msixVectorCtrlOffset, type MsixControl } from '../../../src/platform/pci/msix';
import { FakeBus } from './fake-bus';

function setup(size = 4) {
  const control: { -readonly [K in keyof MsixControl]: MsixControl[K] } = {
    msixEnabled: true,
    msixFunctionMasked: false,
    busMasterEnabled: true,
  };
  const bus = new FakeBus();
  const anomalies: string[] = [];
  const t = new MsixTable({
    bus,
    bdf: '0000:6a:01.0',
    requesterId: 0x6a08,
    size,
    control,
    onAnomaly: (s) => anomalies.push(s),
  });
  const program = (i: number, lo: number, data: number) => {
    t.writeTable32(i * 16, lo);
    t.writeTable32(i * 16 + 4, 0);
    t.writeTable32(i * 16 + 8, data);
  };
  return { t, bus, control, anomalies, program };
}

describe('MsixTable', () => {
  it('resets with every entry masked and a zero message', () => {
    const { t } = setup();
    for (let i = 0; i < 4; i++) {
      assert.equal(t.readTable32(msixVectorCtrlOffset(i)), 1);
      assert.equal(t.readTable32(i * 16), 0);
    }
    assert.equal(t.pbaBytes, 8);
    assert.equal(t.tableBytes, 64);
  });

  it('sends an unmasked entry with its address and data', () => {
    const { t, bus, program } = setup();
    program(1, 0xfee0_0000, 0x41);
    t.writeTable32(msixVectorCtrlOffset(1), 0);
    t.signal(1, null);
    assert.deepEqual(bus.calls, [
      { op: 'raise', id: 1, source: 'msix', index: 1, bdf: '0000:6a:01.0', pasid: null },
      { op: 'send', id: 1, address_lo: 0xfee0_0000, address_hi: 0, data: 0x41 },
    ]);
    assert.equal(bus.calls[0]!.op === 'raise' && bus.originOfMessage(1)?.requesterId, 0x6a08);
  });

  it('pends on a masked entry, sets the PBA bit, releases with the current message on unmask', () => {
    const { t, bus, program } = setup();
    program(2, 0xfee0_0000, 0x41);
    t.signal(2, 7);
    assert.deepEqual(bus.calls.slice(1), [{ op: 'pend', id: 1 }]);
    assert.equal(t.readPba32(0), 0b100);
    assert.equal(t.peek(2).pendingId, 1);
    program(2, 0xfee0_1000, 0x42); // retarget while masked
    t.writeTable32(msixVectorCtrlOffset(2), 0);
    assert.deepEqual(bus.calls.at(-1), {
      op: 'send',
      id: 1,
      address_lo: 0xfee0_1000,
      address_hi: 0,
      data: 0x42,
    });
    assert.equal(t.readPba32(0), 0);
    assert.deepEqual(bus.unfinished(), []);
  });

  it('merges a second message into the pending one (one pending bit per entry)', () => {
    const { t, bus } = setup();
    t.signal(0, null);
    t.signal(0, null);
    assert.deepEqual(bus.calls.slice(2), [
      { op: 'raise', id: 2, source: 'msix', index: 0, bdf: '0000:6a:01.0', pasid: null },
      {
        op: 'drop',
        id: 2,
        reason: 'merged into pending message #1 (one pending bit per entry)',
      },
    ]);
  });

  it('function mask pends; clearing it releases unmasked entries only', () => {
    const { t, bus, control, program } = setup();
    program(0, 0xfee0_0000, 0x30);
    program(1, 0xfee0_0000, 0x31);
    t.writeTable32(msixVectorCtrlOffset(0), 0);
    control.msixFunctionMasked = true;
    t.signal(0, null);
    t.signal(1, null);
    assert.equal(t.readPba32(0), 0b11);
    control.msixFunctionMasked = false;
    t.controlChanged();
    assert.equal(t.readPba32(0), 0b10);
    assert.deepEqual(bus.calls.at(-1), {
      op: 'send',
      id: 1,
      address_lo: 0xfee0_0000,
      address_hi: 0,
      data: 0x30,
    });
  });

  it('drops when MSI-X is disabled or Bus Master is off', () => {
    const { t, bus, control } = setup();
    t.writeTable32(msixVectorCtrlOffset(0), 0);
    control.msixEnabled = false;
    t.signal(0, null);
    assert.equal(bus.calls[1]!.op, 'drop');
    assert.match((bus.calls[1] as { reason: string }).reason, /MSI-X is disabled/);
    control.msixEnabled = true;
    control.busMasterEnabled = false;
    t.signal(0, null);
    assert.match((bus.calls[3] as { reason: string }).reason, /Bus Master Enable=0/);
  });

  it('reset drops pending messages with the reason given', () => {
    const { t, bus } = setup();
    t.signal(3, null);
    t.reset('function level reset');
    assert.deepEqual(bus.calls.at(-1), { op: 'drop', id: 1, reason: 'function level reset' });
    assert.equal(t.readPba32(0), 0);
    assert.deepEqual(bus.violations, []);
  });

  it('reports reserved Vector Control bits, PBA writes and live message changes', () => {
    const { t, anomalies, program } = setup();
    t.writeTable32(msixVectorCtrlOffset(0), 0x10000);
    assert.equal(t.readTable32(msixVectorCtrlOffset(0)), 0);
    t.writePba32(0, 1);
    program(0, 0xfee0_0000, 0x41);
    assert.equal(anomalies.length, 4);
    assert.match(anomalies[0]!, /reserved/);
    assert.match(anomalies[1]!, /read-only/);
    assert.match(anomalies[2]!, /while the entry is unmasked/);
  });

  it('reject raises and drops with the device reason', () => {
    const { t, bus } = setup();
    t.reject(1, 5, 'MSIX_PERM says no');
    assert.deepEqual(bus.calls[1], { op: 'drop', id: 1, reason: 'MSIX_PERM says no' });
    assert.throws(() => {
      t.signal(4, null);
    }, RangeError);
  });
});
