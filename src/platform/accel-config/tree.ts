/**
 * Helpers over jsonc-parser's syntax tree (`Node`: type, offset, length, value, children,
 * parent). An object's children are `property` nodes whose children are [key, value].
 *
 * Duplicate keys: json-c keeps the last one, and so do these lookups.
 */
import type { Node } from 'jsonc-parser';

/** The property nodes of an object node, in file order ([] for anything else). */
export function properties(obj: Node): readonly Node[] {
  return obj.type === 'object' ? (obj.children ?? []) : [];
}

/** The key of a property node. */
export function keyOf(property: Node): string {
  const key: unknown = property.children?.[0]?.value;
  return typeof key === 'string' ? key : '';
}

/** The key node of a property node (the property itself if malformed). */
export function keyNodeOf(property: Node): Node {
  return property.children?.[0] ?? property;
}

/** The value node of a property node (the property itself if malformed). */
export function valueNodeOf(property: Node): Node {
  return property.children?.[1] ?? property;
}

/** The last property of `obj` whose key is one of `keys`, as json-c would apply it. */
export function lastProperty(obj: Node, keys: readonly string[]): Node | undefined {
  let found: Node | undefined;
  for (const p of properties(obj)) if (keys.includes(keyOf(p))) found = p;
  return found;
}

/** The value node of `obj[key]` (the last one if repeated). */
export function valueAt(obj: Node, key: string): Node | undefined {
  const p = lastProperty(obj, [key]);
  return p === undefined ? undefined : valueNodeOf(p);
}

/** Child of `node` for one JSON-pointer segment: an array index or an object key. */
export function childAt(node: Node, segment: string): Node | undefined {
  if (node.type === 'array') return node.children?.[Number(segment)];
  return valueAt(node, segment);
}

/** The node a JSON pointer (`/0/groups/1/size`) designates, or the deepest one that exists. */
export function nodeAtPointer(root: Node, pointer: string): Node {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const next = childAt(node, raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (next === undefined) break;
    node = next;
  }
  return node;
}

/** The string `dev` of an object node, if it has one. */
export function devOf(obj: Node): string | undefined {
  const v: unknown = valueAt(obj, 'dev')?.value;
  return typeof v === 'string' ? v : undefined;
}

/**
 * A readable place for a node: the `dev` names of the objects around it, outermost first
 * (`dsa0 › group0.1 › wq0.1`). An object without a `dev` is named by its array and index
 * (`dsa0 › groups[2]`); the top-level array is `devices`.
 */
export function placeOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n !== undefined; n = n.parent) {
    if (n.type !== 'object') continue;
    const dev = devOf(n);
    parts.push(dev ?? arrayElementName(n));
  }
  return parts.reverse().join(' › ');
}

function arrayElementName(obj: Node): string {
  const array = obj.parent;
  if (array?.type !== 'array') return '(object)';
  const index = array.children?.indexOf(obj) ?? -1;
  const holder = array.parent;
  const name = holder?.type === 'property' ? keyOf(holder) : 'devices';
  return `${name}[${index}]`;
}

/**
 * The field a node belongs to: the key of the property it is the key or value of, with array
 * indices for nodes inside arrays (`groups[1]`); undefined for objects and the top level.
 */
export function fieldOf(node: Node): string | undefined {
  let suffix = '';
  for (let n: Node = node; n.parent !== undefined; n = n.parent) {
    const parent: Node = n.parent;
    if (parent.type === 'property') return keyOf(parent) + suffix;
    if (parent.type !== 'array' || n.type === 'object') return undefined;
    suffix = `[${parent.children?.indexOf(n) ?? -1}]${suffix}`;
  }
  return undefined;
}

/** A short JSON rendering of a node's value for messages (strings quoted, long ones cut). */
export function show(node: Node): string {
  if (node.type === 'object') return 'an object';
  if (node.type === 'array') return 'an array';
  const value: unknown = node.value;
  // JSON.stringify would print an overflowing number (1e400 reads as Infinity) as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
