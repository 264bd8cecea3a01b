// sucrase erases a TypeScript `namespace`/`module` block that is not `declare` as if it
// were a type, so its values silently vanish. TypeScript emits code for such a block only
// when it is instantiated (holds values); this finds the first one that is.

import { parseTokens } from './deps';
import { ModelSyntaxError } from './errors';
import { LineIndex } from './positions';

interface Tok {
  start: number;
  end: number;
  isType: boolean;
}

const MAYBE_NAMESPACE = /\b(?:namespace|module)\s+[\w$'"]/;
const VALUE_KEYWORDS = new Set(['const', 'let', 'var', 'function', 'class', 'enum', 'abstract']);
const NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/**
 * Throws a {@link ModelSyntaxError} at the first instantiated, non-`declare` namespace or
 * `module` block of a TypeScript source. Does nothing for ambient (`declare`) blocks or
 * blocks holding only types. Tokenizer errors are left to the transform to report.
 */
export function checkNamespaces(source: string, file: string): void {
  if (!MAYBE_NAMESPACE.test(source)) return;
  let tokens: Tok[];
  try {
    tokens = parseTokens(source, false, true, false).tokens;
  } catch {
    return;
  }
  const raw = (i: number): string => {
    const t = tokens[i];
    return t ? source.slice(t.start, t.end) : '';
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.isType) continue;
    const word = raw(i);
    if (word === 'declare') {
      i = skipDeclaration(tokens, raw, i);
    } else if ((word === 'namespace' || word === 'module') && isHeader(raw, i)) {
      const open = headerBodyStart(raw, i);
      if (open < 0) continue;
      const { end, instantiated } = scanBody(raw, open);
      if (instantiated) {
        const at = new LineIndex(source).locate(t.start);
        throw new ModelSyntaxError(
          file,
          at.line,
          at.column,
          `TypeScript ${word} '${namespaceName(raw, i)}' is not supported (its code would ` +
            'be dropped); use an object, a class or a separate module instead',
        );
      }
      i = end;
    }
  }
}

/** Index of the last token of a `declare ...` statement's first braced part, or i. */
function skipDeclaration(tokens: Tok[], raw: (i: number) => string, i: number): number {
  let j = i + 1;
  while (j < tokens.length && tokens[j]!.isType && raw(j) !== '{' && raw(j) !== ';') j++;
  return raw(j) === '{' ? matchingClose(raw, j) : i;
}

function isHeader(raw: (i: number) => string, i: number): boolean {
  const next = raw(i + 1);
  const isName = NAME.test(next) || (raw(i) === 'module' && /^['"]/.test(next));
  return isName && raw(i - 1) !== 'declare';
}

/** Index of the `{` that opens the body of the header at i, or -1. */
function headerBodyStart(raw: (i: number) => string, i: number): number {
  let j = i + 1;
  while (NAME.test(raw(j)) || /^['"]/.test(raw(j)) || raw(j) === '.') j++;
  return raw(j) === '{' ? j : -1;
}

function namespaceName(raw: (i: number) => string, i: number): string {
  let name = '';
  for (let j = i + 1; raw(j) !== '{' && raw(j) !== ''; j++) name += raw(j);
  return name;
}

function matchingClose(raw: (i: number) => string, open: number): number {
  let depth = 0;
  for (let j = open; ; j++) {
    const r = raw(j);
    if (r === '') return j - 1;
    if (r === '{' || r === '${') depth++;
    else if (r === '}' && --depth === 0) return j;
  }
}

/**
 * Scans a namespace body from its `{`: value declarations directly inside it (or inside a
 * nested namespace) make it instantiated.
 */
function scanBody(
  raw: (i: number) => string,
  open: number,
): { end: number; instantiated: boolean } {
  const stack: boolean[] = []; // per open brace: is it a namespace body?
  let instantiated = false;
  for (let j = open; ; j++) {
    const r = raw(j);
    if (r === '') return { end: j - 1, instantiated };
    if (r === '{' || r === '${') {
      stack.push(j === open || isNamespaceBrace(raw, j));
    } else if (r === '}') {
      stack.pop();
      if (stack.length === 0) return { end: j, instantiated };
    } else if (stack[stack.length - 1] === true && VALUE_KEYWORDS.has(r)) {
      if (raw(j - 1) !== 'declare') instantiated = true;
    }
  }
}

function isNamespaceBrace(raw: (i: number) => string, brace: number): boolean {
  let j = brace - 1;
  if (!NAME.test(raw(j))) return false;
  while (raw(j - 1) === '.') j -= 2;
  const keyword = raw(j - 1);
  return keyword === 'namespace' || keyword === 'module';
}
