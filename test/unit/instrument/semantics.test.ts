import { strict as assert } from 'node:assert';
import { parse, type Node } from 'acorn';
import { CORPUS } from './corpus';
import { lineCount, runInstrumented, runPlain, snapshot, type RunOutcome } from './harness';

async function settle(outcome: RunOutcome): Promise<RunOutcome> {
  if (outcome.exports instanceof Promise) {
    outcome.exports = await (outcome.exports as Promise<unknown>).catch(
      (e: unknown) => `rejected ${String(e)}`,
    );
  }
  return outcome;
}

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

describe('instrument: semantics are unchanged on the corpus', () => {
  for (const snippet of CORPUS) {
    it(snippet.name, async () => {
      const plain = await settle(runPlain(snippet.source));
      const { outcome, rt, result } = runInstrumented(snippet.source);
      const inst = await settle(outcome);
      assert.equal(snapshot(inst), snapshot(plain));
      if (snippet.throws) {
        assert.match(plain.error ?? '', new RegExp(snippet.throws));
        assert.equal(rt.uncaught.length, 1, 'one uncaught report');
      } else {
        assert.equal(plain.error, undefined);
        assert.deepEqual(rt.uncaught, []);
      }
      assert.equal(lineCount(result.code), lineCount(snippet.source), 'line count');
      assert.equal(rt.stack.length, 0, 'every frame left');
      assert.equal(rt.tryDepth, 0, 'try counter balanced');
      const sites = result.sites
        .filter((s) => s.kind === 'statement')
        .map((s) => `${s.line}:${s.column}`)
        .sort();
      assert.deepEqual(sites, expectedStatementSites(snippet.source));
      assert.ok(rt.hits.length > 0);
    });
  }
});
