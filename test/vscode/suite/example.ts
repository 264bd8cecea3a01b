/**
 * The example the tests debug (a fresh copy of examples/idxd-ims, opened by the runner as the
 * workspace folder) and what the tests ask of it: the handler line, the IMS irqs of a snapshot,
 * stacks through VS Code's session, the frame VS Code focuses. `useExample()` sets up a suite.
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
  lineOf,
  nextSession,
  sessionEnd,
  whenReported,
  within,
} from './support';

export const DEBUG_TYPE = 'ims';
export const BDF = '0000:6a:01.0';
export const IMS_DOMAIN = `IR-PCI-IDXD-${BDF}`;
export const HANDLER_TEXT = 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;';

/** The irq of IMS slot `slot` in `snap`. */
export function imsIrq(snap: PlatformSnapshot, slot: number): IrqSnapshot {
  const irq = snap.irqs.find((i) => i.source === 'ims' && i.index === slot);
  assert.ok(irq, `the snapshot has no irq for IMS slot ${slot}`);
  return irq;
}

/** The frames of `threadId`, asked through VS Code's session. */
export async function stackOf(
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
export function fsPathOf(p: string | undefined): string {
  assert.ok(p !== undefined, 'the frame has a source path');
  return /^[a-z][\w+.-]+:\/\//i.test(p) ? vscode.Uri.parse(p).path : path.resolve(p);
}

/**
 * Linux: the pids of this extension host's child processes that run dist/adapter.js (VS Code
 * starts an executable debug adapter from the extension host).
 */
export function adapterProcesses(): number[] {
  const script = path.join('dist', 'adapter.js');
  const ownChild = (pid: string) => {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
  };
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.some((a) => a.endsWith(script)) && ownChild(pid);
      } catch {
        return false; // the process ended meanwhile
      }
    })
    .map(Number);
}

/** Waits until VS Code focuses the top frame of `threadId` in `session`. */
export function focusedFrame(
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

/** What a suite works with, set in its `before` hooks. */
export interface Example {
  readonly folder: vscode.WorkspaceFolder;
  /** driver.js of the workspace. */
  readonly driver: vscode.Uri;
  /** The 1-based line of HANDLER_TEXT in driver.js. */
  readonly handlerLine: number;
  /** The extension's exported API (activated in `before`). */
  readonly api: ImsDebugApi;
  /** The DAP traffic of every `ims` session of the suite. */
  readonly dap: DapRecorder;
}

/**
 * What debugToLine started: the breakpoint it set, the DAP traffic mark before the start,
 * whether VS Code started the session, the session and its first stop.
 */
export interface StartedSession {
  readonly breakpoint: vscode.SourceBreakpoint;
  readonly mark: number;
  readonly started: boolean;
  readonly session: vscode.DebugSession;
  readonly stopped: DebugProtocol.StoppedEvent;
}

/**
 * Sets a breakpoint on 1-based `line` of the example's driver.js, starts an `ims` session named
 * `name` on `program` as Start Debugging does (`\${file}`: the active editor's file), and waits
 * for the session's first stop.
 */
export async function debugToLine(
  ex: Example,
  line: number,
  name: string,
  program: string = ex.driver.fsPath,
): Promise<StartedSession> {
  const breakpoint = new vscode.SourceBreakpoint(
    new vscode.Location(ex.driver, new vscode.Position(line - 1, 0)),
  );
  vscode.debug.addBreakpoints([breakpoint]);
  const mark = ex.dap.mark;
  const starting = nextSession(DEBUG_TYPE);
  const started = await within(
    'VS Code to start debugging',
    vscode.debug.startDebugging(ex.folder, { type: DEBUG_TYPE, request: 'launch', name, program }),
  );
  const session = await starting;
  const stopped = await ex.dap.event<DebugProtocol.StoppedEvent>(session, 'stopped', mark);
  return { breakpoint, mark, started, session, stopped };
}

/**
 * Registers the suite's hooks: `before` finds the workspace and activates the extension;
 * `after` stops a session left running and removes the breakpoints. The returned object is
 * filled in when `before` has run.
 */
export function useExample(): Example {
  const ex: { -readonly [K in keyof Example]?: Example[K] } = {};
  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a copy of examples/idxd-ims as the workspace folder');
    ex.folder = folder;
    ex.driver = vscode.Uri.joinPath(folder.uri, 'driver.js');
    ex.handlerLine = lineOf(ex.driver.fsPath, HANDLER_TEXT);
    ex.dap = new DapRecorder(DEBUG_TYPE);
    const ext = vscode.extensions.getExtension<ImsDebugApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded: is extensionDevelopmentPath the repo root?`);
    ex.api = await within('the extension to activate', ext.activate());
  });
  after(async () => {
    const left = vscode.debug.activeDebugSession;
    if (left?.type === DEBUG_TYPE) {
      const end = sessionEnd(left);
      await vscode.debug.stopDebugging(left);
      await end;
    }
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    ex.dap?.dispose();
  });
  return ex as Example;
}
