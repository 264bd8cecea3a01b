/**
 * Line breakpoints in the worker. Specs arrive per source file (setBreakpoints replaces a file's
 * set); they bind to the first statement site on the requested line or, when that line has no
 * statement, on the next line that has one (the result says which line). A file not loaded yet
 * keeps its specs unverified until it is. Hitting a bound site checks the condition, counts the
 * hit against the hit condition and either logs (logpoint) or stops.
 */
import path from 'node:path';
import type { SiteInfo } from '../instrument';
import type { BreakpointResult, BreakpointSpec } from '../protocol';
import { parseHitCondition, type HitPredicate } from '../hit-condition';
import { parseLogMessage, renderLogMessage } from '../log-message';

interface Bound {
  spec: BreakpointSpec;
  site: number;
  hits: number;
  hit: HitPredicate | null;
  log: ReturnType<typeof parseLogMessage> | null;
}

/** What a reached site asks for: logpoint lines to print, and breakpoint ids to stop for. */
export interface BreakpointAction {
  logs: string[];
  stopIds: number[];
}

export class Breakpoints {
  private readonly specs = new Map<string, BreakpointSpec[]>();
  private readonly sitesByFile = new Map<string, SiteInfo[]>();
  private readonly bySite = new Map<number, Bound[]>();
  private readonly boundByFile = new Map<string, Bound[]>();

  /** @param bytes the shared per-site breakpoint bytes the hook reads */
  constructor(private readonly bytes: Uint8Array) {}

  /** A file was transformed: bind its pending specs. Returns the results to announce. */
  fileLoaded(file: string, sites: readonly SiteInfo[]): BreakpointResult[] | undefined {
    const key = norm(file);
    this.sitesByFile.set(key, [...sites]);
    const specs = this.specs.get(key);
    return specs ? this.bind(key, specs) : undefined;
  }

  /** setBreakpoints for `file`: replaces its breakpoints, returns one result per spec. */
  set(file: string, specs: readonly BreakpointSpec[]): BreakpointResult[] {
    const key = norm(file);
    this.specs.set(key, [...specs]);
    return this.bind(key, specs);
  }

  private bind(key: string, specs: readonly BreakpointSpec[]): BreakpointResult[] {
    for (const old of this.boundByFile.get(key) ?? []) {
      const rest = (this.bySite.get(old.site) ?? []).filter((b) => b !== old);
      if (rest.length > 0) this.bySite.set(old.site, rest);
      else {
        this.bySite.delete(old.site);
        this.bytes[old.site] = 0;
      }
    }
    const bound: Bound[] = [];
    this.boundByFile.set(key, bound);
    const sites = this.sitesByFile.get(key);
    return specs.map((spec) => {
      if (sites === undefined)
        return {
          id: spec.id,
          verified: false,
          message: 'the model has not loaded this file (yet)',
        };
      const site = pickSite(sites, spec.line);
      if (site === undefined)
        return {
          id: spec.id,
          verified: false,
          line: spec.line,
          message: 'no statement on or after this line',
        };
      let hit: HitPredicate | null = null;
      if (spec.hitCondition?.trim()) {
        try {
          hit = parseHitCondition(spec.hitCondition);
        } catch (e) {
          return { id: spec.id, verified: false, line: spec.line, message: (e as Error).message };
        }
      }
      const b: Bound = {
        spec,
        site: site.id,
        hits: 0,
        hit,
        log: spec.logMessage ? parseLogMessage(spec.logMessage) : null,
      };
      bound.push(b);
      this.bySite.set(site.id, [...(this.bySite.get(site.id) ?? []), b]);
      this.bytes[site.id] = 1;
      return { id: spec.id, verified: true, line: site.line, column: site.column + 1 };
    });
  }

  /**
   * Site `site` was reached: evaluates conditions with `evaluate` (in the stopped frame) and
   * hit counts of every breakpoint bound to it; returns what to do: stop (for all breakpoints
   * that stop), else log (the logpoints' messages, one line each). A condition that throws
   * stops (and says why through `onError`).
   */
  reached(
    site: number,
    evaluate: (expr: string) => unknown,
    show: (v: unknown) => string,
    onError: (msg: string) => void,
  ): BreakpointAction {
    const list = this.bySite.get(site);
    if (list === undefined) return { logs: [], stopIds: [] };
    const stopIds: number[] = [];
    const logs: string[] = [];
    for (const b of list) {
      const cond = b.spec.condition?.trim();
      if (cond) {
        let ok: boolean;
        try {
          ok = Boolean(evaluate(cond));
        } catch (e) {
          onError(
            `breakpoint condition "${cond}" threw: ${e instanceof Error ? e.message : String(e)}`,
          );
          ok = true;
        }
        if (!ok) continue;
      }
      b.hits++;
      if (b.hit && !b.hit(b.hits)) continue;
      if (b.log) logs.push(renderLogMessage(b.log, evaluate, show));
      else stopIds.push(b.spec.id);
    }
    // Every breakpoint on the site is counted; a stop wins over logpoints on the same site.
    return { logs, stopIds };
  }
}

/** The first statement site on `line`, else on the nearest following line that has one. */
function pickSite(sites: readonly SiteInfo[], line: number): SiteInfo | undefined {
  let best: SiteInfo | undefined;
  for (const s of sites) {
    if (s.line < line) continue;
    if (
      best === undefined ||
      s.line < best.line ||
      (s.line === best.line && s.column < best.column)
    )
      best = s;
  }
  return best;
}

function norm(file: string): string {
  const p = path.resolve(file);
  return process.platform === 'win32' ? p.toLowerCase() : p;
}
