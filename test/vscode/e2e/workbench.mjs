// A person's first debugging session, driven through VS Code's workbench in a browser with the
// extension installed from its VSIX (Workspace Trust off: the folder counts as trusted):
//
// 1. open the example folder (a fresh copy, no launch.json);
// 2. open driver.js, go to the completion handler and click the gutter to set a breakpoint;
// 3. start debugging from the Run and Debug view, answering "Select debugger" with IMS Driver Model
//    (js-debug wants .js files too);
// 4. the editor stops on the handler line; the call stack shows idxd_wq_completion_handler;
// 5. the IMS Slots view decodes slot 0 (mask 0, pasid_en 1, PASID 1);
// 6. IRQ Domains shows the IMS domain with the slot's irq, Pending Interrupts the vector in
//    service on the CPU that stopped;
// 7. a gutter click removes the breakpoint, Continue runs the model to its end, the session ends
//    and the Debug Console has the interrupt summary; the views are empty again.
//
// Each step saves a screenshot into the run's folder; `copyShotsTo` copies the ones the docs use.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { withWorkbench } from '../../../scripts/vscode/code-server.mjs';
import {
  STEP_MS,
  activeEditor,
  clickGutter,
  collapseRow,
  expandRow,
  fitPaneToRows,
  glyphsOnLine,
  isTopFrameLine,
  lineNumber,
  openActivity,
  pane,
  reEscape,
  resizeSidebar,
  revealRow,
  rowText,
  setPaneOpen,
  treeRow,
  waitFor,
  waitUntil,
} from './ui.mjs';

/** The completion handler's first statement, where the breakpoint goes. */
const HANDLER_TEXT = 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;';
const HANDLER = 'idxd_wq_completion_handler';
const BDF = '0000:6a:01.0';
const IMS_DOMAIN = `IR-PCI-IDXD-${BDF}`;
const DEBUGGER = 'IMS Driver Model';
/** The run's last line (the interrupt summary). */
const RUN_SUMMARY = /^\d+ messages: \d+ delivered, 0 pending, 0 faulted, 0 dropped/;

/** Big enough for the views' long rows beside a readable editor. */
const VIEWPORT = { width: 1600, height: 1000 };
const SIDEBAR_WIDTH = 600;
/** What a first-time user would also turn off to see the views: the empty chat side bar. */
const SETTINGS = { 'workbench.secondarySideBar.defaultVisibility': 'hidden' };

/** Screenshots the docs show: run folder name → docs/images name. */
export const DOC_SHOTS = {
  '05-ims-slots.png': 'vscode-stopped-ims-slots.png',
  '06-domains-pending.png': 'vscode-irq-domains-pending.png',
  '07-session-ended.png': 'vscode-session-ended.png',
};

/** The 1-based line of `text` in `file`. */
function lineOf(file, text) {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${path.basename(file)} has no line with "${text}"`);
  return i + 1;
}

/**
 * The workbench check: resolves 0 when every step holds, 1 after printing the one that did not
 * (the run's folder keeps the screenshots, failure.png and the logs).
 * @param {object} o
 * @param {string} o.scratch the check's folder (profiles, logs, screenshots/)
 * @param {string} o.folder the workspace: a fresh copy of the example
 * @param {string} o.vsix the packaged extension
 * @param {string} [o.copyShotsTo] after a pass, copy DOC_SHOTS there
 */
export async function checkWorkbench(tools, { scratch, folder, vsix, copyShotsTo }) {
  const shots = path.join(scratch, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const handlerLine = lineOf(path.join(folder, 'driver.js'), HANDLER_TEXT);
  const steps = [];
  const step = async (name, fn) => {
    const t = Date.now();
    await fn();
    steps.push(name);
    console.log(`  ✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  };
  console.log('  a debugging session through the workbench (VSIX installed, folder trusted)');
  try {
    await withWorkbench(tools, {
      scratch,
      trust: false,
      smokeTest: false,
      vsix,
      settings: SETTINGS,
      viewport: VIEWPORT,
      drive: async (page, open) => {
        const shot = (name) =>
          page.screenshot({ path: path.join(shots, `${name}.png`), animations: 'disabled' });
        /** What the stop tells the later steps: the CPU, irq and vector of IMS slot 0. */
        const stop = {};

        await step('the example folder opens: driver.js, no launch.json', async () => {
          await open(folder, []);
          const rows = page.locator('.explorer-folders-view .monaco-list-row');
          await waitFor(rows.filter({ hasText: /^driver\.js$/ }), 'driver.js in the Explorer');
          const names = await rows.allInnerTexts();
          if (names.some((n) => n.trim() === '.vscode'))
            throw new Error(`the copy has a .vscode folder: ${names.join(', ')}`);
          await resizeSidebar(page, SIDEBAR_WIDTH);
          await shot('01-folder');
        });

        await step(`a gutter click on driver.js:${handlerLine} sets a breakpoint`, async () => {
          await page
            .locator('.explorer-folders-view .monaco-list-row', { hasText: /^driver\.js$/ })
            .dblclick();
          await waitFor(
            page.locator('.tabs-container .tab.active', { hasText: 'driver.js' }),
            'driver.js as the active editor tab',
          );
          const editor = activeEditor(page);
          const firstLine = await waitFor(editor.locator('.view-line'), 'the text of driver.js');
          // Go to Line (Ctrl+G), as a person who knows the line does, from the text.
          await firstLine.click({ position: { x: 2, y: 2 } });
          await page.keyboard.press('Control+G');
          const input = await waitFor(
            page.locator('.quick-input-widget input'),
            'the Go to Line box',
          );
          await input.fill(`:${handlerLine}`);
          await page.keyboard.press('Enter');
          await waitFor(page.locator('.quick-input-widget'), 'the Go to Line box to close', {
            state: 'hidden',
          });
          await waitFor(
            editor.locator('.view-line', { hasText: HANDLER_TEXT }),
            `the handler line "${HANDLER_TEXT}" in view`,
          );
          await waitFor(lineNumber(editor, handlerLine), `line number ${handlerLine}`);
          await clickGutter(page, editor, handlerLine);
          await waitUntil(
            page,
            `the breakpoint dot on line ${handlerLine}`,
            async () =>
              (await glyphsOnLine(editor, handlerLine))?.includes('codicon-debug-breakpoint')
                ? true
                : undefined,
            { last: async () => JSON.stringify(await glyphsOnLine(editor, handlerLine)) },
          );
          await shot('02-breakpoint');
        });

        await step(`Run and Debug, then "${DEBUGGER}" in the Select debugger picker`, async () => {
          await openActivity(page, 'Run and Debug');
          // The Breakpoints view lists the new breakpoint.
          await waitFor(
            pane(page, 'Breakpoints').locator('.monaco-list-row', {
              hasText: new RegExp(`driver\\.js.*${handlerLine}`),
            }),
            `driver.js ${handlerLine} in the Breakpoints view`,
          );
          const button = page.locator('.part.sidebar .monaco-button', {
            hasText: /^Run and Debug$/,
          });
          const picker = page.locator('.quick-input-widget input[aria-label="Select debugger"]');
          const ours = page.locator('.quick-input-list .monaco-list-row', {
            hasText: new RegExp(`^${reEscape(DEBUGGER)}$`),
          });
          // Debuggers contributed by extensions join the picker once the extension host has
          // read them: a picker opened before that lacks ours; close it and ask again.
          const end = Date.now() + STEP_MS;
          for (;;) {
            await waitFor(button, 'the Run and Debug button');
            await button.click();
            await waitFor(picker, 'the Select debugger picker');
            try {
              await waitFor(ours, `"${DEBUGGER}" in the picker`, { timeout: 3_000 });
              break;
            } catch (e) {
              if (Date.now() > end) throw e;
              await page.keyboard.press('Escape');
            }
          }
          await shot('03-select-debugger');
          await ours.first().click();
        });

        await step(`the editor stops on line ${handlerLine}, in ${HANDLER}`, async () => {
          // Workspace Trust is off in this run; should VS Code ask anyway, trust the folder.
          const toolbar = page.locator('.debug-toolbar');
          const trust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Trust/ });
          await waitFor(toolbar.or(trust), 'the debug toolbar (or a trust prompt)');
          if (await trust.isVisible()) await trust.first().click();
          await waitFor(toolbar, 'the debug toolbar');
          const editor = activeEditor(page);
          await waitFor(
            page.locator('.tabs-container .tab.active', { hasText: 'driver.js' }),
            'driver.js as the active editor',
          );
          await waitUntil(
            page,
            `the current-statement arrow and highlight on line ${handlerLine}`,
            async () =>
              (await glyphsOnLine(editor, handlerLine))?.includes('codicon-debug-stackframe') &&
              (await isTopFrameLine(editor, handlerLine))
                ? true
                : undefined,
            {
              last: async () =>
                `${JSON.stringify(await glyphsOnLine(editor, handlerLine))}, highlighted ` +
                `${await isTopFrameLine(editor, handlerLine)}`,
            },
          );
          const stack = page.locator('.debug-call-stack .monaco-list-row');
          await waitFor(
            stack.and(
              page.locator(
                `[aria-label="Stack Frame ${HANDLER}, line ${handlerLine}, driver.js"].selected`,
              ),
            ),
            `${HANDLER} at line ${handlerLine} selected in the Call Stack`,
          );
          const thread = await waitFor(
            stack.and(page.locator('[aria-label$=" Paused on breakpoint"]')),
            'a CPU paused on breakpoint in the Call Stack',
          );
          const label = (await thread.getAttribute('aria-label')) ?? '';
          const cpu = /^Thread CPU (\d+) /.exec(label);
          if (!cpu) throw new Error(`the stopped thread is "${label}", not a CPU`);
          stop.cpu = Number(cpu[1]);
          await shot('04-stopped');
        });

        await step('IMS Slots decodes slot 0: mask 0, pasid_en 1, PASID 1', async () => {
          // Room for the views: the panes this check does not read are folded away.
          for (const p of ['Variables', 'Watch', 'Breakpoints']) await setPaneOpen(page, p, false);
          await setPaneOpen(page, 'IMS Slots', true);
          await fitPaneToRows(page, 'Call Stack');
          const slots = pane(page, 'IMS Slots');
          const device = treeRow(slots, BDF, 1);
          await expandRow(device, `the ${BDF} row of IMS Slots`);
          const slot0 = treeRow(slots, 'IMS slot 0', 2);
          await expandRow(slot0, 'the IMS slot 0 row');
          const slotText = await rowText(slot0.first());
          const m = /^IMS slot 0 — irq (\d+) idxd-portal · IRTE \d+ · PASID 1 · unmasked$/.exec(
            slotText,
          );
          if (!m) throw new Error(`IMS slot 0 reads "${slotText}"`);
          stop.irq = Number(m[1]);
          const ctrl = treeRow(slots, 'ctrl', 3);
          await revealRow(page, slots, ctrl, 'the ctrl row of slot 0');
          await expandRow(ctrl, "slot 0's ctrl row");
          const fields = {
            'mask [0:0]': 'mask [0:0] — 0',
            'pasid_en [3:3]': 'pasid_en [3:3] — 1',
            'pasid [31:12]': 'pasid [31:12] — 0x00001',
          };
          for (const [name, want] of Object.entries(fields)) {
            const row = await revealRow(page, slots, treeRow(slots, name, 4), `the ${name} row`);
            const got = await rowText(row);
            if (got !== want) throw new Error(`IMS slot 0's ${name} reads "${got}", not "${want}"`);
          }
          await revealRow(page, slots, device, `the ${BDF} row of IMS Slots`, 'up');
          await page.mouse.move(0, 0);
          await shot('05-ims-slots');
        });

        await step(
          `IRQ Domains shows ${IMS_DOMAIN}; Pending Interrupts the vector in service`,
          async () => {
            await setPaneOpen(page, 'IMS Slots', false);
            await setPaneOpen(page, 'Call Stack', false);
            await setPaneOpen(page, 'IRQ Domains', true);
            await setPaneOpen(page, 'Pending Interrupts', true);

            const domains = pane(page, 'IRQ Domains');
            // Fold the MSI-X domain away so the IMS domain shows below it.
            const msix = treeRow(domains, `IR-PCI-MSIX-${BDF}`, 3);
            await revealRow(page, domains, msix, `the IR-PCI-MSIX-${BDF} row`);
            await collapseRow(msix, `the IR-PCI-MSIX-${BDF} row`);
            const ims = treeRow(domains, IMS_DOMAIN, 3);
            await revealRow(page, domains, ims, `the ${IMS_DOMAIN} row`);
            await expandRow(ims, `the ${IMS_DOMAIN} row`);
            const imsText = await rowText(ims.first());
            if (imsText !== `${IMS_DOMAIN} — mapped 2 · size 2,048`)
              throw new Error(`the IMS domain reads "${imsText}"`);
            const irqRow = await revealRow(
              page,
              domains,
              treeRow(domains, `irq ${stop.irq}`, 4),
              `irq ${stop.irq} under ${IMS_DOMAIN}`,
            );
            const irqText = await rowText(irqRow);
            const v = new RegExp(
              `^irq ${stop.irq} — hwirq 0x0 · idxd-portal · vector (0x[0-9a-f]{2}) → CPU ${stop.cpu} · IRTE \\d+$`,
            ).exec(irqText);
            if (!v) throw new Error(`irq ${stop.irq} of the IMS domain reads "${irqText}"`);
            stop.vector = v[1];

            // IRQ Domains takes what room there is: give the rest to Pending Interrupts.
            await revealRow(page, domains, treeRow(domains, 'VECTOR', 1), 'the VECTOR row', 'up');
            await fitPaneToRows(page, 'IRQ Domains');
            const pending = pane(page, 'Pending Interrupts');
            const cpuRow = await revealRow(
              page,
              pending,
              treeRow(pending, `CPU ${stop.cpu}`, 1),
              `CPU ${stop.cpu} in Pending Interrupts`,
            );
            const cpuText = await rowText(cpuRow);
            const want = `CPU ${stop.cpu} — in handler: irq ${stop.irq} vector ${stop.vector} (hardirq) · IF=0`;
            if (cpuText !== want) throw new Error(`Pending Interrupts reads "${cpuText}"`);
            await expandRow(treeRow(pending, `CPU ${stop.cpu}`, 1), `the CPU ${stop.cpu} row`);
            const inService = await revealRow(
              page,
              pending,
              treeRow(pending, `irq ${stop.irq} · vector ${stop.vector}`, 2),
              `irq ${stop.irq} in service on CPU ${stop.cpu}`,
            );
            const serviceText = await rowText(inService);
            if (!/— hardirq · idxd-portal · message #\d+$/.test(serviceText))
              throw new Error(`the in-service row reads "${serviceText}"`);
            await revealRow(page, domains, treeRow(domains, 'VECTOR', 1), 'the VECTOR row', 'up');
            await page.mouse.move(0, 0);
            await shot('06-domains-pending');
          },
        );

        await step('a gutter click removes the breakpoint; Continue runs to the end', async () => {
          const editor = activeEditor(page);
          await waitFor(lineNumber(editor, handlerLine), `line number ${handlerLine}`);
          await clickGutter(page, editor, handlerLine);
          await waitUntil(
            page,
            `the breakpoint dot on line ${handlerLine} to go (the arrow stays)`,
            async () => {
              const g = await glyphsOnLine(editor, handlerLine);
              return g !== undefined && !g.includes('codicon-debug-breakpoint') ? true : undefined;
            },
            { last: async () => JSON.stringify(await glyphsOnLine(editor, handlerLine)) },
          );
          await page.mouse.move(0, 0);
          const toolbar = page.locator('.debug-toolbar');
          await toolbar.locator('.action-label[aria-label^="Continue"]').click();
          await page.mouse.move(0, 0);
          await waitFor(toolbar, 'the debug toolbar to go (the session to end)', {
            state: 'hidden',
          });
          await waitFor(
            page.locator('.repl .monaco-list-row', { hasText: RUN_SUMMARY }),
            'the interrupt summary ("… messages: … delivered …") in the Debug Console',
          );
          // The views empty with the session: their welcome text says when they fill again.
          await waitFor(
            pane(page, 'Pending Interrupts').locator('.welcome-view-content', {
              hasText: 'show here when the driver model stops',
            }),
            "Pending Interrupts' welcome text (no rows once the session ended)",
          );
          const left = await pane(page, 'Pending Interrupts').locator('.monaco-list-row').count();
          if (left !== 0) throw new Error(`Pending Interrupts still shows ${left} rows`);
          await page.mouse.move(0, 0);
          await shot('07-session-ended');
        });
      },
    });
  } catch (e) {
    console.log(
      `  ✘ after "${steps.at(-1) ?? 'start'}": ${e instanceof Error ? e.message : String(e)}`,
    );
    console.log(`  screenshots: ${shots}`);
    return 1;
  }
  console.log(`  ${steps.length} passed, 0 failed`);
  if (copyShotsTo !== undefined) {
    mkdirSync(copyShotsTo, { recursive: true });
    for (const [from, to] of Object.entries(DOC_SHOTS)) {
      copyFileSync(path.join(shots, from), path.join(copyShotsTo, to));
      console.log(`  screenshot ${from} → ${path.join(copyShotsTo, to)}`);
    }
  }
  return 0;
}
