// Display names of functions, after V8's inference: a function expression or arrow takes
// the name of the binding, property or assignment target it is stored to.

import type { AnyNode, Expression, PrivateIdentifier } from 'acorn';

const MAX_NAME = 80;

/** Name of a property or class member key: `m`, `#p`, `'a b'`, `[Symbol.iterator]`. */
export function keyName(
  key: Expression | PrivateIdentifier,
  computed: boolean,
  code: string,
): string {
  if (!computed) {
    if (key.type === 'Identifier') return key.name;
    if (key.type === 'PrivateIdentifier') return `#${key.name}`;
    if (key.type === 'Literal') return String(key.value);
  }
  return `[${compact(code.slice(key.start, key.end))}]`;
}

/**
 * Name an assignment target gives to an anonymous function assigned to it: an identifier's
 * name, or a member chain's source text (`this.cb`, `module.exports.f`); undefined for
 * destructuring targets.
 */
export function targetName(target: AnyNode, code: string): string | undefined {
  if (target.type === 'Identifier') return target.name;
  if (target.type === 'MemberExpression') return compact(code.slice(target.start, target.end));
  return undefined;
}

/** `prefix.key`, or `key` when there is no prefix. */
export function qualify(prefix: string | undefined, key: string): string {
  return prefix === undefined ? key : `${prefix}.${key}`;
}

function compact(text: string): string {
  const flat = text.replace(/\s+/g, '');
  return flat.length > MAX_NAME ? `${flat.slice(0, MAX_NAME - 1)}…` : flat;
}
