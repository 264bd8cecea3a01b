// What a person sees in an untrusted workspace, driven through the workbench in a browser (the
// extension-test harness cannot show it: under test, VS Code refuses to open dialogs, and the
// trust request is one). The extension is installed from its VSIX; Workspace Trust is on and the
// folder is untrusted (Restricted Mode).
//
// 1. Restricted Mode: "Debug: Start Debugging" on the example asks for trust first; the dialog
//    says why ("Debugging executes build tasks and program code from your workspace.").
// 2. Cancel: nothing runs; asking again asks again.
// 3. Trust, then pick the ims debugger (a .js file interests js-debug too): F5 with no
//    launch.json runs the model in the editor, and the Debug Console shows its kernel log.
import { withWorkbench } from '../../../scripts/vscode/code-server.mjs';
import { STEP_MS, runCommand } from './ui.mjs';

const TRUST_TEXT = 'Debugging executes build tasks and program code from your workspace.';
/** The run's last line (the interrupt summary) and the driver's own last kernel log line. */
const RUN_SUMMARY = /^\d+ messages: \d+ delivered, 0 pending, 0 faulted, 0 dropped/;
const PROBE_DONE = 'Intel(R) Accelerator Device';

/** Waits for the modal dialog and returns it with its text. */
async function dialog(page) {
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ state: 'visible', timeout: STEP_MS });
  return { box, text: (await box.innerText()).replace(/\s+/g, ' ') };
}

async function clickButton(box, label) {
  await box.locator('.monaco-button', { hasText: label }).first().click();
  await box.waitFor({ state: 'hidden', timeout: STEP_MS });
}

/**
 * The untrusted-workspace check: resolves 0 when every step holds, 1 after printing the one that
 * did not (with a screenshot beside the run's logs).
 */
export async function checkUntrusted(tools, { scratch, folder, vsix }) {
  const steps = [];
  const step = async (name, fn) => {
    await fn();
    steps.push(name);
    console.log(`  ✔ ${name}`);
  };
  console.log('  untrusted workspace (Workspace Trust on, folder not trusted)');
  try {
    await withWorkbench(tools, {
      scratch,
      trust: true,
      smokeTest: false,
      vsix,
      drive: async (page, open) => {
        await open(folder, []);

        await step('the workspace opens in Restricted Mode', async () => {
          await page
            .locator('.statusbar-item', { hasText: 'Restricted Mode' })
            .first()
            .waitFor({ state: 'visible', timeout: STEP_MS });
        });

        await step('the example is open in the editor', async () => {
          await page
            .locator('.explorer-folders-view .monaco-list-row', { hasText: 'driver.js' })
            .first()
            .click({ timeout: STEP_MS });
          await page
            .locator('.tabs-container .tab.active', { hasText: 'driver.js' })
            .waitFor({ state: 'visible', timeout: STEP_MS });
        });

        await step('"Debug: Start Debugging" asks for trust, saying why', async () => {
          await runCommand(page, 'Debug: Start Debugging');
          const { text } = await dialog(page);
          if (!text.includes(TRUST_TEXT)) throw new Error(`the dialog says: ${text}`);
          await page.screenshot({ path: `${scratch}/trust-dialog.png` });
        });

        await step('Cancel: no session starts, and asking again asks again', async () => {
          const first = await dialog(page);
          await clickButton(first.box, 'Cancel');
          await runCommand(page, 'Debug: Start Debugging');
          const again = await dialog(page);
          if (!again.text.includes(TRUST_TEXT)) throw new Error(`the dialog says: ${again.text}`);
          const toolbars = await page.locator('.debug-toolbar:visible').count();
          if (toolbars !== 0) throw new Error('a debug session started without trust');
        });

        await step(
          'Trust: the ims debugger runs the model; the Debug Console shows its log',
          async () => {
            const { box } = await dialog(page);
            await clickButton(box, 'Trust');
            // The .js file interests more than one debugger (the built-in js-debug too): pick ours.
            const picker = page.locator('.quick-input-list .monaco-list-row', {
              hasText: 'IMS Driver Model',
            });
            await picker.first().click({ timeout: STEP_MS });
            const rows = page.locator('.repl .monaco-list-row');
            await rows.filter({ hasText: RUN_SUMMARY }).first().waitFor({ timeout: STEP_MS });
            await page.screenshot({ path: `${scratch}/trusted-run.png` });
            // The console keeps only the rows in view in the page: filter for the probe's line.
            await page
              .locator('.repl-panel-filter-container input, .panel input[placeholder^="Filter"]')
              .first()
              .fill(PROBE_DONE);
            await rows
              .filter({ hasText: `${PROBE_DONE} (v` })
              .first()
              .waitFor({ timeout: STEP_MS });
            await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: STEP_MS });
          },
        );
      },
    });
    console.log(`  ${steps.length} passed, 0 failed`);
    return 0;
  } catch (e) {
    console.log(
      `  ✘ after "${steps.at(-1) ?? 'start'}": ${e instanceof Error ? e.message : String(e)}`,
    );
    return 1;
  }
}
