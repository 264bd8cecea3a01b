/**
 * Launch configurations of the `ims` debug type, without VS Code: what F5 on a model file with
 * no launch.json starts, the initial launch.json entries, and the checks that turn a malformed
 * configuration (or an untrusted workspace) into a clear message before anything runs.
 */
import path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ImsLaunchArguments } from '../adapter/launch-args';
import { MAX_CPUS } from '../platform/machine/config';

export const DEBUG_TYPE = 'ims';

/** Extensions of driver model files (the runtime's loader takes the same). */
export const MODEL_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** Languages whose files are models (for breakpoints and the active-editor default). */
export const MODEL_LANGUAGES: readonly string[] = ['javascript', 'typescript'];

/** A launch configuration as VS Code passes it around. */
export type LaunchConfig = Partial<ImsLaunchArguments> & {
  type: string;
  request: string;
  name: string;
  [key: string]: unknown;
};

type OwnArgs = Omit<ImsLaunchArguments, keyof DebugProtocol.LaunchRequestArguments>;

/**
 * The launch attributes and their JSON types: one entry per field of `ImsLaunchArguments` (the
 * compiler checks it is complete), plus DAP's `noDebug`. package.json's schema must match (a
 * unit test compares them).
 */
export const LAUNCH_ATTRIBUTES: Readonly<
  Record<keyof Required<OwnArgs> | 'noDebug', 'string' | 'integer' | 'boolean'>
> = {
  program: 'string',
  config: 'string',
  cpus: 'integer',
  devices: 'integer',
  irUnits: 'integer',
  dmarFaultInterrupt: 'boolean',
  svdPath: 'string',
  stopOnEntry: 'boolean',
  noDebug: 'boolean',
  traceOutput: 'boolean',
};

/** Whether `file` names a driver model by its extension. */
export function isModelFile(file: string): boolean {
  return MODEL_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** The configuration F5 uses for `file` when there is no launch.json. */
export function configForFile(file: string): LaunchConfig {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${path.basename(file)}`,
    program: file,
    stopOnEntry: false,
  };
}

/** The entries a new launch.json gets. */
export function initialConfigurations(): LaunchConfig[] {
  return [
    {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Debug driver model',
      program: '${file}',
      stopOnEntry: true,
    },
  ];
}

/** Outcome of checking a configuration. */
export type ResolveResult =
  | { readonly ok: true; readonly config: LaunchConfig }
  | {
      readonly ok: false;
      readonly message: string;
      /** The refusal is about Workspace Trust (offer to manage it). */
      readonly trust?: boolean;
      /** Offer to open launch.json. */
      readonly openLaunchJson?: boolean;
    };

/** The message shown when a model would run in an untrusted workspace. */
export const UNTRUSTED_MESSAGE =
  'IMS Debug does not run driver models in Restricted Mode: a model is code that runs with your ' +
  'permissions. Trust this workspace to debug it.';

/**
 * Checks `config` (as launch.json or F5 gives it, variables not yet substituted) and fills in
 * what F5 without launch.json implies. `activeFile` is the file in the active editor, if any.
 */
export function resolveLaunchConfig(
  config: Readonly<Record<string, unknown>>,
  env: { readonly trusted: boolean; readonly activeFile: string | undefined },
): ResolveResult {
  if (!env.trusted) return { ok: false, message: UNTRUSTED_MESSAGE, trust: true };
  const empty = config.type === undefined && config.request === undefined;
  if (empty) {
    if (env.activeFile === undefined || !isModelFile(env.activeFile)) {
      return {
        ok: false,
        message:
          'Open a driver model (.js or .ts) in the editor and press F5, or add an "ims" configuration to launch.json.',
        openLaunchJson: true,
      };
    }
    return { ok: true, config: configForFile(env.activeFile) };
  }
  if (config.request !== 'launch') {
    return {
      ok: false,
      message: `launch.json: the ims debugger only launches models ("request": "launch"), got ${JSON.stringify(config.request)}.`,
      openLaunchJson: true,
    };
  }
  const problem = checkAttributes(config);
  if (problem !== undefined)
    return { ok: false, message: `launch.json: ${problem}`, openLaunchJson: true };
  const out: LaunchConfig = {
    ...config,
    type: DEBUG_TYPE,
    request: 'launch',
    name: typeof config.name === 'string' ? config.name : 'Debug driver model',
  };
  return { ok: true, config: out };
}

/** The first problem with the attributes' types and ranges, or undefined. */
function checkAttributes(config: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof config.program !== 'string' || config.program.trim() === '') {
    return '"program" is required: the path of the driver model, e.g. "${workspaceFolder}/driver.js".';
  }
  for (const [key, type] of Object.entries(LAUNCH_ATTRIBUTES)) {
    const v = config[key];
    if (v === undefined) continue;
    const ok =
      type === 'integer'
        ? Number.isInteger(v)
        : type === 'boolean'
          ? typeof v === 'boolean'
          : typeof v === 'string';
    if (!ok)
      return `"${key}" must be ${type === 'integer' ? 'a whole number' : `a ${type}`}, got ${JSON.stringify(v)}.`;
  }
  const cpus = config.cpus;
  if (typeof cpus === 'number' && (cpus < 1 || cpus > MAX_CPUS)) {
    return `"cpus" must be from 1 to ${MAX_CPUS}, got ${cpus}.`;
  }
  return undefined;
}

/**
 * Checks a configuration after VS Code substituted its variables: `program` must name an
 * existing model file (pressing F5 with `${file}` while launch.json is open names launch.json).
 */
export function checkProgram(
  program: string,
  exists: (file: string) => boolean,
): string | undefined {
  if (!isModelFile(program)) {
    return `"program" must be a driver model (${MODEL_EXTENSIONS.join(', ')}), got ${program}. With "\${file}", open the model in the editor before pressing F5.`;
  }
  if (!exists(program)) return `"program": no such file: ${program}`;
  return undefined;
}
