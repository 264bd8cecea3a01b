/**
 * Validates launch arguments against the `ims` debugger's launch schema in package.json (the
 * one source of truth VS Code also uses for IntelliSense in launch.json), with ajv. Errors name
 * the attribute: `launch.cpus: must be <= 64`.
 */
import Ajv from 'ajv';
import pkg from '../../package.json';

interface DebuggerContribution {
  type: string;
  configurationAttributes?: { launch?: object };
}

const debuggers =
  (pkg as { contributes?: { debuggers?: DebuggerContribution[] } }).contributes?.debuggers ?? [];
/** The launch schema of the `ims` debug type. */
export const LAUNCH_SCHEMA: object | undefined = debuggers.find((d) => d.type === 'ims')
  ?.configurationAttributes?.launch;

const ajv = new Ajv({ allErrors: true, strict: false });
/**
 * As VS Code reads the schema for launch.json: an object whose unknown attributes are errors
 * (it adds `additionalProperties: false`). Its private `__` keys (`__sessionId`, …) pass.
 */
const validate = LAUNCH_SCHEMA
  ? ajv.compile({
      ...LAUNCH_SCHEMA,
      type: 'object',
      patternProperties: { '^__': {} },
      additionalProperties: false,
    })
  : undefined;

/** Returns null when `args` are valid, else one message naming each bad attribute. */
export function launchArgsProblem(args: unknown): string | null {
  if (validate === undefined || validate(args)) return null;
  return (validate.errors ?? [])
    .map((e) => {
      const where = e.instancePath ? `launch${e.instancePath.replace(/\//g, '.')}` : 'launch';
      const extra =
        e.keyword === 'additionalProperties'
          ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
          : '';
      return `${where}: ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}
