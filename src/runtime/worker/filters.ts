/**
 * Interrupt "exception" filters: stop when an interrupt is taken (`interrupt`), when an IR unit
 * blocks a message (`remapFault`), when a message meets a masked entry (`maskedMessage`), and on
 * an uncaught model exception (`uncaught`). A filter's condition is a JS expression over the
 * event's `vector`, `cpu`, `virq`, `hwirq`, `slot`, `index`, `source`, `bdf`, `irte`, `pasid`,
 * `fault` (absent values are null); a condition that does not compile is reported and refused.
 */
import type { TraceEvent } from '../../platform/trace';
import { describeOrigin } from '../../platform/trace';
import { faultReasonText } from '../../platform/remap/faults';
import type { ExceptionFilterSetting } from '../protocol';

/** What a condition sees. */
export interface InterruptEnv {
  vector: number | null;
  cpu: number | null;
  virq: number | null;
  hwirq: number | null;
  slot: number | null;
  index: number | null;
  source: string | null;
  bdf: string | null;
  irte: number | null;
  pasid: number | null;
  fault: number | null;
}

export const ENV_NAMES = [
  'vector',
  'cpu',
  'virq',
  'hwirq',
  'slot',
  'index',
  'source',
  'bdf',
  'irte',
  'pasid',
  'fault',
] as const;

interface Filter {
  test: (env: InterruptEnv) => boolean;
}

export class InterruptFilters {
  private readonly filters = new Map<string, Filter>();

  /**
   * Replaces the enabled filters. Returns per setting `null` (accepted) or the reason a
   * condition was refused.
   */
  set(settings: readonly ExceptionFilterSetting[]): (string | null)[] {
    this.filters.clear();
    return settings.map((s) => {
      const cond = s.condition?.trim();
      if (!cond) {
        this.filters.set(s.filterId, { test: () => true });
        return null;
      }
      try {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the user's condition, compiled once
        const fn = new Function(...ENV_NAMES, `"use strict"; return (${cond});`) as (
          ...a: unknown[]
        ) => unknown;
        this.filters.set(s.filterId, {
          test: (env) => Boolean(fn(...ENV_NAMES.map((n) => env[n]))),
        });
        return null;
      } catch (e) {
        return `condition "${cond}" does not compile: ${e instanceof Error ? e.message : String(e)}`;
      }
    });
  }

  enabled(id: string): boolean {
    return this.filters.has(id);
  }

  /** Whether filter `id` is on and its condition holds for `env` (a throwing condition counts as true). */
  matches(id: string, env: InterruptEnv): { hit: boolean; error?: string } {
    const f = this.filters.get(id);
    if (f === undefined) return { hit: false };
    try {
      return { hit: f.test(env) };
    } catch (e) {
      return {
        hit: true,
        error: `condition of '${id}' threw: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }
}

/** The condition environment of a trace event (plus the hwirq of the irq it reached, if known). */
export function envOfEvent(
  ev: TraceEvent | undefined,
  hwirq: number | null,
  override: Partial<InterruptEnv> = {},
): InterruptEnv {
  return {
    vector: ev?.vector ?? null,
    cpu: ev?.cpu ?? null,
    virq: ev?.virq ?? null,
    hwirq,
    slot: ev?.source === 'ims' ? ev.index : null,
    index: ev?.index ?? null,
    source: ev?.source ?? null,
    bdf: ev?.bdf ?? null,
    irte: ev?.irte ?? null,
    pasid: ev?.pasid ?? null,
    fault: ev?.fault ?? null,
    ...override,
  };
}

const vec = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

/** "vector 0x41 → CPU 2 via IRTE 17 from IMS slot 3 of 0000:6a:01.0" (irq 33). */
export function describeDelivery(
  vector: number,
  cpu: number,
  irq: number,
  ev: TraceEvent | undefined,
): string {
  let s = `vector ${vec(vector)} → CPU ${cpu}`;
  if (ev === undefined) return `${s} (irq ${irq}; replayed by the kernel, not a device message)`;
  if (ev.irte !== null) s += ` via IRTE ${ev.irte}`;
  return `${s} from ${describeOrigin(ev.source, ev.index, ev.bdf)} (irq ${irq})`;
}

/** The description of a remapping fault event. */
export function describeFault(ev: TraceEvent): string {
  const code = ev.fault ?? 0;
  const irte = ev.irte === null ? '' : ` at IRTE ${ev.irte}`;
  return `remapping fault 0x${code.toString(16)} (${faultReasonText(code)})${irte} for a message from ${describeOrigin(ev.source, ev.index, ev.bdf)}`;
}

/** The description of a message held by a masked entry. */
export function describeMasked(ev: TraceEvent): string {
  return `message #${ev.id} from ${describeOrigin(ev.source, ev.index, ev.bdf)} is held pending: the ${ev.source === 'ims' ? 'slot' : 'entry'} is masked`;
}
