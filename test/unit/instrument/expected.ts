// What the instrumenter must produce, computed independently from a plain acorn parse.

import { parse, type Node } from 'acorn';

/** `line:column` of every place that must get a statement site, from the plain AST. */
export function expectedStatementSites(source: string): string[] {
  const program = parse(source, {
    ecmaVersion: 2024,
    allowReturnOutsideFunction: true,
    allowHashBang: true,
    locations: true,
    preserveParens: true,
  });
  const out: string[] = [];
  const at = (n: Node): void => {
    out.push(`${n.loc!.start.line}:${n.loc!.start.column}`);
  };
  const hookable = (n: Node & { directive?: string }): boolean =>
    !['FunctionDeclaration', 'EmptyStatement', 'BlockStatement'].includes(n.type) &&
    n.directive === undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null || typeof (node as Node).type !== 'string')
      return;
    const n = node as Node & Record<string, unknown>;
    const lists = [n.type === 'SwitchCase' ? n.consequent : undefined];
    if (['Program', 'BlockStatement', 'StaticBlock'].includes(n.type)) lists.push(n.body);
    for (const list of lists)
      if (Array.isArray(list)) for (const s of list as Node[]) if (hookable(s)) at(s);
    const bodies = [n.consequent, n.alternate, n.type === 'LabeledStatement' ? undefined : n.body];
    if (
      n.type !== 'SwitchCase' &&
      !['Program', 'BlockStatement', 'StaticBlock', 'ClassBody'].includes(n.type)
    ) {
      for (const b of bodies) {
        const s = b as Node | null | undefined;
        if (s && typeof s.type === 'string' && s.type.endsWith('Statement') && hookable(s)) at(s);
      }
    }
    if (n.type === 'ArrowFunctionExpression' && n.expression === true) at(n.body as Node);
    for (const key of Object.keys(n)) if (key !== 'loc') visit(n[key]);
  };
  visit(program);
  return out.sort();
}
