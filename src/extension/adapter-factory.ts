/**
 * Where the debug adapter runs: inside the extension host (inline, the default: no process to
 * start, and breakpoints in the adapter itself can be debugged), or as the standalone DAP server
 * `node dist/adapter.js` when the setting `ims-debug.adapter` is "executable" — the same program
 * other DAP clients use.
 */
import * as vscode from 'vscode';
import { ImsDebugSession } from '../adapter/session';
import { readSettings } from './settings';

/** The standalone adapter inside the extension's folder. */
export const ADAPTER_SCRIPT = 'dist/adapter.js';

/** The model worker the inline adapter starts (bundled beside the extension). */
export const WORKER_SCRIPT = 'dist/worker.js';

export class ImsAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {
    ImsDebugSession.workerScript = vscode.Uri.joinPath(extensionUri, WORKER_SCRIPT).fsPath;
  }

  createDebugAdapterDescriptor(
    _session: vscode.DebugSession,
    executable: vscode.DebugAdapterExecutable | undefined,
  ): vscode.DebugAdapterDescriptor {
    if (readSettings().adapter === 'executable') {
      // package.json's `program` + `runtime: node` give `executable`; VS Code runs "node" with
      // its own Node.js runtime.
      return (
        executable ??
        new vscode.DebugAdapterExecutable('node', [
          vscode.Uri.joinPath(this.extensionUri, ADAPTER_SCRIPT).fsPath,
        ])
      );
    }
    // A @vscode/debugadapter session implements vscode.DebugAdapter (onDidSendMessage,
    // handleMessage, dispose) structurally, as the DAP library documents for inline adapters.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    return new vscode.DebugAdapterInlineImplementation(new ImsDebugSession());
  }
}
