/**
 * Loads a driver model and the model files it requires as CommonJS modules: each file goes
 * through `transformModel` (TypeScript and ES modules to CommonJS, line for line; plus the
 * statement hooks when instrumenting) and is compiled with `vm.compileFunction`, so stack
 * traces name the model's own file and lines. The hooks are parameters of the module wrapper;
 * the kernel API is global. A file reached by a relative `require` (`./x`, `../lib/x`) is a model
 * file wherever it is, and so is one named by an absolute path below the model's folder; anything
 * with a node_modules segment in its path, and packages, load through Node's own `require`.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { transformModel, DEFAULT_NAMES, type TransformResult, type NextIds } from './instrument';

const MODEL_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];
const HOOK_PARAMS = [
  DEFAULT_NAMES.hook,
  DEFAULT_NAMES.enter,
  DEFAULT_NAMES.leave,
  DEFAULT_NAMES.throw,
  DEFAULT_NAMES.tryCount,
] as const;

/** The five hook functions instrumented code calls (see the instrument folder's README). */
export interface Hooks {
  hook: (site: number) => void;
  enter: (fid: number) => unknown;
  leave: (frame: unknown) => void;
  throw: (error: unknown, frame: unknown) => void;
  tryCount: (delta: number) => void;
}

/** A model file as loaded: its path, tables (empty when not instrumented) and exports. */
export interface LoadedFile {
  readonly file: string;
  readonly transform: TransformResult;
}

const noop = (): void => undefined;
export const NO_HOOKS: Hooks = {
  hook: noop,
  enter: () => ({ s: [] }),
  leave: noop,
  throw: noop,
  tryCount: noop,
};

export class ModelLoader {
  private readonly cache = new Map<string, { exports: unknown }>();
  private next: NextIds = { siteBase: 0, fidBase: 0, scopeBase: 0 };
  readonly files: LoadedFile[] = [];
  /** Called after a file is transformed and before its code runs (set breakpoints there). */
  onLoad: ((f: LoadedFile) => void) | undefined;

  /**
   * @param root the model's folder: files below it (outside node_modules) are model files, and so
   *   are the files model files reach by relative requires
   * @param instrument add statement hooks (debugging) or not (headless)
   * @param hooks the hook functions passed to instrumented code
   */
  constructor(
    private readonly root: string,
    private readonly instrument: boolean,
    private readonly hooks: Hooks = NO_HOOKS,
  ) {}

  /**
   * Whether `file` is a model file this loader transforms: a file it loaded, or one below the
   * model's folder (outside node_modules) with a model file's extension.
   */
  isModelFile(file: string): boolean {
    const abs = path.resolve(file);
    if (this.files.some((f) => f.file === abs)) return true;
    const rel = path.relative(this.root, abs);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && isModelPath(rel);
  }

  /**
   * Transforms `file` without running it (once), so that its breakpoints can bind and its syntax
   * errors surface before the model starts.
   * @throws ModelSyntaxError for a syntax error
   */
  prepare(file: string): LoadedFile {
    const abs = path.resolve(file);
    const done = this.files.find((f) => f.file === abs);
    if (done) return done;
    const source = readFileSync(abs, 'utf8');
    const transform = transformModel(source, abs, { instrument: this.instrument, ...this.next });
    this.next = transform.next;
    const loaded = { file: abs, transform };
    this.files.push(loaded);
    this.onLoad?.(loaded);
    return loaded;
  }

  /**
   * Transforms (if not prepared yet) and runs `file` (once; later calls return the cached
   * exports).
   * @throws ModelSyntaxError for a syntax error in any model file; whatever the model throws
   */
  load(file: string): unknown {
    const abs = path.resolve(file);
    const hit = this.cache.get(abs);
    if (hit) return hit.exports;
    const { transform } = this.prepare(abs);
    const fn = vm.compileFunction(
      transform.code,
      ['exports', 'require', 'module', '__filename', '__dirname', ...HOOK_PARAMS],
      { filename: abs },
    );
    const module = { exports: {} as unknown, filename: abs, id: abs };
    this.cache.set(abs, module);
    const h = this.hooks;
    fn.call(
      module.exports,
      module.exports,
      this.requireFor(abs),
      module,
      abs,
      path.dirname(abs),
      h.hook,
      h.enter,
      h.leave,
      h.throw,
      h.tryCount,
    );
    return module.exports;
  }

  private requireFor(from: string): NodeJS.Require {
    const nodeRequire = createRequire(from);
    const req = ((id: string): unknown => {
      // A relative require reaches a model file wherever it is (a library beside the model's
      // folder); an absolute one only below the model's folder.
      const relative = isRelative(id);
      if (relative || path.isAbsolute(id)) {
        const accept = relative
          ? (f: string): boolean => isModelPath(f)
          : (f: string): boolean => this.isModelFile(f);
        const resolved = this.resolveModelFile(path.resolve(path.dirname(from), id), accept);
        if (resolved !== undefined) return this.load(resolved);
      }
      return nodeRequire(id);
    }) as NodeJS.Require;
    req.resolve = nodeRequire.resolve;
    req.cache = nodeRequire.cache;
    return req;
  }

  private resolveModelFile(base: string, accept: (f: string) => boolean): string | undefined {
    const candidates = [
      base,
      ...MODEL_EXTENSIONS.map((e) => base + e),
      ...MODEL_EXTENSIONS.map((e) => path.join(base, 'index' + e)),
    ];
    // `import './x.js'` in TypeScript refers to x.ts.
    if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/\.([cm]?)js$/, '.$1ts'));
    for (const c of candidates) {
      if (accept(c) && isFile(c)) return c;
    }
    return undefined;
  }
}

/** `./x`, `../x`, `.` or `..` (also with `\\` on Windows), as Node's `require` reads them. */
function isRelative(id: string): boolean {
  return (path.sep === '\\' ? /^\.\.?(?:$|[\\/])/ : /^\.\.?(?:$|\/)/).test(id);
}

/** A model file's extension, and no node_modules segment in `p`. */
function isModelPath(p: string): boolean {
  return !p.split(/[\\/]/).includes('node_modules') && MODEL_EXTENSIONS.includes(path.extname(p));
}

function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
