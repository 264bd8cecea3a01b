import { strict as assert } from 'node:assert';
import { PciFunction } from '../../../src/platform/pci/config';
import * as R from '../../../src/platform/pci/regs';

function makeFn(onAnomaly?: (t: string) => void): PciFunction {
  return new PciFunction({
    bdf: '0000:6a:01.0',
    vendorId: 0x8086,
    deviceId: 0x0b25,
    bars: [
      { index: 0, size: 0x10000, address: 0x2_0000_0000 },
      { index: 2, size: 0x20000, address: 0xc000_0000 },
    ],
    pcieType: R.PCI_EXP_TYPE_RC_END,
    msix: { tableSize: 9, tableBar: 0, tableOffset: 0x2000, pbaBar: 0, pbaOffset: 0x3000 },
    ...(onAnomaly === undefined ? {} : { onAnomaly }),
  });
}

describe('PciFunction config space', () => {
  it('holds vendor/device id, class and the requester id', () => {
    const f = makeFn();
    assert.equal(f.readConfig16(R.PCI_VENDOR_ID), 0x8086);
    assert.equal(f.readConfig16(R.PCI_DEVICE_ID), 0x0b25);
    assert.equal(f.readConfig32(R.PCI_VENDOR_ID), 0x0b258086);
    assert.equal(f.readConfig32(0x08) >>> 8, 0x088000);
    assert.equal(f.requesterId, 0x6a08);
    assert.equal(f.bdf, '0000:6a:01.0');
  });

  it('COMMAND: memory space and bus master bits are writable, others read-only', () => {
    const f = makeFn();
    assert.equal(f.readConfig16(R.PCI_COMMAND), 0);
    assert.equal(f.busMasterEnabled, false);
    f.writeConfig16(R.PCI_COMMAND, 0xffff);
    assert.equal(f.readConfig16(R.PCI_COMMAND), 0x0546);
    assert.equal(f.busMasterEnabled, true);
    assert.equal(f.memorySpaceEnabled, true);
    f.writeConfig8(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY);
    assert.equal(f.busMasterEnabled, false);
  });

  it('BARs: 64-bit memory type, addresses, and sizing by writing all 1s', () => {
    const f = makeFn();
    assert.equal(f.readConfig32(0x10), 0x4);
    assert.equal(f.readConfig32(0x14), 2);
    assert.equal(f.barAddress(0), 0x2_0000_0000);
    assert.equal(f.barAddress(2), 0xc000_0000);
    f.writeConfig32(0x10, 0xffffffff);
    assert.equal(f.readConfig32(0x10), 0xffff0004); // 64 KiB
    f.writeConfig32(0x18, 0xffffffff);
    assert.equal(f.readConfig32(0x18), 0xfffe0004); // 128 KiB
  });

  it('reports a BAR programmed away from where the platform maps it', () => {
    const seen: string[] = [];
    const f = makeFn((t) => seen.push(t));
    f.writeConfig32(0x10, 0xffffffff); // sizing with decode off: silent
    assert.equal(seen.length, 0);
    f.writeConfig32(0x10, 0);
    f.writeConfig32(0x14, 2);
    f.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY);
    assert.equal(seen.length, 0);
    f.writeConfig32(0x18, 0x1000_0000);
    assert.match(seen[0]!, /BAR2 programmed to 0x10000000/);
  });

  it('capability list: PCIe then MSI-X with QSIZE, table and PBA offset/BIR', () => {
    const f = makeFn();
    assert.ok(f.readConfig16(R.PCI_STATUS) & R.PCI_STATUS_CAP_LIST);
    const first = f.readConfig8(R.PCI_CAPABILITY_LIST);
    assert.equal(first, f.pcieCap);
    assert.equal(f.readConfig8(first), R.PCI_CAP_ID_EXP);
    assert.equal((f.readConfig16(first + 2) >> 4) & 0xf, R.PCI_EXP_TYPE_RC_END);
    const second = f.readConfig8(first + 1);
    assert.equal(second, f.msixCap);
    assert.equal(f.readConfig8(second), R.PCI_CAP_ID_MSIX);
    assert.equal(f.readConfig8(second + 1), 0);
    assert.equal(f.readConfig16(second + R.PCI_MSIX_FLAGS) & R.PCI_MSIX_FLAGS_QSIZE, 8);
    assert.equal(f.readConfig32(second + R.PCI_MSIX_TABLE), 0x2000);
    assert.equal(f.readConfig32(second + R.PCI_MSIX_PBA), 0x3000);
  });

  it('MSI-X Message Control: Enable and Function Mask writable, QSIZE read-only, listeners told', () => {
    const f = makeFn();
    let calls = 0;
    f.onMsixControlChange(() => calls++);
    const mc = f.msixCap + R.PCI_MSIX_FLAGS;
    f.writeConfig16(mc, 0xffff);
    assert.equal(f.readConfig16(mc), 0xc008);
    assert.equal(f.msixEnabled, true);
    assert.equal(f.msixFunctionMasked, true);
    f.writeConfig16(mc, R.PCI_MSIX_FLAGS_ENABLE);
    assert.equal(f.msixFunctionMasked, false);
    f.writeConfig16(mc, R.PCI_MSIX_FLAGS_ENABLE); // no change, no call
    assert.equal(calls, 2);
    f.reset();
    assert.equal(f.msixEnabled, false);
    assert.equal(calls, 3);
  });

  it('rejects unaligned and out-of-range config accesses', () => {
    const f = makeFn();
    assert.throws(() => f.readConfig16(1), RangeError);
    assert.throws(() => f.readConfig32(4094), RangeError);
    assert.throws(() => {
      f.writeConfig32(4096, 0);
    }, RangeError);
  });
});
