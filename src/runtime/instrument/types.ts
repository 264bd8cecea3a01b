// Shapes shared by the load and instrument stages and by the runtime that consumes them.

/**
 * Identifiers the generated code uses. The first five are provided by the runtime (as
 * globals or as parameters of the module wrapper); the last three are locals the
 * generated code declares itself, so model code must not use them.
 */
export interface HookNames {
  /** `hook(siteId): void` — called before every statement. */
  hook: string;
  /** `enter(fid): Frame` — called on entry of every framed function. */
  enter: string;
  /** `leave(frame): void` — called on every exit (return or throw) of a framed function. */
  leave: string;
  /** `throw(error, frame): void` — called when an exception leaves a framed function. */
  throw: string;
  /** `tryCount(delta: 1 | -1): void` — brackets the protected block of a catching `try`. */
  tryCount: string;
  /** Local const holding the frame object of the current activation. */
  frame: string;
  /** Catch parameter of the generated frame guard. */
  error: string;
  /** Parameter of the scope closures (`(x) => eval(x)`). */
  evalArg: string;
}

/** The default hook names. */
export const DEFAULT_NAMES: Readonly<HookNames> = {
  hook: '__h',
  enter: '__enter',
  leave: '__leave',
  throw: '__throw',
  tryCount: '__t',
  frame: '__F',
  error: '__e',
  evalArg: '__x',
};

/** Options of {@link transformModel}. Every field is optional. */
export interface TransformOptions {
  /** false: load only (TypeScript/ESM → CommonJS), no hooks and empty tables. Default true. */
  instrument?: boolean;
  /** false: no scope closures (faster, but locals cannot be read). Default true. */
  locals?: boolean;
  /** First site id to allocate. Default 0. */
  siteBase?: number;
  /** First function id to allocate. Default 0. */
  fidBase?: number;
  /** First scope id to allocate. Default 0. */
  scopeBase?: number;
  /** Hook identifiers; defaults in {@link DEFAULT_NAMES}. */
  names?: Partial<HookNames>;
}

/**
 * Why a site exists: `statement` precedes a statement of the model; `loop` is the hook in a
 * loop body that has no statement of its own (`while (x) {}`), there so that a pause can
 * interrupt the loop; `entry` is the hook of a function whose body is empty.
 */
export type SiteKind = 'statement' | 'loop' | 'entry';

/** One hook call site `hook(id)`. */
export interface SiteInfo {
  /** Globally unique site id (argument of the hook). */
  id: number;
  /** 1-based line in the model's own source (equal in the generated code). */
  line: number;
  /** 0-based column in the model's own source (UTF-16 units). */
  column: number;
  /** Id of the enclosing function (or module). */
  fid: number;
  /**
   * Index into `frame.s` of the innermost scope closure in force at this site, or -1 when
   * the function has no frame or locals are off. Levels 0..depth are all valid at the site.
   */
  depth: number;
  /** Id of the innermost scope (see {@link ScopeInfo}), or -1 like `depth`. */
  scope: number;
  kind: SiteKind;
}

/** What kind of function a {@link FunctionInfo} describes. */
export type FunctionKind =
  'module' | 'function' | 'arrow' | 'method' | 'getter' | 'setter' | 'constructor' | 'static-block';

/** A range of the model's source: 1-based lines, 0-based columns, end exclusive. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One function (or the module body) of the model; the range covers the whole function. */
export interface FunctionInfo extends SourceRange {
  fid: number;
  /**
   * Display name after V8's rules: declarations and named expressions by their own name,
   * anonymous ones by the binding or property they are assigned to (`f`, `obj.m`,
   * `this.cb`), methods as `Class.m`, accessors as `get Class.x`, constructors as
   * `new Class`, class static blocks as `Class.<static_initializer>`, the module body as
   * `<module>`, anything else as `<anonymous>`.
   */
  name: string;
  kind: FunctionKind;
  /** The model file (the `filename` argument). */
  file: string;
  /** Names bound by the parameters, in order (destructuring flattened). */
  params: string[];
  /**
   * true: calls `enter`/`leave`/`throw` and owns scope closures. false for async functions,
   * generators, and functions whose body cannot be wrapped in a block without changing its
   * meaning (a `var` and a function declaration of one name, or duplicate function
   * declarations in strict code); their sites still call the hook.
   */
  frame: boolean;
  async: boolean;
  generator: boolean;
}

/** The kind of syntax that opens a {@link ScopeInfo}. */
export type ScopeKind = 'function' | 'block' | 'loop' | 'catch' | 'switch';

/**
 * One scope level that has a closure: a function body (depth 0), or a nested block, loop
 * body, catch clause or switch that declares names lexically. The range lets a runtime find
 * the innermost scope of a caller frame from the position V8 reports for its call; within
 * the range the closure may not exist yet (a switch's case tests, a loop's head): fall
 * back to the parent then.
 */
export interface ScopeInfo extends SourceRange {
  /** Globally unique scope id. */
  id: number;
  fid: number;
  /** Index into the frame's `s` array where this scope's closure is stored. */
  depth: number;
  /** Enclosing scope id, -1 for the function level. */
  parent: number;
  kind: ScopeKind;
  /**
   * Names declared at this level, in source order: for the function level its parameters,
   * `var`s, function declarations and top-level `let`/`const`/`class`; for the others their
   * `let`/`const`/`class`/function declarations (and a loop's head bindings, a catch
   * parameter).
   */
  names: string[];
}

/** Next free ids after a transform: spread into the options of the next file's transform. */
export interface NextIds {
  siteBase: number;
  fidBase: number;
  scopeBase: number;
}

/** Result of {@link transformModel}. */
export interface TransformResult {
  /** CommonJS JavaScript with exactly the model's line structure. */
  code: string;
  /** Indexed by `id - siteBase`. */
  sites: SiteInfo[];
  /** Indexed by `fid - fidBase`; the module body comes first. */
  functions: FunctionInfo[];
  /** Indexed by `id - scopeBase`. */
  scopes: ScopeInfo[];
  next: NextIds;
  /** The model's own module format (the generated code is always CommonJS). */
  format: 'commonjs' | 'esm';
  typescript: boolean;
}
