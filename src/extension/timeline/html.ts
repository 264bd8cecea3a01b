/**
 * The timeline panel's HTML: a strict Content Security Policy (no inline script or style, no
 * remote resource; the one script and the stylesheet come from the extension's dist/ and media/
 * through the webview's own origin, the script with a fresh nonce), a toolbar, the canvas, the
 * tooltip and the details pane. Free of VS Code, so it is unit-tested.
 */

export interface TimelineHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce (base64 or hex) for this page. */
  nonce: string;
  /** `webview.asWebviewUri` of dist/timeline.js and media/timeline.css. */
  scriptUri: string;
  styleUri: string;
}

/** The Content-Security-Policy of the page. */
export function timelineCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function timelineHtml(i: TimelineHtmlInput): string {
  const csp = escapeAttr(timelineCsp(i.cspSource, i.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" nonce="${escapeAttr(i.nonce)}" href="${escapeAttr(i.styleUri)}">
<title>Interrupt Timeline</title>
</head>
<body>
<header class="toolbar">
  <span id="status" role="status" data-phase="none">Waiting for an IMS debug session to stop…</span>
  <span class="spacer"></span>
  <span class="legend" aria-hidden="true">
    <span class="key delivered">delivered</span><span class="key held">held, pending</span><span class="key faulted">faulted</span><span class="key dropped">dropped</span><span class="key hardirq">hardirq</span><span class="key thread">irq thread</span>
  </span>
  <button id="zoom-in" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
  <button id="zoom-out" type="button" title="Zoom out (−)" aria-label="Zoom out">−</button>
  <button id="fit" type="button" title="Show the whole trace (0)">Fit</button>
  <button id="export" type="button" title="Export the trace for ui.perfetto.dev">Export…</button>
</header>
<p id="warning" class="warning" role="alert" hidden></p>
<main class="split">
  <div id="chart" class="chart">
    <canvas id="plot" tabindex="0" role="application" aria-roledescription="timeline" aria-label="Interrupt timeline" aria-describedby="help"></canvas>
    <canvas id="overlay" class="overlay" aria-hidden="true"></canvas>
    <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
  </div>
  <aside id="details" class="details" aria-live="polite" aria-label="Selected event"></aside>
</main>
<footer id="help" class="help">Wheel: zoom · Shift+wheel or drag: pan · wheel over the names: scroll tracks · ← → ↑ ↓ Home End: select · + − 0: zoom, fit · Shift+← →: pan · Esc: clear</footer>
<script nonce="${escapeAttr(i.nonce)}" src="${escapeAttr(i.scriptUri)}"></script>
</body>
</html>
`;
}
