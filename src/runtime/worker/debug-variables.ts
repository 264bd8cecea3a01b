/**
 * The variable store of a stop, with what setVariable and dataBreakpointInfo need to know about
 * a handle: the model frame its JavaScript values belong to and the expression that names them
 * (to assign through the frame's scope closure), the register behind each platform variable
 * (by container handle and name), and a memory reference for DMA buffers (their `dma_handle`).
 * Long lists of the platform scopes are containers of rows (addRows), paged as DAP's indexed
 * variables. Everything is forgotten with the handles, when the model resumes.
 */
import type { RuntimeVariable } from '../protocol';
import type { ModelFrame } from './frames';
import type { VarTarget } from './reg-targets';
import { VariableStore } from './values';

type Children = Parameters<VariableStore['add']>[0];

/** Where a handle's children come from: a frame's locals (`base` undefined) or a value in it. */
export interface FrameValue {
  readonly frame: ModelFrame;
  /** The expression naming the container in the frame; undefined for the Locals scope. */
  readonly base: string | undefined;
  /** False for a Map or Set: its children are entries, not members one can assign. */
  readonly members: boolean;
}

export class DebugVariables extends VariableStore {
  private readonly targets = new Map<string, VarTarget>();
  private readonly owners = new Map<number, FrameValue>();
  /** For containers of rows: builds the child named so (registering its register), if any. */
  private readonly finders = new Map<number, (name: string) => void>();
  private current: ModelFrame | undefined;

  override reset(): void {
    super.reset();
    this.targets.clear();
    this.owners.clear();
    this.finders.clear();
    this.current = undefined;
  }

  /** Children built later (lazily) are built in the frame that was current when added. */
  override add(children: Children): number {
    const frame = this.current;
    if (frame === undefined) return super.add(children);
    return super.add((filter, start, count) =>
      this.within(frame, () => children(filter, start, count)),
    );
  }

  override variable(
    name: string,
    value: unknown,
    hex: boolean,
    evaluateName?: string,
  ): RuntimeVariable {
    const v = super.variable(name, value, hex, evaluateName);
    if (v.variablesReference > 0 && this.current !== undefined)
      this.owners.set(v.variablesReference, {
        frame: this.current,
        base: evaluateName,
        members: !(value instanceof Map || value instanceof Set),
      });
    const dma = dmaAddress(value);
    if (dma !== undefined) v.memoryReference = `0x${dma.toString(16)}`;
    return v;
  }

  /** Runs `fn` with `frame` as the frame new variables belong to. */
  within<T>(frame: ModelFrame | undefined, fn: () => T): T {
    const prev = this.current;
    this.current = frame;
    try {
      return fn();
    } finally {
      this.current = prev;
    }
  }

  /**
   * Adds a container of `total` indexed children, for DAP's paging (`indexedVariables`: VS Code
   * asks `filter: 'indexed', start, count` for each chunk it shows): child `i` is built by
   * `row(ref, i)` only when a page holding it is read. Without a filter every child comes (the
   * protocol's "both kinds"); with `named`, none. `find` gives the position of a child by name,
   * so that targetOf builds that child alone, not the whole list.
   */
  addRows(
    total: number,
    row: (ref: number, index: number) => RuntimeVariable,
    find: (name: string) => number | undefined,
  ): number {
    const ref: number = this.add((filter, start, count) => {
      if (filter === 'named') return [];
      const from = filter === 'indexed' && Number.isInteger(start) && start > 0 ? start : 0;
      // DAP: a count of 0 (or none) asks for every child from `start` on.
      const to =
        filter === 'indexed' && Number.isInteger(count) && count > 0
          ? Math.min(total, from + count)
          : total;
      const out: RuntimeVariable[] = [];
      for (let i = from; i < to; i++) out.push(row(ref, i));
      return out;
    });
    this.finders.set(ref, (name) => {
      const i = find(name);
      if (i !== undefined && i >= 0 && i < total) row(ref, i);
    });
    return ref;
  }

  /** Adds the Locals scope of `frame`. */
  addLocals(frame: ModelFrame, children: Children): number {
    const ref = this.within(frame, () => this.add(children));
    this.owners.set(ref, { frame, base: undefined, members: true });
    return ref;
  }

  /** The frame (and container expression) of handle `ref`'s children, if they are JS values. */
  ownerOf(ref: number): FrameValue | undefined {
    return this.owners.get(ref);
  }

  /** Records that child `name` of container `ref` is the register (field) `t`. */
  setTarget(ref: number, name: string, t: VarTarget): void {
    this.targets.set(`${ref}\u0000${name}`, t);
  }

  /**
   * The register (field) behind child `name` of container `ref`, if any. Children record their
   * registers when they are built, so a client that asks before listing them gets them built
   * (of a container of rows, only the child named).
   */
  targetOf(ref: number, name: string): VarTarget | undefined {
    const key = `${ref}\u0000${name}`;
    if (!this.targets.has(key) && !this.owners.has(ref)) {
      try {
        const find = this.finders.get(ref);
        if (find === undefined) this.get(ref, undefined);
        else find(name);
      } catch {
        return undefined; // a stale handle: no target
      }
    }
    return this.targets.get(key);
  }
}

/** The bus address of a DMA buffer (a typed array with a numeric `dma_handle`), else undefined. */
export function dmaAddress(value: unknown): number | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const h = (value as { dma_handle?: unknown }).dma_handle;
  return typeof h === 'number' && Number.isSafeInteger(h) && h >= 0 ? h : undefined;
}

/**
 * The expression for member `name` of the value named `base`, as the variables name children
 * (`a[3]`, `a.b`, `a["x y"]`).
 */
export function memberExpression(base: string, name: string): string {
  if (/^(0|[1-9]\d{0,14})$/.test(name)) return `${base}[${name}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return `${base}.${name}`;
  return `${base}[${JSON.stringify(name)}]`;
}
