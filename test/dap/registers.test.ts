/**
 * DAP register editing and data breakpoints on the example: setVariable writes registers through
 * the MMIO path with their side effects (an IMS slot masked holds its message pending, unmasked
 * releases it at once), refuses values that do not fit, assigns locals through the frame's
 * scope; data breakpoints stop at the model line whose writel changes an IMS slot's control
 * word, and on the APIC's ISR when the handler's EOI clears it.
 */
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  EXAMPLE,
  HANDLER_LINE,
  IDXD_LIB,
  collectOutput,
  launch,
  lineOf,
  startClient,
  stopInHandler,
  topScopes,
  vars,
} from './harness';

/** The IMS slot `slot` of the example's device and its `ctrl` word, in the top frame's scopes. */
async function imsSlot(
  dc: DebugClient,
  threadId: number,
  slot: number,
): Promise<{
  slotVar: DebugProtocol.Variable;
  words: Map<string, DebugProtocol.Variable>;
  ctrlBits: Map<string, DebugProtocol.Variable>;
}> {
  const { scopes } = await topScopes(dc, threadId);
  const ims = scopes.find((s) => s.name === 'IMS slots 0000:6a:01.0')!;
  const slotVar = (await vars(dc, ims.variablesReference)).get(`slot ${slot}`)!;
  const words = await vars(dc, slotVar.variablesReference);
  const ctrlBits = await vars(dc, words.get('ctrl')!.variablesReference);
  return { slotVar, words, ctrlBits };
}

async function registers(
  dc: DebugClient,
  threadId: number,
): Promise<Map<string, DebugProtocol.Variable>> {
  const { scopes } = await topScopes(dc, threadId);
  return vars(dc, scopes.find((s) => s.name === 'Registers 0000:6a:01.0')!.variablesReference);
}

/** Sets IMS slot `slot`'s `mask [0]` to `value` in the top frame of `threadId`. */
async function setMask(
  dc: DebugClient,
  threadId: number,
  slot: number,
  value: string,
): Promise<DebugProtocol.SetVariableResponse> {
  const { words } = await imsSlot(dc, threadId, slot);
  return dc.setVariableRequest({
    variablesReference: words.get('ctrl')!.variablesReference,
    name: 'mask [0]',
    value,
  });
}

describe('DAP: registers — setVariable through the MMIO path, data breakpoints', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('offers setVariable, setExpression and data breakpoints', async () => {
    const r = await dc.initializeRequest();
    assert.ok(r.body);
    assert.equal(r.body.supportsSetVariable, true);
    assert.equal(r.body.supportsSetExpression, true);
    assert.equal(r.body.supportsDataBreakpoints, true);
    assert.equal(r.body.supportsDataBreakpointBytes, true);
  });

  it('masks IMS slot 1: wq1’s completion pends; unmasking delivers it at once and the handler runs', async () => {
    const out = collectOutput(dc);
    const first = await stopInHandler(dc);
    const cpu0Thread = first.body.threadId!;
    // The register variables are editable (no readOnly hint) and name their address.
    const { words, ctrlBits } = await imsSlot(dc, cpu0Thread, 1);
    assert.equal(ctrlBits.get('mask [0]')!.presentationHint?.attributes, undefined);
    assert.match(words.get('ctrl')!.memoryReference!, /^0x[0-9a-f]+$/);

    const invalidated = dc.waitForEvent('invalidated');
    const set = await setMask(dc, cpu0Thread, 1, '1');
    assert.equal(set.body.value, '1');
    await invalidated;
    const masked = await imsSlot(dc, cpu0Thread, 1);
    assert.match(masked.slotVar.value, /^masked/);
    assert.equal(masked.words.get('ctrl')!.value, '0x00001009', 'a read-modify-write: PASID kept');
    assert.match(
      out.text(),
      /IMS slot 1 ctrl\.mask \(0000:6a:01\.0\): write32 0x[0-9a-f]+ ← 0x00001009/,
    );

    // Continue: wq1's completion arrives at the masked slot and is held (the filter stops there).
    await dc.setExceptionBreakpointsRequest({ filters: ['uncaught', 'maskedMessage'] });
    let stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: cpu0Thread });
    const held = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(held.body.reason, 'exception');
    assert.match(held.body.description!, /IMS slot 1/);
    assert.match(out.text(), /⚡ pending\s+IMS slot 1 of 0000:6a:01\.0/);
    const pendingView = await imsSlot(dc, held.body.threadId!, 1);
    assert.match(pendingView.slotVar.value, /^masked.*PENDING/);

    // Unmask: the pending message is delivered during the write.
    const before = out.text().length;
    await setMask(dc, held.body.threadId!, 1, '0b0');
    const after = out.text().slice(before);
    assert.match(after, /⚡ delivered/);
    const released = await imsSlot(dc, held.body.threadId!, 1);
    assert.match(released.slotVar.value, /^unmasked/);
    assert.doesNotMatch(released.slotVar.value, /PENDING/);

    // The handler of wq1 runs (the line breakpoint there stops).
    stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: held.body.threadId! });
    const inHandler = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(inHandler.body.reason, 'breakpoint');
    const st = await dc.stackTraceRequest({ threadId: inHandler.body.threadId! });
    assert.equal(st.body.stackFrames[0]!.line, HANDLER_LINE);
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.id', frameId: st.body.stackFrames[0]!.id })).body
        .result,
      '1',
    );
  });

  it('refuses a value out of the field’s range, a read-only field and a non-number', async () => {
    const ev = await stopInHandler(dc);
    const { words } = await imsSlot(dc, ev.body.threadId!, 1);
    const ctrl = words.get('ctrl')!.variablesReference;
    await assert.rejects(
      dc.setVariableRequest({ variablesReference: ctrl, name: 'mask [0]', value: '2' }),
      /IMS slot 1 ctrl\.mask \(0000:6a:01\.0\): 2 does not fit in 1 bit/,
    );
    await assert.rejects(
      dc.setVariableRequest({ variablesReference: ctrl, name: 'pasid [31:12]', value: '0x100000' }),
      /does not fit in 20 bits/,
    );
    await assert.rejects(
      dc.setVariableRequest({ variablesReference: ctrl, name: 'mask [0]', value: 'on' }),
      /is not a number/,
    );
    const { scopes } = await topScopes(dc, ev.body.threadId!);
    const regs = await vars(
      dc,
      scopes.find((s) => s.name === 'Registers 0000:6a:01.0')!.variablesReference,
    );
    const gensts = await vars(dc, regs.get('GENSTS @0x90')!.variablesReference);
    assert.deepEqual(gensts.get('state [1:0]')!.presentationHint?.attributes, ['readOnly']);
    await assert.rejects(
      dc.setVariableRequest({
        variablesReference: regs.get('GENSTS @0x90')!.variablesReference,
        name: 'state [1:0]',
        value: '0',
      }),
      /read-only \(RO\)/,
    );
    // Nothing changed.
    assert.equal((await imsSlot(dc, ev.body.threadId!, 1)).words.get('ctrl')!.value, '0x00001008');
  });

  it('writes one RW field of a register as a read-modify-write (GENCTRL keeps its other enable)', async () => {
    const ev = await stopInHandler(dc);
    const { scopes } = await topScopes(dc, ev.body.threadId!);
    const ref = scopes.find((s) => s.name === 'Registers 0000:6a:01.0')!.variablesReference;
    const genctrl = (await vars(dc, ref)).get('GENCTRL @0x88')!;
    assert.equal(genctrl.value, '0x00000003');
    await dc.setVariableRequest({
      variablesReference: genctrl.variablesReference,
      name: 'halt_int_en [1]',
      value: '0',
    });
    // The views re-read after `invalidated`: fresh scopes show the register as written.
    const fresh = (await topScopes(dc, ev.body.threadId!)).scopes;
    const regs = await vars(
      dc,
      fresh.find((s) => s.name === 'Registers 0000:6a:01.0')!.variablesReference,
    );
    assert.equal(regs.get('GENCTRL @0x88')!.value, '0x00000001');
    const fields = await vars(dc, regs.get('GENCTRL @0x88')!.variablesReference);
    assert.equal(fields.get('softerr_int_en [0]')!.value, '0x1 (1)');
  });

  it('writes an RW1C field as a 1 to just its bit, never a read-modify-write (INTCAUSE keeps cmd)', async () => {
    const out = collectOutput(dc);
    const line = lineOf(IDXD_LIB, 'const cause = readl(idxd.reg_base + IDXD_INTCAUSE_OFFSET);');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({ source: { path: IDXD_LIB }, breakpoints: [{ line }] }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    const intcause = (await registers(dc, ev.body.threadId!)).get('INTCAUSE @0x98')!;
    assert.equal(intcause.value, '0x00000002');
    await dc.setVariableRequest({
      variablesReference: intcause.variablesReference,
      name: 'err [0]',
      value: '1',
    });
    // 0x1 written — a read-modify-write would have written 0x3 and cleared cmd too.
    assert.match(out.text(), /INTCAUSE\.err \(0000:6a:01\.0\): write32 0xe0000098 ← 0x00000001/);
    assert.equal(
      (await registers(dc, ev.body.threadId!)).get('INTCAUSE @0x98')!.value,
      '0x00000002',
    );
  });

  it('writes an IRTE field into the IR table in memory (the rest of the entry kept)', async () => {
    const ev = await stopInHandler(dc);
    const { frame, scopes } = await topScopes(dc, ev.body.threadId!);
    const irte = Number((await imsSlot(dc, ev.body.threadId!, 1)).words.get('irte')!.value);
    const irtes = await vars(dc, scopes.find((s) => s.name === 'IRTEs')!.variablesReference);
    const entry = irtes.get(`INTEL-IR-0 IRTE ${irte}`)!;
    const read = async (): Promise<bigint> =>
      BigInt(
        (
          await dc.evaluateRequest({
            expression: `ims_debug.irte_read(${irte})`,
            frameId: frame.id,
          })
        ).body.result.replace(/n$/, ''),
      );
    const before = await read();
    await dc.setVariableRequest({
      variablesReference: entry.variablesReference,
      name: 'AVAIL [11:8]',
      value: '0x5',
    });
    assert.equal(await read(), (before & ~0xf00n) | 0x500n);
    await assert.rejects(
      dc.setVariableRequest({
        variablesReference: entry.variablesReference,
        name: 'VECTOR [23:16]',
        value: '0x100',
      }),
      /does not fit in 8 bits/,
    );
  });

  it('assigns locals and members through the frame’s scope (setVariable and setExpression)', async () => {
    const ev = await stopInHandler(dc);
    const { frame, scopes } = await topScopes(dc, ev.body.threadId!);
    const locals = scopes[0]!.variablesReference;
    const set = await dc.setVariableRequest({
      variablesReference: locals,
      name: 'irq',
      value: '0x40',
    });
    assert.equal(set.body.value, '64');
    assert.equal(
      (await dc.evaluateRequest({ expression: 'irq', frameId: frame.id })).body.result,
      '64',
    );
    const wq = (await vars(dc, locals)).get('wq')!;
    await dc.setVariableRequest({
      variablesReference: wq.variablesReference,
      name: 'mode',
      value: "'busy'",
    });
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.mode', frameId: frame.id })).body.result,
      '"busy"',
    );
    const expr = await dc.customRequest('setExpression', {
      expression: 'wq.note',
      value: '0b101',
      frameId: frame.id,
    });
    assert.equal((expr.body as { value: string }).value, '5');
    await assert.rejects(
      dc.setVariableRequest({ variablesReference: locals, name: 'this', value: '1' }),
      /cannot be assigned/,
    );
  });

  it('stops at idxd_ims_unmask’s writel when IMS slot 0’s ctrl changes, with old → new', async () => {
    const requestIrq = lineOf(
      EXAMPLE,
      "const rc = request_irq(wq.ims.virq, idxd_wq_completion_handler, 0, 'idxd-portal', wq);",
    );
    let stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: EXAMPLE }, () =>
      dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line: requestIrq }] }),
    );
    await stopped;
    // Slot 0 is allocated (masked, no message yet): its ctrl can be watched before activation.
    const { slotVar } = await imsSlot(dc, 1, 0);
    const info = await dc.dataBreakpointInfoRequest({
      variablesReference: slotVar.variablesReference,
      name: 'ctrl',
    });
    assert.notEqual(info.body.dataId, null);
    assert.match(
      info.body.description,
      /^IMS slot 0 ctrl \(0000:6a:01\.0\) @0x[0-9a-f]+, 4 bytes$/,
    );
    assert.deepEqual(info.body.accessTypes, ['write', 'read', 'readWrite']);
    const set = await dc.setDataBreakpointsRequest({
      breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }],
    });
    assert.equal(set.body.breakpoints[0]!.verified, true);
    await dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [] });

    stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'data breakpoint');
    assert.deepEqual(ev.body.hitBreakpointIds, [set.body.breakpoints[0]!.id]);
    assert.equal(
      ev.body.description,
      'IMS slot 0 ctrl (0000:6a:01.0): 0x00000001 → 0x00001008, written by writel',
    );
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    assert.equal(st.body.stackFrames[0]!.name, 'writel [kernel]');
    const model = st.body.stackFrames.find((f) => f.source !== undefined)!;
    assert.equal(model.name, 'idxd_ims_unmask');
    assert.equal(model.line, lineOf(EXAMPLE, 'writel(desc.data.icookie.value, slot + IMS_CTRL);'));
  });

  it('honours a condition on a field’s data breakpoint: mask [0] of slot 1 set again (free_irq)', async () => {
    const ev = await stopInHandler(dc);
    const { words } = await imsSlot(dc, ev.body.threadId!, 1);
    const info = await dc.dataBreakpointInfoRequest({
      variablesReference: words.get('ctrl')!.variablesReference,
      name: 'mask [0]',
    });
    assert.match(info.body.description, /^IMS slot 1 ctrl\.mask \(0000:6a:01\.0\)/);
    await dc.setDataBreakpointsRequest({
      breakpoints: [
        { dataId: info.body.dataId!, accessType: 'write', condition: 'old == 0 && value == 1' },
      ],
    });
    await dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [] });
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: ev.body.threadId! });
    const hit = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.equal(
      hit.body.description,
      'IMS slot 1 ctrl.mask (0000:6a:01.0): 0 → 1, written by writel',
    );
    const st = await dc.stackTraceRequest({ threadId: hit.body.threadId! });
    assert.equal(st.body.stackFrames.find((f) => f.source !== undefined)!.name, 'idxd_ims_mask');
  });

  it('watches CPU 0’s IRR and ISR: the next misc interrupt is accepted, then taken (INTA)', async () => {
    const ev = await stopInHandler(dc);
    // CPU 0 runs the model, waiting for wq0's completion: its frame has CPU 0's APIC scope.
    const cpu0 = await dc.stackTraceRequest({ threadId: 1 });
    const waiting = cpu0.body.stackFrames.find((f) => f.name === 'idxd_wq_test_copy')!;
    const scopes = (await dc.scopesRequest({ frameId: waiting.id })).body.scopes;
    const apic = scopes.find((s) => s.name === 'CPU 0 APIC')!;
    const ids: string[] = [];
    for (const name of ['IRR', 'ISR']) {
      const info = await dc.dataBreakpointInfoRequest({
        variablesReference: apic.variablesReference,
        name,
      });
      assert.deepEqual(info.body.accessTypes, ['write']);
      ids.push(info.body.dataId!);
    }
    const r = await dc.setDataBreakpointsRequest({
      breakpoints: ids.map((dataId) => ({ dataId, accessType: 'write' as const })),
    });
    assert.deepEqual(
      r.body.breakpoints.map((b) => b.verified),
      [true, true],
    );
    await dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [] });
    let stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: ev.body.threadId! });
    const accepted = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(accepted.body.reason, 'data breakpoint');
    assert.match(
      accepted.body.description!,
      /^CPU 0 APIC IRR: none → 0x20 \(message accepted during \w+\)$/,
    );
    stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: accepted.body.threadId! });
    const taken = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(
      taken.body.description,
      'CPU 0 APIC IRR: 0x20 → none; CPU 0 APIC ISR: none → 0x20 (INTA during wait_for_completion)',
    );
    assert.equal(taken.body.hitBreakpointIds?.length, 2);
  });
});
