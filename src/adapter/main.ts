/**
 * The standalone DAP server (dist/adapter.js): speaks DAP on stdio (or on a TCP port with
 * --server=PORT) for any DAP client — VS Code's executable adapter, nvim-dap, Emacs dap-mode.
 */
import { DebugSession } from '@vscode/debugadapter';
import { ImsDebugSession } from './session';

DebugSession.run(ImsDebugSession);
