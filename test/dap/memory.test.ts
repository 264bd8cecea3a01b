/**
 * DAP memory access on the example: readMemory returns register and RAM bytes without side
 * effects (an RW1C status register read through the debugger keeps its bits for the model's own
 * readl), writeMemory changes what the model reads from a DMA buffer and writes MMIO through the
 * device, views are told with `memory` events, data breakpoints on DMA buffers see the device's
 * DMA, and `ims/svd` returns the SVD of the running machine.
 */
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLE, IDXD_LIB, lineOf, startClient, stopInHandler, topScopes, vars } from './harness';

async function readMemory(
  dc: DebugClient,
  memoryReference: string,
  count: number,
  offset = 0,
): Promise<{ address: string; bytes: Buffer; unreadableBytes?: number }> {
  const r = (await dc.customRequest('readMemory', { memoryReference, offset, count })).body as {
    address: string;
    data?: string;
    unreadableBytes?: number;
  };
  return { ...r, bytes: Buffer.from(r.data ?? '', 'base64') };
}

async function writeMemory(
  dc: DebugClient,
  memoryReference: string,
  bytes: number[],
  offset = 0,
): Promise<number | undefined> {
  const r = await dc.customRequest('writeMemory', {
    memoryReference,
    offset,
    data: Buffer.from(bytes).toString('base64'),
  });
  return (r.body as { bytesWritten?: number }).bytesWritten;
}

/** Launches the example with a breakpoint at `line`, the client accepting memory events. */
async function stopAt(
  dc: DebugClient,
  line: number,
  file = EXAMPLE,
): Promise<DebugProtocol.StoppedEvent> {
  await dc.initializeRequest({
    adapterID: 'ims',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
    supportsMemoryEvent: true,
  });
  const initialized = dc.waitForEvent('initialized');
  const stopped = dc.waitForEvent('stopped');
  await dc.launchRequest({ program: EXAMPLE } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line }] });
  await dc.configurationDoneRequest();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

async function registers(
  dc: DebugClient,
  threadId: number,
): Promise<Map<string, DebugProtocol.Variable>> {
  const { scopes } = await topScopes(dc, threadId);
  return vars(dc, scopes.find((s) => s.name === 'Registers 0000:6a:01.0')!.variablesReference);
}

describe('DAP: memory — readMemory, writeMemory, memory references, SVD', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('offers readMemory and writeMemory', async () => {
    const r = await dc.initializeRequest();
    assert.ok(r.body);
    assert.equal(r.body.supportsReadMemoryRequest, true);
    assert.equal(r.body.supportsWriteMemoryRequest, true);
  });

  it('reads an IMS slot’s 16 bytes at the address its variable names', async () => {
    const ev = await stopInHandler(dc);
    const { scopes } = await topScopes(dc, ev.body.threadId!);
    const ims = scopes.find((s) => s.name === 'IMS slots 0000:6a:01.0')!;
    const slot = (await vars(dc, ims.variablesReference)).get('slot 1')!;
    const words = await vars(dc, slot.variablesReference);
    const r = await readMemory(dc, slot.memoryReference!, 16);
    assert.equal(r.address, slot.memoryReference);
    assert.equal(r.bytes.length, 16);
    assert.equal(r.unreadableBytes, undefined);
    const hex = (o: number) => `0x${r.bytes.readUInt32LE(o).toString(16).padStart(8, '0')}`;
    assert.equal(hex(0), words.get('address_lo')!.value);
    assert.equal(hex(4), words.get('address_hi')!.value);
    assert.equal(hex(8), words.get('data')!.value);
    assert.equal(hex(12), words.get('ctrl')!.value);
    // An offset from the reference reads the same bytes.
    const ctrl = await readMemory(dc, slot.memoryReference!, 4, 12);
    assert.equal(ctrl.bytes.readUInt32LE(0), 0x1008);
  });

  it('reads INTCAUSE twice without clearing it: the model’s own readl still sees the bits', async () => {
    const line = lineOf(IDXD_LIB, 'const cause = readl(idxd.reg_base + IDXD_INTCAUSE_OFFSET);');
    const ev = await stopAt(dc, line, IDXD_LIB);
    const intcause = (await registers(dc, ev.body.threadId!)).get('INTCAUSE @0x98')!;
    const first = await readMemory(dc, intcause.memoryReference!, 4);
    const second = await readMemory(dc, intcause.memoryReference!, 4);
    const cause = first.bytes.readUInt32LE(0);
    assert.notEqual(cause, 0, 'a command completed: INTCAUSE.cmd is set');
    assert.equal(second.bytes.readUInt32LE(0), cause);
    assert.equal(intcause.value, `0x${cause.toString(16).padStart(8, '0')}`);
    const next = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: ev.body.threadId! });
    await next;
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    assert.equal(
      (await dc.evaluateRequest({ expression: 'cause', frameId: st.body.stackFrames[0]!.id })).body
        .result,
      String(cause),
    );
  });

  it('writeMemory into a DMA buffer changes what the model reads; views get memory events', async () => {
    const ev = await stopAt(
      dc,
      lineOf(EXAMPLE, 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;'),
    );
    const { frame, scopes } = await topScopes(dc, ev.body.threadId!);
    const wq = (await vars(dc, scopes[0]!.variablesReference)).get('wq')!;
    const comp = (await vars(dc, wq.variablesReference)).get('comp')!;
    assert.match(comp.value, /^DmaBuffer\(32\) @ 0x[0-9a-f]+ \[0x01,/);
    assert.match(comp.memoryReference!, /^0x[0-9a-f]+$/);
    const before = await readMemory(dc, comp.memoryReference!, 32);
    assert.equal(before.bytes[0], 1, 'the device wrote status SUCCESS');

    const memory = dc.waitForEvent('memory');
    // Bit 7 is outside DSA_COMP_STATUS_MASK: the model still sees success, but the byte it reads changed.
    assert.equal(await writeMemory(dc, comp.memoryReference!, [0x81]), 1);
    const ev2 = (await memory) as DebugProtocol.MemoryEvent;
    assert.equal(ev2.body.memoryReference, comp.memoryReference);
    assert.equal(ev2.body.offset, 0);
    assert.equal(ev2.body.count, 1);
    assert.equal(
      (await dc.evaluateRequest({ expression: 'wq.comp[0]', frameId: frame.id })).body.result,
      '129',
    );
    assert.equal((await readMemory(dc, comp.memoryReference!, 1)).bytes[0], 0x81);
    const next = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: ev.body.threadId! });
    await next;
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    assert.equal(
      (await dc.evaluateRequest({ expression: 'status', frameId: st.body.stackFrames[0]!.id })).body
        .result,
      '1',
    );
  });

  it('writes MMIO through the device in aligned dwords, and refuses unaligned ones', async () => {
    const ev = await stopInHandler(dc);
    const { scopes } = await topScopes(dc, ev.body.threadId!);
    const ims = scopes.find((s) => s.name === 'IMS slots 0000:6a:01.0')!;
    const slot = (await vars(dc, ims.variablesReference)).get('slot 1')!;
    await assert.rejects(
      writeMemory(dc, slot.memoryReference!, [0x09], 12),
      /registers take aligned 32-bit writes/,
    );
    assert.equal(await writeMemory(dc, slot.memoryReference!, [0x09, 0x10, 0, 0], 12), 4);
    const fresh = await topScopes(dc, ev.body.threadId!);
    const again = (
      await vars(
        dc,
        fresh.scopes.find((s) => s.name === 'IMS slots 0000:6a:01.0')!.variablesReference,
      )
    ).get('slot 1')!;
    assert.match(again.value, /^masked, PASID 1/);
  });

  it('stops when the device’s DMA writes the completion record into a watched DMA buffer', async () => {
    const ev = await stopAt(dc, lineOf(EXAMPLE, 'const submitted = ktime_get_ns();'));
    const { scopes } = await topScopes(dc, ev.body.threadId!);
    const wq = (await vars(dc, scopes[0]!.variablesReference)).get('wq')!;
    const info = await dc.dataBreakpointInfoRequest({
      variablesReference: wq.variablesReference,
      name: 'comp',
    });
    assert.match(info.body.description, /^wq\.comp @0x[0-9a-f]+, 32 bytes$/);
    await dc.setDataBreakpointsRequest({
      breakpoints: [{ dataId: info.body.dataId!, accessType: 'write', condition: 'value[0] != 0' }],
    });
    await dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [] });
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: ev.body.threadId! });
    const hit = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.equal(
      hit.body.description,
      'wq.comp: bytes +0x0…+0x0 changed, written by the device (DMA) during wait_for_completion',
    );
    const st = await dc.stackTraceRequest({ threadId: hit.body.threadId! });
    assert.equal(st.body.stackFrames[0]!.name, 'wait_for_completion [kernel]');
    assert.equal(st.body.stackFrames[1]!.name, 'idxd_wq_test_copy');
  });

  it('answers ims/svd with the SVD of the running machine', async () => {
    await stopInHandler(dc);
    const svd = ((await dc.customRequest('ims/svd')).body as { svd: string }).svd;
    assert.match(svd, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<device schemaVersion="1\.3"/);
    const snap = (
      (await dc.customRequest('ims/snapshot')).body as {
        snapshot: { devices: { dsa: { bar0: string } }[] };
      }
    ).snapshot;
    const bar0 = Number(snap.devices[0]!.dsa.bar0);
    assert.ok(svd.includes(`<name>DSA0</name>`));
    assert.ok(svd.includes(`<baseAddress>0x${bar0.toString(16).toUpperCase()}</baseAddress>`));
    assert.ok(svd.includes('<name>DSA0_IMS</name>'));
  });
});
