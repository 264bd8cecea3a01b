import { strict as assert } from 'node:assert';
import ts from 'typescript';
import kernelNames from '../../../src/runtime/kernel/globals.json';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { deviceFactories } from '../../../src/platform/machine/devices';
import { kernelFor } from '../../../src/runtime/kernel/index';
import {
  declaredGlobals,
  formatDiagnostics,
  namespaceFunctions,
  parseDts,
  standaloneProgram,
  type DeclaredGlobal,
  type ValueKind,
} from './dts';

/** How the running API's value for a name is shaped. */
function kindOfValue(v: unknown): ValueKind | 'other' {
  if (typeof v === 'function')
    return /^class[\s{]/.test(Function.prototype.toString.call(v)) ? 'class' : 'function';
  if (typeof v === 'number') return 'constant';
  if (typeof v === 'object' && v !== null) return 'namespace';
  return 'other';
}

/** The JSDoc blocks attached to `node`. */
function jsDocs(node: ts.Node): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(node).filter((d): d is ts.JSDoc => ts.isJSDoc(d));
}

function docText(node: ts.Node): string {
  return jsDocs(node)
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
    .join(' ')
    .trim();
}

/** Functions, methods and constructors anywhere in the file. */
function functionLikes(sf: ts.SourceFile): ts.SignatureDeclaration[] {
  const out: ts.SignatureDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n))
      out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function nameOf(fn: ts.SignatureDeclaration): string {
  if (ts.isConstructorDeclaration(fn))
    return `${(fn.parent as ts.ClassDeclaration).name?.text ?? '?'}.constructor`;
  const own = fn.name !== undefined && ts.isIdentifier(fn.name) ? fn.name.text : '?';
  const owner = fn.parent;
  if (ts.isClassDeclaration(owner)) return `${owner.name?.text ?? '?'}.${own}`;
  if (ts.isModuleBlock(owner)) return `${owner.parent.name.text}.${own}`;
  return own;
}

/** What is missing from one function's JSDoc, as readable problems. */
function docProblems(fn: ts.SignatureDeclaration): string[] {
  const name = nameOf(fn);
  if (jsDocs(fn).length === 0 || docText(fn) === '') return [`${name}: no JSDoc`];
  const problems: string[] = [];
  const params = fn.parameters.map((p) => p.name.getText());
  for (const p of fn.parameters) {
    if (ts.getJSDocParameterTags(p).length === 0)
      problems.push(`${name}: @param ${p.name.getText()} missing`);
  }
  for (const doc of jsDocs(fn)) {
    for (const tag of doc.tags ?? []) {
      if (ts.isJSDocParameterTag(tag) && !params.includes(tag.name.getText()))
        problems.push(`${name}: @param ${tag.name.getText()} names no parameter`);
    }
  }
  const returnsSomething =
    !ts.isConstructorDeclaration(fn) &&
    fn.type !== undefined &&
    fn.type.kind !== ts.SyntaxKind.VoidKeyword;
  if (returnsSomething && ts.getJSDocReturnTag(fn) === undefined)
    problems.push(`${name}: @returns missing`);
  return problems;
}

describe('kernel: kernel.d.ts', () => {
  let declared: DeclaredGlobal[];
  let api: Record<string, unknown>;
  before(() => {
    declared = declaredGlobals();
    api = kernelFor(new Machine(defaultMachineConfig(), deviceFactories)).api;
  });

  it('compiles alone under strict options with only the ES2022 library (self-contained)', () => {
    const diags = ts.getPreEmitDiagnostics(standaloneProgram());
    assert.deepEqual(formatDiagnostics(diags), []);
  });

  it('is a global script: no import or export', () => {
    assert.equal(ts.isExternalModule(parseDts()), false);
  });

  it('declares exactly the global names of globals.json', () => {
    const names = declared.map((d) => d.name);
    const missing = kernelNames.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !kernelNames.includes(n));
    assert.deepEqual(
      { missing, extra },
      { missing: [], extra: [] },
      'every name in globals.json needs a declaration in kernel.d.ts, and only those',
    );
  });

  it('declares each name as the kind of value the API has (function, class, constant…)', () => {
    const wrong = declared
      .filter((d) => kindOfValue(api[d.name]) !== d.kind)
      .map((d) => `${d.name}: declared ${d.kind}, is ${kindOfValue(api[d.name])}`);
    assert.deepEqual(wrong, []);
  });

  it("declares each constant with the API's value", () => {
    const constants = declared.filter((d) => d.kind === 'constant');
    assert.ok(constants.length > 100, `only ${constants.length} constants found`);
    const wrong = constants
      .filter((d) => d.value !== api[d.name])
      .map((d) => `${d.name}: declared ${String(d.value)}, is ${String(api[d.name])}`);
    assert.deepEqual(wrong, []);
  });

  it('declares exactly the calls of the ims_debug namespace', () => {
    const calls = Object.keys(api.ims_debug as Record<string, unknown>).sort();
    assert.deepEqual(namespaceFunctions('ims_debug'), calls);
  });

  it('documents every function: JSDoc, each @param, and @returns unless void', () => {
    const fns = functionLikes(parseDts());
    const globalFns = declared.filter((d) => d.kind === 'function').length;
    assert.ok(fns.length >= globalFns, `${fns.length} functions found, ${globalFns} expected`);
    assert.deepEqual(fns.flatMap(docProblems), []);
  });

  it('documents every global constant, class and namespace', () => {
    const sf = parseDts();
    const undocumented: string[] = [];
    for (const st of sf.statements) {
      if (ts.isVariableStatement(st)) {
        const names = st.declarationList.declarations.map((d) => d.name.getText());
        if (docText(st) === '') undocumented.push(...names);
      } else if ((ts.isClassDeclaration(st) || ts.isModuleDeclaration(st)) && docText(st) === '') {
        undocumented.push(st.name?.getText() ?? '?');
      }
    }
    assert.deepEqual(undocumented, []);
  });
});
