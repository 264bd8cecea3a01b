/**
 * Named interrupt breakpoints: the names a user types as DAP function breakpoints, and which
 * interrupts they match. The grammar (case-insensitive, numbers decimal or 0x-hex):
 *
 *   vector <v>[@cpu<n>]      a CPU takes vector v (on CPU n)
 *   ims [<bdf>/]<slot>        a message from IMS slot `slot` (of device `bdf`) is taken
 *   msix [<bdf>/]<entry>      a message from MSI-X entry `entry` (of device `bdf`) is taken
 *   irte [<unit>:]<index>     a message translated through IRTE `index` (of INTEL-IR-<unit>)
 *   virq <n> | irq <n>        Linux irq n is taken
 *   fault [<reason>]          an IR unit blocks a message (with VT-d fault reason `reason`)
 *
 * Delivery names stop at the handler's first statement, like the `interrupt` exception filter;
 * `fault` stops where the fault happens, like `remapFault`.
 */
import type { InterruptEnv } from './worker/filters';

export type InterruptBreakpointKind = 'vector' | 'ims' | 'msix' | 'irte' | 'virq' | 'fault';

/** A parsed name. Unset fields match anything. */
export interface InterruptBreakpoint {
  kind: InterruptBreakpointKind;
  /** vector, slot/entry, IRTE index, irq number, or fault reason. */
  value?: number;
  cpu?: number;
  bdf?: string;
  /** IR unit for `irte`. */
  unit?: number;
}

const NUM = '(0x[0-9a-f]+|\\d+)';
const BDF = '([0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7])';
const FORMS: readonly [RegExp, (m: RegExpExecArray) => InterruptBreakpoint][] = [
  [
    new RegExp(`^vector\\s+${NUM}(?:\\s*@\\s*cpu\\s*${NUM})?$`),
    (m) => ({ kind: 'vector', value: num(m[1]), ...(m[2] ? { cpu: num(m[2]) } : {}) }),
  ],
  [
    new RegExp(`^(ims|msix)\\s+(?:${BDF}\\s*/\\s*)?${NUM}$`),
    (m) => ({ kind: m[1] as 'ims' | 'msix', value: num(m[3]), ...(m[2] ? { bdf: m[2] } : {}) }),
  ],
  [
    new RegExp(`^irte\\s+(?:${NUM}\\s*:\\s*)?${NUM}$`),
    (m) => ({ kind: 'irte', value: num(m[2]), ...(m[1] ? { unit: num(m[1]) } : {}) }),
  ],
  [new RegExp(`^(?:virq|irq)\\s+${NUM}$`), (m) => ({ kind: 'virq', value: num(m[1]) })],
  [
    new RegExp(`^fault(?:\\s+${NUM})?$`),
    (m) => ({ kind: 'fault', ...(m[1] ? { value: num(m[1]) } : {}) }),
  ],
];

function num(s: string | undefined): number {
  return s === undefined ? NaN : s.startsWith('0x') ? parseInt(s.slice(2), 16) : Number(s);
}

/**
 * Parses a breakpoint name. Throws Error with a message that says what was expected when the
 * name does not parse or a value is out of range.
 */
export function parseInterruptBreakpoint(name: string): InterruptBreakpoint {
  const text = name.trim().toLowerCase().replace(/\s+/g, ' ');
  for (const [re, make] of FORMS) {
    const m = re.exec(text);
    if (m === null) continue;
    const bp = make(m);
    check(bp);
    return bp;
  }
  throw new Error(
    `"${name}" is not an interrupt breakpoint: use vector 0x41[@cpu2], ims [<bdf>/]3, msix [<bdf>/]1, irte [<unit>:]17, virq 45, fault [0x22]`,
  );
}

function check(bp: InterruptBreakpoint): void {
  const v = bp.value;
  if (bp.kind === 'vector' && v !== undefined && (v < 0x10 || v > 0xff))
    throw new Error(`vector ${v}: device vectors are 0x10–0xff`);
  if (bp.kind === 'fault' && v !== undefined && (v < 0x20 || v > 0x27))
    throw new Error(`fault 0x${v.toString(16)}: interrupt-remapping fault reasons are 0x20–0x27`);
  if (bp.kind === 'ims' && v !== undefined && v > 0xffff)
    throw new Error(`ims ${v}: slot numbers are 16 bits`);
  if (bp.kind === 'msix' && v !== undefined && v > 2047)
    throw new Error(`msix ${v}: MSI-X tables have at most 2048 entries`);
  if (bp.kind === 'irte' && v !== undefined && v > 0xffff)
    throw new Error(`irte ${v}: IRTE indices are 0–65535`);
  if (bp.cpu !== undefined && bp.cpu > 63) throw new Error(`cpu${bp.cpu}: at most 64 CPUs`);
}

/** Whether `bp` matches an interrupt taken (or a fault, for `fault`) described by `env`. */
export function matchesInterrupt(
  bp: InterruptBreakpoint,
  env: InterruptEnv,
  irUnit: number | null,
): boolean {
  switch (bp.kind) {
    case 'vector':
      return env.vector === bp.value && (bp.cpu === undefined || env.cpu === bp.cpu);
    case 'ims':
    case 'msix':
      return (
        env.source === bp.kind &&
        env.index === bp.value &&
        (bp.bdf === undefined || env.bdf === bp.bdf)
      );
    case 'irte':
      return env.irte === bp.value && (bp.unit === undefined || irUnit === bp.unit);
    case 'virq':
      return env.virq === bp.value;
    case 'fault':
      return env.fault !== null && (bp.value === undefined || env.fault === bp.value);
  }
}

/** Whether the breakpoint stops at faults (where they happen) rather than at handler entry. */
export function isFaultBreakpoint(bp: InterruptBreakpoint): boolean {
  return bp.kind === 'fault';
}
