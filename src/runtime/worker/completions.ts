/**
 * Completions for the Debug Console (DAP `completions`): after a dot, the members of the value
 * before it (`idxd.` → its properties, `ims_debug.` → its functions); otherwise the names in
 * scope at the frame (locals and closures innermost first, then the model's module scope), the
 * kernel API, and the other globals — each with a DAP item type.
 *
 * Nothing runs that could change the model: the value before the dot is evaluated only when it
 * is side-effect free (side-effects.ts), and members are listed from property descriptors, so no
 * getter runs. Items replace the identifier prefix before the cursor: `start` is its column in
 * the line (1-based; the session converts to the client's convention), `length` its length.
 */
import { formatValue } from './values';
import { evaluateSideEffectFree } from './side-effects';

/** DAP's CompletionItemType values this module uses. */
type ItemType = 'function' | 'method' | 'class' | 'module' | 'property' | 'variable' | 'value';

/** A completion, in DAP's CompletionItem shape. */
export interface CompletionItem {
  label: string;
  type: ItemType;
  /** A one-line rendering of a data value; `getter` for an accessor (not run). */
  detail?: string;
  /** Scope names first, then the kernel API, then other globals (own members before inherited). */
  sortText: string;
  start?: number;
  length?: number;
}

/** What a frame offers: its names (innermost scope first) and evaluation in it. */
export interface CompletionScope {
  /** Names in scope at the frame's statement, innermost first (none without a model frame). */
  readonly names: readonly string[];
  /** Evaluates an expression in the frame (globally without one). */
  readonly evaluate: (expr: string) => unknown;
  /** The kernel API's names (they are globals of the model). */
  readonly apiNames: readonly string[];
}

/** The most items one answer carries. */
export const MAX_COMPLETIONS = 1000;

/**
 * Completions for `text` at `column` (1-based) of line `line` (1-based; the first by default).
 */
export function completions(
  text: string,
  column: number,
  line: number | undefined,
  scope: CompletionScope,
): CompletionItem[] {
  const lineText = text.split(/\r?\n/)[(line ?? 1) - 1] ?? '';
  const before = lineText.slice(0, Math.max(0, column - 1));
  const prefix = /[A-Za-z_$][\w$]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - prefix.length);
  const start = head.length + 1;
  const dot = /(\?\.|\.)\s*$/.exec(head);
  let items: CompletionItem[];
  if (dot !== null) {
    const objText = memberBase(head.slice(0, dot.index));
    if (objText === undefined) return [];
    let obj: unknown;
    try {
      obj = evaluateSideEffectFree(objText, scope.evaluate);
    } catch {
      return []; // not evaluable without side effects, or it throws
    }
    items = members(obj);
  } else {
    items = names(scope);
  }
  return items
    .filter((i) => i.label.startsWith(prefix))
    .sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0))
    .slice(0, MAX_COMPLETIONS)
    .map((i) => ({ ...i, start, length: prefix.length }));
}

/**
 * The member chain that ends `head` (`idxd`, `wq.ims`, `this.wqs[0]`, `(a || b)`), or undefined
 * when it does not end in one (a number literal `1.`, an operator).
 */
export function memberBase(head: string): string | undefined {
  let i = head.length;
  while (i > 0 && /\s/.test(head[i - 1]!)) i--;
  const end = i;
  for (;;) {
    const c = head[i - 1];
    if (c === undefined) break;
    if (/[\w$]/.test(c)) {
      i--;
    } else if (c === '.' || (c === '?' && head[i] === '.')) {
      i--;
    } else if (c === ']' || c === ')') {
      const open = matching(head, i - 1);
      if (open < 0) return undefined;
      i = open;
    } else {
      break;
    }
  }
  const base = head.slice(i, end);
  if (base === '' || /^[\d.]/.test(base) || base.startsWith('?')) return undefined;
  return base;
}

/** The index of the bracket that opens the one closing at `close`, or -1. */
function matching(s: string, close: number): number {
  let depth = 0;
  for (let j = close; j >= 0; j--) {
    const c = s[j];
    if (c === ']' || c === ')') depth++;
    else if (c === '[' || c === '(') depth--;
    if (depth === 0) return j;
  }
  return -1;
}

/** The members of `obj` and its prototypes (Object.prototype's left out), read from descriptors. */
export function members(obj: unknown): CompletionItem[] {
  if (obj === null || obj === undefined) return [];
  const out: CompletionItem[] = [];
  const seen = new Set<string>(['constructor', '__proto__']);
  let own = true;
  for (
    let p: object | null = Object(obj) as object;
    p !== null && p !== Object.prototype && p !== Function.prototype;
    p = Object.getPrototypeOf(p) as object | null, own = false
  ) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (seen.has(key) || !/^[A-Za-z_$][\w$]*$/.test(key)) continue;
      seen.add(key);
      const d = Object.getOwnPropertyDescriptor(p, key)!;
      if (d.get !== undefined || d.set !== undefined) {
        out.push({ label: key, type: 'property', detail: 'getter', sortText: `1${key}` });
        continue;
      }
      const type: ItemType =
        typeof d.value === 'function'
          ? isClass(d.value)
            ? 'class'
            : own
              ? 'function'
              : 'method'
          : 'property';
      out.push(item(key, type, d.value, own ? '0' : '1'));
    }
  }
  return out;
}

/** The names a bare identifier may complete to: frame scopes, kernel API, globals. */
function names(scope: CompletionScope): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const name of scope.names) {
    if (seen.has(name)) continue;
    seen.add(name);
    let value: unknown;
    try {
      value = scope.evaluate(name); // reading a binding runs nothing
    } catch {
      value = undefined; // a binding before its declaration ran
    }
    out.push(
      item(name, typeof value === 'function' ? kindOfFunction(value) : 'variable', value, '0'),
    );
  }
  for (const name of scope.apiNames) {
    if (seen.has(name)) continue;
    seen.add(name);
    const value = globalValue(name);
    out.push(item(name, apiType(name, value), value, '1'));
  }
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (seen.has(name) || name.startsWith('__') || !/^[A-Za-z_$][\w$]*$/.test(name)) continue;
    seen.add(name);
    const value = globalValue(name);
    out.push(
      item(name, typeof value === 'function' ? kindOfFunction(value) : 'variable', value, '2'),
    );
  }
  return out;
}

/** A global's value from its descriptor (a getter on globalThis is not run). */
function globalValue(name: string): unknown {
  return Object.getOwnPropertyDescriptor(globalThis, name)?.value;
}

/** Kernel API names: constants (UPPER_CASE numbers) as values, ims_debug as a module. */
function apiType(name: string, value: unknown): ItemType {
  if (typeof value === 'function') return kindOfFunction(value);
  if ((typeof value === 'number' || typeof value === 'bigint') && /^[A-Z0-9_]+$/.test(name))
    return 'value';
  if (typeof value === 'object' && value !== null) return 'module';
  return 'variable';
}

function kindOfFunction(f: unknown): ItemType {
  return isClass(f) ? 'class' : 'function';
}

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/**
 * An item; sorted by `group` first. A primitive's detail is its rendering, an object's its
 * class (rendering an object would read its properties, and an own getter would run).
 */
function item(label: string, type: ItemType, value: unknown, group: string): CompletionItem {
  const it: CompletionItem = { label, type, sortText: `${group}${label}` };
  if (typeof value === 'object' && value !== null) {
    it.detail = Array.isArray(value) ? `Array(${value.length})` : className(value);
  } else if (typeof value !== 'function' && value !== undefined) {
    const d = formatValue(value);
    it.detail = d.length > 60 ? `${d.slice(0, 59)}…` : d;
  }
  return it;
}

/** The name of an object's class, from descriptors only. */
function className(o: object): string {
  const proto = Object.getPrototypeOf(o) as object | null;
  if (proto === null) return 'Object';
  const ctor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'Object';
}
