/**
 * Data breakpoints (DAP dataBreakpointInfo / setDataBreakpoints) in the worker.
 *
 * What can be watched: memory-backed registers — DSA BAR0 registers, WQCFG/GRPCFG entries, IMS
 * slot words, MSI-X entries (MMIO), IRTEs (the IR table in RAM) — or one of their fields; DMA
 * buffers (a `DmaBuffer`'s bytes in RAM); any physical range by address (asAddress); and a
 * CPU's APIC IRR or ISR (not memory: watched through apic-watch.ts, changes only).
 *
 * What is seen: every access through PhysMemory — the model's MMIO accessors (readl, writel,
 * readq, writeq…), the kernel's own accesses (modify_irte writing an IRTE, the DMAR fault
 * handler), the IR unit fetching an IRTE to translate a message (when its interrupt-entry cache
 * misses: a cached entry is not read again), and the device's DMA (descriptor and source reads,
 * completion records and destination writes, an MSI written to a non-interrupt address). Stores the model makes through a DmaBuffer's typed array are plain
 * JavaScript stores and are not seen; neither are the debugger's own accesses (views, readMemory,
 * setVariable). A field's breakpoint sees the accesses to its register (hardware watches see
 * accesses, not bits) and shows and tests the field's value.
 *
 * Where it stops: at once, inside the access, after it completed — in the model line that made
 * it (under the accessor's kernel frame) or in the kernel call during which the device or the
 * IR unit acted. The description names the register, old → new (or the value read) and who
 * made the access. Conditions are JavaScript over `old`, `value` (new or read), `address`,
 * `size`, `access` ('read' | 'write'), `cpu` and, for IRR/ISR, `vector`; hit counts as for
 * line breakpoints.
 */
import type { Machine } from '../../platform/machine/machine';
import type { MemoryWatch, WatchedAccess } from '../../platform/memory';
import { LocalApic } from '../../platform/apic/lapic';
import { parseHitCondition, type HitPredicate } from '../hit-condition';
import type { BreakpointResult, DataBreakpointInfo, DataBreakpointSpec } from '../protocol';
import type { WorkerDebugger } from './debugger';
import { ApicWatch, type ApicChange, type ApicReg } from './apic-watch';
import { dmaAddress } from './debug-variables';
import { labelOf, targetAddress, targetBytes, type VarTarget } from './reg-targets';
import { bytesToBig } from './register-edit';

/** What a dataId names (serialized as JSON: the id survives stops and restarts). */
export type DataTarget =
  | {
      readonly k: 'mem';
      readonly label: string;
      readonly address: number;
      readonly size: number;
      /** A field's bits within the watched bytes. */
      readonly field?: { readonly name: string; readonly hi: number; readonly lo: number };
    }
  | { readonly k: 'apic'; readonly label: string; readonly cpu: number; readonly reg: ApicReg };

type Access = 'read' | 'write' | 'readWrite';

interface Entry {
  readonly id: number;
  readonly target: DataTarget;
  readonly access: Access;
  readonly condition: ((env: Env) => unknown) | null;
  readonly hit: HitPredicate | null;
  hits: number;
}

const ENV_NAMES = ['old', 'value', 'address', 'size', 'access', 'cpu', 'vector'] as const;
type Env = Record<(typeof ENV_NAMES)[number], unknown>;

/** Kernel API calls that are the model's own MMIO accesses. */
const ACCESSORS = new Set([
  'readl',
  'writel',
  'readq',
  'writeq',
  'readw',
  'writew',
  'readb',
  'writeb',
  'ioread32',
  'iowrite32',
  'ioread64',
  'iowrite64',
  'iosubmit_cmds512',
  'enqcmds',
]);

/** The most bytes a data breakpoint may watch. */
const MAX_WATCH = 1 << 16;

export class DataBreakpoints {
  private entries: Entry[] = [];
  private readonly byWatch = new Map<MemoryWatch, Entry>();
  private readonly apic = new ApicWatch();

  constructor(
    private readonly dbg: WorkerDebugger,
    private readonly m: Machine,
    private readonly out: (text: string) => void,
  ) {}

  /** dataBreakpointInfo's answer for a target, or for the reason there is none. */
  info(t: DataTarget | string): DataBreakpointInfo {
    if (typeof t === 'string') return { dataId: null, description: t };
    return {
      dataId: JSON.stringify(t),
      description: describeTarget(t),
      accessTypes: t.k === 'apic' ? ['write'] : ['write', 'read', 'readWrite'],
      canPersist: true,
    };
  }

  /** A physical range by address (DAP asAddress): `bytes` from `address`. */
  targetOfAddress(address: number, bytes: number): DataTarget | string {
    if (!Number.isSafeInteger(address) || address < 0)
      return `${address} is not a physical address`;
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_WATCH)
      return `watch 1 to ${MAX_WATCH} bytes, not ${bytes}`;
    const r = this.m.memory.mmioAt(address);
    const where = r ? `${r.name} +0x${(address - r.base).toString(16)}` : 'RAM';
    return { k: 'mem', label: where, address, size: bytes };
  }

  /** The register (field) behind a platform variable. */
  targetOfRegister(vt: VarTarget): DataTarget | string {
    const t = vt.target;
    if (t.kind === 'apic') {
      if (t.reg === 'TPR') return 'TPR changes only when software writes it: not watched';
      return { k: 'apic', label: t.label, cpu: t.cpu, reg: t.reg };
    }
    const f = vt.field;
    const base: DataTarget = {
      k: 'mem',
      label: labelOf(vt),
      address: targetAddress(this.m, t)!,
      size: targetBytes(t),
    };
    return f ? { ...base, field: { name: f.name, hi: f.hi, lo: f.lo } } : base;
  }

  /** A JavaScript value named `name`: a DMA buffer's bytes, else the reason it cannot be watched. */
  targetOfValue(name: string, value: unknown): DataTarget | string {
    const dma = dmaAddress(value);
    if (dma === undefined)
      return `${name || 'this value'} is not in emulated memory: data breakpoints watch registers, IRTEs, APIC IRR/ISR, DMA buffers and addresses`;
    const len = (value as ArrayBufferView).byteLength;
    return {
      k: 'mem',
      label: name,
      address: dma,
      size: Math.min(len, MAX_WATCH),
    };
  }

  /** Replaces the data breakpoints; one result per spec. */
  set(specs: readonly DataBreakpointSpec[]): BreakpointResult[] {
    const results: BreakpointResult[] = [];
    this.entries = [];
    for (const s of specs) {
      try {
        const target = parseDataId(s.dataId);
        const access = s.accessType ?? 'write';
        if (target.k === 'apic' && access !== 'write')
          throw new Error(`${target.label} changes are watched, not reads: use access type write`);
        const cond = s.condition?.trim();
        this.entries.push({
          id: s.id,
          target,
          access,
          condition: cond ? compile(cond) : null,
          hit: s.hitCondition?.trim() ? parseHitCondition(s.hitCondition) : null,
          hits: 0,
        });
        results.push({ id: s.id, verified: true });
      } catch (e) {
        results.push({
          id: s.id,
          verified: false,
          message: e instanceof Error ? e.message : String(e),
        });
      }
    }
    this.install();
    return results;
  }

  private install(): void {
    this.byWatch.clear();
    const watches: MemoryWatch[] = [];
    const apics = new Map<number, Set<ApicReg>>();
    for (const e of this.entries) {
      if (e.target.k === 'apic') {
        const regs = apics.get(e.target.cpu) ?? new Set<ApicReg>();
        regs.add(e.target.reg);
        apics.set(e.target.cpu, regs);
        continue;
      }
      const w: MemoryWatch = {
        base: e.target.address,
        size: e.target.size,
        read: e.access !== 'write',
        write: e.access !== 'read',
      };
      this.byWatch.set(w, e);
      watches.push(w);
    }
    this.m.memory.setWatches(watches, (hits) => this.onAccess(hits));
    this.apic.set(
      this.m.cpus.map((c) => c.apic),
      apics,
      (changes, op) => this.onApic(changes, op),
    );
  }

  private get quiet(): boolean {
    // The debugger's own accesses (views, setVariable, evaluate) never stop.
    return this.dbg.suppress || this.dbg.isPaused;
  }

  private onAccess(hits: readonly WatchedAccess[]): void {
    if (this.quiet) return;
    const cpu = this.m.core.currentCpu;
    const ids: number[] = [];
    const texts: string[] = [];
    for (const a of hits) {
      const e = this.byWatch.get(a.watch);
      if (e?.target.k !== 'mem') continue;
      const t = e.target;
      const pick = (bytes: Uint8Array): bigint | Uint8Array => {
        if (bytes.length > 16) return bytes;
        const v = bytesToBig(bytes);
        return t.field
          ? (v >> BigInt(t.field.lo)) & ((1n << BigInt(t.field.hi - t.field.lo + 1)) - 1n)
          : v;
      };
      const old = a.before === null ? undefined : pick(a.before);
      const value = pick(a.after);
      const env: Env = {
        old: plain(old),
        value: plain(value),
        address: a.address,
        size: a.size,
        access: a.kind,
        cpu,
        vector: undefined,
      };
      if (!this.reached(e, env)) continue;
      ids.push(e.id);
      const bitsShown = t.field ? t.field.hi - t.field.lo + 1 : t.size * 8;
      const change =
        a.kind === 'read'
          ? `read ${show(value, bitsShown)}`
          : value instanceof Uint8Array && a.before !== null
            ? changedBytes(a.before, value)
            : `${show(old, bitsShown)} → ${show(value, bitsShown)}`;
      texts.push(`${t.label}: ${change}, ${this.agent(a)}`);
    }
    if (ids.length > 0)
      this.dbg.stop({
        reason: 'data breakpoint',
        cpu,
        text: 'Data breakpoint',
        description: texts.join('; '),
        hitBreakpointIds: ids,
      });
  }

  private onApic(changes: readonly ApicChange[], op: string): void {
    if (this.quiet) return;
    const ids: number[] = [];
    const texts: string[] = [];
    const list = (vs: number[]) => (vs.length === 0 ? 'none' : vs.map((v) => hex(v, 2)).join(' '));
    for (const c of changes) {
      const before = LocalApic.vectors(c.before);
      const after = LocalApic.vectors(c.after);
      const changed = [
        ...before.filter((v) => !after.includes(v)),
        ...after.filter((v) => !before.includes(v)),
      ];
      let hit = false;
      for (const e of this.entries) {
        if (e.target.k !== 'apic' || e.target.cpu !== c.cpu || e.target.reg !== c.reg) continue;
        const env: Env = {
          old: before,
          value: after,
          address: undefined,
          size: 32,
          access: 'write',
          cpu: c.cpu,
          vector: changed[0],
        };
        if (this.reached(e, env)) {
          ids.push(e.id);
          hit = true;
        }
      }
      if (hit) texts.push(`CPU ${c.cpu} APIC ${c.reg}: ${list(before)} → ${list(after)}`);
    }
    if (ids.length === 0) return;
    this.dbg.stop({
      reason: 'data breakpoint',
      cpu: this.m.core.currentCpu,
      text: 'Data breakpoint',
      description: `${texts.join('; ')} (${op}${this.during()})`,
      hitBreakpointIds: ids,
    });
  }

  /** Condition, then hit count. A condition that throws stops and says so. */
  private reached(e: Entry, env: Env): boolean {
    if (e.condition) {
      try {
        if (!e.condition(env)) return false;
      } catch (err) {
        this.out(
          `condition of the data breakpoint on ${e.target.label} threw: ${err instanceof Error ? err.message : String(err)}\n`,
        );
      }
    }
    e.hits++;
    return e.hit === null || e.hit(e.hits);
  }

  /** Who made the access, as far as the worker can tell (see the module comment). */
  private agent(a: WatchedAccess): string {
    const top = this.dbg.frames.top;
    const did = a.kind === 'write' ? 'written' : 'read';
    const mmio = this.m.memory.mmioAt(a.address) !== undefined;
    if (mmio && top.kind === 'kernel' && ACCESSORS.has(top.name)) return `${did} by ${top.name}`;
    if (mmio) return `${did} by the kernel${this.during()}`;
    const unit = this.m.ir.find(
      (u) =>
        u.unit.enabled &&
        a.address < u.unit.tableAddress + u.unit.tableSize * 16 &&
        u.unit.tableAddress < a.address + a.size,
    );
    if (unit !== undefined)
      return a.kind === 'read'
        ? `read by ${unit.domain.domain.name} fetching the IRTE${this.during()}`
        : `written by the kernel (IRTE update)${this.during()}`;
    return `${did} by the device (DMA)${this.during()}`;
  }

  private during(): string {
    const top = this.dbg.frames.top;
    return top.kind === 'kernel' && top.name !== '<none>' ? ` during ${top.name}` : '';
  }
}

function parseDataId(id: string): DataTarget {
  let t: unknown;
  try {
    t = JSON.parse(id);
  } catch {
    throw new Error(`unknown data breakpoint id ${JSON.stringify(id)}`);
  }
  const o = t as Partial<Record<string, unknown>>;
  if (o.k === 'mem' && typeof o.address === 'number' && typeof o.size === 'number')
    return t as DataTarget;
  if (o.k === 'apic' && typeof o.cpu === 'number' && (o.reg === 'IRR' || o.reg === 'ISR'))
    return t as DataTarget;
  throw new Error(`unknown data breakpoint id ${JSON.stringify(id)}`);
}

function describeTarget(t: DataTarget): string {
  if (t.k === 'apic') return `${t.label} (vectors set or cleared)`;
  return `${t.label} @0x${t.address.toString(16)}, ${t.size} byte${t.size === 1 ? '' : 's'}`;
}

function compile(expr: string): (env: Env) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the user's condition over the access's names
  const fn = new Function(...ENV_NAMES, `"use strict"; return (${expr});`) as (
    ...a: unknown[]
  ) => unknown;
  return (env) => fn(...ENV_NAMES.map((n) => env[n]));
}

/** A value for conditions: numbers up to 2^53, bigints beyond, byte arrays as they are. */
function plain(v: bigint | Uint8Array | undefined): unknown {
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return v;
}

function show(v: bigint | Uint8Array | undefined, bits: number): string {
  if (v === undefined) return '?';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return bits === 1 ? v.toString() : hex(v, Math.ceil(bits / 4));
}

/** For a watch wider than 16 bytes: which bytes a write changed. */
function changedBytes(before: Uint8Array, after: Uint8Array): string {
  let first = -1;
  let last = -1;
  for (let i = 0; i < after.length; i++)
    if (before[i] !== after[i]) {
      if (first < 0) first = i;
      last = i;
    }
  if (first < 0) return 'written, unchanged';
  return `bytes +0x${first.toString(16)}…+0x${last.toString(16)} changed`;
}

function hex(v: number | bigint, digits: number): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}
