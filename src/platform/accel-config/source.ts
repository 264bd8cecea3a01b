/**
 * The text of one accel-config file: parsing it the way json-c's default (non-strict) tokener
 * reads it — trailing commas and C/C++ comments allowed — and turning node offsets into
 * `line:column` diagnostics.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Diagnostic, Severity } from './diagnostics';
import { fieldOf, placeOf } from './tree';

/** A file's name and text, with a line index for offset → line/column. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly fileName: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  /** 1-based line and column (in UTF-16 code units, as editors count) of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }
}

/** Collects diagnostics for one file. */
export class Reporter {
  private readonly found: Diagnostic[] = [];

  constructor(readonly source: SourceText) {}

  /**
   * An error at `node`. Place and field are derived from the node; `field` overrides the field
   * (null: none, for findings about a whole object).
   */
  error(node: Node, message: string, field?: string | null): void {
    this.add('error', node, message, field);
  }

  /** A warning at `node`; `field` as for `error`. */
  warn(node: Node, message: string, field?: string | null): void {
    this.add('warning', node, message, field);
  }

  /** A diagnostic at a raw offset, outside any node (syntax errors, unreadable files). */
  at(severity: Severity, offset: number, length: number, message: string): void {
    const { line, column } = this.source.position(offset);
    this.found.push({
      severity,
      file: this.source.fileName,
      line,
      column,
      offset,
      length,
      place: '',
      message,
    });
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.found;
  }

  hasErrors(): boolean {
    return this.found.some((d) => d.severity === 'error');
  }

  private add(severity: Severity, node: Node, message: string, field?: string | null): void {
    const { line, column } = this.source.position(node.offset);
    const f = field === null ? undefined : (field ?? fieldOf(node));
    this.found.push({
      severity,
      file: this.source.fileName,
      line,
      column,
      offset: node.offset,
      length: node.length,
      // An object that is a key's value is placed in the object holding the key.
      place: placeOf(
        node.type === 'object' && node.parent?.type === 'property' ? node.parent : node,
      ),
      ...(f === undefined ? {} : { field: f }),
      message,
    });
  }
}

/**
 * Parses the text into a tree. The first syntax error is reported at its offset ("invalid JSON:
 * expected a comma"); the tree is returned only when there was none.
 */
export function parseSource(source: SourceText, report: Reporter): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(source.text, errors, {
    allowTrailingComma: true,
    disallowComments: false,
    allowEmptyContent: false,
  });
  if (source.text.trim() === '') {
    report.at('error', 0, 0, 'the file is empty; expected a JSON array of devices');
    return undefined;
  }
  // Like json-c, stop at the first error: the ones after it are mostly its echoes.
  const first = errors[0];
  if (first !== undefined) {
    report.at('error', first.offset, first.length, `invalid JSON: ${describeParseError(first)}`);
  }
  return errors.length === 0 ? root : undefined;
}

/** jsonc-parser's error codes ("CommaExpected") in words ("expected a comma"). */
function describeParseError(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected a colon',
    CommaExpected: 'expected a comma',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected content after the end',
    InvalidCommentToken: 'malformed comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'malformed number',
    InvalidUnicode: 'malformed \\u escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}
