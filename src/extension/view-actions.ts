/**
 * The views' row actions and exports, as commands (package.json menus hang them off the rows'
 * contextValue): Mask / Unmask an IMS slot or MSI-X entry and Inject Interrupt (custom DAP
 * requests that change the machine: the adapter then sends `invalidated` and the views read a new
 * snapshot), Break on Delivery (a named interrupt breakpoint, i.e. a function breakpoint), Reveal
 * IRTE (in the Interrupt Remapping view, paging its table to the entry), and Export Platform
 * State as JSON or as debugfs text (an untitled editor, or a file when given a Uri).
 */
import * as vscode from 'vscode';
import { EXPORT_REQUEST } from '../adapter/view-requests';
import type { IrteSnapshot } from '../platform/snapshot/types';
import { DEBUG_TYPE } from './launch-config';
import {
  breakpointName,
  injectRequest,
  maskRequest,
  revealedIrte,
  type ViewRequest,
} from './model/actions';
import { childId, type IrteRef, type ViewNode } from './model/node';
import { indexOf } from './model/snapshot-index';
import { VIEW_COMMANDS } from './view-commands';
import type { ViewsController } from './views-controller';

/** The Interrupt Remapping view's id. */
const REMAPPING_VIEW = 'ims-debug.remapping';

/** The active `ims` session, or undefined (with a message saying so). */
function imsSession(): vscode.DebugSession | undefined {
  const s = vscode.debug.activeDebugSession;
  if (s?.type === DEBUG_TYPE) return s;
  void vscode.window.showWarningMessage('IMS Debug: no ims debug session is active.');
  return undefined;
}

/** Sends `req` to the active session; an error shows as an error message. */
async function send(req: ViewRequest | undefined): Promise<unknown> {
  const session = req === undefined ? undefined : imsSession();
  if (req === undefined || session === undefined) return undefined;
  try {
    return await session.customRequest(req.command, req.args);
  } catch (e) {
    void vscode.window.showErrorMessage(`IMS Debug: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Adds the named interrupt breakpoint of `node` unless an enabled one has that name. */
function breakOnDelivery(node: ViewNode | undefined): string | undefined {
  const name = breakpointName(node?.target);
  if (name === undefined) return undefined;
  const exists = vscode.debug.breakpoints.some(
    (b) => b instanceof vscode.FunctionBreakpoint && b.functionName === name && b.enabled,
  );
  if (!exists) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(name)]);
  void vscode.window.setStatusBarMessage(`IMS Debug: break on delivery: ${name}`, 3000);
  return name;
}

/**
 * Reveals IRTE `ref` in the Interrupt Remapping view: the unit's table shows the page holding it
 * (read with `ims/page` when this stop has not read it), then the row is selected. A unit that is
 * not named is looked up among the units. Returns the revealed row's id, or undefined.
 */
async function revealIrte(views: ViewsController, ref: IrteRef): Promise<string | undefined> {
  const snap = views.activeSessionView()?.snapshot;
  if (snap === undefined) return undefined;
  const units = ref.unit === null ? snap.ir.map((u) => u.name) : [ref.unit];
  for (const unit of units) {
    const listRef = { list: 'irtes', unit } as const;
    let pos = indexOf(snap)
      .rows(listRef)
      .items.findIndex((e) => e?.index === ref.index);
    if (pos < 0) {
      try {
        const page = await views.readPage({
          ref: listRef,
          key: ref.index,
          count: vscode.workspace.getConfiguration('ims-debug').get<number>('pageSize') ?? 100,
        });
        const items = (page?.items ?? []) as IrteSnapshot[];
        pos = items.findIndex((e) => e.index === ref.index);
        if (page !== undefined && pos >= 0) pos += page.start;
      } catch {
        pos = -1; // not in this unit's table
      }
    }
    if (pos < 0) continue;
    const unitId = childId('ir', unit);
    const listId = childId(unitId, 'table');
    views.showWindow(REMAPPING_VIEW, listId, pos);
    const id = childId(listId, ref.index);
    const node = views.provider(REMAPPING_VIEW)?.find(id);
    if (node === undefined) return undefined;
    await views
      .treeView(REMAPPING_VIEW)
      ?.reveal(node, { select: true, focus: true, expand: false });
    return id;
  }
  void vscode.window.showWarningMessage(
    `IMS Debug: IRTE ${ref.index} is not allocated or present in ${ref.unit ?? 'any IR unit'}.`,
  );
  return undefined;
}

/**
 * Exports the platform state of the stop as `format`: into `target` when given (returns it),
 * else into an untitled editor (returns its document).
 */
async function exportState(
  format: 'json' | 'debugfs',
  target: unknown,
): Promise<vscode.Uri | vscode.TextDocument | undefined> {
  const body = (await send({ command: EXPORT_REQUEST, args: { format } })) as
    { export: { text: string; fileName: string } } | undefined;
  if (body === undefined) return undefined;
  const { text } = body.export;
  if (target instanceof vscode.Uri) {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    return target;
  }
  const doc = await vscode.workspace.openTextDocument({
    content: text,
    language: format === 'json' ? 'json' : 'plaintext',
  });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Registers the row actions and exports; returns their disposables. */
export function registerViewActions(views: ViewsController): vscode.Disposable[] {
  const reg = (id: string, f: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, f);
  return [
    reg(VIEW_COMMANDS.mask, (n) => send(maskRequest((n as ViewNode | undefined)?.target, true))),
    reg(VIEW_COMMANDS.unmask, (n) => send(maskRequest((n as ViewNode | undefined)?.target, false))),
    reg(VIEW_COMMANDS.inject, (n) => send(injectRequest((n as ViewNode | undefined)?.target))),
    reg(VIEW_COMMANDS.breakOnDelivery, (n) => breakOnDelivery(n as ViewNode | undefined)),
    reg(VIEW_COMMANDS.revealIrte, (n) => {
      const ref = revealedIrte((n as ViewNode | undefined)?.target);
      return ref === undefined ? undefined : revealIrte(views, ref);
    }),
    reg(VIEW_COMMANDS.exportJson, (target) => exportState('json', target)),
    reg(VIEW_COMMANDS.exportDebugfs, (target) => exportState('debugfs', target)),
  ];
}
