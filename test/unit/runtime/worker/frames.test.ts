import { strict as assert } from 'node:assert';
import { FrameStack, MAX_MODEL_DEPTH, type Frame } from '../../../../src/runtime/worker/frames';

/** A stack whose current CPU the test sets. */
function stack(): { fs: FrameStack; on: (cpu: number) => void } {
  let cpu = 0;
  return { fs: new FrameStack(() => cpu), on: (c) => (cpu = c) };
}

const label = (f: Frame): string =>
  f.kind === 'model' ? `model ${f.fid}@${f.cpu}` : `${f.kind} ${f.name}@${f.cpu}`;

describe('runtime/worker: FrameStack', () => {
  it('starts empty with a dummy top the hook can write to', () => {
    const { fs } = stack();
    assert.equal(fs.depth, 0);
    assert.equal(fs.top.kind, 'kernel');
    fs.top.site = 5; // the statement hook writes it even before any frame
    assert.equal(fs.innermostModel(), undefined);
    assert.deepEqual(fs.ofCpu(0), []);
  });

  it('pushes model frames on enter and pops them on leave', () => {
    const { fs } = stack();
    const a = fs.enter(1);
    const b = fs.enter(2);
    assert.equal(fs.depth, 2);
    assert.equal<Frame>(fs.top, b);
    assert.deepEqual([a.index, b.index], [0, 1]);
    assert.deepEqual([b.kind, b.fid, b.site, b.s], ['model', 2, -1, []]);
    fs.leave(b);
    assert.equal<Frame>(fs.top, a);
    fs.leave(a);
    assert.equal(fs.depth, 0);
    assert.equal(fs.top.kind, 'kernel');
  });

  it('repairs the stack when an outer frame is left first: the inner ones go too', () => {
    const { fs } = stack();
    const a = fs.enter(1);
    const b = fs.enter(2);
    fs.pushKernel('readl');
    fs.enter(3);
    fs.leave(b); // a throw skipped the inner leaves
    assert.equal(fs.depth, 1);
    assert.equal<Frame>(fs.top, a);
    assert.equal(fs.innermostModel(), a);
  });

  it('counts model depth across repairs, so the limit stays exact', () => {
    const { fs } = stack();
    const outer = fs.enter(0);
    for (let i = 1; i < MAX_MODEL_DEPTH; i++) fs.enter(i);
    assert.throws(() => fs.enter(-1), RangeError);
    fs.leave(outer);
    assert.equal(fs.depth, 0);
    for (let i = 0; i < MAX_MODEL_DEPTH; i++) fs.enter(i);
    assert.equal(fs.depth, MAX_MODEL_DEPTH);
  });

  it('throws a RangeError past the model-depth limit, saying how deep', () => {
    const { fs } = stack();
    for (let i = 0; i < MAX_MODEL_DEPTH; i++) fs.enter(i);
    assert.throws(
      () => fs.enter(99),
      (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.equal(
          e.message,
          `Maximum call stack size exceeded (the model is ${MAX_MODEL_DEPTH} calls deep)`,
        );
        return true;
      },
    );
    assert.equal(fs.depth, MAX_MODEL_DEPTH, 'the refused frame is not pushed');
  });

  it('does not count kernel and irq frames against the model-depth limit', () => {
    const { fs } = stack();
    for (let i = 0; i < MAX_MODEL_DEPTH + 10; i++) fs.pushKernel('k');
    assert.doesNotThrow(() => fs.enter(1));
  });

  it('takes kernel frames on the current CPU and irq frames on the given one', () => {
    const { fs, on } = stack();
    on(2);
    fs.enter(1);
    fs.pushKernel('wait_for_completion');
    const irq = fs.pushIrq('irq 33', 3, 33, 0x41);
    assert.deepEqual([irq.kind, irq.cpu, irq.irq, irq.vector, irq.site], ['irq', 3, 33, 0x41, -1]);
    assert.equal<Frame>(fs.top, irq);
    fs.pop();
    assert.equal(fs.top.kind, 'kernel');
    assert.equal(fs.top.cpu, 2);
    fs.pop();
    assert.equal(fs.top.kind, 'model');
  });

  it('lists the frames of one CPU, innermost first', () => {
    const { fs, on } = stack();
    on(0);
    fs.enter(1);
    fs.pushKernel('wait_for_completion');
    fs.pushIrq('irq 40', 1, 40, 0x30);
    on(1);
    fs.enter(7); // the handler runs on CPU 1
    fs.pushKernel('complete');
    on(0);
    fs.pushIrq('irq 41', 0, 41, 0x31);
    assert.deepEqual(fs.ofCpu(0).map(label), [
      'irq irq 41@0',
      'kernel wait_for_completion@0',
      'model 1@0',
    ]);
    assert.deepEqual(fs.ofCpu(1).map(label), ['kernel complete@1', 'model 7@1', 'irq irq 40@1']);
    assert.deepEqual(fs.ofCpu(5), []);
  });

  it('finds the innermost model frame under kernel and irq frames', () => {
    const { fs } = stack();
    fs.enter(1);
    const inner = fs.enter(2);
    fs.pushKernel('readl');
    fs.pushIrq('irq 1', 0, 1, 0x20);
    assert.equal(fs.innermostModel(), inner);
    fs.pop();
    fs.pop();
    fs.leave(inner);
    assert.equal(fs.innermostModel()?.fid, 1);
  });
});
