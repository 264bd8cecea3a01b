/**
 * The views' row actions in a real VS Code, stopped in the example's first completion handler:
 * Mask / Unmask an IMS slot (the request, the `invalidated` that follows, the view showing the new
 * state), Inject Interrupt (the vector waiting in the CPU's IRR, the Pending view's badge), Break
 * on Delivery (a function breakpoint the adapter verifies), Reveal IRTE (the entry selected in the
 * Interrupt Remapping view), and the exports (JSON into a file, debugfs text into an editor).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import type { ViewNode } from '../../../src/extension/model/node';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';
import { BDF, debugToLine, imsIrq, useExample } from './example';
import { VIEW_IDS, hex2, parseRows, rowAt, snapshotOf, until, viewShowing } from './support';

/** The commands the rows' context menus run (package.json). */
const CMD = {
  mask: 'ims-debug.view.mask',
  unmask: 'ims-debug.view.unmask',
  inject: 'ims-debug.view.inject',
  breakOnDelivery: 'ims-debug.view.breakOnDelivery',
  revealIrte: 'ims-debug.view.revealIrte',
  exportJson: 'ims-debug.exportStateJson',
  exportDebugfs: 'ims-debug.exportStateDebugfs',
} as const;

describe('IMS Debug in a real VS Code: the views’ row actions', () => {
  const ex = useExample();
  let session: vscode.DebugSession;
  let snap: PlatformSnapshot;

  /** The row of view `viewId` at `labels`, once the view shows it. */
  const row = (viewId: string, ...labels: string[]): Promise<ViewNode> =>
    until(`the row ${labels.join(' → ')} of ${viewId}`, () => ex.api.findRow(viewId, labels));

  before(async () => {
    const s = await debugToLine(ex, ex.handlerLine, 'view actions');
    assert.equal(s.started, true);
    session = s.session;
    snap = await snapshotOf(session);
    await viewShowing(ex.api, VIEW_IDS.slots, (t) => t.includes('IMS slot 1 — '), 'IMS slot 1');
  });

  it('Mask and Unmask write the slot’s ctrl through the adapter; the view follows', async () => {
    const slot = await row(VIEW_IDS.slots, BDF, 'IMS slot 1');
    const mark = ex.dap.mark;
    await vscode.commands.executeCommand(CMD.mask, slot);
    const request = await ex.dap.next<DebugProtocol.Request>(
      'the ims/maskEntry request',
      (t) =>
        t.session.id === session.id &&
        t.direction === 'toAdapter' &&
        (t.message as DebugProtocol.Request).command === 'ims/maskEntry',
      mark,
    );
    assert.deepEqual(request.arguments, { device: BDF, table: 'ims', index: 1, mask: true });
    await ex.dap.event(session, 'invalidated', mark);
    const masked = await viewShowing(
      ex.api,
      VIEW_IDS.slots,
      (t) => /IMS slot 1 — .* · masked$/m.test(t),
      'IMS slot 1 masked',
    );
    const ctrl = rowAt(parseRows(masked), `${BDF} — `, 'IMS slot 1 — ', 'ctrl — ');
    assert.match(ctrl.text, /^ctrl — 0x00001009 · masked$/);
    // The row now offers Unmask.
    const again = await row(VIEW_IDS.slots, BDF, 'IMS slot 1');
    assert.equal(again.target?.kind === 'entry' && again.target.masked, true);
    await vscode.commands.executeCommand(CMD.unmask, again);
    await viewShowing(
      ex.api,
      VIEW_IDS.slots,
      (t) => /IMS slot 1 — .* · unmasked$/m.test(t),
      'IMS slot 1 unmasked',
    );
  });

  it('Inject Interrupt sets the irq’s vector in its CPU’s IRR; the Pending view counts it', async () => {
    const ims0 = imsIrq(snap, 0);
    const irqRow = await row(
      VIEW_IDS.domains,
      'VECTOR',
      'INTEL-IR-0',
      `IR-PCI-IDXD-${BDF}`,
      `irq ${ims0.irq}`,
    );
    await vscode.commands.executeCommand(CMD.inject, irqRow);
    const text = await viewShowing(
      ex.api,
      VIEW_IDS.pending,
      (t) => new RegExp(`^CPU ${ims0.cpu} — .*IRR [^·]*${hex2(ims0.vector)}`, 'm').test(t),
      `vector ${hex2(ims0.vector)} in CPU ${ims0.cpu}'s IRR`,
    );
    assert.ok(text.length > 0);
    const badge = await until('the Pending view’s badge', () => ex.api.badge(VIEW_IDS.pending));
    assert.ok(badge.value >= 1);
    assert.match(badge.tooltip, /waiting in IRR/);
    // A second injection before the first is handled is refused by the kernel (-EBUSY): the
    // request fails with the reason, and the extension shows it as an error message.
    await assert.rejects(
      Promise.resolve(session.customRequest('ims/inject', { irq: ims0.irq })),
      /IRQS_REPLAY/,
    );
  });

  it('Break on Delivery adds the named interrupt breakpoint, which the adapter verifies', async () => {
    const slot = await row(VIEW_IDS.slots, BDF, 'IMS slot 1');
    const mark = ex.dap.mark;
    const name = await vscode.commands.executeCommand<string>(CMD.breakOnDelivery, slot);
    assert.equal(name, `ims ${BDF}/1`);
    const fbp = vscode.debug.breakpoints.find(
      (b): b is vscode.FunctionBreakpoint =>
        b instanceof vscode.FunctionBreakpoint && b.functionName === name,
    );
    assert.ok(fbp, 'a function breakpoint named so');
    const response = await ex.dap.response<DebugProtocol.SetFunctionBreakpointsResponse>(
      session,
      'setFunctionBreakpoints',
      mark,
    );
    assert.deepEqual(
      response.body.breakpoints.map((b) => b.verified),
      [true],
    );
    vscode.debug.removeBreakpoints([fbp]);
  });

  it('Reveal IRTE selects the slot’s IRTE in the Interrupt Remapping view', async () => {
    const slot = await row(VIEW_IDS.slots, BDF, 'IMS slot 1');
    const irte = imsIrq(snap, 1).irte!;
    const id = await vscode.commands.executeCommand<string | undefined>(CMD.revealIrte, slot);
    assert.equal(id, `ir/INTEL-IR-0/table/${irte}`);
    await until('the IRTE to be selected', () =>
      ex.api.selectedIds(VIEW_IDS.remapping).includes(id) ? true : undefined,
    );
  });

  it('exports the platform state as JSON into a file and as debugfs text into an editor', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ims-export-'));
    try {
      const target = vscode.Uri.file(path.join(dir, 'state.json'));
      const written = await vscode.commands.executeCommand<vscode.Uri>(CMD.exportJson, target);
      assert.equal(written.toString(), target.toString());
      const json = JSON.parse(readFileSync(target.fsPath, 'utf8')) as PlatformSnapshot;
      assert.equal(json.inlineLimit, null, 'the complete snapshot');
      assert.equal(json.irqs.length, json.irqCount);
      assert.equal(json.seq, snap.seq);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(CMD.exportDebugfs);
    assert.equal(doc.isUntitled, true);
    const ims0 = imsIrq(snap, 0);
    assert.ok(
      doc
        .getText()
        .includes(`==> /sys/kernel/debug/irq/irqs/${ims0.irq} <==\nhandler:  handle_edge_irq`),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
