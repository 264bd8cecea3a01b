import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  EXAMPLE,
  HANDLER_LINE,
  collectOutput,
  launch,
  lineOf,
  startClient,
  stopInHandler,
  topScopes,
  vars,
} from './harness';

/** Where a thread is stopped: the top frame's function and line, and its locals as text. */
interface Place {
  name: string;
  line: number;
  locals: string;
}

async function place(dc: DebugClient, threadId: number): Promise<Place> {
  const { frame, scopes } = await topScopes(dc, threadId);
  const locals = scopes.find((s) => s.name === 'Locals');
  const vs =
    locals === undefined
      ? new Map<string, DebugProtocol.Variable>()
      : await vars(dc, locals.variablesReference);
  return {
    name: frame.name,
    line: frame.line,
    locals: [...vs.values()].map((v) => `${v.name}=${v.value}`).join(', '),
  };
}

/** Sends `request` and waits for the stop it leads to. */
async function stopAfter(
  dc: DebugClient,
  request: () => Promise<unknown>,
): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await request();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

const stepBack = (dc: DebugClient, threadId: number) =>
  stopAfter(dc, () => dc.stepBackRequest({ threadId }));
const next = (dc: DebugClient, threadId: number) =>
  stopAfter(dc, () => dc.nextRequest({ threadId }));

async function evaluate(dc: DebugClient, expression: string, threadId: number): Promise<string> {
  const st = await dc.stackTraceRequest({ threadId });
  const r = await dc.evaluateRequest({ expression, frameId: st.body.stackFrames[0]!.id });
  return r.body.result;
}

interface Snapshot {
  t: number;
  trace: { totals: { delivered: number } };
  irqs: { source: string | null; index: number | null; count: number }[];
}

async function snapshot(dc: DebugClient): Promise<Snapshot> {
  return ((await dc.customRequest('ims/snapshot')).body as { snapshot: Snapshot }).snapshot;
}

/** Launches the example with a breakpoint at `line`; returns the first stop. */
async function stopAt(
  dc: DebugClient,
  line: number,
  extra: Record<string, unknown> = {},
): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: EXAMPLE, ...extra }, () =>
    dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line }] }),
  );
  return (await stopped) as DebugProtocol.StoppedEvent;
}

/** A model whose one statement makes 20,000 calls: more than step back's ring holds. */
const LONG_CALL = `'use strict';
let s = 0;
function f(x) {
  return x & 7;
}
function run(n) {
  for (let i = 0; i < n; i++) s += f(i);
}
run(20000);
s += 1;
pr_info('s %d\\n', s);
`;

/** A model that throws where no code catches it. */
const THROWS = `'use strict';
let x = 1;
x = 2;
x = x.boom.bang;
`;

/**
 * A model whose second run is shorter (it counts its runs in a file, outside the emulated
 * platform): a replay ends before it gets to the place it was going to.
 */
const DIVERGES = `'use strict';
const fs = require('node:fs');
const file = __dirname + '/runs';
const runs = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
fs.writeFileSync(file, String(runs + 1));
if (runs === 0) {
  let y = 0;
  for (let i = 0; i < 5; i++) y += i;
  console.log('the first run took the long way', y);
}
let x = 1;
x = 2;
x = 3;
`;

/** Writes `text` as a model in a fresh folder; returns its path. */
function model(name: string, text: string): string {
  const program = path.join(mkdtempSync(path.join(os.tmpdir(), 'ims-step-back-')), name);
  writeFileSync(program, text);
  return program;
}

describe('DAP: step back and reverse continue (replay)', function () {
  // Each replay launches a worker (the next one is launched ahead, in the background).
  this.timeout(90_000);
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('offers step back', async () => {
    const r = await dc.initializeRequest();
    assert.equal(r.body?.supportsStepBack, true);
  });

  it('steps back through the lines it stepped over, in reverse, with the same locals', async () => {
    // From the probe's WQ loop: the steps run commands whose completion interrupts arrive
    // while the model waits, and the WQs' IMS setup.
    await stopAt(dc, lineOf(EXAMPLE, 'for (const wq of idxd.wqs) {'));
    const forward: Place[] = [await place(dc, 1)];
    for (let i = 0; i < 10; i++) {
      await next(dc, 1);
      forward.push(await place(dc, 1));
    }
    assert.ok(new Set(forward.map((p) => p.line)).size > 3, 'the steps moved over several lines');
    for (let i = forward.length - 2; i >= 0; i--) {
      const ev = await stepBack(dc, 1);
      assert.equal(ev.body.threadId, 1);
      assert.deepEqual(await place(dc, 1), forward[i], `step back to step ${i}`);
    }
  });

  it('steps back across the IMS completion interrupt: before it, wq.status is unset and the slot has not fired', async () => {
    const out = collectOutput(dc);
    await stopAt(dc, lineOf(EXAMPLE, 'const ok = wq.status === DSA_COMP_SUCCESS'));
    assert.equal(await evaluate(dc, 'wq.id', 1), '0');
    assert.equal(await evaluate(dc, 'wq.status', 1), '1', 'DSA_COMP_SUCCESS');
    const after = await snapshot(dc);
    const slot0 = (s: Snapshot) => s.irqs.find((i) => i.source === 'ims' && i.index === 0)!;
    assert.equal(slot0(after).count, 1, 'the completion interrupt of wq0 was handled');

    const ev = await stepBack(dc, 1);
    assert.equal(ev.body.reason, 'step');
    const here = await place(dc, 1);
    assert.equal(here.name, 'idxd_wq_test_copy');
    assert.equal(here.line, lineOf(EXAMPLE, 'wait_for_completion(wq.done);'));
    assert.equal(await evaluate(dc, 'wq.status', 1), 'undefined');
    const before = await snapshot(dc);
    assert.equal(slot0(before).count, 0, 'IMS slot 0 has not delivered yet');
    assert.ok(before.trace.totals.delivered < after.trace.totals.delivered);
    assert.ok(before.t < after.t, 'simulated time is earlier');

    // Forward again: the same interrupt, the same state.
    await next(dc, 1);
    assert.equal(await evaluate(dc, 'wq.status', 1), '1');
    const again = await snapshot(dc);
    assert.equal(slot0(again).count, 1);
    assert.equal(again.t, after.t);
    assert.deepEqual(again.trace.totals, after.trace.totals);
    // The replay printed nothing: each kernel log line is in the console once.
    const probeLines = out
      .text()
      .split('\n')
      .filter((l) => l.includes('version 0x100'));
    assert.equal(probeLines.length, 1, out.text());
  });

  it('reverse-continues from wq1’s stop in the completion handler to wq0’s', async () => {
    const first = await stopInHandler(dc);
    const wq0 = await place(dc, first.body.threadId!);
    assert.equal(await evaluate(dc, 'wq.id', first.body.threadId!), '0');
    const second = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(await evaluate(dc, 'wq.id', second.body.threadId!), '1');

    const back = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'breakpoint');
    assert.equal(back.body.threadId, first.body.threadId);
    assert.deepEqual(await place(dc, back.body.threadId!), wq0);
    assert.equal(await evaluate(dc, 'wq.id', back.body.threadId!), '0');
    const st = await dc.stackTraceRequest({ threadId: back.body.threadId! });
    assert.equal(st.body.stackFrames[0]!.line, HANDLER_LINE);

    // No earlier stop: back to the start of the run.
    const out = collectOutput(dc);
    const start = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(start.body.reason, 'entry');
    const top = await place(dc, 1);
    assert.equal(top.name, '<module>');
    assert.equal(top.line, lineOf(EXAMPLE, 'const {'));
    assert.match(out.text(), /no earlier stop: back at the start of the run/);

    // And forward again to the first hit.
    const again = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(again.body.reason, 'breakpoint');
    assert.equal(await evaluate(dc, 'wq.id', again.body.threadId!), '0');
  });

  it('finds the previous stop of a breakpoint set after it was passed', async () => {
    await stopAt(dc, lineOf(EXAMPLE, 'const ok = wq.status === DSA_COMP_SUCCESS'));
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 })); // wq1
    assert.equal(await evaluate(dc, 'wq.id', 1), '1');
    // A breakpoint in the IMS chip's unmask, which both WQs' request_irq passed long ago.
    const unmask = lineOf(EXAMPLE, 'writel(desc.data.icookie.value, slot + IMS_CTRL);');
    await dc.setBreakpointsRequest({
      source: { path: EXAMPLE },
      breakpoints: [{ line: lineOf(EXAMPLE, 'const ok = wq.status') }, { line: unmask }],
    });
    // The probe requests both WQs' irqs (unmasking their IMS slots), then tests both WQs: going
    // back from wq1's `ok` line meets wq0's, then the unmask of slot 1, then of slot 0.
    const back = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'breakpoint');
    const p = await place(dc, 1);
    assert.equal(p.line, lineOf(EXAMPLE, 'const ok = wq.status'));
    assert.equal(await evaluate(dc, 'wq.id', 1), '0');
    for (const slot of ['1', '0']) {
      const ev = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
      assert.equal(ev.body.reason, 'breakpoint');
      assert.equal((await place(dc, 1)).line, unmask);
      assert.equal(await evaluate(dc, 'desc.msi_index', 1), slot);
    }
  });

  it('replays a setVariable and a console assignment at the step where they were made', async () => {
    const a = lineOf(EXAMPLE, 'const submitted = ktime_get_ns();');
    await stopAt(dc, a);
    const { scopes } = await topScopes(dc, 1);
    const locals = await vars(dc, scopes[0]!.variablesReference);
    const idxd = locals.get('idxd')!;
    const batch = await evaluate(dc, 'idxd.max_batch_size', 1);
    const size = await evaluate(dc, 'idxd.max_wq_size', 1);
    assert.notEqual(batch, '7');
    const set = await dc.setVariableRequest({
      variablesReference: idxd.variablesReference,
      name: 'max_batch_size',
      value: '7',
    });
    assert.equal(set.body.value, '7');
    await dc.evaluateRequest({ expression: 'idxd.max_wq_size = 99', context: 'repl' });

    await next(dc, 1); // memmove
    await next(dc, 1); // wait_for_completion
    assert.equal(await evaluate(dc, 'idxd.max_batch_size', 1), '7');
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, a + 1);
    assert.equal(await evaluate(dc, 'idxd.max_batch_size', 1), '7', 'replayed');
    assert.equal(await evaluate(dc, 'idxd.max_wq_size', 1), '99', 'replayed');
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, a);
    assert.equal(await evaluate(dc, 'idxd.max_batch_size', 1), '7', 'as left at this step');
    // Before the step where they were made: the values the driver read from the device.
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, a - 1); // the last iteration of the fill loop
    assert.equal(await evaluate(dc, 'idxd.max_batch_size', 1), batch);
    assert.equal(await evaluate(dc, 'idxd.max_wq_size', 1), size);
    // Forward through the step again: the changes are made again there (the future is kept).
    await next(dc, 1);
    assert.equal((await place(dc, 1)).line, a);
    assert.equal(await evaluate(dc, 'idxd.max_batch_size', 1), '7');
    await next(dc, 1);
    assert.equal((await place(dc, 1)).line, a + 1);
    assert.equal(await evaluate(dc, 'idxd.max_batch_size', 1), '7');
    assert.equal(await evaluate(dc, 'idxd.max_wq_size', 1), '99');
  });

  it('steps back out of an interrupt handler to the interrupted code, on CPU 0', async () => {
    const ev = await stopInHandler(dc);
    // CPU 0 shows the model's frames the interrupt came in (under the kernel call it waits in).
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const interrupted = st.body.stackFrames.find((f) => f.source !== undefined)!;
    assert.equal(interrupted.name, 'idxd_wq_test_copy');
    const back = await stepBack(dc, 1);
    assert.equal(back.body.threadId, 1, 'the model’s own code runs on CPU 0');
    const here = await place(dc, 1);
    assert.equal(here.name, interrupted.name);
    assert.equal(here.line, interrupted.line, 'the statement during which the interrupt came');
    // Forward again with step in: into the handler, where the breakpoint is.
    const again = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(again.body.threadId, ev.body.threadId);
    assert.equal((await place(dc, again.body.threadId!)).line, HANDLER_LINE);
  });

  it('goes back over a call its ring no longer reaches past (the last step, or a replay, tells)', async () => {
    const program = model('long-call.js', LONG_CALL);
    const call = lineOf(program, 'run(20000);');
    const after = lineOf(program, 's += 1;');
    const out = collectOutput(dc);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () =>
      dc.setBreakpointsRequest({
        source: { path: program },
        breakpoints: [{ line: call }, { line: after }],
      }),
    );
    await stopped;
    // A step over the long call: the step's start is where step back goes.
    await next(dc, 1);
    assert.equal((await place(dc, 1)).line, after);
    assert.equal(await evaluate(dc, 's === 70000', 1), 'true');
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, call);
    assert.equal(await evaluate(dc, 's', 1), '0');
    // A breakpoint after the long call: a replay to here finds the place first.
    const bp = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(bp.body.reason, 'breakpoint');
    assert.equal((await place(dc, 1)).line, after);
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, call);
    assert.equal(await evaluate(dc, 's', 1), '0');
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await ended;
    assert.equal(
      out
        .text()
        .split('\n')
        .filter((l) => l.includes('s 70001')).length,
      1,
    );
  });

  it('steps back from an uncaught exception to the start of the statement that threw', async () => {
    const program = model('throws.js', THROWS);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program });
    const ex = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ex.body.reason, 'exception');
    const throwing = lineOf(program, 'x = x.boom.bang;');
    assert.equal((await place(dc, 1)).line, throwing);
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, throwing, 'before it threw');
    assert.equal(await evaluate(dc, 'x', 1), '2');
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, lineOf(program, 'x = 2;'));
    assert.equal(await evaluate(dc, 'x', 1), '1');
    // Forward, the run fails the same way again.
    const again = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(again.body.reason, 'exception');
    assert.equal((await place(dc, 1)).line, throwing);
    // Nothing stopped before the exception: reverse continue from before it goes to the start.
    await stepBack(dc, 1);
    const first = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(first.body.reason, 'entry');
  });

  it('stays where it is, saying why, when the replay goes another way', async () => {
    const program = model('diverges.js', DIVERGES);
    const out = collectOutput(dc);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () =>
      dc.setBreakpointsRequest({
        source: { path: program },
        breakpoints: [{ line: lineOf(program, 'x = 2;') }],
      }),
    );
    await stopped;
    const ev = await stepBack(dc, 1);
    assert.equal(ev.body.reason, 'breakpoint', 'the stop it was at');
    assert.equal((await place(dc, 1)).line, lineOf(program, 'x = 2;'));
    assert.match(
      out.text(),
      /stepBack: the replay ended before step \d+: the run went another way/,
    );
    assert.equal(
      out
        .text()
        .split('\n')
        .filter((l) => l.includes('the long way')).length,
      1,
      'the replay’s output is not shown',
    );
    // The run itself goes on.
    await next(dc, 1);
    assert.equal(await evaluate(dc, 'x', 1), '2');
  });

  it('stays at the first statement, saying there is nothing to step back to', async () => {
    const out = collectOutput(dc);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE, stopOnEntry: true });
    await stopped;
    const ev = await stepBack(dc, 1);
    assert.equal(ev.body.reason, 'entry');
    assert.equal((await place(dc, 1)).line, lineOf(EXAMPLE, 'const {'));
    assert.match(out.text(), /nothing to step back to/);
    // Still usable: a step forward and back.
    await next(dc, 1);
    await stepBack(dc, 1);
    assert.equal((await place(dc, 1)).line, lineOf(EXAMPLE, 'const {'));
  });
});
