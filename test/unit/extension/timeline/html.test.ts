/**
 * The timeline panel's page (src/extension/timeline/html.ts): a strict CSP, one script with the
 * nonce from the extension's files, no inline script, style or handler, and the elements the
 * script looks for; the commands in package.json; the messages the page may send.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pkg from '../../../../package.json';
import { timelineCsp, timelineHtml } from '../../../../src/extension/timeline/html';
import { TIMELINE_COMMANDS } from '../../../../src/extension/timeline/commands';
import { isFromWebview } from '../../../../src/extension/timeline/messages';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Utb2YtdGhlLXRlc3Q=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/timeline.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/timeline.css',
};

describe('timeline panel page', () => {
  const html = timelineHtml(input);

  it('has the strict CSP: nothing by default, scripts by nonce, styles and images from the extension', () => {
    assert.equal(
      timelineCsp(input.cspSource, input.nonce),
      `default-src 'none'; script-src 'nonce-${input.nonce}'; style-src ${input.cspSource} 'nonce-${input.nonce}'; img-src ${input.cspSource} data:`,
    );
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.equal(meta?.[1], timelineCsp(input.cspSource, input.nonce));
  });

  it('loads one script, with the nonce, from dist/, and no inline code, style or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${input.nonce}"`));
    assert.match(scripts[0]![1]!, /src="[^"]+\/dist\/timeline\.js"/);
    assert.equal(scripts[0]![2], '', 'no inline script');
    assert.doesNotMatch(html, /<style/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /https?:\/\/(?!file\+\.vscode-resource)/, 'no remote resources');
    assert.match(html, /<link rel="stylesheet"[^>]+href="[^"]+\/media\/timeline\.css">/);
  });

  it('has the elements the script uses, and a focusable, labelled canvas', () => {
    const script = readFileSync(
      path.resolve(__dirname, '../../../../src/extension/timeline/webview/main.ts'),
      'utf8',
    );
    const ids = [...script.matchAll(/el\('([\w-]+)'/g)].map((m) => m[1]!);
    assert.ok(ids.length >= 9);
    for (const id of ids) assert.match(html, new RegExp(`id="${id}"`), id);
    assert.match(html, /<canvas id="plot" tabindex="0" role="application"[^>]*aria-label=/);
    assert.match(html, /id="details"[^>]*aria-live="polite"/);
  });

  it('escapes what it puts in attributes', () => {
    const h = timelineHtml({ ...input, scriptUri: 'x" onload="alert(1)' });
    assert.doesNotMatch(h, /onload="/);
  });

  it('has its commands in package.json', () => {
    const commands = new Map(
      (
        pkg as { contributes: { commands: { command: string; title: string; category: string }[] } }
      ).contributes.commands.map((c) => [c.command, c]),
    );
    assert.equal(commands.get(TIMELINE_COMMANDS.show)?.title, 'Show Interrupt Timeline');
    assert.equal(commands.get(TIMELINE_COMMANDS.export)?.title, 'Export Interrupt Trace…');
    for (const id of Object.values(TIMELINE_COMMANDS))
      assert.equal(commands.get(id)?.category, 'IMS Debug');
  });

  it('accepts only the messages a page may send', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'export' }));
    assert.ok(isFromWebview({ type: 'rendered', serial: 1, tracks: 2, items: 3, flows: 4 }));
    assert.ok(!isFromWebview({ type: 'rendered', serial: '1', tracks: 2, items: 3, flows: 4 }));
    assert.ok(!isFromWebview({ type: 'run', command: 'x' }));
    assert.ok(!isFromWebview(null));
    assert.ok(!isFromWebview('ready'));
  });
});
