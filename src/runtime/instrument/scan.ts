// Static facts about statement lists that the instrumenter needs before it edits them:
// which names a scope declares, whether a body can be wrapped in a block, and what a try
// block contains.

import type { AnyNode, Node, Pattern, VariableDeclaration } from 'acorn';

/** Appends the names bound by a binding pattern (`a`, `{ b, c: [d] }`, `...e`, `f = 1`). */
export function boundNames(pattern: Pattern, out: string[]): string[] {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        boundNames(p.type === 'RestElement' ? p.argument : p.value, out);
      }
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) if (e) boundNames(e, out);
      break;
    case 'RestElement':
      boundNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left, out);
      break;
    case 'MemberExpression':
      break;
  }
  return out;
}

function declarationNames(decl: VariableDeclaration, out: string[]): void {
  for (const d of decl.declarations) boundNames(d.id, out);
}

/**
 * Names a statement list declares lexically at its own level: `let`, `const`, `class` and
 * function declarations, in source order.
 */
export function lexicalNames(body: readonly Node[]): string[] {
  const out: string[] = [];
  for (const node of body as AnyNode[]) {
    if (node.type === 'VariableDeclaration' && node.kind !== 'var') declarationNames(node, out);
    else if (node.type === 'ClassDeclaration' || node.type === 'FunctionDeclaration') {
      if (node.id) out.push(node.id.name);
    }
  }
  return out;
}

/** What a function body (or program, or static block) declares at its top level. */
export interface BodyDeclarations {
  /** Every name of the var scope, in source order: `var`s at any block depth and the
   *  top-level `let`/`const`/`class`/function declarations. */
  names: string[];
  /** true when wrapping the body in a block would be an early error: a top-level function
   *  declaration shares its name with a `var`, or (strict code) with another function. */
  unwrappable: boolean;
}

/** Scans a var scope's top-level statement list (not entering nested functions). */
export function bodyDeclarations(body: readonly Node[], strict: boolean): BodyDeclarations {
  const names: string[] = [];
  const vars = new Set<string>();
  const functions: string[] = [];
  const collectVars = (node: AnyNode | null | undefined, topLevel: boolean): void => {
    if (!node) return;
    switch (node.type) {
      case 'VariableDeclaration': {
        const declared: string[] = [];
        declarationNames(node, declared);
        if (node.kind === 'var') for (const n of declared) vars.add(n);
        if (node.kind === 'var' || topLevel) names.push(...declared);
        break;
      }
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (topLevel && node.id) {
          names.push(node.id.name);
          if (node.type === 'FunctionDeclaration') functions.push(node.id.name);
        }
        break;
      case 'BlockStatement':
      case 'StaticBlock':
        for (const s of node.body) collectVars(s, false);
        break;
      case 'IfStatement':
        collectVars(node.consequent, false);
        collectVars(node.alternate, false);
        break;
      case 'ForStatement':
        if (node.init?.type === 'VariableDeclaration') collectVars(node.init, false);
        collectVars(node.body, false);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.left.type === 'VariableDeclaration') collectVars(node.left, false);
        collectVars(node.body, false);
        break;
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'LabeledStatement':
      case 'WithStatement':
        collectVars(node.body, false);
        break;
      case 'TryStatement':
        collectVars(node.block, false);
        collectVars(node.handler?.body, false);
        collectVars(node.finalizer, false);
        break;
      case 'SwitchStatement':
        for (const c of node.cases) for (const s of c.consequent) collectVars(s, false);
        break;
      default:
        break;
    }
  };
  for (const s of body as AnyNode[]) collectVars(s, true);
  const seen = new Set<string>();
  const unwrappable = functions.some((f) => {
    const clash = vars.has(f) || (strict && seen.has(f));
    seen.add(f);
    return clash;
  });
  return { names: unique(names), unwrappable };
}

/** Removes repeated names, keeping the first occurrence. */
function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** true if the list's directive prologue contains "use strict". */
export function hasUseStrict(body: readonly Node[]): boolean {
  for (const node of body as AnyNode[]) {
    if (node.type !== 'ExpressionStatement' || node.directive === undefined) return false;
    if (node.directive === 'use strict') return true;
  }
  return false;
}

/** Number of leading directive statements ("use strict" and friends). */
export function directiveCount(body: readonly Node[]): number {
  let n = 0;
  for (const node of body as AnyNode[]) {
    if (node.type !== 'ExpressionStatement' || node.directive === undefined) break;
    n++;
  }
  return n;
}

/**
 * true if `node` or a descendant outside nested functions satisfies `test` — used for
 * `await`/`yield` in a try block and for `return`/`break`/`continue` in a finally block.
 */
export function containsOutsideFunctions(node: Node, test: (n: AnyNode) => boolean): boolean {
  if (test(node as AnyNode)) return true;
  return children(node).some((c) => !isFunctionNode(c) && containsOutsideFunctions(c, test));
}

/** true for function declarations, expressions and arrows. */
function isFunctionNode(node: Node): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

/** The child nodes of any ESTree node, in source order of their fields. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'range') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}
