// sucrase's `imports` transform prefixes line 1 with a "use strict" directive,
// `Object.defineProperty(exports, "__esModule", …)` and the interop helpers it needs. That
// code is not the model's: it gets no hooks and no frames, and columns on line 1 count
// from its end.

import type { Statement } from 'acorn';

/** Names of sucrase's helpers (with a numeric suffix when the model uses the name). */
const SUCRASE_HELPER =
  /^_(?:require|interopRequireWildcard|interopRequireDefault|createNamedExportFrom|createStarExport|(?:async)?(?:nullishCoalesce|optionalChain|optionalChainDelete))\d*$/;

const USE_STRICT = '"use strict";';

/**
 * Finds the prefix among the program's statements.
 *
 * @param body the program's statements
 * @param first index of the first statement after the directive prologue
 * @param code the generated code
 * @returns `next`: index of the first model statement; `end`: offset where the model's
 *   line 1 starts
 */
export function sucrasePrefix(
  body: readonly Statement[],
  first: number,
  code: string,
): { next: number; end: number } {
  let next = first;
  let end = code.startsWith(USE_STRICT) ? USE_STRICT.length : 0;
  const lineOne = code.indexOf('\n') < 0 ? code.length : code.indexOf('\n');
  while (next < body.length && body[next]!.end <= lineOne && isPrefixStatement(body[next]!, code)) {
    end = body[next++]!.end;
  }
  return { next, end };
}

function isPrefixStatement(node: Statement, code: string): boolean {
  if (node.type === 'FunctionDeclaration') return SUCRASE_HELPER.test(node.id.name);
  if (node.type !== 'ExpressionStatement') return false;
  const call = node.expression;
  return (
    call.type === 'CallExpression' &&
    code.slice(call.callee.start, call.callee.end) === 'Object.defineProperty' &&
    call.arguments[0]?.type === 'Identifier' &&
    call.arguments[0].name === 'exports'
  );
}
