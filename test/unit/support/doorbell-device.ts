/**
 * A minimal PCI device for platform tests: an MSI-X table (8 entries) in BAR0 at 0x2000, PBA at
 * 0x3000, and a doorbell register at 0x0: writing N signals MSI-X entry N. It lets the tests run
 * the real interrupt path (MSI-X table → fabric → IR → APIC → genirq) without the DSA model.
 */
import type { DeviceFactory, PlatformDevice } from '../../../src/platform/machine/machine';
import { MsixTable, PciFunction } from '../../../src/platform/pci';
import type { MmioDevice } from '../../../src/platform/memory';

export const DOORBELL_BAR0 = 0xd000_0000;
export const TABLE_OFFSET = 0x2000;
export const PBA_OFFSET = 0x3000;

export interface DoorbellDevice extends PlatformDevice {
  readonly table: MsixTable;
}

export const doorbellFactory: DeviceFactory = (spec, ctx): DoorbellDevice => {
  const base = DOORBELL_BAR0 + ctx.index * 0x10000;
  const fn = new PciFunction({
    bdf: spec.bdf,
    vendorId: 0x1234,
    deviceId: 0x0001,
    bars: [{ index: 0, size: 0x10000, address: base }],
    msix: {
      tableSize: 8,
      tableBar: 0,
      tableOffset: TABLE_OFFSET,
      pbaBar: 0,
      pbaOffset: PBA_OFFSET,
    },
  });
  fn.writeConfig16(4, 0x6); // memory space + bus master, as pci_enable_device + pci_set_master
  const table = new MsixTable({
    bus: ctx.machine.fabric,
    bdf: fn.bdf,
    requesterId: fn.requesterId,
    size: 8,
    control: fn,
  });
  fn.onMsixControlChange(() => {
    table.controlChanged();
  });
  const bar0: MmioDevice = {
    read32: (off) =>
      off >= PBA_OFFSET
        ? table.readPba32(off - PBA_OFFSET)
        : off >= TABLE_OFFSET
          ? table.readTable32(off - TABLE_OFFSET)
          : 0,
    write32: (off, v) => {
      if (off === 0) table.signal(v, null);
      else if (off >= PBA_OFFSET) table.writePba32(off - PBA_OFFSET, v);
      else if (off >= TABLE_OFFSET) table.writeTable32(off - TABLE_OFFSET, v);
    },
    read64: (off) => BigInt(bar0.read32(off)) | (BigInt(bar0.read32(off + 4)) << 32n),
    write64: (off, v) => {
      bar0.write32(off, Number(v & 0xffffffffn));
      bar0.write32(off + 4, Number(v >> 32n));
    },
  };
  return {
    kind: 'doorbell',
    fn,
    table,
    mmio: [{ base, size: 0x10000, name: `${fn.bdf} BAR0`, device: bar0 }],
    snapshot: () => ({}),
  };
};
