/**
 * The extension in a real VS Code: activation, F5 on the example through the debug
 * configuration provider, a line breakpoint in the completion handler, the four views at that
 * stop, and a clean end.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import type { ImsDebugApi } from '../../../src/extension/extension';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';
import {
  BDF,
  DEBUG_TYPE,
  IMS_DOMAIN,
  debugToLine,
  focusedFrame,
  fsPathOf,
  imsIrq,
  stackOf,
  useExample,
} from './example';
import {
  EXTENSION_ID,
  VIEW_IDS,
  hex2,
  parseRows,
  rowAt,
  sessionEnd,
  snapshotOf,
  viewShowing,
  whenReported,
  within,
} from './support';

describe('IMS Debug in a real VS Code: F5, a breakpoint, the views', () => {
  const ex = useExample();

  it('activates from the development folder and exports its test API', async () => {
    const ext = vscode.extensions.getExtension<ImsDebugApi>(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    assert.equal(ext.exports, ex.api);
    assert.equal(typeof ex.api.viewText, 'function');
    const pkg = ext.packageJSON as { contributes: { debuggers: { type: string }[] } };
    assert.deepEqual(
      pkg.contributes.debuggers.map((d) => d.type),
      [DEBUG_TYPE],
    );
    for (const id of Object.values(VIEW_IDS)) {
      assert.equal(ex.api.viewText(id), undefined, `${id} is empty while nothing is debugged`);
    }
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('ims-debug.view.showMore'), 'the view commands are registered');
  });

  it('refuses "${file}" when the active editor holds no model, before any session starts', async () => {
    await vscode.window.showTextDocument(vscode.Uri.joinPath(ex.folder.uri, 'accel-config.conf'));
    let started: vscode.DebugSession | undefined;
    const sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === DEBUG_TYPE) started = s;
    });
    try {
      const ok = await within(
        'VS Code to answer startDebugging',
        vscode.debug.startDebugging(ex.folder, {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'F5 on accel-config.conf',
          program: '${file}',
        }),
      );
      assert.equal(ok, false, 'the provider rejects a program that is not a model');
    } finally {
      sub.dispose();
    }
    assert.equal(started, undefined, 'no session starts');
  });

  describe('F5 on the example with no launch.json, a breakpoint in the completion handler', () => {
    let session: vscode.DebugSession;
    let stopped: DebugProtocol.StoppedEvent;
    let started: boolean;
    let snap: PlatformSnapshot;
    let bp: vscode.SourceBreakpoint;

    before(async () => {
      const launchJson = vscode.workspace
        .getConfiguration('launch', ex.folder.uri)
        .get<unknown[]>('configurations', []);
      assert.deepEqual(launchJson, [], 'the workspace has no launch configurations');
      await vscode.window.showTextDocument(ex.driver);
      // What F5 starts once the `ims` debugger is chosen: `${file}` is the active editor's.
      ({
        breakpoint: bp,
        started,
        session,
        stopped,
      } = await debugToLine(ex, ex.handlerLine, 'F5 on the example', '${file}'));
      snap = await snapshotOf(session);
    });

    it('starts an ims session whose program is the open example', () => {
      assert.equal(started, true);
      assert.equal(session.type, DEBUG_TYPE);
      assert.equal(session.workspaceFolder?.uri.toString(), ex.folder.uri.toString());
      assert.equal(session.configuration.request, 'launch');
      assert.equal(path.resolve(session.configuration.program as string), ex.driver.fsPath);
      const launch = ex.dap.traffic.find(
        (t) =>
          t.session.id === session.id &&
          t.direction === 'toAdapter' &&
          (t.message as DebugProtocol.Request).command === 'launch',
      );
      assert.ok(launch, 'VS Code sent a launch request');
      const args = (launch.message as DebugProtocol.LaunchRequest).arguments as {
        program: string;
      };
      assert.equal(path.resolve(args.program), ex.driver.fsPath);
    });

    it('stops at the breakpoint on the CPU that took the IMS interrupt, and VS Code shows it', async () => {
      assert.equal(stopped.body.reason, 'breakpoint');
      const ims0 = imsIrq(snap, 0);
      assert.equal(stopped.body.threadId, ims0.cpu + 1, 'thread n+1 is CPU n');
      const frame = await focusedFrame(session, ims0.cpu + 1);
      assert.equal(frame.threadId, stopped.body.threadId);
      const [top, interrupted] = await stackOf(session, ims0.cpu + 1);
      assert.ok(
        top !== undefined && interrupted !== undefined,
        'the handler and what it interrupted',
      );
      assert.equal(top.name, 'idxd_wq_completion_handler');
      assert.equal(top.line, ex.handlerLine);
      assert.equal(fsPathOf(top.source?.path), ex.driver.fsPath);
      assert.equal(
        interrupted.name,
        `irq ${ims0.irq} vector 0x${ims0.vector.toString(16)} (${IMS_DOMAIN})`,
      );
      const [verified] = vscode.debug.breakpoints;
      assert.equal(verified, bp, 'the breakpoint VS Code holds is ours');
      await whenReported(
        'the editor to show the stopped line',
        () => {
          const ed = vscode.window.activeTextEditor;
          return ed?.document.uri.fsPath === ex.driver.fsPath &&
            ed.selection.active.line === ex.handlerLine - 1
            ? ed
            : undefined;
        },
        [vscode.window.onDidChangeActiveTextEditor, vscode.window.onDidChangeTextEditorSelection],
      );
    });

    it('IRQ Domains shows VECTOR → INTEL-IR-0 → IR-PCI-IDXD with the allocated irqs', async () => {
      const text = await viewShowing(
        ex.api,
        VIEW_IDS.domains,
        (t) => t.includes(IMS_DOMAIN),
        `the ${IMS_DOMAIN} domain`,
      );
      const rows = parseRows(text);
      const ims = rowAt(rows, 'VECTOR — ', 'INTEL-IR-0 — ', `${IMS_DOMAIN} — `);
      const irqs = snap.irqs.filter((i) => i.source === 'ims');
      assert.equal(irqs.length, 2, 'one IMS irq per WQ of the example');
      assert.equal(ims.text, `${IMS_DOMAIN} — mapped 2 · size 2,048`);
      for (const irq of irqs) {
        assert.equal(
          rowAt(ims.children, `irq ${irq.irq} — `).text,
          `irq ${irq.irq} — hwirq 0x${irq.hwirq.toString(16)} · idxd-portal · vector ${hex2(irq.vector)} → CPU ${irq.cpu} · IRTE ${irq.irte}`,
        );
      }
      // The misc interrupt sits in the MSI-X domain beside it, under the same IR unit.
      rowAt(rows, 'VECTOR — ', 'INTEL-IR-0 — ', `IR-PCI-MSIX-${BDF} — `, 'irq ');
    });

    it('IMS Slots shows slot 0 decoded (mask, PASID) and the IRTE it points at', async () => {
      const ims0 = imsIrq(snap, 0);
      const text = await viewShowing(
        ex.api,
        VIEW_IDS.slots,
        (t) => t.includes('IMS slot 0 — '),
        'IMS slot 0',
      );
      const slot = rowAt(parseRows(text), `${BDF} — `, 'IMS slot 0 — ');
      assert.equal(
        slot.text,
        `IMS slot 0 — irq ${ims0.irq} idxd-portal · IRTE ${ims0.irte} · PASID 1 · unmasked`,
      );
      const ctrl = rowAt(slot.children, 'ctrl — ');
      assert.equal(ctrl.text, 'ctrl — 0x00001008 · unmasked');
      assert.equal(rowAt(ctrl.children, 'mask [0:0] — ').text, 'mask [0:0] — 0');
      assert.equal(rowAt(ctrl.children, 'pasid_en [3:3] — ').text, 'pasid_en [3:3] — 1');
      assert.equal(rowAt(ctrl.children, 'pasid [31:12] — ').text, 'pasid [31:12] — 0x00001');
      assert.match(
        rowAt(slot.children, 'address_lo — ').text,
        new RegExp(`^address_lo — 0xfee[0-9a-f]{5} · remappable, handle ${ims0.irte}, SHV$`),
      );
      const irte = rowAt(slot.children, `IRTE ${ims0.irte} (INTEL-IR-0) — `);
      assert.match(
        irte.text,
        new RegExp(
          // The unit translated the message through it: its interrupt entry cache holds it.
          ` · vector ${hex2(ims0.vector)} → DST ${ims0.cpu} · SID 6a:01\\.0 · irq ${ims0.irq} · cached$`,
        ),
      );
      assert.equal(rowAt(irte.children, 'P [0:0] — ').text, 'P [0:0] — 1');
    });

    it('Interrupt Remapping decodes that IRTE', async () => {
      const ims0 = imsIrq(snap, 0);
      const text = await viewShowing(
        ex.api,
        VIEW_IDS.remapping,
        (t) => t.includes(`IRTE ${ims0.irte} — `),
        `IRTE ${ims0.irte}`,
      );
      const irte = rowAt(
        parseRows(text),
        'INTEL-IR-0 — ',
        'Interrupt Remapping Table — ',
        `IRTE ${ims0.irte} — `,
      );
      assert.match(
        irte.text,
        new RegExp(
          `^IRTE ${ims0.irte} — 0x[0-9a-f]{32} · vector ${hex2(ims0.vector)} → DST ${ims0.cpu} · SID 6a:01\\.0 · irq ${ims0.irq} · cached$`,
        ),
      );
      const field = (name: string) => rowAt(irte.children, `${name} — `).text;
      assert.equal(field('P [0:0]'), 'P [0:0] — 1');
      assert.equal(field('VECTOR [23:16]'), `VECTOR [23:16] — ${hex2(ims0.vector)}`);
      assert.equal(
        field('DST [63:32]'),
        `DST [63:32] — 0x${ims0.cpu.toString(16).padStart(8, '0')}`,
      );
      assert.equal(field('SID [79:64]'), 'SID [79:64] — 6a:01.0 (0x6a08)');
      assert.equal(field('SVT [83:82]'), 'SVT [83:82] — verify SID/SQ (0x1)');
    });

    it('Pending Interrupts shows the vector in service on its CPU', async () => {
      const ims0 = imsIrq(snap, 0);
      const cpuRow = `CPU ${ims0.cpu} — `;
      const text = await viewShowing(
        ex.api,
        VIEW_IDS.pending,
        (t) => t.includes(cpuRow),
        `CPU ${ims0.cpu}`,
      );
      const cpu = rowAt(parseRows(text), cpuRow);
      assert.equal(
        cpu.text,
        `CPU ${ims0.cpu} — in handler: irq ${ims0.irq} vector ${hex2(ims0.vector)} (hardirq) · IF=0`,
      );
      assert.match(
        rowAt(cpu.children, `irq ${ims0.irq} · vector ${hex2(ims0.vector)} — `).text,
        /— hardirq · idxd-portal · message #\d+$/,
      );
      assert.equal(rowAt(cpu.children, 'interrupts — ').text, 'interrupts — disabled (IF=0)');
    });

    it('runs to the end once the breakpoint is removed: exit code 0, the session ends', async () => {
      const mark = ex.dap.mark;
      vscode.debug.removeBreakpoints([bp]);
      await ex.dap.response(session, 'setBreakpoints', mark);
      const end = sessionEnd(session);
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      const exited = await ex.dap.event<DebugProtocol.ExitedEvent>(session, 'exited', mark);
      assert.equal(exited.body.exitCode, 0);
      await ex.dap.event(session, 'terminated', mark);
      await end;
      assert.match(ex.dap.output(session), /Intel\(R\) Accelerator Device \(v[0-9a-f]+\): 2 WQs/);
      assert.equal(vscode.debug.activeDebugSession, undefined);
      for (const id of Object.values(VIEW_IDS)) {
        assert.equal(ex.api.viewText(id), undefined, `${id} is empty once the session ended`);
      }
    });
  });
});
