/**
 * What a machine is made of: CPUs, IR units, devices, and the timing model. Validated with
 * errors that name the field (`cpus: must be a whole number from 1 to 64, got 0`).
 */

/** One emulated PCI device. */
export interface DeviceSpec {
  /** Device kind; only the Intel DSA is modelled now. */
  kind: 'dsa';
  /** `dddd:bb:dd.f`. */
  bdf: string;
  /** Index of the IR unit whose scope holds the device. */
  irUnit: number;
  /** accel-config device configuration for it (already parsed), if any. */
  accelConfig?: unknown;
}

export interface MachineConfig {
  /** Number of CPUs, 1..64; CPU n has APIC ID n. */
  cpus: number;
  /** Number of VT-d IR units (INTEL-IR-0..n-1). */
  irUnits: number;
  /** Interrupt remapping enabled (the default; with it off messages use compatibility format). */
  interruptRemapping: boolean;
  devices: DeviceSpec[];
  /** Time an uncached MMIO read takes, ns (a PCIe round trip). */
  mmioReadNs: number;
  /** Time a posted MMIO write takes the CPU, ns. */
  mmioWriteNs: number;
  /** Trace events kept (ring size). */
  traceCapacity: number;
  /**
   * The VT-d units' fault event interrupt, as Linux sets it up at boot
   * (enable_drhd_fault_handling: a "DMAR-MSI" irq per unit running dmar_fault): a recorded fault
   * sends the unit's fault event message (traced, source `dmar`) and the handler runs when a CPU
   * takes it. Off (the default, absent): no such irq exists and dmar_fault() runs at the moment a
   * fault is recorded, without a message — a shortcut that keeps irq numbers and vectors as they
   * were before the interrupt was modelled.
   */
  dmarFaultInterrupt?: boolean;
}

export const MAX_CPUS = 64;
export const MAX_IR_UNITS = 8;

/** The default machine: 4 CPUs, one IR unit, one DSA at 0000:6a:01.0. */
export function defaultMachineConfig(): MachineConfig {
  return {
    cpus: 4,
    irUnits: 1,
    interruptRemapping: true,
    devices: [{ kind: 'dsa', bdf: '0000:6a:01.0', irUnit: 0 }],
    mmioReadNs: 400,
    mmioWriteNs: 20,
    traceCapacity: 1 << 16,
  };
}

/** Throws an Error naming the field when `cfg` is not a valid machine. */
export function validateMachineConfig(cfg: MachineConfig): void {
  const whole = (name: string, v: unknown, lo: number, hi: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw new Error(
        `${name}: must be a whole number from ${lo} to ${hi}, got ${JSON.stringify(v)}`,
      );
    }
  };
  whole('cpus', cfg.cpus, 1, MAX_CPUS);
  whole('irUnits', cfg.irUnits, 1, MAX_IR_UNITS);
  whole('mmioReadNs', cfg.mmioReadNs, 0, 1e9);
  whole('mmioWriteNs', cfg.mmioWriteNs, 0, 1e9);
  whole('traceCapacity', cfg.traceCapacity, 16, 1 << 24);
  if (cfg.dmarFaultInterrupt !== undefined && typeof cfg.dmarFaultInterrupt !== 'boolean')
    throw new Error(
      `dmarFaultInterrupt: must be true or false, got ${JSON.stringify(cfg.dmarFaultInterrupt)}`,
    );
  const seen = new Set<string>();
  cfg.devices.forEach((d, i) => {
    if (!/^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$/i.test(d.bdf)) {
      throw new Error(
        `devices[${i}].bdf: expected dddd:bb:dd.f with hex digits (device 00-1f, function 0-7), got ${JSON.stringify(d.bdf)}`,
      );
    }
    if (seen.has(d.bdf.toLowerCase())) throw new Error(`devices[${i}].bdf: ${d.bdf} is used twice`);
    seen.add(d.bdf.toLowerCase());
    whole(`devices[${i}].irUnit`, d.irUnit, 0, cfg.irUnits - 1);
  });
}
