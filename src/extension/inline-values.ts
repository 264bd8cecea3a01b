/**
 * Beside the code: while an `ims` session runs, an InlineValuesProvider for JavaScript and
 * TypeScript documents shows at a stop what the model's kernel calls did on the visible lines —
 * the register and decoded value of each line's last MMIO access, the path slot → IRTE →
 * vector → CPU of each line's irq — from the adapter's `ims/inlineValues` request, and, as VS
 * Code does for a language without a provider, `name = value` for the stopped function's locals
 * on its lines up to the stop (variable lookups VS Code resolves in the frame's scopes).
 *
 * The provider is registered only while an `ims` session exists: VS Code uses an inline values
 * provider of a language instead of its default, so a provider left registered would take the
 * default away from other JavaScript debuggers. For sessions of other types it answers nothing.
 */
import * as vscode from 'vscode';
import { INLINE_VALUES_REQUEST } from '../adapter/custom-requests';
import type { InlineValues } from '../runtime/protocol';
import { DEBUG_TYPE } from './launch-config';
import { localWords } from './inline/local-words';

/** The languages of driver models. */
export const MODEL_LANGUAGES: readonly vscode.DocumentFilter[] = [
  { language: 'javascript' },
  { language: 'typescript' },
];

export class ImsInlineValuesProvider implements vscode.InlineValuesProvider {
  async provideInlineValues(
    document: vscode.TextDocument,
    viewPort: vscode.Range,
    context: vscode.InlineValueContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineValue[] | undefined> {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE) return undefined;
    let body: { inlineValues?: InlineValues } | undefined;
    try {
      body = (await session.customRequest(INLINE_VALUES_REQUEST, {
        path: document.uri.fsPath,
        startLine: viewPort.start.line + 1,
        endLine: viewPort.end.line + 1,
        frameId: context.frameId,
      })) as typeof body;
    } catch {
      return undefined; // the model ran on or the session ended meanwhile: nothing to show
    }
    if (token.isCancellationRequested || body?.inlineValues === undefined) return undefined;
    return inlineValuesOf(document, viewPort, body.inlineValues);
  }
}

/** The adapter's answer as VS Code inline values: texts, then the locals' lookups. */
export function inlineValuesOf(
  document: vscode.TextDocument,
  viewPort: vscode.Range,
  answer: InlineValues,
): vscode.InlineValue[] {
  const out: vscode.InlineValue[] = [];
  for (const v of answer.items) {
    const line = v.line - 1;
    if (line < 0 || line >= document.lineCount) continue;
    const at = Math.min(v.column - 1, document.lineAt(line).text.length);
    out.push(new vscode.InlineValueText(new vscode.Range(line, at, line, at), v.text));
  }
  const f = answer.frame;
  if (f !== undefined) {
    const first = Math.max(viewPort.start.line, f.startLine - 1);
    const last = Math.min(viewPort.end.line, f.stopLine - 1, document.lineCount - 1);
    const lines: { line: number; text: string }[] = [];
    for (let l = first; l <= last; l++) lines.push({ line: l, text: document.lineAt(l).text });
    for (const w of localWords(lines, new Set(f.names)))
      out.push(
        new vscode.InlineValueVariableLookup(
          new vscode.Range(w.line, w.start, w.line, w.end),
          w.name,
          true,
        ),
      );
  }
  return out;
}

/**
 * Registers the provider while at least one `ims` session runs (see the module comment).
 * Dispose the result to stop.
 */
export function registerInlineValues(
  provider: vscode.InlineValuesProvider = new ImsInlineValuesProvider(),
): vscode.Disposable {
  const sessions = new Set<string>();
  let registration: vscode.Disposable | undefined;
  const subscriptions = [
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.type !== DEBUG_TYPE) return;
      sessions.add(s.id);
      registration ??= vscode.languages.registerInlineValuesProvider(
        [...MODEL_LANGUAGES],
        provider,
      );
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (!sessions.delete(s.id) || sessions.size > 0) return;
      registration?.dispose();
      registration = undefined;
    }),
  ];
  return vscode.Disposable.from(...subscriptions, {
    dispose: () => {
      registration?.dispose();
      registration = undefined;
    },
  });
}
