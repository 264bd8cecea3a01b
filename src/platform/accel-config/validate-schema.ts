/**
 * Structural validation with ajv against ACCEL_CONFIG_SCHEMA, its errors turned into positioned
 * diagnostics: a wrong type says which type was expected and what was found; an unknown key is a
 * warning at the key; anything else names the rule and the value.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { getNodeValue, type Node } from 'jsonc-parser';
import { ACCEL_CONFIG_SCHEMA } from './schema';
import type { Reporter } from './source';
import { lastProperty, keyNodeOf, nodeAtPointer, show } from './tree';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }).compile(
    ACCEL_CONFIG_SCHEMA,
  );
  return compiled;
}

/** Validates the tree; reports every schema violation. Returns false if any was an error. */
export function validateSchema(root: Node, report: Reporter): boolean {
  const validate = validator();
  if (validate(getNodeValue(root))) return true;
  const errors = validate.errors ?? [];
  const typeErrorAt = new Set(
    errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath),
  );
  let ok = true;
  for (const e of errors) {
    if (e.keyword !== 'type' && typeErrorAt.has(e.instancePath)) continue;
    const node = nodeAtPointer(root, e.instancePath);
    if (e.keyword === 'additionalProperties') {
      reportUnknownKey(node, String(e.params['additionalProperty']), report);
      continue;
    }
    ok = false;
    if (e.instancePath === '') report.at('error', node.offset, 0, describe(e, node));
    else report.error(node, describe(e, node));
  }
  return ok;
}

function reportUnknownKey(obj: Node, key: string, report: Reporter): void {
  const property = lastProperty(obj, [key]);
  report.warn(
    property === undefined ? obj : keyNodeOf(property),
    'unknown key, ignored (accel-config load-config skips keys it does not know)',
    key,
  );
}

function describe(e: ErrorObject, node: Node): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return e.instancePath === ''
        ? `the file must be a JSON array of devices, as save-config writes it; found ${found(node)}`
        : `expected ${expected(p['type'])}, found ${found(node)}`;
    case 'required':
      return `missing the "${String(p['missingProperty'])}" key`;
    case 'enum':
      return `${show(node)} is not one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minimum':
      return `${show(node)} is below the minimum ${String(p['limit'])}`;
    case 'maximum':
      return `${show(node)} is above the maximum ${String(p['limit'])}`;
    case 'minItems':
      return 'the file lists no devices (accel-config load-config rejects an empty array)';
    case 'maxLength':
      return `longer than ${String(p['limit'])} characters`;
    case 'pattern':
      return (
        `${show(node)} is not a bitmap of up to eight comma-separated 32-bit hex words, most ` +
        'significant first (e.g. "00000000,00000000,00000000,00000000,00000000,00000000,00000001,003f027d")'
      );
    default:
      return `${show(node)} ${e.message ?? 'is invalid'}`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

function expected(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

/** What a node holds, for "found …": `a string ("16")`, `1.5`, `null`, `an object`. */
function found(node: Node): string {
  return node.type === 'string' ? `a string (${show(node)})` : show(node);
}
