/**
 * Create Driver Model from Example, in a real VS Code: the command writes the starter into the
 * workspace with its own copy of the kernel API's types, opens its driver.js, and VS Code's
 * JavaScript support then types the kernel API there — no problems in the model, and a wrong
 * call to the kernel API is reported.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { CREATE_MODEL_COMMAND, type CreateModelArgs } from '../../../src/extension/scaffold';
import { KERNEL_TYPES_PATH } from '../../../src/extension/model/scaffold';
import { EXTENSION_ID, until } from './support';

describe('Create Driver Model from Example', function () {
  this.timeout(120_000);
  const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0]!.uri;
  let target: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    target = vscode.Uri.joinPath(folder(), `created-${Date.now()}`);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(target, { recursive: true, useTrash: false });
  });

  it('writes the example, its jsconfig.json and the kernel types, and opens driver.js', async () => {
    const args: CreateModelArgs = { example: 'starter', target };
    const created = await vscode.commands.executeCommand<vscode.Uri>(CREATE_MODEL_COMMAND, args);
    assert.equal(created.toString(), target.toString());
    const read = async (p: string) =>
      new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(target, p)));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const bundled = new TextDecoder().decode(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext, 'types', 'kernel.d.ts')),
    );
    assert.equal(await read(KERNEL_TYPES_PATH), bundled);
    assert.ok((await read('jsconfig.json')).includes(KERNEL_TYPES_PATH));
    await until('driver.js open in the editor', () =>
      vscode.window.activeTextEditor?.document.uri.path.endsWith(`${target.path}/driver.js`)
        ? true
        : undefined,
    );
  });

  it('gets the kernel API typed by the editor: a wrong call is a problem, the model has none', async () => {
    const wrong = vscode.Uri.joinPath(target, 'wrong.js');
    await vscode.workspace.fs.writeFile(wrong, new TextEncoder().encode('readl();\n'));
    await vscode.window.showTextDocument(wrong);
    const problems = await until(
      "the editor's problems in wrong.js",
      () => {
        const d = vscode.languages
          .getDiagnostics(wrong)
          .filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
        return d.length > 0 ? d : undefined;
      },
      90_000,
    );
    assert.ok(
      problems.some((d) => /argument/i.test(d.message)),
      problems.map((d) => d.message).join('\n'),
    );
    const driver = vscode.Uri.joinPath(target, 'driver.js');
    await vscode.window.showTextDocument(driver);
    await new Promise((r) => setTimeout(r, 2000)); // the server's answer for the second file
    // What the Problems panel lists (errors and warnings; hints are the editor's suggestions).
    const shown = (uri: vscode.Uri) =>
      vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
        .map((d) => d.message);
    assert.deepEqual(shown(driver), []);
  });
});
