/**
 * `IMS Debug: Create Driver Model from Example…`: copies a bundled example (the starter first)
 * into a folder the user picks, with the kernel API's types beside it so the editor types
 * `readl`, `request_irq`, `pci_ims_alloc_irq`…, and opens its driver.js. Created folders keep
 * their copy of the types in step with the installed extension: at activation a stale copy is
 * rewritten. An example that requires the shared driver core gets lib/ beside the new folder (a
 * lib/ file already there is kept: models created side by side share it).
 */
import * as vscode from 'vscode';
import {
  KERNEL_TYPES_PATH,
  SHARED_LIB_DIR,
  exampleTitle,
  freeName,
  scaffoldFiles,
  sortExamples,
  type ExampleInfo,
  type ScaffoldFile,
} from '../model/scaffold';

export const CREATE_MODEL_COMMAND = 'ims-debug.createModel';

/** Arguments of the command (all optional; tests pass them to skip the pickers). */
export interface CreateModelArgs {
  /** Example folder name under examples/ (default: ask). */
  example?: string;
  /** Folder to create (default: ask for a parent; the example's name, made unique). */
  target?: vscode.Uri;
  /** Open the created driver.js (default true). */
  open?: boolean;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function registerScaffold(context: vscode.ExtensionContext): vscode.Disposable {
  void refreshKernelTypes(context.extensionUri);
  return vscode.commands.registerCommand(CREATE_MODEL_COMMAND, (args?: CreateModelArgs) =>
    createModel(context.extensionUri, args ?? {}),
  );
}

async function createModel(
  extensionUri: vscode.Uri,
  args: CreateModelArgs,
): Promise<vscode.Uri | undefined> {
  const examplesDir = vscode.Uri.joinPath(extensionUri, 'examples');
  const example = args.example ?? (await pickExample(examplesDir));
  if (example === undefined) return undefined;
  const target = args.target ?? (await pickTarget(example));
  if (target === undefined) return undefined;
  const files = scaffoldFiles(
    await readExample(vscode.Uri.joinPath(examplesDir, example)),
    decoder.decode(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'types', 'kernel.d.ts')),
    ),
    await readExample(vscode.Uri.joinPath(examplesDir, 'lib')).catch(() => []),
  );
  for (const f of files) {
    const uri = vscode.Uri.joinPath(target, f.path);
    if (f.path.startsWith(SHARED_LIB_DIR) && (await exists(uri))) continue;
    await vscode.workspace.fs.writeFile(uri, encoder.encode(f.text));
  }
  if (args.open !== false) await openModel(target);
  return target;
}

async function pickExample(examplesDir: vscode.Uri): Promise<string | undefined> {
  const examples: ExampleInfo[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(examplesDir)) {
    if (type !== vscode.FileType.Directory) continue;
    const driver = vscode.Uri.joinPath(examplesDir, name, 'driver.js');
    try {
      examples.push({
        name,
        title: exampleTitle(decoder.decode(await vscode.workspace.fs.readFile(driver))),
      });
    } catch {
      // not a model folder
    }
  }
  const picked = await vscode.window.showQuickPick(
    sortExamples(examples).map((e) => ({ label: e.name, detail: e.title })),
    { title: 'Create Driver Model from Example', placeHolder: 'Start from…' },
  );
  return picked?.label;
}

async function pickTarget(example: string): Promise<vscode.Uri | undefined> {
  const parent = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Create Here',
    title: `Folder to create the ${example} model in`,
    ...(vscode.workspace.workspaceFolders?.[0] === undefined
      ? {}
      : { defaultUri: vscode.workspace.workspaceFolders[0].uri }),
  });
  if (parent?.[0] === undefined) return undefined;
  const taken = new Set((await vscode.workspace.fs.readDirectory(parent[0])).map(([name]) => name));
  return vscode.Uri.joinPath(
    parent[0],
    freeName(example, (n) => taken.has(n)),
  );
}

/** The example's files (driver.js, accel-config.conf, jsconfig.json…), not its subfolders. */
async function readExample(dir: vscode.Uri): Promise<ScaffoldFile[]> {
  const out: ScaffoldFile[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
    if (type !== vscode.FileType.File) continue;
    out.push({
      path: name,
      text: decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name))),
    });
  }
  return out;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Opens driver.js when the folder is in the workspace; otherwise offers to open the folder. */
async function openModel(target: vscode.Uri): Promise<void> {
  const driver = vscode.Uri.joinPath(target, 'driver.js');
  if (vscode.workspace.getWorkspaceFolder(target) !== undefined) {
    await vscode.window.showTextDocument(driver);
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `Created ${target.fsPath}. Press F5 in its driver.js to debug it.`,
    'Open Folder',
    'Open driver.js',
  );
  if (choice === 'Open Folder') await vscode.commands.executeCommand('vscode.openFolder', target);
  else if (choice === 'Open driver.js') await vscode.window.showTextDocument(driver);
}

/** Rewrites the workspace's copies of the kernel types that differ from the installed ones. */
async function refreshKernelTypes(extensionUri: vscode.Uri): Promise<void> {
  try {
    const bundled = await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(extensionUri, 'types', 'kernel.d.ts'),
    );
    for (const copy of await vscode.workspace.findFiles(`**/${KERNEL_TYPES_PATH}`, null, 50)) {
      const text = await vscode.workspace.fs.readFile(copy);
      if (decoder.decode(text) !== decoder.decode(bundled))
        await vscode.workspace.fs.writeFile(copy, bundled);
    }
  } catch {
    // Nothing to refresh in a workspace that cannot be searched or written.
  }
}
