/**
 * Device models the machine can build, by `DeviceSpec.kind`. The DSA's BARs go to a 16 MiB
 * window per device from 0xe000_0000 (BAR0 at the start, BAR2 8 MiB in), each aligned to its
 * size as a BIOS would place them.
 */
import { IdxdDevice } from '../idxd';
import type { DeviceFactory, PlatformDevice } from './machine';

export const DSA_MMIO_BASE = 0xe000_0000;
export const DSA_MMIO_STRIDE = 0x0100_0000;

/** A DSA in the machine: the platform device plus the model itself. */
export interface DsaPlatformDevice extends PlatformDevice {
  readonly kind: 'dsa';
  readonly dsa: IdxdDevice;
}

export const dsaFactory: DeviceFactory = (spec, ctx): DsaPlatformDevice => {
  const m = ctx.machine;
  const bar0 = DSA_MMIO_BASE + ctx.index * DSA_MMIO_STRIDE;
  const dsa = new IdxdDevice({
    bus: m.fabric,
    memory: m.memory,
    clock: m.clock,
    bar0Address: bar0,
    bar2Address: bar0 + DSA_MMIO_STRIDE / 2,
    bdf: spec.bdf,
    onAnomaly: ctx.anomaly,
  });
  const [b0, b2] = dsa.pci.bars;
  return {
    kind: 'dsa',
    dsa,
    fn: dsa.pci,
    mmio: [
      { base: b0!.address, size: b0!.size, name: `idxd ${dsa.bdf} BAR0`, device: dsa.bar0 },
      { base: b2!.address, size: b2!.size, name: `idxd ${dsa.bdf} BAR2`, device: dsa.bar2 },
    ],
    snapshot: () => dsa.snapshot(),
  };
};

/** Every device model, for `new Machine(config, deviceFactories)`. */
export const deviceFactories: Readonly<Record<string, DeviceFactory>> = { dsa: dsaFactory };
