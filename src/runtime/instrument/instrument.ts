// Step 2 of the stepping runtime: walks the loaded program and inserts the statement hooks,
// the frame guards of functions, the scope closures and the try counters (see emit.ts for
// the texts and the insertion order). Never inserts or removes a newline.

import type {
  AnyNode,
  ArrowFunctionExpression,
  BlockStatement,
  Class,
  FunctionDeclaration,
  FunctionExpression,
  Node,
  Program,
  StaticBlock,
  Statement,
  SwitchStatement,
  TryStatement,
} from 'acorn';
import { type Context, Emitter, type ScopeRef } from './emit';
import { keyName, qualify, targetName } from './naming';
import { sucrasePrefix } from './prefix';
import {
  bodyDeclarations,
  boundNames,
  children,
  containsOutsideFunctions,
  directiveCount,
  hasUseStrict,
  lexicalNames,
} from './scan';
import type { FunctionKind, ScopeKind } from './types';

type AnyFunction = FunctionDeclaration | FunctionExpression | ArrowFunctionExpression;

const suspendsHere = (n: AnyNode): boolean =>
  n.type === 'AwaitExpression' ||
  n.type === 'YieldExpression' ||
  (n.type === 'ForOfStatement' && n.await);

const leavesFinally = (n: AnyNode): boolean =>
  n.type === 'ReturnStatement' || n.type === 'BreakStatement' || n.type === 'ContinueStatement';

/** Walks one program, inserting through an {@link Emitter}. */
export class Instrumenter {
  private ctx: Context = { fid: -1, framed: false, suspends: false, strict: false, scope: null };

  constructor(private readonly em: Emitter) {}

  /** Instruments the whole program; `esmPrefix`: skip sucrase's line-1 prefix. */
  program(program: Program, esmPrefix: boolean): void {
    const body = program.body as Statement[];
    let first = directiveCount(body);
    if (esmPrefix) {
      const prefix = sucrasePrefix(body, first, this.em.code);
      first = prefix.next;
      this.em.anchorLineOne(prefix.end);
    }
    const rest = body.slice(first);
    const strict = hasUseStrict(body);
    const decl = bodyDeclarations(rest, strict);
    const framed = rest.length > 0 && !decl.unwrappable;
    const fid = this.em.addFunction(
      {
        name: '<module>',
        kind: 'module',
        params: [],
        frame: framed,
        async: false,
        generator: false,
      },
      program.start,
      program.end,
    );
    this.ctx = { fid, framed, suspends: false, strict, scope: null };
    this.ctx.scope = this.em.addScope(this.ctx, 'function', decl.names, program.start, program.end);
    if (framed) {
      this.em.open(rest[0]!.start, this.em.frameOpenText(fid));
      this.em.close(rest[rest.length - 1]!.end, this.em.frameCloseText());
    }
    this.statements(rest);
  }

  // ----- functions ---------------------------------------------------------------------

  private fn(node: AnyFunction, name: string, kind: FunctionKind, at = node.start): void {
    const params: string[] = [];
    for (const p of node.params) boundNames(p, params);
    const body = node.body;
    const list = body.type === 'BlockStatement' ? body.body : [];
    const strict = this.ctx.strict || hasUseStrict(list);
    const first = directiveCount(list);
    const decl = bodyDeclarations(list.slice(first), strict);
    const framed = !node.async && !node.generator && !decl.unwrappable;
    const fid = this.em.addFunction(
      { name, kind, params, frame: framed, async: node.async, generator: node.generator },
      at,
      node.end,
    );
    const saved = this.ctx;
    this.ctx = { fid, framed, suspends: node.async || node.generator, strict, scope: null };
    this.ctx.scope = this.em.addScope(
      this.ctx,
      'function',
      [...params, ...decl.names],
      at,
      node.end,
    );
    for (const p of node.params) this.expr(p);
    if (body.type === 'BlockStatement') {
      this.body(list.slice(first), body.end - 1);
    } else {
      const site = this.em.addSite(this.ctx, body.start, 'statement');
      const guard = framed ? this.em.frameOpenText(fid) : '';
      this.em.open(body.start, `{${guard}${this.em.hookText(site)}return `);
      this.em.close(body.end, `${framed ? this.em.frameCloseText() : ''}}`);
      this.expr(body);
    }
    this.ctx = saved;
  }

  /** A function's statements (directives excluded); `end` is the offset of its `}`. */
  private body(list: Statement[], end: number): void {
    const { framed, fid } = this.ctx;
    if (list.length === 0) {
      const site = this.em.addSite(this.ctx, end, 'entry');
      const hook = this.em.hookText(site);
      const text = framed ? this.em.frameOpenText(fid) + hook + this.em.frameCloseText() : hook;
      this.em.open(end, `;${text}`);
      return;
    }
    if (framed) {
      this.em.open(list[0]!.start, this.em.frameOpenText(fid));
      this.em.close(end, this.em.frameCloseText());
    }
    this.statements(list);
  }

  private staticBlock(node: StaticBlock, name: string): void {
    const decl = bodyDeclarations(node.body, true);
    const framed = !decl.unwrappable;
    const fid = this.em.addFunction(
      { name, kind: 'static-block', params: [], frame: framed, async: false, generator: false },
      node.start,
      node.end,
    );
    const saved = this.ctx;
    this.ctx = { fid, framed, suspends: false, strict: true, scope: null };
    this.ctx.scope = this.em.addScope(this.ctx, 'function', decl.names, node.start, node.end);
    this.body(node.body, node.end - 1);
    this.ctx = saved;
  }

  private cls(node: Class, name: string | undefined): void {
    if (node.superClass) this.expr(node.superClass);
    const cname = node.id?.name ?? name ?? '<anonymous>';
    const saved = this.ctx.strict;
    this.ctx.strict = true;
    for (const m of node.body.body) {
      if (m.type === 'StaticBlock') {
        this.staticBlock(m, `${cname}.<static_initializer>`);
        continue;
      }
      if (m.computed) this.expr(m.key);
      const key = keyName(m.key, m.computed, this.em.code);
      if (m.type === 'PropertyDefinition') {
        if (m.value) this.expr(m.value, `${cname}.${key}`);
      } else if (m.kind === 'constructor') {
        this.fn(m.value, `new ${cname}`, 'constructor', m.start);
      } else if (m.kind === 'get' || m.kind === 'set') {
        this.fn(
          m.value,
          `${m.kind} ${cname}.${key}`,
          m.kind === 'get' ? 'getter' : 'setter',
          m.start,
        );
      } else {
        this.fn(m.value, `${cname}.${key}`, 'method', m.start);
      }
    }
    this.ctx.strict = saved;
  }

  // ----- statements --------------------------------------------------------------------

  private statements(list: readonly Statement[]): void {
    for (const s of list) {
      if (hookable(s)) this.em.hook(this.ctx, s.start, 'statement');
      this.statement(s);
    }
  }

  private statement(s: Statement): void {
    switch (s.type) {
      case 'ExpressionStatement':
        this.expr(s.expression);
        break;
      case 'VariableDeclaration':
        for (const d of s.declarations) {
          this.expr(d.id);
          if (d.init) this.expr(d.init, d.id.type === 'Identifier' ? d.id.name : undefined);
        }
        break;
      case 'FunctionDeclaration':
        this.fn(s, s.id.name, 'function');
        break;
      case 'ClassDeclaration':
        this.cls(s, s.id.name);
        break;
      case 'ReturnStatement':
      case 'ThrowStatement':
        if (s.argument) this.expr(s.argument);
        break;
      case 'IfStatement':
        this.expr(s.test);
        this.nested(s.consequent, false);
        if (s.alternate) this.nested(s.alternate, false);
        break;
      case 'BlockStatement':
        this.block(s, [], 'block', false);
        break;
      case 'ForStatement':
        if (s.init) this.expr(s.init);
        if (s.test) this.expr(s.test);
        if (s.update) this.expr(s.update);
        this.nested(s.body, true, headNames(s.init));
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        this.expr(s.left);
        this.expr(s.right);
        this.nested(s.body, true, headNames(s.left));
        break;
      case 'WhileStatement':
        this.expr(s.test);
        this.nested(s.body, true);
        break;
      case 'DoWhileStatement':
        this.nested(s.body, true);
        this.expr(s.test);
        break;
      case 'LabeledStatement':
        // The label's own hook covers its body; a labeled loop must stay directly labeled.
        if (s.body.type === 'BlockStatement') this.block(s.body, [], 'block', false);
        else this.statement(s.body);
        break;
      case 'WithStatement':
        this.expr(s.object);
        this.nested(s.body, false);
        break;
      case 'SwitchStatement':
        this.switchStatement(s);
        break;
      case 'TryStatement':
        this.tryStatement(s);
        break;
      default:
        break;
    }
  }

  /** The body of if/else/with/loops: a block, or a statement wrapped in one when needed. */
  private nested(s: Statement, loop: boolean, head: string[] = []): void {
    if (s.type === 'BlockStatement') {
      this.block(s, head, loop ? 'loop' : 'block', loop);
      return;
    }
    const hooked = hookable(s);
    const scope = head.length > 0 ? this.em.addScope(this.ctx, 'loop', head, s.start, s.end) : null;
    if (!hooked && !loop && !scope) {
      this.statement(s);
      return;
    }
    this.em.open(s.start, '{');
    this.em.close(s.end, '}');
    const saved = this.enterScope(scope, s.start);
    this.em.hook(this.ctx, s.start, hooked ? 'statement' : 'loop');
    this.statement(s);
    this.ctx.scope = saved;
  }

  private block(b: BlockStatement, head: string[], kind: ScopeKind, loop: boolean): void {
    const names = [...head, ...lexicalNames(b.body)];
    const scope = names.length > 0 ? this.em.addScope(this.ctx, kind, names, b.start, b.end) : null;
    const saved = this.enterScope(scope, b.start + 1);
    if (loop && !b.body.some(hookable)) this.em.hook(this.ctx, b.start, 'loop', b.start + 1);
    this.statements(b.body);
    this.ctx.scope = saved;
  }

  /** Makes `scope` current, inserting its closure at `at`; returns the previous scope. */
  private enterScope(scope: ScopeRef | null, at: number): ScopeRef | null {
    const saved = this.ctx.scope;
    if (scope) {
      this.em.open(at, this.em.closureText(scope.depth));
      this.ctx.scope = scope;
    }
    return saved;
  }

  private switchStatement(s: SwitchStatement): void {
    this.expr(s.discriminant);
    const names = lexicalNames(s.cases.flatMap((c) => c.consequent));
    const scope =
      names.length > 0 ? this.em.addScope(this.ctx, 'switch', names, s.start, s.end) : null;
    for (const c of s.cases) {
      if (c.test) this.expr(c.test);
      const first = c.consequent[0];
      // Each case gets the closure: control can enter the switch body at any case.
      const saved = first ? this.enterScope(scope, first.start) : this.ctx.scope;
      this.statements(c.consequent);
      this.ctx.scope = saved;
    }
  }

  private tryStatement(s: TryStatement): void {
    const catches =
      s.handler != null ||
      (s.finalizer != null && containsOutsideFunctions(s.finalizer, leavesFinally));
    const suspends = this.ctx.suspends && containsOutsideFunctions(s.block, suspendsHere);
    if (catches && !suspends && s.block.body.length > 0) {
      this.em.open(s.block.start + 1, this.em.tryOpenText());
      this.em.close(s.block.end - 1, this.em.tryCloseText());
    }
    this.block(s.block, [], 'block', false);
    if (s.handler) {
      const param = s.handler.param;
      if (param) this.expr(param);
      this.block(s.handler.body, param ? boundNames(param, []) : [], 'catch', false);
    }
    if (s.finalizer) this.block(s.finalizer, [], 'block', false);
  }

  // ----- expressions -------------------------------------------------------------------

  /** Visits an expression or pattern; `name` is what an anonymous function here is called. */
  private expr(node: Node, name?: string): void {
    const n = node as AnyNode;
    switch (n.type) {
      case 'FunctionExpression':
        this.fn(n, n.id?.name ?? name ?? '<anonymous>', 'function');
        return;
      case 'ArrowFunctionExpression':
        this.fn(n, name ?? '<anonymous>', 'arrow');
        return;
      case 'ClassExpression':
        this.cls(n, name);
        return;
      case 'ParenthesizedExpression':
        this.expr(n.expression, name);
        return;
      case 'AssignmentExpression':
        this.expr(n.left);
        this.expr(n.right, targetName(n.left, this.em.code));
        return;
      case 'VariableDeclarator':
        this.expr(n.id);
        if (n.init) this.expr(n.init, targetName(n.id, this.em.code));
        return;
      case 'AssignmentPattern':
        this.expr(n.left);
        this.expr(n.right, targetName(n.left, this.em.code));
        return;
      case 'ObjectExpression':
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            this.expr(p.argument);
            continue;
          }
          if (p.computed) this.expr(p.key);
          const key = qualify(name, keyName(p.key, p.computed, this.em.code));
          const value = p.value as AnyNode;
          if ((p.kind === 'get' || p.kind === 'set') && value.type === 'FunctionExpression') {
            this.fn(value, `${p.kind} ${key}`, p.kind === 'get' ? 'getter' : 'setter', p.start);
          } else if (p.method && value.type === 'FunctionExpression') {
            this.fn(value, key, 'method', p.start);
          } else {
            this.expr(value, key);
          }
        }
        return;
      default:
        for (const child of children(n)) this.expr(child);
    }
  }
}

/** Statements that get a hook: all but function declarations, empty statements and blocks. */
function hookable(s: Statement): boolean {
  return (
    s.type !== 'FunctionDeclaration' && s.type !== 'EmptyStatement' && s.type !== 'BlockStatement'
  );
}

/** Names a loop head binds per iteration (`for (let i …)`, `for (const x of …)`). */
function headNames(init: Node | null | undefined): string[] {
  const n = init as AnyNode | null | undefined;
  if (n?.type !== 'VariableDeclaration' || n.kind === 'var') return [];
  return n.declarations.flatMap((d) => boundNames(d.id, []));
}
