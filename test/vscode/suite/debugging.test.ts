/**
 * The extension in a real VS Code: activation, F5 on the example through the debug
 * configuration provider, a line breakpoint in the completion handler, the four views at that
 * stop, the `interrupt` exception filter with a condition, and clean session ends. The workspace
 * is a fresh copy of examples/idxd-ims (no launch.json) that the runner opens.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import type { ImsDebugApi } from '../../../src/extension/extension';
import type { IrqSnapshot, PlatformSnapshot } from '../../../src/platform/snapshot/types';
import {
  DapRecorder,
  EXTENSION_ID,
  VIEW_IDS,
  hex2,
  lineOf,
  nextSession,
  parseRows,
  rowAt,
  sessionEnd,
  snapshotOf,
  viewShowing,
  whenReported,
  within,
} from './support';

const DEBUG_TYPE = 'ims';
const BDF = '0000:6a:01.0';
const IMS_DOMAIN = `IR-PCI-IDXD-${BDF}`;
const HANDLER_TEXT = 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;';

/** The irq of IMS slot `slot` in `snap`. */
function imsIrq(snap: PlatformSnapshot, slot: number): IrqSnapshot {
  const irq = snap.irqs.find((i) => i.source === 'ims' && i.index === slot);
  assert.ok(irq, `the snapshot has no irq for IMS slot ${slot}`);
  return irq;
}

/** The frames of `threadId`, asked through VS Code's session. */
async function stackOf(
  session: vscode.DebugSession,
  threadId: number,
): Promise<DebugProtocol.StackFrame[]> {
  const body = (await session.customRequest('stackTrace', {
    threadId,
  })) as DebugProtocol.StackTraceResponse['body'];
  return body.stackFrames;
}

/**
 * The file path of a DAP `source.path` VS Code passed back: a path, or a URI when the extension
 * host is remote (code-server gives `vscode-remote://host:port/path`).
 */
function fsPathOf(p: string | undefined): string {
  assert.ok(p !== undefined, 'the frame has a source path');
  return /^[a-z][\w+.-]+:\/\//i.test(p) ? vscode.Uri.parse(p).path : path.resolve(p);
}

/** Linux: the pids of processes whose command line runs the extension's dist/adapter.js. */
function adapterProcesses(): number[] {
  const script = path.join('dist', 'adapter.js');
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          .split('\0')
          .some((a) => a.endsWith(script));
      } catch {
        return false; // the process ended meanwhile
      }
    })
    .map(Number);
}

/** Waits until VS Code focuses the top frame of `threadId` in `session`. */
function focusedFrame(
  session: vscode.DebugSession,
  threadId: number,
): Promise<vscode.DebugStackFrame> {
  return whenReported(
    `VS Code to focus a frame of thread ${threadId}`,
    () => {
      const item = vscode.debug.activeStackItem;
      return item instanceof vscode.DebugStackFrame &&
        item.session.id === session.id &&
        item.threadId === threadId
        ? item
        : undefined;
    },
    [vscode.debug.onDidChangeActiveStackItem],
  );
}

describe('IMS Debug in a real VS Code', () => {
  let folder: vscode.WorkspaceFolder;
  let driver: vscode.Uri;
  let handlerLine: number;
  let api: ImsDebugApi;
  let dap: DapRecorder;

  before(() => {
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, 'the runner opens a copy of examples/idxd-ims as the workspace folder');
    folder = f;
    driver = vscode.Uri.joinPath(folder.uri, 'driver.js');
    handlerLine = lineOf(driver.fsPath, HANDLER_TEXT);
    dap = new DapRecorder(DEBUG_TYPE);
  });

  before(async () => {
    const ext = vscode.extensions.getExtension<ImsDebugApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded: is extensionDevelopmentPath the repo root?`);
    api = await within('the extension to activate', ext.activate());
  });

  after(async () => {
    const left = vscode.debug.activeDebugSession;
    if (left?.type === DEBUG_TYPE) {
      const end = sessionEnd(left);
      await vscode.debug.stopDebugging(left);
      await end;
    }
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    dap.dispose();
  });

  it('activates from the development folder and exports its test API', async () => {
    const ext = vscode.extensions.getExtension<ImsDebugApi>(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    assert.equal(ext.exports, api);
    assert.equal(typeof api.viewText, 'function');
    const pkg = ext.packageJSON as { contributes: { debuggers: { type: string }[] } };
    assert.deepEqual(
      pkg.contributes.debuggers.map((d) => d.type),
      [DEBUG_TYPE],
    );
    for (const id of Object.values(VIEW_IDS)) {
      assert.equal(api.viewText(id), undefined, `${id} is empty while nothing is debugged`);
    }
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('ims-debug.view.showMore'), 'the view commands are registered');
  });

  it('refuses "${file}" when the active editor holds no model, before any session starts', async () => {
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'accel-config.conf'));
    let started: vscode.DebugSession | undefined;
    const sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === DEBUG_TYPE) started = s;
    });
    try {
      const ok = await within(
        'VS Code to answer startDebugging',
        vscode.debug.startDebugging(folder, {
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
        .getConfiguration('launch', folder.uri)
        .get<unknown[]>('configurations', []);
      assert.deepEqual(launchJson, [], 'the workspace has no launch configurations');
      await vscode.window.showTextDocument(driver);
      bp = new vscode.SourceBreakpoint(
        new vscode.Location(driver, new vscode.Position(handlerLine - 1, 0)),
      );
      vscode.debug.addBreakpoints([bp]);
      const mark = dap.mark;
      const starting = nextSession(DEBUG_TYPE);
      // What F5 starts once the `ims` debugger is chosen: `${file}` is the active editor's.
      started = await within(
        'VS Code to start debugging',
        vscode.debug.startDebugging(folder, {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'F5 on the example',
          program: '${file}',
        }),
      );
      session = await starting;
      stopped = await dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
      snap = await snapshotOf(session);
    });

    it('starts an ims session whose program is the open example', () => {
      assert.equal(started, true);
      assert.equal(session.type, DEBUG_TYPE);
      assert.equal(session.workspaceFolder?.uri.toString(), folder.uri.toString());
      assert.equal(session.configuration.request, 'launch');
      assert.equal(path.resolve(session.configuration.program as string), driver.fsPath);
      const launch = dap.traffic.find(
        (t) =>
          t.session.id === session.id &&
          t.direction === 'toAdapter' &&
          (t.message as DebugProtocol.Request).command === 'launch',
      );
      assert.ok(launch, 'VS Code sent a launch request');
      const args = (launch.message as DebugProtocol.LaunchRequest).arguments as {
        program: string;
      };
      assert.equal(path.resolve(args.program), driver.fsPath);
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
      assert.equal(top.line, handlerLine);
      assert.equal(fsPathOf(top.source?.path), driver.fsPath);
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
          return ed?.document.uri.fsPath === driver.fsPath &&
            ed.selection.active.line === handlerLine - 1
            ? ed
            : undefined;
        },
        [vscode.window.onDidChangeActiveTextEditor, vscode.window.onDidChangeTextEditorSelection],
      );
    });

    it('IRQ Domains shows VECTOR → INTEL-IR-0 → IR-PCI-IDXD with the allocated irqs', async () => {
      const text = await viewShowing(
        api,
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
        api,
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
          ` · vector ${hex2(ims0.vector)} → DST ${ims0.cpu} · SID 6a:01\\.0 · irq ${ims0.irq}$`,
        ),
      );
      assert.equal(rowAt(irte.children, 'P [0:0] — ').text, 'P [0:0] — 1');
    });

    it('Interrupt Remapping decodes that IRTE', async () => {
      const ims0 = imsIrq(snap, 0);
      const text = await viewShowing(
        api,
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
          `^IRTE ${ims0.irte} — 0x[0-9a-f]{32} · vector ${hex2(ims0.vector)} → DST ${ims0.cpu} · SID 6a:01\\.0 · irq ${ims0.irq}$`,
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
        api,
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
      const mark = dap.mark;
      vscode.debug.removeBreakpoints([bp]);
      await dap.response(session, 'setBreakpoints', mark);
      const end = sessionEnd(session);
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      const exited = await dap.event<DebugProtocol.ExitedEvent>(session, 'exited', mark);
      assert.equal(exited.body.exitCode, 0);
      await dap.event(session, 'terminated', mark);
      await end;
      assert.match(dap.output(session), /Intel\(R\) Accelerator Device \(v[0-9a-f]+\): 2 WQs/);
      assert.equal(vscode.debug.activeDebugSession, undefined);
      for (const id of Object.values(VIEW_IDS)) {
        assert.equal(api.viewText(id), undefined, `${id} is empty once the session ended`);
      }
    });
  });

  describe('the interrupt exception filter with a condition', () => {
    const condition = "source == 'ims' && slot == 1";
    let session: vscode.DebugSession;
    let stopped: DebugProtocol.StoppedEvent;
    let mark: number;

    before(async () => {
      mark = dap.mark;
      const starting = nextSession(DEBUG_TYPE);
      const ok = await within(
        'VS Code to start debugging',
        vscode.debug.startDebugging(folder, {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'interrupt filter',
          program: driver.fsPath,
          stopOnEntry: true,
        }),
      );
      assert.equal(ok, true);
      session = await starting;
      const entry = await dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
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
      const next = dap.mark;
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      stopped = await dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', next);
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
      const info = await dap.response<DebugProtocol.ExceptionInfoResponse>(
        session,
        'exceptionInfo',
        mark,
      );
      assert.equal(info.body.exceptionId, 'interrupt');
      assert.equal(info.body.description, expected);
      const frames = await stackOf(session, slot1.cpu + 1);
      assert.equal(frames[0]?.name, 'idxd_wq_completion_handler');
      const text = await viewShowing(
        api,
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
      const from = dap.mark;
      await vscode.debug.stopDebugging(session);
      await end;
      await dap.response(session, 'disconnect', from);
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
        new vscode.Location(driver, new vscode.Position(handlerLine - 1, 0)),
      );
      vscode.debug.addBreakpoints([bp]);
    });

    after(async () => {
      vscode.debug.removeBreakpoints([bp]);
      await settings().update('adapter', undefined, vscode.ConfigurationTarget.Global);
    });

    it('stops at the same breakpoint with the same views, in a process of its own', async () => {
      const mark = dap.mark;
      const starting = nextSession(DEBUG_TYPE);
      const ok = await within(
        'VS Code to start debugging',
        vscode.debug.startDebugging(folder, {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'executable adapter',
          program: driver.fsPath,
        }),
      );
      assert.equal(ok, true);
      session = await starting;
      const stopped = await dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
      assert.equal(stopped.body.reason, 'breakpoint');
      const ims0 = imsIrq(await snapshotOf(session), 0);
      const [top] = await stackOf(session, ims0.cpu + 1);
      assert.equal(top?.name, 'idxd_wq_completion_handler');
      if (process.platform === 'linux') {
        assert.ok(adapterProcesses().length > 0, 'a node process runs dist/adapter.js');
      }
      const text = await viewShowing(
        api,
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
