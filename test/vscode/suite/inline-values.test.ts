/**
 * Beside the code in a real VS Code: at a stop in the example, VS Code asks the extension's inline
 * values provider by itself, and its `vscode.executeInlineValueProvider` command reaches it —
 * the register each visible line accessed and the irq's path slot → IRTE → vector → CPU, and
 * the stopped function's locals as variable lookups — and once the session ends the provider
 * is gone again, so other JavaScript debuggers keep VS Code's default.
 */
import { strict as assert } from 'node:assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import { debugToLine, focusedFrame, useExample } from './example';
import { lineOf, sessionEnd } from './support';

/** The inline values VS Code gets from the providers for the whole of `doc` at a stop. */
function inlineValues(
  doc: vscode.TextDocument,
  frameId: number,
  stopLine: number,
): Thenable<vscode.InlineValue[]> {
  return vscode.commands.executeCommand<vscode.InlineValue[]>(
    'vscode.executeInlineValueProvider',
    doc.uri,
    new vscode.Range(0, 0, doc.lineCount - 1, 0),
    { frameId, stoppedLocation: new vscode.Range(stopLine - 1, 0, stopLine - 1, 0) },
  );
}

/** The texts VS Code would show beside 1-based line `line`. */
function textsAt(values: readonly vscode.InlineValue[], line: number): string[] {
  return values
    .filter((v): v is vscode.InlineValueText => 'text' in v && v.range.start.line === line - 1)
    .map((v) => v.text);
}

describe('Beside the code in a real VS Code: inline values at a stop', () => {
  const ex = useExample();
  let session: vscode.DebugSession;
  let doc: vscode.TextDocument;
  let frame: vscode.DebugStackFrame;
  let stopLine: number;
  let allocLine: number;
  /** Where the session's DAP traffic began. */
  let mark: number;

  before(async () => {
    allocLine = lineOf(ex.driver.fsPath, 'wq.ims = pci_ims_alloc_irq(idxd.pdev');
    // After request_irq for the first WQ: the IMS irq is activated.
    stopLine = lineOf(ex.driver.fsPath, 'const rc = request_irq(wq.ims.virq') + 1;
    doc = await vscode.workspace.openTextDocument(ex.driver);
    await vscode.window.showTextDocument(doc);
    let stopped: DebugProtocol.StoppedEvent;
    ({ mark, session, stopped } = await debugToLine(ex, stopLine, 'Inline values'));
    frame = await focusedFrame(session, stopped.body.threadId!);
  });

  /** Evaluates `expression` in the Debug Console's way, in the stopped frame. */
  const evaluate = async (expression: string): Promise<number> => {
    const body = (await session.customRequest('evaluate', {
      expression,
      frameId: frame.frameId,
      context: 'repl',
    })) as DebugProtocol.EvaluateResponse['body'];
    return Number(/^-?\d+/.exec(body.result)![0]);
  };

  it('is asked by VS Code itself at the stop, for the stopped frame in the open editor', async () => {
    const asked = await ex.dap.next<DebugProtocol.Request>(
      'VS Code to ask the provider for inline values',
      (t) =>
        t.session.id === session.id &&
        t.direction === 'toAdapter' &&
        (t.message as DebugProtocol.Request).command === 'ims/inlineValues',
      mark,
    );
    const args = asked.arguments as {
      path: string;
      startLine: number;
      endLine: number;
      frameId: number;
    };
    assert.equal(args.path, ex.driver.fsPath);
    assert.equal(args.frameId, frame.frameId);
    assert.ok(
      args.startLine <= stopLine && stopLine <= args.endLine,
      'the visible lines hold the stop',
    );
  });

  it("reaches the extension's provider: an irq line shows its path, an MMIO line its register", async () => {
    const values = await inlineValues(doc, frame.frameId, stopLine);
    const virq = await evaluate('wq.ims.virq');
    const slot = await evaluate('wq.ims.index');
    const irte = await evaluate(`ims_debug.irte_of_irq(${virq})`);
    const vector = await evaluate(`ims_debug.vector_of_irq(${virq}).vector`);
    const cpu = await evaluate(`ims_debug.vector_of_irq(${virq}).cpu`);
    const path = `irq ${virq}: IMS slot ${slot} → IRTE ${irte} → vector 0x${vector.toString(16)} → CPU ${cpu}`;
    assert.deepEqual(textsAt(values, allocLine), [path]);
    assert.deepEqual(textsAt(values, stopLine - 1), [path], 'the request_irq line');
    // The MMIO lines of the probe's first steps are in the driver core the example requires.
    const lib = vscode.Uri.joinPath(ex.driver, '..', '..', 'lib', 'idxd.js');
    const libValues = await inlineValues(
      await vscode.workspace.openTextDocument(lib),
      frame.frameId,
      stopLine,
    );
    const genctrl = lineOf(lib.fsPath, 'const genctrl = readl(') + 1;
    assert.deepEqual(textsAt(libValues, genctrl), ['GENCTRL ← 0x3 (softerr_int_en, halt_int_en)']);
  });

  it("asks VS Code to show the stopped function's locals, as its default would", async () => {
    const values = await inlineValues(doc, frame.frameId, stopLine);
    const lookups = values.filter(
      (v): v is vscode.InlineValueVariableLookup => 'variableName' in v,
    );
    const fnLine = lineOf(ex.driver.fsPath, 'function idxd_wq_request_irq(idxd, wq) {');
    assert.ok(lookups.length > 0, 'variable lookups for the locals');
    for (const l of lookups) {
      assert.ok(['idxd', 'wq', 'rc', 'stat'].includes(l.variableName!), l.variableName);
      const line = l.range.start.line + 1;
      assert.ok(
        line >= fnLine && line <= stopLine,
        `line ${line} is in the function, up to the stop`,
      );
      assert.equal(doc.getText(l.range), l.variableName);
    }
    assert.ok(
      lookups.some((l) => l.variableName === 'rc' && l.range.start.line === stopLine - 2),
      'rc on the request_irq line',
    );
  });

  it('leaves no provider behind when the session ends', async () => {
    const end = sessionEnd(session);
    await vscode.debug.stopDebugging(session);
    await end;
    const values = await inlineValues(doc, frame.frameId, stopLine);
    assert.deepEqual(values, []);
  });
});
