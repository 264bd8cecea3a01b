import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  EXAMPLE,
  FIXTURES,
  collectOutput,
  launch,
  lineOf,
  startClient,
  stopInHandler,
} from './harness';

describe('DAP: session lifecycle', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('runs without debugging (noDebug): no stops, full output, exit code 0', async () => {
    const out = collectOutput(dc);
    const exited = dc.waitForEvent('exited');
    const line = lineOf(EXAMPLE, 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;');
    await launch(dc, { program: EXAMPLE, noDebug: true }, () =>
      dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line }] }),
    );
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    assert.equal((out.text().match(/data verified/g) ?? []).length, 2);
  });

  it('restarts from the beginning with the same breakpoints', async () => {
    const line = lineOf(EXAMPLE, 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;');
    let stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line }] }),
    );
    const first = (await stopped) as DebugProtocol.StoppedEvent;
    stopped = dc.waitForEvent('stopped');
    await dc.customRequest('restart', {});
    const again = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(again.body.reason, 'breakpoint');
    assert.equal(again.body.threadId, first.body.threadId, 'the same CPU: runs are deterministic');
    const st = await dc.stackTraceRequest({ threadId: again.body.threadId! });
    assert.equal(st.body.stackFrames[0]!.line, line);
  });

  it('terminates a model that never returns', async () => {
    await launch(dc, { program: path.join(FIXTURES, 'spin.js') });
    await new Promise((r) => setTimeout(r, 200));
    const ended = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await ended;
  });

  it('answers requests that need a stopped model with an error while running, and keeps going', async () => {
    await launch(dc, { program: path.join(FIXTURES, 'spin.js') });
    await assert.rejects(dc.scopesRequest({ frameId: 999 }), /no frame 999/);
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'pause');
  });
});

describe('DAP: the Debug Console reads the emulated debugfs', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('answers cat and ls of /sys/kernel/debug/irq as Linux formats them', async () => {
    const ev = await stopInHandler(dc);
    const cat = async (expression: string): Promise<string> =>
      (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
    const ls = await cat('ls /sys/kernel/debug/irq/domains');
    assert.ok(ls.split('\n').includes('VECTOR'), ls);
    const vector = await cat('cat /sys/kernel/debug/irq/domains/VECTOR');
    assert.match(vector, /^name: {3}VECTOR\n/);
    assert.match(vector, /\| CPU \| avl \| man \| mac \| act \| vectors/);
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    const irq = Number(
      (await dc.evaluateRequest({ expression: 'irq', frameId: st.body.stackFrames[0]!.id })).body
        .result,
    );
    const file = await cat(`debugfs irqs/${irq}`);
    assert.match(file, /^handler: {2}handle_edge_irq\n/);
    assert.match(file, /domain: {2}IR-PCI-IDXD-0000:6a:01\.0/);
  });
});
