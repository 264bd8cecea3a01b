/**
 * Beside the code, over DAP on the example: `ims/inlineValues` gives each line's last MMIO
 * access as register, value and decoded fields (checked against the register's bytes read with
 * readMemory) and each irq line's path (checked against ims_debug's view of the irq: its IRTE,
 * vector and CPU), before and after request_irq activates it; and the stopped frame's locals.
 */
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { InlineValues } from '../../src/runtime/protocol';
import { EXAMPLE, IDXD_LIB, launch, lineOf, startClient } from './harness';

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/** The inline values of lines `from`..`to` of the example (and the frame's locals). */
async function inlineValues(
  dc: DebugClient,
  from: number,
  to: number,
  frameId?: number,
  file = EXAMPLE,
): Promise<InlineValues> {
  const r = await dc.customRequest('ims/inlineValues', {
    path: file,
    startLine: from,
    endLine: to,
    frameId,
  });
  return (r.body as { inlineValues: InlineValues }).inlineValues;
}

/** The text beside line `line` (the texts of its statements, joined), or undefined. */
function textAt(values: InlineValues, line: number): string | undefined {
  const on = values.items.filter((v) => v.line === line);
  return on.length === 0 ? undefined : on.map((v) => v.text).join(' | ');
}

async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
}

async function evaluate(
  dc: DebugClient,
  expression: string,
  frameId: number,
  context = 'repl',
): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context })).body.result;
}

/** A number the console printed (`33`, `3758096384 (0xe0000000)`). */
const num = (result: string): number => Number(/^-?\d+/.exec(result)![0]);

/** The 32-bit little-endian word at `address`, read without side effects. */
async function word(dc: DebugClient, address: number): Promise<number> {
  const r = await dc.customRequest('readMemory', { memoryReference: hex(address), count: 4 });
  return Buffer.from((r.body as { data: string }).data, 'base64').readUInt32LE(0);
}

/** Runs to the breakpoint at `line` of `file` and returns the top frame. */
async function runTo(
  dc: DebugClient,
  line: number,
  file = EXAMPLE,
): Promise<DebugProtocol.StackFrame> {
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: EXAMPLE }, () =>
    dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line }] }),
  );
  await stopped;
  return topFrame(dc);
}

describe('DAP: inline values beside the code (ims/inlineValues)', function () {
  this.timeout(30_000);
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('shows the last MMIO access of each line: register, value read or written, fields', async () => {
    // In the driver core the example requires.
    const lib = IDXD_LIB;
    const readLine = lineOf(lib, 'const genctrl = readl(idxd.reg_base + IDXD_GENCTRL_OFFSET);');
    const writeLine = readLine + 1; // writel(genctrl | SOFTERR_INT_EN | HALT_INT_EN, …)
    const stop = lineOf(lib, 'const genctrl =') + 5; // `return 0;` of idxd_setup_interrupts
    const frame = await runTo(dc, stop, lib);
    assert.equal(frame.line, stop);
    const base = num(await evaluate(dc, 'idxd.reg_base', frame.id, 'hover'));
    const genctrl = await word(dc, base + 0x88);
    assert.equal(genctrl, 3, 'the model set softerr_int_en and halt_int_en');
    const values = await inlineValues(dc, readLine - 5, stop, undefined, lib);
    // The read saw GENCTRL before the write; the register holds the written value now.
    assert.equal(textAt(values, readLine), `GENCTRL = 0x0 · now ${hex(genctrl)}`);
    assert.equal(textAt(values, writeLine), 'GENCTRL ← 0x3 (softerr_int_en, halt_int_en)');
    // The loop that polls CMDSTS during the reset is one line with several reads.
    const poll = lineOf(lib, 'while (readl(idxd.reg_base + IDXD_CMDSTS_OFFSET)');
    const pollText = textAt(await inlineValues(dc, poll, poll, undefined, lib), poll);
    assert.match(pollText ?? '', /^CMDSTS = 0x0 \(err=SUCCESS\)( ×\d+)?$/);
    // 64-bit reads decode with the register tables: TABLE's offsets, as the model computes them.
    const table = lineOf(lib, 'const q0 = readq(idxd.reg_base + IDXD_TABLE_OFFSET);');
    const wqcfgOffset = num(await evaluate(dc, 'idxd.wqcfg_offset', frame.id, 'hover'));
    const tableText = textAt(await inlineValues(dc, table, table, undefined, lib), table) ?? '';
    assert.match(tableText, /^TABLE\[63:0\] = 0x[0-9a-f]+ \(grpcfg=\w+, wqcfg=(\w+), /);
    assert.equal(Number(/wqcfg=(\w+)/.exec(tableText)![1]) * 0x100, wqcfgOffset);
  });

  it("shows an irq line's path, not activated after the allocation and activated by request_irq", async () => {
    const alloc = lineOf(
      EXAMPLE,
      'wq.ims = pci_ims_alloc_irq(idxd.pdev, { value: SYSTEM_PASID });',
    );
    const request = lineOf(EXAMPLE, 'const rc = request_irq(wq.ims.virq');
    let frame = await runTo(dc, request);
    const virq = num(await evaluate(dc, 'wq.ims.virq', frame.id, 'hover'));
    const slot = num(await evaluate(dc, 'wq.ims.index', frame.id, 'hover'));
    const irte = num(await evaluate(dc, `ims_debug.irte_of_irq(${virq})`, frame.id));
    let values = await inlineValues(dc, alloc, request);
    assert.equal(
      textAt(values, alloc),
      `irq ${virq}: IMS slot ${slot} → IRTE ${irte} → not activated (vector reserved)`,
    );
    assert.equal(textAt(values, request), undefined, 'request_irq has not run yet');

    const stopped = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 1 });
    await stopped;
    frame = await topFrame(dc);
    assert.equal(frame.line, request + 1);
    const vector = num(await evaluate(dc, `ims_debug.vector_of_irq(${virq}).vector`, frame.id));
    const cpu = num(await evaluate(dc, `ims_debug.vector_of_irq(${virq}).cpu`, frame.id));
    const path = `irq ${virq}: IMS slot ${slot} → IRTE ${irte} → vector ${hex(vector)} → CPU ${cpu}`;
    values = await inlineValues(dc, alloc, request);
    assert.equal(textAt(values, alloc), path, 'the path as it is now');
    assert.equal(textAt(values, request), path);

    // Activation wrote the IMS slot through the chip's irq_write_msi_msg: its lines say what.
    const base = num(await evaluate(dc, 'idxd.reg_base + idxd.ims_offset', frame.id, 'hover'));
    const data = await word(dc, base + slot * 16 + 8);
    const dataLine = lineOf(EXAMPLE, 'writel(msg.data, slot + IMS_DATA);');
    const msi = await inlineValues(dc, dataLine - 2, dataLine + 1);
    assert.equal(textAt(msi, dataLine), `IMS[${slot}].data ← ${hex(data)}`);
    assert.equal(textAt(msi, dataLine + 1), `IMS[${slot}].data = ${hex(data)}`);
    assert.match(
      textAt(msi, dataLine - 2) ?? '',
      // Linux's remappable message: the handle is the IRTE (subhandle 0 with SHV).
      new RegExp(
        `^IMS\\[${slot}\\]\\.address_lo ← 0xfee[0-9a-f]{5} \\(remappable, handle=${irte}, SHV\\)`,
      ),
    );
  });

  it("gives the stopped frame's locals and its lines, only for the frame's own file", async () => {
    const request = lineOf(EXAMPLE, 'const rc = request_irq(wq.ims.virq');
    const frame = await runTo(dc, request);
    const values = await inlineValues(dc, 1, 600, frame.id);
    const fnLine = lineOf(EXAMPLE, 'function idxd_wq_request_irq(idxd, wq) {');
    assert.deepEqual(values.frame, {
      names: ['idxd', 'wq', 'rc', 'stat'],
      startLine: fnLine,
      stopLine: request,
    });
    const other = await inlineValues(dc, 1, 600, frame.id, `${EXAMPLE}.other.js`);
    assert.deepEqual(other, { items: [] });
    const outside = await inlineValues(dc, request + 1, request + 2, frame.id);
    assert.deepEqual(outside.items, [], 'no recorded call on those lines yet');
  });
});
