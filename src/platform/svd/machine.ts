/**
 * The SVD of a whole emulated machine: every DSA's BAR0 and IMS at the addresses this machine
 * maps them (the BAR addresses depend on the device's place, so the file belongs to a launch
 * configuration's device count).
 */
import type { Machine } from '../machine/machine';
import type { DsaPlatformDevice } from '../machine/devices';
import { generateSvd, type SvdPeripheral } from './generate';
import { idxdPeripherals } from './idxd';

/** The CMSIS-SVD XML for `m`'s DSA devices (numbered dsa0, dsa1, … in machine order). */
export function machineSvd(m: Machine): string {
  const peripherals: SvdPeripheral[] = [];
  let n = 0;
  for (const d of m.devices)
    if (d.kind === 'dsa') peripherals.push(...idxdPeripherals((d as DsaPlatformDevice).dsa, n++));
  return generateSvd({
    name: 'IMS_DEBUG_PLATFORM',
    version: '1.0',
    description:
      `Emulated Intel DSA devices of the ims-debug platform (${n} device${n === 1 ? '' : 's'}), ` +
      'generated from the register tables that drive the emulation.',
    peripherals,
  });
}
