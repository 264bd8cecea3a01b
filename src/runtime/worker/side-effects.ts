/**
 * Side-effect-free evaluation, for hovers and completions: an expression is evaluated only when
 * nothing in it can change the model or the machine.
 *
 * Statically (parsed with acorn): no call, `new`, tagged template, assignment, `++`/`--`,
 * `delete`, spread, `await`/`yield`/`import()`, function or class. Then, before evaluating,
 * each member access and conversion it would make is looked at without running it: a property
 * that is a getter defined by the model (its code carries the instrumentation's hooks — platform
 * and kernel getters, like a completion record's `status`, only look), a Proxy, or an object
 * converted to a primitive through a valueOf/toString/Symbol.toPrimitive of the model refuse
 * the expression. Reading a variable, a data property or a platform getter never reaches MMIO:
 * the model's MMIO reads are calls (readl…), which the static check refuses.
 */
import { types } from 'node:util';
import { parseExpressionAt, type Node } from 'acorn';
import { DEFAULT_NAMES } from '../instrument';

/** Why an expression is not evaluated on hover. */
export class SideEffectError extends Error {
  constructor(reason: string) {
    super(`not evaluated on hover: ${reason}`);
    this.name = 'SideEffectError';
  }
}

type AnyNode = Node & Record<string, unknown>;

/** A property descriptor's functions as values (looked at, never called here). */
interface Descriptor {
  readonly get?: unknown;
  readonly set?: unknown;
  readonly value?: unknown;
}

/**
 * Parses `expr` and refuses what may have side effects.
 * @returns the expression's syntax tree
 * @throws SideEffectError naming the construct (`it has side effects (calls readl)`)
 */
export function parseSideEffectFree(expr: string): AnyNode {
  let ast: AnyNode;
  try {
    ast = parseExpressionAt(expr, 0, { ecmaVersion: 'latest' }) as unknown as AnyNode;
  } catch (e) {
    throw new SideEffectError(`it does not parse (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!/^[\s;]*$/.test(expr.slice(ast.end)))
    throw new SideEffectError('only one expression is evaluated');
  walk(ast, (n) => {
    const reason = staticReason(n, expr);
    if (reason !== undefined) throw new SideEffectError(reason);
  });
  return ast;
}

/**
 * Checks `expr` statically and then, with `evaluate` (which must evaluate a side-effect-free
 * sub-expression in the right frame), the getters and conversions it would run; returns the
 * value of `expr`.
 * @throws SideEffectError when it could have side effects; what `evaluate` throws otherwise
 */
export function evaluateSideEffectFree(expr: string, evaluate: (e: string) => unknown): unknown {
  const ast = parseSideEffectFree(expr);
  const text = (n: Node): string => expr.slice(n.start, n.end);
  const value = (n: Node): { ok: true; v: unknown } | { ok: false } => {
    try {
      return { ok: true, v: evaluate(text(n)) };
    } catch {
      return { ok: false }; // the whole expression throws the same error when evaluated
    }
  };
  walk(ast, (n) => {
    if (n.type === 'MemberExpression') {
      const obj = value(n.object as Node);
      if (!obj.ok) return;
      let key: unknown;
      if (n.computed === true) {
        const k = value(n.property as Node);
        if (!k.ok) return;
        conversion(k.v, text(n.property as Node));
        key = typeof k.v === 'symbol' ? k.v : String(k.v);
      } else if ((n.property as AnyNode).type === 'Identifier') {
        key = (n.property as AnyNode).name;
      } else {
        return; // a private name: no descriptor to look at
      }
      const get = getterOf(obj.v, key as PropertyKey, text(n));
      if (get !== undefined && isModelCode(get))
        throw new SideEffectError(`${text(n)} is a getter of the model (it may have side effects)`);
    } else if (n.type === 'BinaryExpression') {
      const op = n.operator as string;
      if (op === '===' || op === '!==') return;
      if (op === 'in') {
        const r = value(n.right as Node);
        if (r.ok && types.isProxy(r.v)) throw new SideEffectError(`${text(n)} asks a Proxy`);
        return;
      }
      if (op === 'instanceof') {
        const r = value(n.right as Node);
        const has = r.ok ? getterOrValue(r.v, Symbol.hasInstance, text(n)) : undefined;
        if (has !== undefined && isModelCode(has))
          throw new SideEffectError(`${text(n)} runs the model's Symbol.hasInstance`);
        return;
      }
      for (const side of [n.left, n.right] as Node[]) {
        const v = value(side);
        if (v.ok) conversion(v.v, text(side));
      }
    } else if (n.type === 'UnaryExpression' && ['+', '-', '~'].includes(n.operator as string)) {
      const v = value(n.argument as Node);
      if (v.ok) conversion(v.v, text(n.argument as Node));
    } else if (n.type === 'TemplateLiteral') {
      for (const e of n.expressions as Node[]) {
        const v = value(e);
        if (v.ok) conversion(v.v, text(e));
      }
    }
  });
  return evaluate(expr);
}

/** The reason node `n` may have side effects, or undefined. */
function staticReason(n: AnyNode, expr: string): string | undefined {
  const src = (x: unknown): string => {
    const s = expr.slice((x as Node).start, (x as Node).end);
    return s.length > 40 ? `${s.slice(0, 39)}…` : s;
  };
  switch (n.type) {
    case 'CallExpression':
      return `it has side effects (calls ${src(n.callee)})`;
    case 'NewExpression':
      return `it has side effects (new ${src(n.callee)})`;
    case 'TaggedTemplateExpression':
      return `it has side effects (calls ${src(n.tag)})`;
    case 'AssignmentExpression':
      return `it has side effects (assigns ${src(n.left)})`;
    case 'UpdateExpression':
      return `it has side effects (${n.operator as string} ${src(n.argument)})`;
    case 'UnaryExpression':
      return n.operator === 'delete'
        ? `it has side effects (delete ${src(n.argument)})`
        : undefined;
    case 'SpreadElement':
      return 'it has side effects (a spread runs iterators and getters)';
    case 'AwaitExpression':
    case 'YieldExpression':
    case 'ImportExpression':
      return `it has side effects (${n.type.replace('Expression', '').toLowerCase()})`;
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
      return 'it defines a function or class';
    case 'Property':
      return n.kind === 'init' && n.method !== true ? undefined : 'it defines a function';
    case 'Identifier':
    case 'PrivateIdentifier':
    case 'Literal':
    case 'ThisExpression':
    case 'MemberExpression':
    case 'ChainExpression':
    case 'BinaryExpression':
    case 'LogicalExpression':
    case 'ConditionalExpression':
    case 'TemplateLiteral':
    case 'TemplateElement':
    case 'ArrayExpression':
    case 'ObjectExpression':
    case 'SequenceExpression':
    case 'ParenthesizedExpression':
      return undefined;
    default:
      return `it is not a plain expression (${n.type})`;
  }
}

/** Calls `visit` for every node of `n`, children first. */
function walk(n: AnyNode, visit: (n: AnyNode) => void): void {
  for (const [k, v] of Object.entries(n)) {
    if (k === 'type' || k === 'start' || k === 'end' || v === null || typeof v !== 'object')
      continue;
    for (const c of Array.isArray(v) ? (v as unknown[]) : [v]) {
      if (c !== null && typeof c === 'object' && typeof (c as AnyNode).type === 'string')
        walk(c as AnyNode, visit);
    }
  }
  visit(n);
}

/**
 * The getter a read of `key` from `obj` would run, found through the prototype chain without
 * reading anything; undefined for a data property or none.
 * @throws SideEffectError for a Proxy on the way
 */
function getterOf(obj: unknown, key: PropertyKey, what: string): unknown {
  return descriptorOf(obj, key, what)?.get;
}

/** The getter or the function value behind `key` (for methods a conversion would call). */
function getterOrValue(obj: unknown, key: PropertyKey, what: string): unknown {
  const d = descriptorOf(obj, key, what);
  return d === undefined ? undefined : (d.get ?? d.value);
}

function descriptorOf(obj: unknown, key: PropertyKey, what: string): Descriptor | undefined {
  if (obj === null || obj === undefined) return undefined;
  for (
    let p: object | null = Object(obj) as object;
    p !== null;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    if (types.isProxy(p)) throw new SideEffectError(`${what} reads through a Proxy`);
    const d = Object.getOwnPropertyDescriptor(p, key) as Descriptor | undefined;
    if (d !== undefined) return d;
  }
  return undefined;
}

/** Refuses converting `v` to a primitive when that runs model code. */
function conversion(v: unknown, what: string): void {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return;
  for (const key of [Symbol.toPrimitive, 'valueOf', 'toString'] as const) {
    const f = getterOrValue(v, key, what);
    if (f !== undefined && isModelCode(f))
      throw new SideEffectError(`converting ${what} runs the model's ${String(key)}`);
  }
}

/** Whether `f` is a function of the model (instrumented code calls the hooks). */
export function isModelCode(f: unknown): boolean {
  if (typeof f !== 'function') return false;
  const src = Function.prototype.toString.call(f);
  return src.includes(`${DEFAULT_NAMES.enter}(`) || src.includes(`${DEFAULT_NAMES.hook}(`);
}
