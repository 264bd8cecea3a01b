/**
 * DAP `ims/trace`: the session's interrupt timeline so far as Chrome/Perfetto trace events —
 * at a stop in the IMS completion handler the handler shows as running on the CPU that stopped,
 * with a flow from its message; at the next stop it has ended and the trace has grown.
 */
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { ChromeTrace, CompleteEvent } from '../../src/platform/chrome-trace';
import type { PlatformSnapshot } from '../../src/platform/snapshot/types';
import { assertChromeTrace } from '../unit/chrome-trace/schema';
import { assertWellFormed, flows, slices, trackOf } from '../unit/chrome-trace/check';
import { startClient, stopInHandler } from './harness';

async function traceOf(dc: DebugClient): Promise<ChromeTrace> {
  const body = (await dc.customRequest('ims/trace')).body as { trace: ChromeTrace };
  assertChromeTrace(body.trace);
  assertWellFormed(body.trace);
  return body.trace;
}

async function snapshotOf(dc: DebugClient): Promise<PlatformSnapshot> {
  return ((await dc.customRequest('ims/snapshot')).body as { snapshot: PlatformSnapshot }).snapshot;
}

describe('DAP: ims/trace', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('is refused before a launch', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.customRequest('ims/trace'), /no model is running/);
  });

  it('shows the handler the model is stopped in as running, on its CPU, fed by its message', async () => {
    const ev = await stopInHandler(dc);
    const cpu = ev.body.threadId! - 1;
    const t = await traceOf(dc);
    const snap = await snapshotOf(dc);
    assert.equal(t.otherData.now_ns, snap.t, 'the trace ends at the stop');
    assert.equal(t.otherData.messages, snap.trace.messages);
    const running = slices(t).filter((e) => e.args.running === true) as CompleteEvent[];
    assert.equal(running.length, 1, 'one handler is running: the one stopped in');
    const h = running[0]!;
    assert.equal(trackOf(t, h), `CPUs/CPU ${cpu}`);
    assert.match(h.name, /^irq \d+ idxd-portal \(running\)$/);
    assert.equal(h.ts + h.dur, snap.t / 1000);
    const inService = snap.cpus[cpu]!.inService;
    assert.equal(h.args.irq, inService[inService.length - 1]!.irq);
    const f = flows(t, 'f').find((x) => x.id === h.args.message);
    assert.ok(f, 'a flow ends at it');
    const msg = slices(t).find((e) => e.cat === 'message' && e.args.message === h.args.message)!;
    assert.equal(trackOf(t, msg), 'dsa0 0000:6a:01.0/IMS slot 0');
    assert.equal(msg.args.outcome, 'delivered');
    assert.equal(msg.args.cpu, cpu);
  });

  it('grows from stop to stop, and the earlier handler has ended', async () => {
    await stopInHandler(dc);
    const first = await traceOf(dc);
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    await stopped;
    const second = await traceOf(dc);
    assert.ok((second.otherData.now_ns as number) > (first.otherData.now_ns as number));
    assert.ok((second.otherData.messages as number) > (first.otherData.messages as number));
    const was = slices(first).find((e) => e.args.running === true)!;
    const now = slices(second).find(
      (e) => e.cat === 'handler' && e.ts === was.ts && trackOf(second, e) === trackOf(first, was),
    ) as CompleteEvent;
    assert.equal(now.args.running, undefined, 'it returned');
    assert.equal(now.name, was.name.replace(' (running)', ''));
    const running = slices(second).filter((e) => e.args.running === true);
    assert.equal(running.length, 1, 'the second completion handler runs now');
    assert.match(trackOf(second, running[0]!), /^CPUs\/CPU \d+$/);
    assert.notEqual(trackOf(second, running[0]!), trackOf(first, was), 'on another CPU');
  });
});
