/**
 * Named interrupt breakpoints in the worker (DAP function breakpoints): each has a parsed name
 * (src/runtime/interrupt-breakpoint.ts), an optional condition and log message over the
 * interrupt's names (vector, cpu, virq, hwirq, slot, index, source, bdf, irte, pasid, fault)
 * and a hit condition.
 */
import {
  isFaultBreakpoint,
  matchesInterrupt,
  parseInterruptBreakpoint,
  type InterruptBreakpoint,
} from '../interrupt-breakpoint';
import { parseHitCondition, type HitPredicate } from '../hit-condition';
import { parseLogMessage, renderLogMessage } from '../log-message';
import type { BreakpointResult, FunctionBreakpointSpec } from '../protocol';
import { ENV_NAMES, type InterruptEnv } from './filters';

interface Entry {
  id: number;
  bp: InterruptBreakpoint;
  condition: ((env: InterruptEnv) => unknown) | null;
  hit: HitPredicate | null;
  hits: number;
  log: ReturnType<typeof parseLogMessage> | null;
}

export class FunctionBreakpoints {
  private entries: Entry[] = [];

  /** Replaces the set; one result per spec (unverified, with the reason, when it does not parse). */
  set(specs: readonly FunctionBreakpointSpec[]): BreakpointResult[] {
    this.entries = [];
    return specs.map((s) => {
      try {
        const bp = parseInterruptBreakpoint(s.name);
        const cond = s.condition?.trim();
        this.entries.push({
          id: s.id,
          bp,
          condition: cond ? compile(cond) : null,
          hit: s.hitCondition?.trim() ? parseHitCondition(s.hitCondition) : null,
          hits: 0,
          log: s.logMessage ? parseLogMessage(s.logMessage) : null,
        });
        return { id: s.id, verified: true };
      } catch (e) {
        return { id: s.id, verified: false, message: e instanceof Error ? e.message : String(e) };
      }
    });
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * An interrupt is taken (`faults` false) or a fault happens (`faults` true): returns the log
   * lines to print and the ids of breakpoints to stop for. A condition that throws stops and
   * reports through `onError`.
   */
  reached(
    env: InterruptEnv,
    irUnit: number | null,
    faults: boolean,
    onError: (msg: string) => void,
  ): { logs: string[]; stopIds: number[] } {
    const logs: string[] = [];
    const stopIds: number[] = [];
    for (const e of this.entries) {
      if (isFaultBreakpoint(e.bp) !== faults || !matchesInterrupt(e.bp, env, irUnit)) continue;
      if (e.condition) {
        let ok = true;
        try {
          ok = Boolean(e.condition(env));
        } catch (err) {
          onError(
            `condition of breakpoint "${e.bp.kind}" threw: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        if (!ok) continue;
      }
      e.hits++;
      if (e.hit && !e.hit(e.hits)) continue;
      if (e.log) logs.push(renderLogMessage(e.log, (expr) => compile(expr)(env), show));
      else stopIds.push(e.id);
    }
    return { logs, stopIds };
  }
}

function compile(expr: string): (env: InterruptEnv) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the user's expression over the interrupt's names
  const fn = new Function(...ENV_NAMES, `"use strict"; return (${expr});`) as (
    ...a: unknown[]
  ) => unknown;
  return (env) => fn(...ENV_NAMES.map((n) => env[n]));
}

function show(v: unknown): string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 16) return `0x${v.toString(16)}`;
  return typeof v === 'string' ? v : String(v);
}
