/**
 * The worker's view of the model's call stack: one entry per framed model function (pushed by
 * the instrumented code's `__enter`), per kernel API call (the API wrapper) and per interrupt
 * taken (the irq core's observer). Each entry remembers the CPU executing it, so the stack of
 * one emulated CPU is the entries of that CPU — a handler's frames above the frames it
 * interrupted, as a kernel stack shows them.
 */

/** A model function's activation: the instrumented code writes scope closures into `s`. */
export interface ModelFrame {
  kind: 'model';
  fid: number;
  cpu: number;
  /** Site of the statement being executed (set by the statement hook). */
  site: number;
  /** Scope closures by static block depth (written by the generated code). */
  s: ((expr: string) => unknown)[];
  /** Index in the stack (for __leave to repair the stack after an overflow). */
  index: number;
}

export interface KernelFrame {
  kind: 'kernel';
  name: string;
  cpu: number;
  site: number;
  index: number;
}

export interface IrqFrame {
  kind: 'irq';
  name: string;
  cpu: number;
  site: number;
  index: number;
  irq: number;
  vector: number;
}

export type Frame = ModelFrame | KernelFrame | IrqFrame;

/** Model frames beyond this depth throw a RangeError, well before V8's own stack limit. */
export const MAX_MODEL_DEPTH = 4000;

export class FrameStack {
  readonly frames: Frame[] = [];
  /** The innermost frame (a dummy when the stack is empty, so the hook can always write `.site`). */
  top: Frame;
  private modelDepth = 0;
  private readonly bottom: KernelFrame = {
    kind: 'kernel',
    name: '<none>',
    cpu: 0,
    site: -1,
    index: -1,
  };

  constructor(private readonly currentCpu: () => number) {
    this.top = this.bottom;
  }

  get depth(): number {
    return this.frames.length;
  }

  /** `__enter(fid)`. Throws RangeError past MAX_MODEL_DEPTH (the model recurses without end). */
  enter(fid: number): ModelFrame {
    if (this.modelDepth >= MAX_MODEL_DEPTH) {
      throw new RangeError(
        `Maximum call stack size exceeded (the model is ${MAX_MODEL_DEPTH} calls deep)`,
      );
    }
    const f: ModelFrame = {
      kind: 'model',
      fid,
      cpu: this.currentCpu(),
      site: -1,
      s: [],
      index: this.frames.length,
    };
    this.frames.push(f);
    this.modelDepth++;
    this.top = f;
    return f;
  }

  /** `__leave(frame)`: pops back to below `f` (repairing the stack if inner leaves were skipped). */
  leave(f: Frame): void {
    this.popTo(f.index);
  }

  pushKernel(name: string): void {
    const f: KernelFrame = {
      kind: 'kernel',
      name,
      cpu: this.currentCpu(),
      site: -1,
      index: this.frames.length,
    };
    this.frames.push(f);
    this.top = f;
  }

  pushIrq(name: string, cpu: number, irq: number, vector: number): IrqFrame {
    const f: IrqFrame = {
      kind: 'irq',
      name,
      cpu,
      site: -1,
      index: this.frames.length,
      irq,
      vector,
    };
    this.frames.push(f);
    this.top = f;
    return f;
  }

  /** Pops the innermost frame (kernel or irq exits). */
  pop(): void {
    this.popTo(this.frames.length - 1);
  }

  private popTo(index: number): void {
    while (this.frames.length > index && this.frames.length > 0) {
      if (this.frames.pop()!.kind === 'model') this.modelDepth--;
    }
    this.top = this.frames[this.frames.length - 1] ?? this.bottom;
  }

  /** The frames of `cpu`, innermost first. */
  ofCpu(cpu: number): Frame[] {
    const out: Frame[] = [];
    for (let i = this.frames.length - 1; i >= 0; i--)
      if (this.frames[i]!.cpu === cpu) out.push(this.frames[i]!);
    return out;
  }

  /** The innermost model frame (for `this.top` being a kernel or irq frame). */
  innermostModel(): ModelFrame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'model') return f;
    }
    return undefined;
  }
}
