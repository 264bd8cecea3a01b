/**
 * The interrupt timeline in a real VS Code: Show Interrupt Timeline opens the webview panel at a
 * stop of the example, whose page (under its CSP) draws the trace it is sent and says so; the
 * next stop refreshes it; Export Interrupt Trace… writes the Chrome/Perfetto trace file to the
 * target given as the command's argument.
 */
import { strict as assert } from 'node:assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import type { ChromeTrace } from '../../../src/platform/chrome-trace/format';
import { traceOf } from '../../../src/extension/timeline/messages';
import { debugToLine, useExample } from './example';
import { snapshotOf, until, whenReported } from './support';

const SHOW = 'ims-debug.showTimeline';
const EXPORT = 'ims-debug.exportTrace';

/** The tab of the timeline panel, if one is open. */
function timelineTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find(
      (t) =>
        t.input instanceof vscode.TabInputWebview &&
        t.input.viewType.endsWith('ims-debug.timeline'),
    );
}

describe('IMS Debug in a real VS Code: the interrupt timeline', () => {
  const ex = useExample();
  let session: vscode.DebugSession;

  before(async () => {
    await vscode.window.showTextDocument(ex.driver);
    const s = await debugToLine(ex, ex.handlerLine, 'Timeline of the example', '${file}');
    assert.equal(s.started, true);
    session = s.session;
  });

  after(async () => {
    const tab = timelineTab();
    if (tab) await vscode.window.tabGroups.close(tab);
  });

  it('opens the panel, and its page draws the trace of the stop', async () => {
    const snap = await snapshotOf(session);
    await vscode.commands.executeCommand(SHOW);
    assert.equal(ex.api.timeline.isOpen(), true);
    const tab = await whenReported('a webview tab of the timeline', timelineTab, [
      vscode.window.tabGroups.onDidChangeTabs,
    ]);
    assert.equal(tab.label, 'Interrupt Timeline');
    const rendered = await until('the timeline page to draw a trace', () =>
      ex.api.timeline.lastRendered(),
    );
    const posted = ex.api.timeline.lastPosted('trace');
    assert.ok(posted, 'the panel was sent a trace');
    assert.equal(rendered.serial, 1, 'one trace for one stop: the page drew the first it was sent');
    assert.equal(posted.serial, 1);
    assert.equal(posted.session, session.name);
    assert.equal(traceOf(posted).otherData.now_ns, snap.t, 'the trace of this stop');
    // At the first completion handler: MSI-X entry 0 and IMS slot 0 sent, CPUs 0 and 1 handled.
    assert.ok(rendered.tracks >= 4, `tracks: ${rendered.tracks}`);
    assert.ok(rendered.items >= snap.trace.messages, `items: ${rendered.items}`);
    assert.ok(rendered.flows >= 1, 'deliveries linked to their handlers');
  });

  it('shows the stop it drew in its status line', async () => {
    const snap = await snapshotOf(session);
    const status = await until('a status line saying the session is stopped', () => {
      const m = ex.api.timeline.lastPosted('status');
      return m?.phase === 'stopped' && /stopped at/.test(m.text) ? m : undefined;
    });
    assert.match(
      status.text,
      new RegExp(`^${session.name}: stopped at [\\d.]+ µs, ${snap.trace.messages} messages$`),
    );
  });

  it('draws the next stop when the model stops again', async () => {
    const before = ex.api.timeline.lastRendered()!;
    const mark = ex.dap.mark;
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await ex.dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
    const after = await until('the page to draw the second stop', () => {
      const r = ex.api.timeline.lastRendered();
      return r && r.serial > before.serial ? r : undefined;
    });
    assert.ok(after.items > before.items, 'more happened by the second completion');
  });

  it('exports the trace to the file given as argument', async () => {
    const target = vscode.Uri.joinPath(ex.folder.uri, 'exported-trace.json');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(EXPORT, target);
    assert.equal(written?.toString(), target.toString());
    const trace = JSON.parse(
      Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8'),
    ) as ChromeTrace;
    const snap = await snapshotOf(session);
    assert.equal(trace.displayTimeUnit, 'ns');
    assert.equal(trace.otherData.producer, 'ims-debug');
    assert.equal(trace.otherData.now_ns, snap.t, 'the trace of this stop');
    assert.equal(trace.otherData.messages, snap.trace.messages);
    const names = trace.traceEvents.flatMap((e) =>
      e.ph === 'M' && e.name === 'process_name' && 'name' in e.args ? [e.args.name] : [],
    );
    assert.deepEqual(names, ['dsa0 0000:6a:01.0', 'CPUs']);
    await vscode.workspace.fs.delete(target);
  });
});
