/**
 * The SVD peripherals of one Intel DSA: its BAR0 registers with the MSIX_PERM, GRPCFG, WQCFG and
 * MSI-X tables as one peripheral, and its Interrupt Message Store as a second one (2048 slots
 * would swamp the first in a viewer). Everything comes from the device's own register tables
 * and layout (`IdxdDevice.tables`, `.layout`, `.caps`).
 */
import type { IdxdDevice } from '../idxd';
import type { SvdPeripheral } from './generate';

/** The peripherals of `dev`, named `DSA<index>` and `DSA<index>_IMS`. */
export function idxdPeripherals(dev: IdxdDevice, index: number): SvdPeripheral[] {
  const L = dev.layout;
  const t = dev.tables;
  const bar0 = dev.pci.barAddress(0);
  const name = `DSA${index}`;
  const out: SvdPeripheral[] = [
    {
      name,
      description:
        `Intel DSA ${dev.bdf} BAR0: top-level registers, MSIX_PERM, GRPCFG, WQCFG and the MSI-X ` +
        `table (drivers/dma/idxd/registers.h; offsets from TABLE and the MSI-X capability).`,
      groupName: 'IDXD',
      baseAddress: bar0,
      size: L.imsSlots > 0 ? L.imsOffset : L.bar0Size,
      registers: t.top,
      tables: [
        { layout: t.msixPerm, offset: L.msixPermOffset, count: dev.caps.msix_count },
        { layout: t.grpcfg, offset: L.grpcfgOffset, count: dev.caps.grpcap.num_groups },
        { layout: t.wqcfg, offset: L.wqcfgOffset, count: dev.caps.wqcap.num_wqs },
        { layout: t.msix, offset: L.msixTableOffset, count: dev.caps.msix_count },
      ],
    },
  ];
  if (L.imsSlots > 0)
    out.push({
      name: `${name}_IMS`,
      description: `Intel DSA ${dev.bdf} Interrupt Message Store: ${L.imsSlots} slots at BAR0 + ${hexOf(L.imsOffset)} (TABLE.ims).`,
      groupName: 'IDXD',
      baseAddress: bar0 + L.imsOffset,
      size: L.imsSlots * t.ims.stride,
      registers: [],
      tables: [{ layout: t.ims, offset: 0, count: L.imsSlots }],
    });
  return out;
}

function hexOf(n: number): string {
  return `0x${n.toString(16)}`;
}
