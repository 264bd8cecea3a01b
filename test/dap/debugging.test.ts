import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  EXAMPLE,
  FIXTURES,
  HANDLER_LINE,
  collectOutput,
  launch,
  lineOf,
  startClient,
  stopInHandler,
  topScopes,
  vars,
} from './harness';

describe('DAP: the IDXD IMS example', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('stops on entry at the model’s first statement, on CPU 0', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE, stopOnEntry: true });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'entry');
    assert.equal(ev.body.threadId, 1);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.name, '<module>');
    // The first statement after the 'use strict' directive: the require of the driver core.
    assert.equal(st.body.stackFrames[0]!.line, lineOf(EXAMPLE, 'const {'));
    const threads = await dc.threadsRequest();
    assert.deepEqual(
      threads.body.threads.map((t) => t.name),
      ['CPU 0', 'CPU 1', 'CPU 2', 'CPU 3'],
    );
  });

  it('stops at a breakpoint in the completion handler on the CPU that took the IMS interrupt', async () => {
    const ev = await stopInHandler(dc);
    assert.equal(ev.body.reason, 'breakpoint');
    const snap = (
      (await dc.customRequest('ims/snapshot')).body as {
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
    ).snapshot;
    const ims0 = snap.irqs.find((i) => i.source === 'ims' && i.index === 0)!;
    assert.equal(
      ev.body.threadId,
      ims0.cpu + 1,
      'the stop is on the thread of the CPU the vector targets',
    );
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId });
    const names = st.body.stackFrames.map((f) => f.name);
    assert.equal(names[0], 'idxd_wq_completion_handler');
    assert.equal(st.body.stackFrames[0]!.line, HANDLER_LINE);
    assert.equal(
      names[1],
      `irq ${ims0.irq} vector 0x${ims0.vector.toString(16)} (IR-PCI-IDXD-0000:6a:01.0)`,
    );
    const { scopes } = await topScopes(dc, ev.body.threadId);
    const locals = await vars(dc, scopes[0]!.variablesReference);
    assert.equal(locals.get('irq')!.value, String(ims0.irq));
    assert.equal(locals.get('status')!.value, '<uninitialized>');
  });

  it('shows the IMS slot with its decoded control word and the IRTE it points at', async () => {
    const ev = await stopInHandler(dc);
    const { scopes } = await topScopes(dc, ev.body.threadId!);
    const ims = scopes.find((s) => s.name === 'IMS slots 0000:6a:01.0')!;
    assert.equal(ims.presentationHint, 'registers');
    const slots = await vars(dc, ims.variablesReference);
    const slot0 = slots.get('slot 0')!;
    assert.match(
      slot0.value,
      /^unmasked, PASID 1 → IRTE \d+ → vector 0x[0-9a-f]{2} → CPU \d \(irq \d+\)$/,
    );
    const fields = await vars(dc, slot0.variablesReference);
    assert.match(fields.get('address_lo')!.value, /^0xfee[0-9a-f]{5}$/);
    const ctrl = fields.get('ctrl')!;
    assert.equal(ctrl.value, '0x00001008');
    const bits = await vars(dc, ctrl.variablesReference);
    assert.equal(bits.get('mask [0]')!.value, '0');
    assert.equal(bits.get('pasid_en [3]')!.value, '1');
    assert.equal(bits.get('pasid [31:12]')!.value, '0x1 (1)');
    const irte = Number(fields.get('irte')!.value);
    const irtes = await vars(dc, scopes.find((s) => s.name === 'IRTEs')!.variablesReference);
    const entry = irtes.get(`INTEL-IR-0 IRTE ${irte}`)!;
    const decoded = await vars(dc, entry.variablesReference);
    assert.match(decoded.get('P [0]')!.value, /^1 /);
    assert.match(decoded.get('SID [79:64]')!.value, /^6a:01\.0 /);
  });

  it('evaluates in the handler frame and in the interrupted frames', async () => {
    const ev = await stopInHandler(dc);
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    const top = st.body.stackFrames[0]!;
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.id * 10 + 2', frameId: top.id })).body.result,
      '2',
    );
    assert.equal(
      (
        await dc.evaluateRequest({
          expression: 'wq.comp[0] & DSA_COMP_STATUS_MASK',
          frameId: top.id,
        })
      ).body.result,
      '1',
    );
    // CPU 0's stack: the model waiting for this completion.
    const cpu0 = await dc.stackTraceRequest({ threadId: 1 });
    const waiting = cpu0.body.stackFrames.find((f) => f.name === 'idxd_wq_test_copy')!;
    assert.equal(
      (await dc.evaluateRequest({ expression: 'TEST_BYTES', frameId: waiting.id })).body.result,
      '4096 (0x1000)',
    );
    await assert.rejects(
      dc.evaluateRequest({ expression: 'no_such_name', frameId: top.id }),
      /no_such_name is not defined/,
    );
  });

  it('applies a register write made from the Debug Console: the slot shows masked and views are told', async () => {
    const ev = await stopInHandler(dc);
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    const invalidated = dc.waitForEvent('invalidated');
    await dc.evaluateRequest({
      expression: 'idxd_ims_mask(irq_get_irq_data(irq))',
      frameId: st.body.stackFrames[0]!.id,
      context: 'repl',
    });
    await invalidated;
    const snap = (
      (await dc.customRequest('ims/snapshot')).body as {
        snapshot: { devices: { dsa: { ims: { inUse: { slot: number; mask: boolean }[] } } }[] };
      }
    ).snapshot;
    assert.equal(snap.devices[0]!.dsa.ims.inUse.find((x) => x.slot === 0)!.mask, true);
  });

  it('steps into the irq chip callback that pci_ims_alloc_irq calls, and out again', async () => {
    const line = lineOf(EXAMPLE, 'wq.ims = pci_ims_alloc_irq(');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line }] }),
    );
    await stopped;
    let next = dc.waitForEvent('stopped');
    await dc.stepInRequest({ threadId: 1 });
    await next;
    let st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.slice(0, 3).map((f) => f.name),
      ['idxd_ims_prepare_desc', 'pci_ims_alloc_irq [kernel]', 'idxd_wq_request_irq'],
    );
    next = dc.waitForEvent('stopped');
    await dc.stepOutRequest({ threadId: 1 });
    await next;
    st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.name, 'idxd_wq_request_irq');
    assert.equal(st.body.stackFrames[0]!.line, lineOf(EXAMPLE, 'if (wq.ims.index < 0) {'));
  });

  it('steps over a wait during which an interrupt handler runs, without stopping in it', async () => {
    const line = lineOf(EXAMPLE, 'wait_for_completion(wq.done);');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line }] }),
    );
    await stopped;
    const next = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 1 });
    const ev = (await next) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'step');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.line, line + 1);
    const top = st.body.stackFrames[0]!;
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.status', frameId: top.id })).body.result,
      '1',
      'the handler ran during the step',
    );
  });

  it('stops with the interrupt filter’s condition and describes the whole path', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setExceptionBreakpointsRequest({
        filters: [],
        filterOptions: [{ filterId: 'interrupt', condition: "source == 'ims' && slot == 1" }],
      }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'exception');
    const snap = (
      (await dc.customRequest('ims/snapshot')).body as {
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
    ).snapshot;
    const slot1 = snap.irqs.find((i) => i.source === 'ims' && i.index === 1)!;
    const expected = `vector 0x${slot1.vector.toString(16).padStart(2, '0')} → CPU ${slot1.cpu} via IRTE ${slot1.irte} from IMS slot 1 of 0000:6a:01.0 (irq ${slot1.irq})`;
    assert.equal(ev.body.description, expected);
    assert.equal(ev.body.threadId, slot1.cpu + 1);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId });
    assert.equal(info.body.exceptionId, 'interrupt');
    assert.equal(info.body.description, expected);
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId });
    assert.equal(st.body.stackFrames[0]!.name, 'idxd_wq_completion_handler');
  });

  it('refuses an interrupt condition that does not compile', async () => {
    await dc.initializeRequest();
    const init = dc.waitForEvent('initialized');
    await dc.launch({ program: EXAMPLE });
    await init;
    const r = await dc.setExceptionBreakpointsRequest({
      filters: [],
      filterOptions: [{ filterId: 'interrupt', condition: 'vector ==' }],
    });
    assert.equal(r.body?.breakpoints?.[0]?.verified, false);
    assert.match(r.body.breakpoints[0].message!, /does not compile/);
  });

  it('honours conditions, hit counts and log messages on line breakpoints', async () => {
    const out = collectOutput(dc);
    const logLine = lineOf(EXAMPLE, 'const submitted = ktime_get_ns();');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({
        source: { path: EXAMPLE },
        breakpoints: [
          { line: HANDLER_LINE, condition: 'wq.id === 1' },
          { line: logLine, logMessage: 'copy on wq{wq.id} of {TEST_BYTES} bytes' },
        ],
      }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.id', frameId: st.body.stackFrames[0]!.id })).body
        .result,
      '1',
    );
    assert.match(out.text(), /copy on wq0 of 4096 bytes/);
    assert.match(out.text(), /copy on wq1 of 4096 bytes/);
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: ev.body.threadId! });
    await ended;
  });

  it('stops on the second hit with the hit count 2', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({
        source: { path: EXAMPLE },
        breakpoints: [{ line: HANDLER_LINE, hitCondition: '2' }],
      }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.id', frameId: st.body.stackFrames[0]!.id })).body
        .result,
      '1',
    );
  });

  it('runs to completion and reports exit code 0', async () => {
    const out = collectOutput(dc);
    const exited = dc.waitForEvent('exited');
    const ended = dc.waitForEvent('terminated');
    await launch(dc, { program: EXAMPLE });
    const ex = (await exited) as DebugProtocol.ExitedEvent;
    await ended;
    assert.equal(ex.body.exitCode, 0);
    assert.equal((out.text().match(/data verified/g) ?? []).length, 2);
    assert.match(out.text(), /0 faulted, 0 dropped/);
  });

  it('rejects a launch configuration with a bad attribute, naming it', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launch({ program: EXAMPLE, cpus: 65 }), /launch\.cpus: must be <= 64/);
  });
});

describe('DAP: bad models', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('pauses a model spinning in while (true) {}', async () => {
    const program = path.join(FIXTURES, 'spin.js');
    await launch(dc, { program });
    await new Promise((r) => setTimeout(r, 300));
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'pause');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.line, lineOf(program, 'while (true) {}'));
    assert.equal(
      (await dc.evaluateRequest({ expression: 'spins + 1', frameId: st.body.stackFrames[0]!.id }))
        .body.result,
      '1',
    );
  });

  it('stops at the line of an uncaught exception, then ends with exit code 1', async () => {
    const program = path.join(FIXTURES, 'throws.js');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'exception');
    assert.match(
      ev.body.description!,
      /^TypeError: Cannot read properties of null \(reading 'gencap'\)$/,
    );
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.slice(0, 2).map((f) => [f.name, f.line]),
      [
        ['idxd_read_caps', lineOf(program, 'return idxd.caps.gencap;')],
        ['probe', lineOf(program, 'return idxd_read_caps(idxd);')],
      ],
    );
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 1);
  });

  it('reports a syntax error with its line and column', async () => {
    await dc.initializeRequest();
    await assert.rejects(
      dc.launch({
        program: path.join(FIXTURES, 'syntax.js'),
      }),
      /syntax\.js:4:\d+: SyntaxError/,
    );
  });

  it('stops on a remapping fault when the model clears an IRTE’s present bit', async () => {
    const program = path.join(FIXTURES, 'bad-irte.js');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () =>
      dc.setExceptionBreakpointsRequest({ filters: ['remapFault'] }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'exception');
    assert.match(
      ev.body.description!,
      /^remapping fault 0x22 \(Present field in the IRTE entry is clear\) at IRTE \d+ for a message from MSI-X entry 0 of 0000:6a:01\.0$/,
    );
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    const model = st.body.stackFrames.find((f) => f.source !== undefined)!;
    assert.equal(model.name, 'probe');
    assert.equal(model.line, lineOf(program, 'udelay(10);'));
  });

  it('stops a model that recurses without end, and stays usable', async () => {
    const program = path.join(FIXTURES, 'recurse.js');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.match(ev.body.description!, /^RangeError: Maximum call stack size exceeded/);
    const st = await dc.stackTraceRequest({ threadId: 1, levels: 3 });
    assert.equal(st.body.stackFrames[0]!.name, 'descend');
    assert.ok((st.body.totalFrames ?? 0) > 1000);
    assert.equal(
      (await dc.evaluateRequest({ expression: 'n > 100', frameId: st.body.stackFrames[0]!.id }))
        .body.result,
      'true',
    );
  });

  it('debugs a TypeScript model at its own lines', async () => {
    const program = path.join(FIXTURES, 'typed.ts');
    const line = lineOf(program, 'return { step: Step.Read, value };');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () =>
      dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] }),
    );
    await stopped;
    const { frame, scopes } = await topScopes(dc, 1);
    assert.equal(frame.name, 'readVersion');
    assert.equal(frame.line, line);
    const locals = await vars(dc, scopes[0]!.variablesReference);
    assert.equal(locals.get('value')!.value, '256 (0x100)');
  });

  it('debugs an ES module model and the module it imports', async () => {
    const helper = path.join(FIXTURES, 'esm-helper.mjs');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: path.join(FIXTURES, 'esm.mjs') }, () =>
      dc.setBreakpointsRequest({
        source: { path: helper },
        breakpoints: [{ line: lineOf(helper, 'return v;') }],
      }),
    );
    await stopped;
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.slice(0, 2).map((f) => f.name),
      ['version', 'probe'],
    );
  });

  it('debugs a library the model requires from outside its folder', async () => {
    const dir = path.join(FIXTURES, 'shared-lib');
    const helper = path.join(dir, 'lib', 'helper.js');
    const program = path.join(dir, 'model', 'driver.js');
    const changed: DebugProtocol.Breakpoint[] = [];
    dc.on('breakpoint', (e: DebugProtocol.BreakpointEvent) => changed.push(e.body.breakpoint));
    const stopped = dc.waitForEvent('stopped');
    let set: DebugProtocol.SetBreakpointsResponse | undefined;
    await launch(dc, { program }, async () => {
      set = await dc.setBreakpointsRequest({
        source: { path: helper },
        breakpoints: [{ line: lineOf(helper, 'return v;') }],
      });
    });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    const id = set!.body.breakpoints[0]!.id;
    const verified = [set!.body.breakpoints[0]!, ...changed.filter((b) => b.id === id)].at(-1)!;
    assert.equal(verified.verified, true);
    assert.equal(ev.body.reason, 'breakpoint');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.slice(0, 2).map((f) => `${f.name}@${path.basename(f.source!.path!)}`),
      ['version@helper.js', 'probe@driver.js'],
    );
    assert.equal(st.body.stackFrames[0]!.line, lineOf(helper, 'return v;'));
  });
});
