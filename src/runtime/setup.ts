/**
 * Building a run from launch options: the machine (CPUs, one DSA per device the accel-config
 * file names, at least one), the accel-config each device gets, and the kernel API context.
 * Errors name the option or the config file's place and field.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Machine } from '../platform/machine/machine';
import { defaultMachineConfig, MAX_CPUS, type MachineConfig } from '../platform/machine/config';
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
  const cpus = opts.cpus ?? 4;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS)
    throw new OptionError(
      'cpus',
      `must be a whole number from 1 to ${MAX_CPUS}, got ${JSON.stringify(opts.cpus)}`,
    );
  const configFile = resolveConfigFile(program, opts.config);
  let configs: DeviceConfig[] = [];
  const warnings: string[] = [];
  if (configFile !== null) {
    if (!existsSync(configFile)) throw new OptionError('config', `no such file: ${configFile}`);
    const r = loadAccelConfig(configFile);
    configs = [...r.devices];
    warnings.push(...r.warnings.map(formatDiagnostic));
  }
  const ndev = Math.max(1, ...configs.map((c) => c.index + 1));
  if (ndev > DSA_BDFS.length)
    throw new OptionError(
      'config',
      `names dsa${ndev - 1}, but at most ${DSA_BDFS.length} devices are modelled`,
    );
  const mc: MachineConfig = {
    ...defaultMachineConfig(),
    cpus,
    devices: DSA_BDFS.slice(0, ndev).map((bdf) => ({ kind: 'dsa' as const, bdf, irUnit: 0 })),
  };
  const machine = new Machine(mc, deviceFactories);
  const ctx = new KernelContext(machine, hooks);
  for (const c of configs) ctx.accelConfig.set(machine.pdevs[c.index]!, c);
  return { machine, ctx, api: createKernelApi(ctx), program, configFile, warnings };
}
