/**
 * printk and friends (include/linux/printk.h, dev_printk.h) with the kernel's format
 * conversions (Documentation/core-api/printk-formats.rst) that matter for driver code:
 * %d %i %u %x %X %o %c %s %p %% with flags, width, precision and length modifiers (l, ll, h,
 * hh, z, t — accepted and ignored: JS numbers carry their own width), plus %pa/%pap/%pad (a
 * phys_addr_t or dma_addr_t as 0x%016llx) and %pe (an errno as -EINVAL). Other %p extensions
 * print the address. bigint arguments print exactly.
 */
import type { LogLevel } from '../../platform/irq/core';
import type { KernelContext } from './context';
import { errno } from './errno';

/** errno → name, for every errno the kernel API exports. */
const ERRNO_NAMES = new Map<number, string>(Object.entries(errno).map(([k, v]) => [v, k]));

/** `%p` takes the letters and digits after it as its extension, as vsnprintf does. */
const SPEC =
  /%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*)?)?(?:hh|h|ll|l|z|t|j)?(?:([diuxXocs%])|p([A-Za-z0-9]*))/g;

/** Formats like the kernel's vsnprintf for the conversions listed above. */
export function kformat(fmt: unknown, args: readonly unknown[]): string {
  let i = 0;
  return String(fmt).replace(
    SPEC,
    (
      whole,
      flags: string,
      width: string | undefined,
      prec: string | undefined,
      other: string | undefined,
      ext: string | undefined,
    ) => {
      const conv = other ?? 'p';
      if (conv === '%') return '%';
      let w = width === '*' ? int(args[i++]) : width ? Number(width) : 0;
      let left = flags.includes('-');
      // A negative `*` width left-justifies; a negative `.*` precision is 0 (lib/vsprintf.c).
      if (w < 0) {
        w = -w;
        left = true;
      }
      const p = prec === '*' ? Math.max(0, int(args[i++])) : prec ? Number(prec) : undefined;
      const arg = args[i++];
      let s: string;
      switch (conv) {
        case 'd':
        case 'i': {
          const v = toBig(arg);
          const sign = v < 0n ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
          s = sign + digits(v < 0n ? -v : v, 10, p);
          break;
        }
        case 'u':
          s = digits(BigInt.asUintN(64, toBig(arg)), 10, p);
          break;
        case 'x':
        case 'X': {
          const v = BigInt.asUintN(64, toBig(arg));
          s = digits(v, 16, p);
          // lib/vsprintf.c number(): the 0x prefix even for zero (unlike C's printf).
          if (flags.includes('#')) s = '0x' + s;
          if (conv === 'X') s = s.toUpperCase();
          break;
        }
        case 'o': {
          const v = BigInt.asUintN(64, toBig(arg));
          s = digits(v, 8, p);
          if (flags.includes('#') && v !== 0n) s = '0' + s;
          break;
        }
        case 'c':
          s = String.fromCharCode(Number(arg));
          break;
        case 's':
          s = str(arg);
          if (p !== undefined) s = s.slice(0, p);
          break;
        case 'p':
          // %pa, %pad, %pap: a phys_addr_t or dma_addr_t, always 0x%016llx (no field width).
          if (ext?.startsWith('a')) return addr64(arg);
          s = ext?.startsWith('e') ? errname(Number(arg)) : addr64(arg);
          return pad(s, w, left, false);
        default:
          return whole;
      }
      const zero = flags.includes('0') && !left && conv !== 's' && conv !== 'c';
      return pad(s, w, left, zero);
    },
  );
}

/** `v` in `base`, with leading zeros up to `precision` digits. */
function digits(v: bigint, base: number, precision: number | undefined): string {
  return v.toString(base).padStart(precision ?? 0, '0');
}

/** `v` as a 64-bit address: 0x and 16 hex digits. */
function addr64(v: unknown): string {
  return '0x' + BigInt.asUintN(64, toBig(v)).toString(16).padStart(16, '0');
}

/** An `int` argument of `*` (0 when it is no number). */
function int(v: unknown): number {
  return Math.trunc(Number(v)) || 0;
}

/** What %s prints for any value (the kernel would print a string pointer's text). */
function str(v: unknown): string {
  if (v === null || v === undefined) return '(null)';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    return JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'bigint' ? `0x${x.toString(16)}` : x,
    );
  }
  if (typeof v === 'function') return `${v.name || 'anonymous'}()`;
  if (typeof v === 'symbol') return v.toString();
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '?';
}

function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const n = Number(v);
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

function pad(s: string, w: number, left: boolean, zero: boolean): string {
  if (s.length >= w) return s;
  if (left) return s.padEnd(w);
  if (!zero) return s.padStart(w);
  const sign = /^[-+ ]/.test(s) ? s[0]! : '';
  const pre = /^0x/i.test(s.slice(sign.length)) ? s.slice(sign.length, sign.length + 2) : '';
  const body = s.slice(sign.length + pre.length);
  return sign + pre + body.padStart(w - sign.length - pre.length, '0');
}

function errname(e: number): string {
  const name = ERRNO_NAMES.get(Math.abs(e));
  return name ? (e < 0 ? '-' : '') + name : String(e);
}

export function printkApi(ctx: KernelContext) {
  const m = ctx.machine;
  const emit = (level: LogLevel, text: string): void => {
    for (const line of text.replace(/\n$/, '').split('\n')) m.printk(level, line);
  };
  const pr =
    (level: LogLevel) =>
    (fmt: string, ...args: unknown[]): void =>
      emit(level, kformat(fmt, args));
  const devName = (dev: unknown): string => {
    const d = m.pdevs.find((p) => p === dev);
    if (d === undefined) return str((dev as { name?: unknown } | null)?.name ?? '(NULL device *)');
    const drv = ctx.boundTo.get(d);
    return `${drv ? drv.name + ' ' : ''}${d.name}`;
  };
  const dev =
    (level: LogLevel) =>
    (d: unknown, fmt: string, ...args: unknown[]): void =>
      emit(level, `${devName(d)}: ${kformat(fmt, args)}`);
  return {
    printk: (fmt: string, ...args: unknown[]): void => emit('info', kformat(fmt, args)),
    pr_emerg: pr('emerg'),
    pr_err: pr('err'),
    pr_warn: pr('warn'),
    pr_info: pr('info'),
    pr_debug: pr('debug'),
    dev_err: dev('err'),
    dev_warn: dev('warn'),
    dev_info: dev('info'),
    dev_dbg: dev('debug'),
    /** WARN_ON(cond): logs a warning with the condition and returns it. */
    WARN_ON(cond: unknown): boolean {
      if (cond) emit('warn', 'WARNING: WARN_ON(condition) triggered');
      return Boolean(cond);
    },
  };
}
