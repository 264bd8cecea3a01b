// The edit and table side of the instrumenter: inserts text without moving lines, and
// records sites, functions and scopes with their positions in the model's source.
//
// Insertion order at one offset: text that closes a construct (`prependLeft`) always comes
// before text that opens one (`appendRight`); among openers, the first inserted comes first
// (outer before inner); among closers, the last inserted comes first (inner before outer).
// The traversal inserts each construct's opener and closer before visiting its children, so
// constructs that start or end at the same offset nest correctly.

import { MagicString } from './deps';
import { ColumnMap, LineIndex } from './positions';
import type {
  FunctionInfo,
  HookNames,
  NextIds,
  ScopeInfo,
  ScopeKind,
  SiteInfo,
  SiteKind,
  SourceRange,
} from './types';

/** The innermost scope level that has a closure. */
export interface ScopeRef {
  id: number;
  depth: number;
}

/** Where the traversal is: which function, and which scope level. */
export interface Context {
  fid: number;
  /** The function has a frame (`enter`/`leave`) — and so may own scope closures. */
  framed: boolean;
  /** Async function or generator: may suspend. */
  suspends: boolean;
  strict: boolean;
  scope: ScopeRef | null;
}

/** Text insertion plus site/function/scope tables for one model file. */
export class Emitter {
  readonly sites: SiteInfo[] = [];
  readonly functions: FunctionInfo[] = [];
  readonly scopes: ScopeInfo[] = [];
  private readonly out: MagicString;
  private readonly lines: LineIndex;

  constructor(
    readonly code: string,
    private readonly columns: ColumnMap | null,
    readonly names: HookNames,
    readonly locals: boolean,
    private readonly file: string,
    private readonly base: NextIds,
  ) {
    this.out = new MagicString(code);
    this.lines = new LineIndex(code);
  }

  /** The instrumented code. */
  toString(): string {
    return this.out.toString();
  }

  /** Next free ids. */
  get next(): NextIds {
    return {
      siteBase: this.base.siteBase + this.sites.length,
      fidBase: this.base.fidBase + this.functions.length,
      scopeBase: this.base.scopeBase + this.scopes.length,
    };
  }

  /** Inserts text that opens a construct at `offset`. */
  open(offset: number, text: string): void {
    this.out.appendRight(offset, text);
  }

  /** Inserts text that closes a construct at `offset`. */
  close(offset: number, text: string): void {
    this.out.prependLeft(offset, text);
  }

  /** Declares that generated `offset` on line 1 is the model's column 0 (after a prefix). */
  anchorLineOne(offset: number): void {
    this.columns?.anchor(1, offset);
  }

  /** Line and source column of a generated offset. */
  position(offset: number): { line: number; column: number } {
    const at = this.lines.locate(offset);
    return {
      line: at.line,
      column: this.columns ? this.columns.sourceColumn(at.line, at.column) : at.column,
    };
  }

  /** Source range fields of generated offsets [start, end). */
  range(start: number, end: number): SourceRange {
    const to = this.position(end);
    return { ...this.position(start), endLine: to.line, endColumn: to.column };
  }

  /** Records a function spanning generated offsets [start, end); returns its fid. */
  addFunction(
    info: Omit<FunctionInfo, 'fid' | 'file' | keyof SourceRange>,
    start: number,
    end: number,
  ): number {
    const fid = this.base.fidBase + this.functions.length;
    this.functions.push({ fid, file: this.file, ...this.range(start, end), ...info });
    return fid;
  }

  /** Records a site at `at` and inserts its hook call there (as an opener). */
  hook(ctx: Context, at: number, kind: SiteKind, insertAt = at): void {
    this.open(insertAt, this.hookText(this.addSite(ctx, at, kind)));
  }

  /** Records a site without inserting anything; returns its id. */
  addSite(ctx: Context, at: number, kind: SiteKind): number {
    const id = this.base.siteBase + this.sites.length;
    const scope = ctx.scope;
    this.sites.push({
      id,
      ...this.position(at),
      fid: ctx.fid,
      depth: scope ? scope.depth : -1,
      scope: scope ? scope.id : -1,
      kind,
    });
    return id;
  }

  /**
   * Opens a scope level spanning generated offsets [start, end) below `ctx.scope` (when the
   * function is framed and locals are on) and returns it; the caller inserts {@link closureText} where the scope's code starts.
   */
  addScope(
    ctx: Context,
    kind: ScopeKind,
    names: string[],
    start: number,
    end: number,
  ): ScopeRef | null {
    if (!ctx.framed || !this.locals) return null;
    const id = this.base.scopeBase + this.scopes.length;
    const depth = ctx.scope ? ctx.scope.depth + 1 : 0;
    this.scopes.push({
      id,
      fid: ctx.fid,
      depth,
      parent: ctx.scope ? ctx.scope.id : -1,
      kind,
      ...this.range(start, end),
      names: [...new Set(names)],
    });
    return { id, depth };
  }

  /** `__h(id);` */
  hookText(site: number): string {
    return `${this.names.hook}(${site});`;
  }

  /** `__F.s[depth]=(__x)=>eval(__x);` */
  closureText(depth: number): string {
    const { frame, evalArg } = this.names;
    return `${frame}.s[${depth}]=(${evalArg})=>eval(${evalArg});`;
  }

  /** `const __F=__enter(fid);try{` plus the level-0 closure when locals are on. */
  frameOpenText(fid: number): string {
    const { frame, enter } = this.names;
    const closure = this.locals ? this.closureText(0) : '';
    return `const ${frame}=${enter}(${fid});try{${closure}`;
  }

  /** `}catch(__e){__throw(__e,__F);throw __e}finally{__leave(__F)}` */
  frameCloseText(): string {
    const { frame, error, leave } = this.names;
    return `}catch(${error}){${this.names.throw}(${error},${frame});throw ${error}}finally{${leave}(${frame})}`;
  }

  /** `__t(1);try{` */
  tryOpenText(): string {
    return `${this.names.tryCount}(1);try{`;
  }

  /** `}finally{__t(-1)}` */
  tryCloseText(): string {
    return `}finally{${this.names.tryCount}(-1)}`;
  }
}
