/**
 * Variables of a stopped model: JS values rendered for the debugger, with handles for values
 * that have children. Handles are valid until the model resumes. Integers of 256 and more show
 * their hex too (addresses and register values are what a driver's locals hold); bigints — the
 * API's 64-bit register values — show in hex; byte arrays show their first bytes in hex.
 */
import type { RuntimeVariable } from '../protocol';

type Children = (
  filter: 'indexed' | 'named' | undefined,
  start: number,
  count: number,
) => RuntimeVariable[];

export class VariableStore {
  private handles: Children[] = [];

  /** Forgets every handle (on resume). */
  reset(): void {
    this.handles = [];
  }

  /** Registers a children provider; returns its handle (≥ 1). */
  add(children: Children): number {
    this.handles.push(children);
    return this.handles.length;
  }

  /** Children of handle `ref`; throws for a stale handle. */
  get(
    ref: number,
    filter: 'indexed' | 'named' | undefined,
    start = 0,
    count = 0,
  ): RuntimeVariable[] {
    const h = this.handles[ref - 1];
    if (h === undefined)
      throw new Error(`variables: handle ${ref} is no longer valid (the model has run since)`);
    return h(filter, start, count);
  }

  /** A variable for `value` named `name`, with a handle when it has children. */
  variable(name: string, value: unknown, hex: boolean, evaluateName?: string): RuntimeVariable {
    const v: RuntimeVariable = {
      name,
      value: formatValue(value, hex),
      type: typeOf(value),
      variablesReference: 0,
    };
    if (evaluateName !== undefined) v.evaluateName = evaluateName;
    if (typeof value === 'object' && value !== null) {
      const indexed =
        Array.isArray(value) || ArrayBuffer.isView(value)
          ? (value as ArrayLike<unknown>).length
          : 0;
      v.variablesReference = this.add((filter, start, count) =>
        this.children(value, filter, start, count, hex, evaluateName),
      );
      if (indexed > 100) {
        v.indexedVariables = indexed;
        v.namedVariables = 0;
      }
    }
    return v;
  }

  private children(
    obj: object,
    filter: 'indexed' | 'named' | undefined,
    start: number,
    count: number,
    hex: boolean,
    base: string | undefined,
  ): RuntimeVariable[] {
    const child = (key: string, val: unknown): RuntimeVariable =>
      this.variable(
        key,
        val,
        hex,
        base === undefined
          ? undefined
          : /^(0|[1-9]\d{0,14})$/.test(key) // a canonical index that stays exact as a number
            ? `${base}[${key}]`
            : /^[A-Za-z_$][\w$]*$/.test(key)
              ? `${base}.${key}`
              : `${base}[${JSON.stringify(key)}]`,
      );
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
      const arr = obj as unknown as ArrayLike<unknown>;
      if (filter === 'named') return [];
      const from = filter === 'indexed' ? start : 0;
      // DAP: a count of 0 (or none) asks for every element from `start` on.
      const to =
        filter === 'indexed'
          ? count > 0
            ? Math.min(arr.length, start + count)
            : arr.length
          : Math.min(arr.length, 100);
      const out: RuntimeVariable[] = [];
      for (let i = from; i < to; i++) out.push(child(String(i), arr[i]));
      if (filter === undefined && arr.length > 100)
        out.push({ name: '…', value: `${arr.length - 100} more`, variablesReference: 0 });
      return out;
    }
    if (obj instanceof Map) {
      return [...obj.entries()]
        .slice(0, 1000)
        .map(([k, v], i) => this.variable(`${i}: ${formatValue(k, hex)}`, v, hex));
    }
    if (obj instanceof Set)
      return [...obj.values()].slice(0, 1000).map((v, i) => this.variable(String(i), v, hex));
    const out: RuntimeVariable[] = [];
    const seen = new Set<string>();
    for (const key of Object.getOwnPropertyNames(obj)) {
      seen.add(key);
      out.push(child(key, read(obj, key)));
    }
    // Accessors of the class (e.g. dsa_completion_record.status) read as values.
    for (
      let p = Object.getPrototypeOf(obj) as object | null;
      p && p !== Object.prototype;
      p = Object.getPrototypeOf(p) as object | null
    ) {
      for (const key of Object.getOwnPropertyNames(p)) {
        const d = Object.getOwnPropertyDescriptor(p, key);
        if (seen.has(key) || key === 'constructor' || d?.get === undefined) continue;
        seen.add(key);
        out.push(child(key, read(obj, key)));
      }
    }
    return out;
  }
}

function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (e) {
    return e;
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object')
    return (
      (Object.getPrototypeOf(v) as { constructor?: { name: string } } | null)?.constructor?.name ??
      'Object'
    );
  return typeof v;
}

/** How console.log and logpoints show a value: strings as they are, numbers plain. */
export function formatPlain(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return formatValue(v);
}

/** One-line rendering of a JS value. */
export function formatValue(v: unknown, hex = false): string {
  switch (typeof v) {
    case 'number':
      if (!Number.isInteger(v)) return String(v);
      if (hex) return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
      return v >= 256 ? `${v} (0x${v.toString(16)})` : String(v);
    case 'bigint':
      return v < 0n ? `-0x${(-v).toString(16)}n` : `0x${v.toString(16)}n`;
    case 'string':
      return JSON.stringify(v.length > 500 ? v.slice(0, 500) + '…' : v);
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(v);
    case 'symbol':
      return v.toString();
    case 'function':
      return `ƒ ${v.name || 'anonymous'}(${'·'.repeat(Math.min(v.length, 3))})`;
    default:
      break;
  }
  if (v === null) return 'null';
  const o = v as object;
  if (o instanceof Error) return `${o.name}: ${o.message}`;
  if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
    const a = o as unknown as ArrayLike<number | bigint> & { constructor: { name: string } };
    const head = Array.from({ length: Math.min(a.length, 8) }, (_, i) => {
      const x = a[i]!;
      if (typeof x === 'bigint') return formatValue(x);
      if (!Number.isInteger(x)) return String(x);
      const digits = Math.abs(x)
        .toString(16)
        .padStart(o instanceof Uint8Array ? 2 : 1, '0');
      return `${x < 0 ? '-' : ''}0x${digits}`;
    });
    const dma = (o as { dma_handle?: unknown }).dma_handle;
    const where = typeof dma === 'number' ? ` @ 0x${dma.toString(16)}` : '';
    return `${a.constructor.name}(${a.length})${where} [${head.join(', ')}${a.length > 8 ? ', …' : ''}]`;
  }
  if (Array.isArray(o)) return `Array(${o.length})`;
  if (o instanceof Map) return `Map(${o.size})`;
  if (o instanceof Set) return `Set(${o.size})`;
  const name = (o.constructor as { name?: string } | undefined)?.name;
  const keys = Object.keys(o);
  const preview = keys
    .slice(0, 4)
    .map((k) => {
      let x: unknown;
      try {
        x = (o as Record<string, unknown>)[k];
      } catch (e) {
        return `${k}: ${formatValue(e).slice(0, 24)}`; // an own getter that throws
      }
      return `${k}: ${typeof x === 'object' && x !== null ? '…' : formatValue(x, hex).slice(0, 24)}`;
    })
    .join(', ');
  return `${name && name !== 'Object' ? name + ' ' : ''}{${preview}${keys.length > 4 ? ', …' : ''}}`;
}
