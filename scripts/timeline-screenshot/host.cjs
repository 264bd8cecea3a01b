// Runs inside VS Code's extension host (loaded as extension tests by ../timeline-screenshot.mjs):
// debugs the example to its module exit, opens the interrupt timeline, tells the driving script
// it may take the picture, and ends when the script says it is done.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const vscode = require('vscode');

const STOP_TEXT = "dev_info(pdev, 'removed\\n');";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, probe, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

exports.run = async function run() {
  const done = process.env.TIMELINE_SHOT_DONE;
  const folder = vscode.workspace.workspaceFolders[0];
  const driver = vscode.Uri.joinPath(folder.uri, 'driver.js');
  const line = readFileSync(driver.fsPath, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(STOP_TEXT));
  if (line < 0) throw new Error(`driver.js has no line ${STOP_TEXT}`);
  const ext = vscode.extensions.getExtension('ims-debug.ims-debug');
  const api = await ext.activate();
  await vscode.window.showTextDocument(driver);
  vscode.debug.addBreakpoints([
    new vscode.SourceBreakpoint(new vscode.Location(driver, new vscode.Position(line, 0))),
  ]);
  await vscode.debug.startDebugging(folder, {
    type: 'ims',
    request: 'launch',
    name: 'idxd-ims example',
    program: driver.fsPath,
  });
  await until('the stop in idxd_pci_remove', () => vscode.debug.activeStackItem);
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('ims-debug.showTimeline');
  await until('the timeline to draw', () => api.timeline.lastRendered());
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  await sleep(1000);
  console.log('TIMELINE-READY');
  await until('the screenshot', () => existsSync(done), 120_000);
  await vscode.debug.stopDebugging();
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
};
