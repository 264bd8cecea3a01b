import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLE, FIXTURES, launch, startClient } from './harness';

interface Snap {
  snapshot: {
    irqs: {
      irq: number;
      source: string | null;
      index: number | null;
      cpu: number;
      vector: number;
      irte: number | null;
    }[];
  };
}

describe('DAP: named interrupt breakpoints (function breakpoints)', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('stops in the handler of IMS slot 1 for "ims 1", naming the breakpoint and the path', async () => {
    const stopped = dc.waitForEvent('stopped');
    let id = 0;
    await launch(dc, { program: EXAMPLE }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ims 1' }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
      id = r.body.breakpoints[0]!.id!;
    });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'function breakpoint');
    assert.deepEqual(ev.body.hitBreakpointIds, [id]);
    const snap = ((await dc.customRequest('ims/snapshot')).body as Snap).snapshot;
    const slot1 = snap.irqs.find((i) => i.source === 'ims' && i.index === 1)!;
    assert.equal(ev.body.threadId, slot1.cpu + 1);
    assert.equal(
      ev.body.description,
      `vector 0x${slot1.vector.toString(16).padStart(2, '0')} → CPU ${slot1.cpu} via IRTE ${slot1.irte} from IMS slot 1 of 0000:6a:01.0 (irq ${slot1.irq})`,
    );
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId });
    assert.equal(st.body.stackFrames[0]!.name, 'idxd_wq_completion_handler');
  });

  it('honours a vector@cpu name with a hit count: the third misc interrupt on CPU 0', async () => {
    // The WQ completions use vector 0x20 on CPUs 1 and 2; only the misc interrupt is on CPU 0.
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setFunctionBreakpointsRequest({
        breakpoints: [{ name: 'vector 0x20@cpu0', hitCondition: '3' }],
      }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.threadId, 1);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.name, 'idxd_misc_thread');
  });

  it('refuses a name that does not parse, with the reason, and keeps the others', async () => {
    await dc.initializeRequest();
    const init = dc.waitForEvent('initialized');
    await dc.launch({ program: EXAMPLE });
    await init;
    const r = await dc.setFunctionBreakpointsRequest({
      breakpoints: [{ name: 'probe' }, { name: 'irte 9' }],
    });
    assert.equal(r.body.breakpoints[0]!.verified, false);
    assert.match(r.body.breakpoints[0]!.message!, /"probe" is not an interrupt breakpoint/);
    assert.equal(r.body.breakpoints[1]!.verified, true);
  });

  it('stops where a fault with the named reason happens', async () => {
    const program = path.join(FIXTURES, 'bad-irte.js');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () =>
      dc.setFunctionBreakpointsRequest({
        breakpoints: [{ name: 'fault 0x22', condition: "source == 'msix' && index == 0" }],
      }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'function breakpoint');
    assert.match(ev.body.description!, /^remapping fault 0x22 /);
  });
});
