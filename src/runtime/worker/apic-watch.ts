/**
 * Watching a CPU's IRR and ISR for data breakpoints. They are APIC state, not memory, so the
 * memory watch cannot see them: while a watch is set, the worker wraps the watched CPUs' APIC
 * methods that change them (accept sets IRR, acknowledge moves IRR → ISR, eoi clears ISR, reset
 * clears both) on those instances only. The wrappers call the APIC's own method unchanged and
 * then report a change — they observe, never alter, the platform's semantics — and are removed
 * (the prototype's methods show through again) when the last watch of a CPU goes, so an
 * unwatched APIC costs nothing.
 */
import { LocalApic } from '../../platform/apic/lapic';

export type ApicReg = 'IRR' | 'ISR';

/** A change of a watched register: its 256 bits before and after (8 words, vector v = bit v). */
export interface ApicChange {
  readonly cpu: number;
  readonly reg: ApicReg;
  readonly before: Uint32Array;
  readonly after: Uint32Array;
}

/** What the APIC operations are called in descriptions. */
const OPS: Readonly<Record<string, string>> = {
  accept: 'message accepted',
  acknowledge: 'INTA',
  eoi: 'EOI',
  reset: 'INIT',
};

const METHODS = ['accept', 'acknowledge', 'eoi', 'reset'] as const;

export class ApicWatch {
  private readonly patched = new Set<LocalApic>();

  /**
   * Watches `regs` of each CPU in `watched` (replacing the previous set) and reports the changes
   * one APIC operation made (INTA changes IRR and ISR at once) to `onChange`, after it completed,
   * with the operation's name (`message accepted`, `INTA`, `EOI`, `INIT`).
   */
  set(
    apics: readonly LocalApic[],
    watched: ReadonlyMap<number, ReadonlySet<ApicReg>>,
    onChange: (changes: readonly ApicChange[], op: string) => void,
  ): void {
    for (const apic of this.patched) for (const name of METHODS) Reflect.deleteProperty(apic, name);
    this.patched.clear();
    for (const [cpu, regs] of watched) {
      const apic = apics[cpu];
      if (apic === undefined || regs.size === 0) continue;
      for (const name of METHODS) {
        const original = Reflect.get(LocalApic.prototype, name) as (
          this: LocalApic,
          ...a: unknown[]
        ) => unknown;
        Object.defineProperty(apic, name, {
          configurable: true,
          writable: true,
          value: (...args: unknown[]): unknown => {
            const irr = apic.irr.slice();
            const isr = apic.isr.slice();
            const r = original.apply(apic, args);
            const changes: ApicChange[] = [];
            if (regs.has('IRR') && differs(irr, apic.irr))
              changes.push({ cpu, reg: 'IRR', before: irr, after: apic.irr.slice() });
            if (regs.has('ISR') && differs(isr, apic.isr))
              changes.push({ cpu, reg: 'ISR', before: isr, after: apic.isr.slice() });
            if (changes.length > 0) onChange(changes, OPS[name] ?? name);
            return r;
          },
        });
      }
      this.patched.add(apic);
    }
  }
}

function differs(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
  return false;
}
