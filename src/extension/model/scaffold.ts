/**
 * Creating a driver model from a bundled example (vscode-free): which files to write where, with
 * the example's jsconfig.json pointed at a copy of the kernel API's types inside the new folder
 * (the bundled examples point at the extension's own types/kernel.d.ts, two folders up), so that
 * the editor types the kernel API in any workspace. An example that requires the shared driver
 * core (`require('../lib/idxd')`) gets the examples' lib/ folder beside the new model's folder,
 * as in the repository, so the require works unchanged.
 */

/** Where a created model keeps its copy of types/kernel.d.ts, relative to the model's folder. */
export const KERNEL_TYPES_PATH = '.vscode/ims-debug/kernel.d.ts';

/** The path the bundled examples' jsconfig.json includes (examples/<name>/ → types/). */
const BUNDLED_TYPES_PATH = '../../types/kernel.d.ts';

/** Where the examples' shared files are, relative to an example's (and a created model's) folder. */
export const SHARED_LIB_DIR = '../lib/';

/** A file of an example, by its path relative to the example's folder. */
export interface ScaffoldFile {
  readonly path: string;
  readonly text: string;
}

/** An example offered in the picker: its folder name and what its header comment says first. */
export interface ExampleInfo {
  readonly name: string;
  readonly title: string;
}

/**
 * The first sentence of a model's header comment (the block after the SPDX line), on one line;
 * '' when there is none.
 */
export function exampleTitle(driverSource: string): string {
  const block = /\/\*([\s\S]*?)\*\//.exec(driverSource)?.[1];
  if (block === undefined) return '';
  const text = block
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l !== '')
    .join(' ');
  const end = text.search(/[.:](\s|$)/);
  return end < 0 ? text : text.slice(0, end);
}

/** Examples in picker order: the starter first, then by name. */
export function sortExamples(examples: readonly ExampleInfo[]): ExampleInfo[] {
  return [...examples].sort((a, b) =>
    a.name === 'starter' ? -1 : b.name === 'starter' ? 1 : a.name.localeCompare(b.name),
  );
}

/** The jsconfig.json a created model gets when its example has none. */
export function defaultJsconfig(): string {
  const config = {
    compilerOptions: {
      checkJs: true,
      allowJs: true,
      noEmit: true,
      strict: false,
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'node16',
      moduleDetection: 'force',
      types: [],
      skipLibCheck: true,
    },
    include: ['*.js', '*.mjs', '*.cjs', '*.ts', KERNEL_TYPES_PATH],
  };
  return JSON.stringify(config, null, 2) + '\n';
}

/** Whether an example's files refer to SHARED_LIB_DIR (a require of the shared driver core). */
export function usesSharedLib(example: readonly ScaffoldFile[]): boolean {
  return example.some((f) => /\.[cm]?[jt]s$/.test(f.path) && /['"]\.\.\/lib\//.test(f.text));
}

/**
 * The files to write for a model created from `example`: its files, its jsconfig.json including
 * KERNEL_TYPES_PATH instead of the bundled path, `kernelTypes` at KERNEL_TYPES_PATH, and, when
 * the example uses it, each file of `lib` (the examples' lib/ folder) at SHARED_LIB_DIR + its
 * name: beside the model's folder, where the example's relative require finds it.
 * @throws Error when the example has no driver.js
 */
export function scaffoldFiles(
  example: readonly ScaffoldFile[],
  kernelTypes: string,
  lib: readonly ScaffoldFile[] = [],
): ScaffoldFile[] {
  if (!example.some((f) => f.path === 'driver.js')) throw new Error('the example has no driver.js');
  const out = example.map((f) =>
    f.path === 'jsconfig.json' ? { path: f.path, text: retargetJsconfig(f.text) } : f,
  );
  if (!out.some((f) => f.path === 'jsconfig.json'))
    out.push({ path: 'jsconfig.json', text: defaultJsconfig() });
  out.push({ path: KERNEL_TYPES_PATH, text: kernelTypes });
  if (usesSharedLib(example))
    for (const f of lib) out.push({ path: SHARED_LIB_DIR + f.path, text: f.text });
  return out;
}

/**
 * A bundled example's jsconfig.json for a created model: the bundled types path replaced by
 * KERNEL_TYPES_PATH, and no `types` packages (a model folder has no node_modules; the kernel
 * types need only the ES2022 library). A text that is not plain JSON keeps its text with the
 * path replaced.
 */
export function retargetJsconfig(text: string): string {
  const replaced = text
    .split(JSON.stringify(BUNDLED_TYPES_PATH))
    .join(JSON.stringify(KERNEL_TYPES_PATH));
  try {
    const config = JSON.parse(replaced) as { compilerOptions?: Record<string, unknown> };
    if (config.compilerOptions !== undefined) config.compilerOptions['types'] = [];
    return JSON.stringify(config, null, 2) + '\n';
  } catch {
    return replaced;
  }
}

/** A folder name for `base` that `taken` does not hold: base, base-2, base-3… */
export function freeName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
