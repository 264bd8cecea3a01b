// Step 1 of the stepping runtime: turn a model file into CommonJS JavaScript with the same
// lines, and parse it. TypeScript goes through sucrase's `typescript` transform; ES modules
// (.mjs/.mts, or .js/.ts with import/export syntax) through its `imports` transform. Both
// keep every line; columns move, and a source map brings them back.

import { parse, type Program } from 'acorn';
import { transform, type Transform } from 'sucrase';
import { ModelSyntaxError } from './errors';
import { checkNamespaces } from './namespaces';
import { ColumnMap, LineIndex } from './positions';

/** A model after loading. */
export interface LoadedModel {
  /** CommonJS JavaScript, line for line the model's source. */
  code: string;
  /** `code` parsed as a script (ES2024, top-level return allowed, parentheses kept). */
  program: Program;
  /** Maps columns of `code` back to the source; null when `code` is the source. */
  columns: ColumnMap | null;
  /** The model's own module format. */
  format: 'commonjs' | 'esm';
  typescript: boolean;
  /**
   * true when sucrase's `imports` transform ran: it prefixes line 1 with a "use strict"
   * directive, `Object.defineProperty(exports, "__esModule", …)` and helper functions.
   */
  esmPrefix: boolean;
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
/** The name sucrase is given (it needs one for the source map; it prefixes errors with it). */
const SUCRASE_FILE = 'model';
const MODULE_SYNTAX = /'import' and 'export' may appear only with 'sourceType: module'/;

/**
 * Loads a model: TypeScript and ES modules to CommonJS, lines kept, then parses it.
 *
 * @param source the model's text
 * @param file its file name; the extension selects the treatment (`.ts/.mts/.cts` are
 *   TypeScript; `.mjs/.mts` are ES modules, `.cjs/.cts` CommonJS, others by their syntax)
 * @throws ModelSyntaxError for a syntax error or an instantiated TypeScript namespace, with
 *   the line and column in `source`
 */
export function loadModel(source: string, file: string): LoadedModel {
  const ext = extension(file);
  const typescript = TS_EXTENSIONS.has(ext);
  let esm: boolean | undefined =
    ext === '.mjs' || ext === '.mts' ? true : ext === '.cjs' || ext === '.cts' ? false : undefined;
  if (typescript) checkNamespaces(source, file);

  let step = typescript || esm === true ? runSucrase(source, file, typescript, esm === true) : null;
  let code = step?.code ?? source;
  let result = parseScript(code);
  if (result instanceof Error && esm === undefined && MODULE_SYNTAX.test(result.message)) {
    esm = true;
    step = runSucrase(source, file, typescript, true);
    code = step.code;
    result = parseScript(code);
  }
  const columns = step ? new ColumnMap(step.mappings, source) : null;
  if (result instanceof Error) throw toModelError(result, file, code, columns);
  return {
    code,
    program: result,
    columns,
    format: esm === true ? 'esm' : 'commonjs',
    typescript,
    esmPrefix: esm === true,
  };
}

function extension(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const dot = file.lastIndexOf('.');
  return dot > slash ? file.slice(dot).toLowerCase() : '';
}

function runSucrase(
  source: string,
  file: string,
  typescript: boolean,
  esm: boolean,
): { code: string; mappings: string } {
  const transforms: Transform[] = [];
  if (typescript) transforms.push('typescript');
  if (esm) transforms.push('imports');
  try {
    const out = transform(source, {
      transforms,
      disableESTransforms: true,
      filePath: SUCRASE_FILE,
      sourceMapOptions: { compiledFilename: 'model.js' },
    });
    return { code: out.code, mappings: out.sourceMap?.mappings ?? '' };
  } catch (err) {
    const pos = (err as { pos?: unknown }).pos;
    if (!(err instanceof SyntaxError) || typeof pos !== 'number') throw err;
    const at = new LineIndex(source).locate(Math.min(pos, source.length));
    const message = err.message.replace(`Error transforming ${SUCRASE_FILE}: `, '');
    throw new ModelSyntaxError(file, at.line, at.column, stripLocation(message));
  }
}

function parseScript(code: string): Program | SyntaxError {
  try {
    return parse(code, {
      ecmaVersion: 2024,
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowHashBang: true,
      preserveParens: true,
    });
  } catch (err) {
    if (err instanceof SyntaxError) return err;
    throw err;
  }
}

function toModelError(
  err: SyntaxError,
  file: string,
  code: string,
  columns: ColumnMap | null,
): ModelSyntaxError {
  const pos = (err as { pos?: unknown }).pos;
  const at = new LineIndex(code).locate(typeof pos === 'number' ? Math.min(pos, code.length) : 0);
  const column = columns ? columns.sourceColumn(at.line, at.column) : at.column;
  return new ModelSyntaxError(file, at.line, column, stripLocation(err.message));
}

/** "Unexpected token (3:4)" → "Unexpected token". */
function stripLocation(message: string): string {
  return message.replace(/\s*\(\d+:\d+\)$/, '');
}
