#!/usr/bin/env node
// Takes a screenshot of the interrupt timeline in a real VS Code (code-server in headless
// Chromium, as the VS Code tests run it): the example debugged to its module exit, the timeline
// open, an IMS completion selected with the keyboard and another one's handler hovered.
//
//   npm run build && node scripts/timeline-screenshot.mjs [out.png]   (default docs/images/timeline.png)
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import path from 'node:path';
import { withWorkbench } from './vscode/code-server.mjs';
import { ensureCodeServerTools } from './vscode/install.mjs';
import { ROOT, SCRATCH } from './vscode/paths.mjs';

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'images', 'timeline.png'));
const scratch = path.join(SCRATCH, `timeline-shot-${Date.now()}`);
// The example as in the repository (beside types/, which its jsconfig.json includes).
const folder = path.join(scratch, 'examples', 'idxd-ims');
mkdirSync(scratch, { recursive: true });
cpSync(path.join(ROOT, 'types'), path.join(scratch, 'types'), { recursive: true });
cpSync(path.join(ROOT, 'examples', 'idxd-ims'), folder, { recursive: true });
const done = path.join(scratch, 'done');

const tools = await ensureCodeServerTools();
await withWorkbench(tools, {
  scratch,
  trust: false,
  smokeTest: true,
  viewport: { width: 1400, height: 640 },
  settings: {
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.statusBar.visible': false,
  },
  drive: async (page, open) => {
    let ready;
    const isReady = new Promise((r) => (ready = r));
    let exited;
    const exit = new Promise((r) => (exited = r));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (text.includes('TIMELINE-READY')) ready();
      else if (/error/i.test(text) && !/ENOTFOUND/.test(text)) console.error(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => exited(Number(code)));
    await open(folder, [
      ['extensionDevelopmentPath', ROOT],
      ['extensionTestsPath', path.join(ROOT, 'scripts', 'timeline-screenshot', 'host.cjs')],
      ['extensionEnvironment', JSON.stringify({ TIMELINE_SHOT_DONE: done })],
    ]);
    await isReady;
    const frame = await findFrame(page);
    const canvas = frame.locator('canvas#plot');
    const box = await canvas.boundingBox();
    // Focus the timeline from its names column (no event there), then select with the keys.
    await canvas.click({ position: { x: 40, y: 60 } });
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key);
    // Hover the handler run of the second IMS completion: look for it along the CPU rows.
    const tip = frame.locator('#tooltip');
    found: for (let y = 120; y < box.height - 10; y += 6)
      for (let x = 200; x < box.width - 10; x += 3) {
        await page.mouse.move(box.x + x, box.y + y);
        if ((await tip.isVisible()) && /^irq 34 idxd-portal/.test(await tip.innerText()))
          break found;
      }
    mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, animations: 'disabled' });
    console.log(`screenshot: ${out}`);
    writeFileSync(done, '');
    return exit;
  },
});

/** The frame of the timeline's page (webviews are nested iframes). */
async function findFrame(page) {
  const end = Date.now() + 20_000;
  for (;;) {
    for (const f of page.frames())
      if ((await f.$('canvas#plot').catch(() => null)) !== null) return f;
    if (Date.now() > end) throw new Error('no timeline page among the frames');
    await new Promise((r) => setTimeout(r, 200));
  }
}
