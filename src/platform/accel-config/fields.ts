/**
 * Typed reads of the keys of a schema-validated object node, each with the node it came from so
 * that a check can point at it. A key given under several names (a deprecated alias and its
 * current name) reads as the one that comes last, as load-config applies keys in file order.
 */
import type { Node } from 'jsonc-parser';
import { lastProperty, valueAt, valueNodeOf } from './tree';

/** A value read from the file and the node holding it. */
export interface Field<T> {
  readonly value: T;
  readonly node: Node;
}

function read(obj: Node, keys: readonly string[]): Node | undefined {
  const p = lastProperty(obj, keys);
  return p === undefined ? undefined : valueNodeOf(p);
}

/** An integer key (or one of its aliases). */
export function intField(obj: Node, ...keys: string[]): Field<number> | undefined {
  const node = read(obj, keys);
  return typeof node?.value === 'number' ? { value: node.value, node } : undefined;
}

/** A 0/1 key, read as json-c does (numbers and booleans alike). */
export function flagField(obj: Node, ...keys: string[]): Field<boolean> | undefined {
  const node = read(obj, keys);
  const v: unknown = node?.value;
  return node !== undefined && (typeof v === 'number' || typeof v === 'boolean')
    ? { value: v === true || v === 1, node }
    : undefined;
}

/** A string key. */
export function stringField(obj: Node, key: string): Field<string> | undefined {
  const node = read(obj, [key]);
  return typeof node?.value === 'string' ? { value: node.value, node } : undefined;
}

/** The objects of an array key ([] when absent). */
export function objectsAt(obj: Node, key: string): readonly Node[] {
  const array = valueAt(obj, key);
  return array?.type === 'array' ? (array.children ?? []).filter((n) => n.type === 'object') : [];
}

/** Where to point for something about the object as a whole: its `dev` value, else the object. */
export function anchorOf(obj: Node): Node {
  return valueAt(obj, 'dev') ?? obj;
}
