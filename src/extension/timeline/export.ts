/**
 * The Export Interrupt Trace command: the trace of the active `ims` session as it is now (asked
 * with `ims/trace`), or else the last one the timeline showed, written as a Chrome/Perfetto
 * trace file chosen in a save dialog (or given as the command's argument).
 */
import * as vscode from 'vscode';
import path from 'node:path';
import { TRACE_REQUEST } from '../../adapter/trace-request';
import type { ChromeTrace } from '../../platform/chrome-trace/format';
import { DEBUG_TYPE } from '../launch-config';
import { parseTraceResponse } from './feed';

/**
 * Writes the trace; returns where, or undefined when there is none or the dialog was cancelled.
 * @param last the trace the timeline shows, for when no `ims` session is active
 */
export async function exportTrace(
  target: vscode.Uri | undefined,
  last: ChromeTrace | undefined,
): Promise<vscode.Uri | undefined> {
  const session = vscode.debug.activeDebugSession;
  let trace = last;
  if (session?.type === DEBUG_TYPE) {
    try {
      trace = parseTraceResponse(await session.customRequest(TRACE_REQUEST));
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Export Interrupt Trace: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    }
  }
  if (trace === undefined) {
    void vscode.window.showErrorMessage(
      'Export Interrupt Trace: no interrupt trace yet. Start an IMS debug session and stop it (a breakpoint, or Pause).',
    );
    return undefined;
  }
  const uri = target ?? (await vscode.window.showSaveDialog(dialogOptions(session)));
  if (uri === undefined) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(trace) + '\n', 'utf8'));
  const warning = trace.otherData.warning;
  void vscode.window.showInformationMessage(
    `Interrupt trace written to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}: open it in ui.perfetto.dev or chrome://tracing.` +
      (typeof warning === 'string' ? ` Note: ${warning}.` : ''),
  );
  return uri;
}

function dialogOptions(session: vscode.DebugSession | undefined): vscode.SaveDialogOptions {
  const program: unknown = session?.configuration.program;
  const folder = session?.workspaceFolder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const base =
    typeof program === 'string' && program !== ''
      ? `${path.basename(program, path.extname(program))}-interrupts.json`
      : 'interrupts.json';
  return {
    title: 'Export Interrupt Trace',
    saveLabel: 'Export',
    filters: { 'Trace Event JSON (Perfetto, chrome://tracing)': ['json'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, base) } : {}),
  };
}
