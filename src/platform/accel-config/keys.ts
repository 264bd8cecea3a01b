/**
 * Warnings about how an object's keys are written, where load-config's order-driven reading
 * (accfg/config.c: keys applied in file order, state carried from one "dev" to the next) would
 * do something other than what the file seems to say.
 */
import type { Node } from 'jsonc-parser';
import { KEY_ALIASES } from './schema';
import type { Reporter } from './source';
import { keyNodeOf, keyOf, properties, valueNodeOf } from './tree';

/** Reports key-level warnings for one object node (not its children). */
export function checkKeys(obj: Node, report: Reporter): void {
  const props = properties(obj);
  const seen = new Map<string, Node>();
  props.forEach((p, i) => {
    const key = keyOf(p);
    const keyNode = keyNodeOf(p);
    if (key === 'dev' && i !== 0) {
      report.warn(
        keyNode,
        'should be the first key: load-config applies the keys before it to the previous object',
      );
    }
    if (seen.has(key)) {
      report.warn(keyNode, 'repeated; the last value wins, as json-c keeps it');
    }
    const current = KEY_ALIASES[key];
    if (current !== undefined) {
      report.warn(keyNode, `deprecated name of "${current}" (accel-config warns the same)`);
      const other = seen.get(current);
      if (other !== undefined) report.warn(keyNode, `overrides "${current}" given before it`);
    } else {
      const alias = Object.keys(KEY_ALIASES).find((a) => KEY_ALIASES[a] === key && seen.has(a));
      if (alias !== undefined) report.warn(keyNode, `overrides "${alias}" given before it`);
    }
    const value = valueNodeOf(p);
    if (value.type === 'array' && (value.children?.length ?? 0) === 0) {
      report.warn(value, 'empty array; accel-config load-config fails on empty arrays');
    }
    seen.set(key, keyNode);
  });
}
