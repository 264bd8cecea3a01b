/**
 * The `ims` debug type's launch arguments. package.json's `debuggers[0].configurationAttributes
 * .launch` schema describes the same fields (a test keeps the two in step).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface ImsLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path of the driver model (.js, .mjs, .cjs, .ts, .mts, .cts). */
  program: string;
  /** accel-config JSON file; default: accel-config.conf beside the model, if there is one. */
  config?: string;
  /** Number of emulated CPUs, 1..64 (default 4). */
  cpus?: number;
  /** Number of DSA devices, 1..8 (default: those the accel-config file names, at least 1). */
  devices?: number;
  /** Number of VT-d IR units, 1..8 (default 1); devices are split across them round-robin. */
  irUnits?: number;
  /**
   * Model the VT-d fault event interrupt: a DMAR-MSI irq per IR unit, as Linux sets up at boot;
   * a recorded fault sends the unit's fault event message and dmar_fault() runs where a CPU takes
   * it (default false: no such irq, dmar_fault() runs at the fault).
   */
  dmarFaultInterrupt?: boolean;
  /** Stop at the model's first statement. */
  stopOnEntry?: boolean;
  /** Run without debugging (no instrumentation; output and trace only). */
  noDebug?: boolean;
  /**
   * CMSIS-SVD file for mcu-debug/peripheral-viewer (`ims-debug svd -o <file>` writes it); the
   * debugger itself does not read it.
   */
  svdPath?: string;
  /** Print every interrupt trace event to the debug console (default true). */
  traceOutput?: boolean;
}

/** Custom request the views use: one versioned platform snapshot (see src/platform/snapshot). */
export const SNAPSHOT_REQUEST = 'ims/snapshot';

/** Exception filter ids (DESIGN.md §3). */
export const EXCEPTION_FILTERS = {
  interrupt: 'interrupt',
  remapFault: 'remapFault',
  maskedMessage: 'maskedMessage',
  uncaught: 'uncaught',
} as const;
