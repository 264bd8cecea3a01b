/**
 * The `interrupt` exception filter with a condition, and the standalone DAP server
 * (`ims-debug.adapter: "executable"`), in a real VS Code.
 */
import { strict as assert } from 'node:assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import {
  BDF,
  DEBUG_TYPE,
  IMS_DOMAIN,
  adapterProcesses,
  focusedFrame,
  imsIrq,
  stackOf,
  useExample,
} from './example';
import {
  VIEW_IDS,
  hex2,
  nextSession,
  parseRows,
  rowAt,
  sessionEnd,
  snapshotOf,
  viewShowing,
  within,
} from './support';

describe('IMS Debug in a real VS Code: exception filters, the executable adapter', () => {
  const ex = useExample();

  describe('the interrupt exception filter with a condition', () => {
    const condition = "source == 'ims' && slot == 1";
    let session: vscode.DebugSession;
    let stopped: DebugProtocol.StoppedEvent;
    let mark: number;

    before(async () => {
      mark = ex.dap.mark;
      const starting = nextSession(DEBUG_TYPE);
      const ok = await within(
        'VS Code to start debugging',
        vscode.debug.startDebugging(ex.folder, {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'interrupt filter',
          program: ex.driver.fsPath,
          stopOnEntry: true,
        }),
      );
      assert.equal(ok, true);
      session = await starting;
      const entry = await ex.dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
      assert.equal(entry.body.reason, 'entry');
      // VS Code's API has no way to set an exception filter or its condition (the Breakpoints
      // view does it by hand), so the test sends the same DAP request through the session.
      const set = (await session.customRequest('setExceptionBreakpoints', {
        filters: ['uncaught'],
        filterOptions: [{ filterId: 'interrupt', condition }],
      })) as NonNullable<DebugProtocol.SetExceptionBreakpointsResponse['body']>;
      assert.ok(
        set.breakpoints?.every((b) => b.verified),
        `the filters are accepted: ${JSON.stringify(set.breakpoints)}`,
      );
      const next = ex.dap.mark;
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      stopped = await ex.dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', next);
    });

    it('stops in the handler of IMS slot 1 with the whole path as the reason', async () => {
      assert.equal(stopped.body.reason, 'exception');
      const snap = await snapshotOf(session);
      const slot1 = imsIrq(snap, 1);
      const expected = `vector ${hex2(slot1.vector)} → CPU ${slot1.cpu} via IRTE ${slot1.irte} from IMS slot 1 of ${BDF} (irq ${slot1.irq})`;
      assert.equal(stopped.body.description, expected);
      assert.equal(stopped.body.threadId, slot1.cpu + 1);
      await focusedFrame(session, slot1.cpu + 1);
      // VS Code asks for the exception's details to show them in the editor's exception widget.
      const info = await ex.dap.response<DebugProtocol.ExceptionInfoResponse>(
        session,
        'exceptionInfo',
        mark,
      );
      assert.equal(info.body.exceptionId, 'interrupt');
      assert.equal(info.body.description, expected);
      const frames = await stackOf(session, slot1.cpu + 1);
      assert.equal(frames[0]?.name, 'idxd_wq_completion_handler');
      const text = await viewShowing(
        ex.api,
        VIEW_IDS.pending,
        (t) => t.includes(`in handler: irq ${slot1.irq} `),
        `irq ${slot1.irq} in service`,
      );
      assert.equal(
        rowAt(parseRows(text), `CPU ${slot1.cpu} — `).text,
        `CPU ${slot1.cpu} — in handler: irq ${slot1.irq} vector ${hex2(slot1.vector)} (hardirq) · IF=0`,
      );
    });

    it('ends cleanly when stopped from VS Code', async () => {
      const end = sessionEnd(session);
      const from = ex.dap.mark;
      await vscode.debug.stopDebugging(session);
      await end;
      await ex.dap.response(session, 'disconnect', from);
      assert.equal(vscode.debug.activeDebugSession, undefined);
    });
  });
  describe('the standalone DAP server (setting ims-debug.adapter: "executable")', () => {
    const settings = () => vscode.workspace.getConfiguration('ims-debug');
    let session: vscode.DebugSession;
    let bp: vscode.SourceBreakpoint;

    before(async () => {
      await settings().update('adapter', 'executable', vscode.ConfigurationTarget.Global);
      bp = new vscode.SourceBreakpoint(
        new vscode.Location(ex.driver, new vscode.Position(ex.handlerLine - 1, 0)),
      );
      vscode.debug.addBreakpoints([bp]);
    });

    after(async () => {
      vscode.debug.removeBreakpoints([bp]);
      await settings().update('adapter', undefined, vscode.ConfigurationTarget.Global);
    });

    it('stops at the same breakpoint with the same views, in a process of its own', async () => {
      const mark = ex.dap.mark;
      const starting = nextSession(DEBUG_TYPE);
      const ok = await within(
        'VS Code to start debugging',
        vscode.debug.startDebugging(ex.folder, {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'executable adapter',
          program: ex.driver.fsPath,
        }),
      );
      assert.equal(ok, true);
      session = await starting;
      const stopped = await ex.dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
      assert.equal(stopped.body.reason, 'breakpoint');
      const ims0 = imsIrq(await snapshotOf(session), 0);
      const [top] = await stackOf(session, ims0.cpu + 1);
      assert.equal(top?.name, 'idxd_wq_completion_handler');
      if (process.platform === 'linux') {
        assert.ok(adapterProcesses().length > 0, 'a node process runs dist/adapter.js');
      }
      const text = await viewShowing(
        ex.api,
        VIEW_IDS.domains,
        (t) => t.includes(IMS_DOMAIN),
        `the ${IMS_DOMAIN} domain`,
      );
      rowAt(
        parseRows(text),
        'VECTOR — ',
        'INTEL-IR-0 — ',
        `${IMS_DOMAIN} — `,
        `irq ${ims0.irq} — `,
      );
      const end = sessionEnd(session);
      await vscode.debug.stopDebugging(session);
      await end;
    });
  });
});
