/**
 * The "Interrupt Timeline" webview panel: one per window, opened by the Show Interrupt Timeline
 * command. Its page (html.ts) runs dist/timeline.js under a strict CSP and may load only from
 * the extension's dist/ and media/ folders. The panel posts the feed's trace and status, and
 * hears the page's `ready`, `rendered` and `export` messages; the last message each way is
 * kept for the tests in a real VS Code.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FeedState } from './feed';
import { timelineHtml } from './html';
import { formatNs } from './layout';
import { isFromWebview, type FromWebview, type ToWebview } from './messages';

export const TIMELINE_VIEW_TYPE = 'ims-debug.timeline';

export type Rendered = Extract<FromWebview, { type: 'rendered' }>;

export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** Whether the page has loaded (it says `ready`); nothing is posted before. */
  private ready = false;
  private serial = 0;
  private posted: unknown;
  /** The last message of each type posted to the page, and the page's last `rendered` answer. */
  readonly lastPosted = new Map<ToWebview['type'], ToWebview>();
  lastRendered: Rendered | undefined;

  /**
   * @param state the feed's state now
   * @param opened called when the panel opens (the feed then fetches)
   * @param exportTrace the page's Export button
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly state: () => FeedState,
    private readonly opened: () => void,
    private readonly exportTrace: () => void,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel, or brings it to the front. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const roots = [
      vscode.Uri.joinPath(this.extensionUri, 'dist'),
      vscode.Uri.joinPath(this.extensionUri, 'media'),
    ];
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      'Interrupt Timeline',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: true, localResourceRoots: roots },
    );
    this.panel = panel;
    this.ready = false;
    this.posted = undefined;
    const webview = panel.webview;
    webview.html = timelineHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(roots[0]!, 'timeline.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(roots[1]!, 'timeline.css')).toString(),
    });
    webview.onDidReceiveMessage((m: unknown) => {
      if (!isFromWebview(m)) return;
      if (m.type === 'ready') {
        // A new page (first load, or shown again after being hidden): send everything.
        this.ready = true;
        this.posted = undefined;
        this.render(this.state());
      } else if (m.type === 'rendered') this.lastRendered = m;
      else this.exportTrace();
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
    this.opened();
  }

  /** Shows `s` in the panel (the trace only when it is a new one for this page). */
  render(s: FeedState): void {
    const panel = this.panel;
    if (!panel || !this.ready) return;
    this.post(panel, { type: 'status', phase: s.phase, text: statusText(s) });
    if (s.trace !== undefined && s.trace !== this.posted && s.session) {
      this.posted = s.trace;
      this.post(panel, {
        type: 'trace',
        session: s.session.name,
        serial: ++this.serial,
        data: new TextEncoder().encode(JSON.stringify(s.trace)),
      });
    }
  }

  private post(panel: vscode.WebviewPanel, m: ToWebview): void {
    this.lastPosted.set(m.type, m);
    void panel.webview.postMessage(m);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The status line of the panel. */
export function statusText(s: FeedState): string {
  const name = s.session?.name;
  if (name === undefined)
    return 'No IMS debug session: start one and stop it (a breakpoint, or Pause) to see its interrupts.';
  if (s.error !== undefined) return `${name}: ${s.error}`;
  const t = s.trace;
  const at =
    t && typeof t.otherData.now_ns === 'number'
      ? `${formatNs(t.otherData.now_ns)}, ${String(t.otherData.messages)} messages`
      : undefined;
  switch (s.phase) {
    case 'none':
    case 'starting':
      return `${name}: starting…`;
    case 'stopped':
      return at ? `${name}: stopped at ${at}` : `${name}: stopped — reading the trace…`;
    case 'running':
      return at ? `${name}: running — showing the stop at ${at}` : `${name}: running`;
    case 'ended':
      return at ? `${name}: ended — showing the stop at ${at}` : `${name}: ended`;
  }
}
