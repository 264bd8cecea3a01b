/**
 * Building a run from launch options: the machine (CPUs, one DSA per device the accel-config
 * file names, at least one), the accel-config each device gets, and the kernel API context.
 * Errors name the option or the config file's place and field.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Machine } from '../platform/machine/machine';
import {
  defaultMachineConfig,
  MAX_CPUS,
  MAX_IR_UNITS,
  type MachineConfig,
} from '../platform/machine/config';
import { deviceFactories } from '../platform/machine/devices';
import { formatDiagnostic, type DeviceConfig } from '../platform/accel-config';
import { loadAccelConfig } from './accel-config-file';
import { KernelContext, createKernelApi, type KernelApi, type KernelHooks } from './kernel';

/** What a launch asks for (the DAP launch arguments and the CLI flags share it). */
export interface RunOptions {
  /** The driver model's path. */
  program: string;
  /** accel-config JSON file; default `accel-config.conf` beside the model, when it exists. */
  config?: string | undefined;
  /** Number of CPUs (1..64); default 4. */
  cpus?: number | undefined;
  /** Number of DSA devices (1..8); default: as many as the accel-config file names, at least 1. */
  devices?: number | undefined;
  /** Number of VT-d IR units (1..8); devices are split across them round-robin. Default 1. */
  irUnits?: number | undefined;
  /**
   * Model the VT-d fault event interrupt (the DMAR-MSI irq per IR unit Linux sets up at boot);
   * default false. See MachineConfig.dmarFaultInterrupt.
   */
  dmarFaultInterrupt?: boolean | undefined;
}

/** BDFs of the DSA instances of two Sapphire Rapids sockets, in the order Linux numbers them. */
export const DSA_BDFS = [
  '0000:6a:01.0',
  '0000:6f:01.0',
  '0000:74:01.0',
  '0000:79:01.0',
  '0000:e7:01.0',
  '0000:ec:01.0',
  '0000:f1:01.0',
  '0000:f6:01.0',
];

export interface RunSetup {
  machine: Machine;
  ctx: KernelContext;
  api: KernelApi;
  program: string;
  /** The accel-config file used, or null. */
  configFile: string | null;
  /** Warnings about the config (file:line:col: …). */
  warnings: string[];
}

/** A launch/CLI option error: `field` names the option. */
export class OptionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'OptionError';
  }
}

/** The accel-config file a run uses: the given one, else `accel-config.conf` beside the model. */
export function resolveConfigFile(program: string, config: string | undefined): string | null {
  if (config !== undefined && config !== '') return path.resolve(config);
  const beside = path.join(path.dirname(path.resolve(program)), 'accel-config.conf');
  return existsSync(beside) ? beside : null;
}

/**
 * Builds the machine and kernel context for `opts`.
 * @throws OptionError for a bad option; AccelConfigError for a bad config file
 */
export function setupRun(opts: RunOptions, hooks: KernelHooks = {}): RunSetup {
  if (typeof opts.program !== 'string' || opts.program === '')
    throw new OptionError('program', 'the path of the driver model is required');
  const program = path.resolve(opts.program);
  if (!existsSync(program)) throw new OptionError('program', `no such file: ${program}`);
  const configFile = resolveConfigFile(program, opts.config);
  const { machine, configs, warnings } = buildMachine({ ...opts, config: configFile ?? undefined });
  const ctx = new KernelContext(machine, hooks);
  for (const c of configs) ctx.accelConfig.set(machine.pdevs[c.index]!, c);
  return { machine, ctx, api: createKernelApi(ctx), program, configFile, warnings };
}

/**
 * The machine a run would have, without a model: CPUs, one DSA per device (as many as the
 * accel-config file names, at least 1, unless `devices` says more), IR units; and the parsed
 * accel-config. `config` is taken as given (no default beside a model).
 * @throws OptionError for a bad option; AccelConfigError for a bad config file
 */
export function buildMachine(opts: Omit<RunOptions, 'program'>): {
  machine: Machine;
  configs: DeviceConfig[];
  warnings: string[];
} {
  const cpus = opts.cpus ?? 4;
  wholeNumber('cpus', cpus, 1, MAX_CPUS);
  let configs: DeviceConfig[] = [];
  const warnings: string[] = [];
  if (opts.config !== undefined && opts.config !== '') {
    const configFile = path.resolve(opts.config);
    if (!existsSync(configFile)) throw new OptionError('config', `no such file: ${configFile}`);
    const r = loadAccelConfig(configFile);
    configs = [...r.devices];
    warnings.push(...r.warnings.map(formatDiagnostic));
  }
  const named = Math.max(0, ...configs.map((c) => c.index + 1));
  if (named > DSA_BDFS.length) {
    throw new OptionError(
      'config',
      `names dsa${named - 1}, but at most ${DSA_BDFS.length} devices are modelled`,
    );
  }
  const ndev = opts.devices ?? Math.max(1, named);
  wholeNumber('devices', ndev, 1, DSA_BDFS.length);
  if (ndev < named) {
    throw new OptionError(
      'devices',
      `the accel-config file names dsa${named - 1}, so at least ${named} devices are needed, got ${ndev}`,
    );
  }
  const irUnits = opts.irUnits ?? 1;
  wholeNumber('irUnits', irUnits, 1, MAX_IR_UNITS);
  const dmarFaultInterrupt = opts.dmarFaultInterrupt ?? false;
  if (typeof dmarFaultInterrupt !== 'boolean')
    throw new OptionError(
      'dmarFaultInterrupt',
      `must be true or false, got ${JSON.stringify(dmarFaultInterrupt)}`,
    );
  const mc: MachineConfig = {
    ...defaultMachineConfig(),
    cpus,
    irUnits,
    dmarFaultInterrupt,
    devices: DSA_BDFS.slice(0, ndev).map((bdf, i) => ({
      kind: 'dsa' as const,
      bdf,
      irUnit: i % irUnits,
    })),
  };
  return { machine: new Machine(mc, deviceFactories), configs, warnings };
}

function wholeNumber(field: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new OptionError(
      field,
      `must be a whole number from ${lo} to ${hi}, got ${JSON.stringify(v)}`,
    );
  }
}
