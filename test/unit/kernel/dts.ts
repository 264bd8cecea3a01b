/**
 * Helpers for the kernel.d.ts tests: paths, and the declarations the d.ts makes, read with the
 * TypeScript compiler API.
 */
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DTS = path.join(ROOT, 'types', 'kernel.d.ts');
export const GLOBALS_JSON = path.join(ROOT, 'src', 'runtime', 'kernel', 'globals.json');
export const EXAMPLE_DIR = path.join(ROOT, 'examples', 'idxd-ims');
export const JSCONFIG = path.join(EXAMPLE_DIR, 'jsconfig.json');

/** What kind of value a global is: the d.ts declaration, or the API value's typeof. */
export type ValueKind = 'function' | 'class' | 'constant' | 'namespace';

/** One global value the d.ts declares. */
export interface DeclaredGlobal {
  name: string;
  kind: ValueKind;
  /** For `declare const X = <literal>`: the literal's value. */
  value?: number;
}

/**
 * The d.ts compiled alone, strictly, with nothing but the ES2022 library: it must be
 * self-contained, because users copy it next to their models.
 */
export function standaloneProgram(extraFiles: Readonly<Record<string, string>> = {}): ts.Program {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
    noUnusedLocals: true,
    noUnusedParameters: true,
    exactOptionalPropertyTypes: true,
    // skipLibCheck would skip every .d.ts, this one included.
    skipLibCheck: false,
  };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(extraFiles).map(([f, t]) => [path.resolve(f), t]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = virtual.get(path.resolve(file));
    return text !== undefined
      ? ts.createSourceFile(file, text, lang, true)
      : getSourceFile(file, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  return ts.createProgram({ rootNames: [DTS, ...virtual.keys()], options, host });
}

/**
 * Every global value (function, class, constant, namespace) the d.ts declares, found as the
 * type checker sees it: the value symbols in scope in another file of the program whose
 * declarations lie in the d.ts. A `declare global` block, or an accidental module, is seen for
 * what it is.
 */
export function declaredGlobals(): DeclaredGlobal[] {
  const probe = path.join(ROOT, 'test', 'unit', 'kernel', '__globals_probe__.ts');
  const program = standaloneProgram({ [probe]: 'export {};\n' });
  const checker = program.getTypeChecker();
  const dts = program.getSourceFile(DTS)!;
  const probeFile = program.getSourceFile(probe)!;
  const out: DeclaredGlobal[] = [];
  for (const sym of checker.getSymbolsInScope(probeFile, ts.SymbolFlags.Value)) {
    const decls = (sym.declarations ?? []).filter((d) => d.getSourceFile() === dts);
    const first = decls[0];
    if (first === undefined) continue;
    out.push({ name: sym.name, kind: kindOf(first), ...literalOf(first) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function kindOf(d: ts.Declaration): ValueKind {
  if (ts.isFunctionDeclaration(d)) return 'function';
  if (ts.isClassDeclaration(d)) return 'class';
  if (ts.isVariableDeclaration(d)) return 'constant';
  if (ts.isModuleDeclaration(d)) return 'namespace';
  throw new Error(`kernel.d.ts: unexpected value declaration ${ts.SyntaxKind[d.kind]}`);
}

function literalOf(d: ts.Declaration): { value?: number } {
  if (!ts.isVariableDeclaration(d) || d.initializer === undefined) return {};
  const init = d.initializer;
  if (ts.isNumericLiteral(init)) return { value: Number(init.text) };
  if (
    ts.isPrefixUnaryExpression(init) &&
    init.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(init.operand)
  ) {
    return { value: -Number(init.operand.text) };
  }
  return {};
}

/** The names the d.ts declares in `declare namespace <name> { … }` as functions. */
export function namespaceFunctions(name: string): string[] {
  const sf = parseDts();
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isModuleDeclaration(st) || st.name.text !== name) continue;
    const body = st.body;
    if (body === undefined || !ts.isModuleBlock(body)) continue;
    for (const m of body.statements)
      if (ts.isFunctionDeclaration(m) && m.name) out.push(m.name.text);
  }
  return [...new Set(out)].sort();
}

/** The d.ts parsed (syntax only, with parent pointers). */
export function parseDts(): ts.SourceFile {
  const text = ts.sys.readFile(DTS);
  if (text === undefined) throw new Error(`cannot read ${DTS}`);
  return ts.createSourceFile(DTS, text, ts.ScriptTarget.ES2022, true);
}

/** `file:line:col: TSnnnn message` for each diagnostic, paths relative to the repository. */
export function formatDiagnostics(diags: readonly ts.Diagnostic[]): string[] {
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return `TS${d.code} ${msg}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const rel = path.relative(ROOT, d.file.fileName);
    return `${rel}:${line + 1}:${character + 1}: TS${d.code} ${msg}`;
  });
}
