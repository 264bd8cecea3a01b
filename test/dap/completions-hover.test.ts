/**
 * The Debug Console's completions and the editor's hovers, over DAP on the example: completions
 * of the frame's names, the model's module scope, the kernel API and members after a dot, with
 * item types and the replaced range; hovers evaluate reads and refuse what has side effects
 * (a call, an assignment, a getter of the model) without running it.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLE, FIXTURES, launch, lineOf, startClient } from './harness';

const REQUEST_LINE = lineOf(EXAMPLE, 'const rc = request_irq(wq.ims.virq');

describe('DAP: completions and hovers', function () {
  this.timeout(30_000);
  let dc: DebugClient;
  let capabilities: DebugProtocol.Capabilities;
  let frameId: number;

  before(async () => {
    dc = await startClient();
    capabilities = (await dc.initializeRequest()).body ?? {};
    const initialized = dc.waitForEvent('initialized');
    const stopped = dc.waitForEvent('stopped');
    await dc.launch({ program: EXAMPLE });
    await initialized;
    await dc.setBreakpointsRequest({
      source: { path: EXAMPLE },
      breakpoints: [{ line: REQUEST_LINE }],
    });
    await dc.configurationDoneRequest();
    await stopped;
    frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  });
  after(async () => {
    await dc.stop();
  });

  const complete = async (text: string, column = text.length + 1) =>
    (await dc.completionsRequest({ text, column, frameId })).body.targets;

  it('says it completes, and after a dot', () => {
    assert.equal(capabilities.supportsCompletionsRequest, true);
    assert.deepEqual(capabilities.completionTriggerCharacters, ['.']);
    assert.equal(capabilities.supportsEvaluateForHovers, true);
  });

  it("completes an object's properties after a dot, replacing what was typed", async () => {
    const items = await complete('idxd.');
    const labels = items.map((i) => i.label);
    for (const p of ['pdev', 'reg_base', 'wqs', 'cmd_done', 'ims_offset'])
      assert.ok(labels.includes(p), `${p} in ${labels.join(' ')}`);
    assert.ok(items.every((i) => i.type === 'property' && i.start === 6 && i.length === 0));
    const reg = items.find((i) => i.label === 'reg_base')!;
    assert.match(reg.detail ?? '', /\(0x[0-9a-f]+\)$/);
    const typed = await complete('idxd.ims_');
    assert.deepEqual(
      typed.map((i) => [i.label, i.start, i.length]),
      [
        ['ims_offset', 6, 4],
        ['ims_size', 6, 4],
      ],
    );
    assert.deepEqual(
      (await complete('wq.ims.')).map((i) => i.label),
      ['index', 'virq'],
    );
  });

  it('gives VS Code `start` as the 0-based index its Debug Console reads', async () => {
    const vscode = await startClient();
    try {
      await vscode.initializeRequest({
        adapterID: 'ims',
        clientID: 'vscode',
        linesStartAt1: true,
        columnsStartAt1: true,
        pathFormat: 'path',
      });
      const stopped = vscode.waitForEvent('stopped');
      // launchRequest, not launch(): DebugClient.launch sends its own initialize first.
      await vscode.launchRequest({ program: EXAMPLE, stopOnEntry: true } as never);
      await vscode.configurationDoneRequest();
      await stopped;
      const id = (await vscode.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
      const text = 'ims_debug.irte_o';
      const items = (
        await vscode.completionsRequest({ text, column: text.length + 1, frameId: id })
      ).body.targets;
      const item = items.find((i) => i.label === 'irte_of_irq')!;
      // The typed prefix 'irte_o' starts at index 10 of the text (column 11).
      assert.equal(text.substring(item.start!, item.start! + item.length!), 'irte_o');
    } finally {
      await vscode.stop();
    }
  });

  it("completes ims_debug's functions", async () => {
    const items = await complete('ims_debug.');
    const labels = items.map((i) => i.label);
    for (const f of ['irte_read', 'irte_write', 'irte_of_irq', 'vector_of_irq', 'qi_flush_iec'])
      assert.ok(labels.includes(f), `${f} in ${labels.join(' ')}`);
    assert.ok(items.every((i) => i.type === 'function'));
  });

  it('completes the kernel API, module constants and locals by prefix, typed', async () => {
    const pci = await complete('pci_');
    const byLabel = new Map(pci.map((i) => [i.label, i]));
    for (const f of ['pci_ims_alloc_irq', 'pci_irq_vector', 'pci_msix_alloc_irq_at'])
      assert.equal(byLabel.get(f)?.type, 'function', f);
    assert.ok(pci.every((i) => i.label.startsWith('pci_') && i.start === 1 && i.length === 4));
    // The constants the example takes from the driver core are in its module scope.
    const consts = await complete('x = IDXD_CMD_RE');
    assert.deepEqual(
      consts.map((i) => [i.label, i.detail, i.start, i.length]),
      [
        ['IDXD_CMD_RELEASE_INT_HANDLE', '14', 5, 11],
        ['IDXD_CMD_REQUEST_INT_HANDLE', '13', 5, 11],
      ],
    );
    const w = await complete('w');
    assert.equal(w[0]!.label, 'wq', 'a local sorts before the API and globals');
    assert.ok(w.some((i) => i.label === 'writel' && i.type === 'function'));
    const k = await complete('DSA_COMP_SUCC');
    assert.deepEqual(
      k.find((i) => i.label === 'DSA_COMP_SUCCESS'),
      {
        label: 'DSA_COMP_SUCCESS',
        type: 'value',
        detail: '1',
        sortText: '1DSA_COMP_SUCCESS',
        start: 1,
        length: 13,
      },
    );
    assert.deepEqual(
      (await complete('ims_')).map((i) => [i.label, i.type]),
      [['ims_debug', 'module']],
    );
  });

  it('offers no members of an expression it would have to call', async () => {
    assert.deepEqual(await complete('pci_get_drvdata(idxd.pdev).'), []);
  });

  const hover = async (expression: string) => {
    try {
      return (await dc.evaluateRequest({ expression, frameId, context: 'hover' })).body.result;
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };

  it('answers a hover over a variable or a member chain', async () => {
    assert.match(await hover('wq.ims'), /^\{index: 0, virq: \d+\}$/);
    assert.match(await hover('idxd.reg_base'), /^\d+ \(0x[0-9a-f]+\)$/);
    assert.equal(await hover('wq.id'), '0');
  });

  it('refuses a hover over a call or an assignment without running it', async () => {
    const repl = async (expression: string) =>
      (await dc.evaluateRequest({ expression, frameId, context: 'repl' })).body.result;
    const cmdsts = 'readl(idxd.reg_base + IDXD_VER_OFFSET)';
    assert.equal(
      await hover(cmdsts),
      'error: not evaluated on hover: it has side effects (calls readl)',
    );
    assert.equal(
      await hover('wq.id = 7'),
      'error: not evaluated on hover: it has side effects (assigns wq.id)',
    );
    assert.equal(await hover('wq.id'), '0', 'the assignment did not run');
    assert.equal(
      await hover('idxd.wqs.pop()'),
      'error: not evaluated on hover: it has side effects (calls idxd.wqs.pop)',
    );
    assert.equal(await repl('idxd.wqs.length'), '2', 'the call did not run');
    // The console evaluates what a hover refuses.
    assert.match(await repl(cmdsts), /^\d+/);
  });

  it("answers a hover over a DMA buffer and runs the runtime's own getters (its length)", async () => {
    assert.match(await hover('wq.comp'), /^DmaBuffer\(32\)/);
    assert.equal(await hover('wq.comp.length'), '32');
  });
});

describe('DAP: hovers and getters of the model', function () {
  this.timeout(30_000);
  const GETTER = path.join(FIXTURES, 'getter.js');
  let dc: DebugClient;
  let frameId: number;

  before(async () => {
    dc = await startClient();
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: GETTER }, () =>
      dc.setBreakpointsRequest({
        source: { path: GETTER },
        breakpoints: [{ line: lineOf(GETTER, '// the tests stop here') }],
      }),
    );
    await stopped;
    frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  });
  after(async () => {
    await dc.stop();
  });

  const evaluate = async (expression: string, context: string) => {
    try {
      return (await dc.evaluateRequest({ expression, frameId, context })).body.result;
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };

  it('refuses a getter the model defines, without running it', async () => {
    assert.equal(
      await evaluate('dev.gensts', 'hover'),
      'error: not evaluated on hover: dev.gensts is a getter of the model (it may have side effects)',
    );
    assert.equal(await evaluate('dev.reads', 'hover'), '0', 'the getter did not run');
    assert.match(await evaluate('dev.base', 'hover'), /^\d+ \(0x[0-9a-f]+\)$/);
    // The console runs it.
    assert.match(await evaluate('dev.gensts', 'repl'), /^\d+$/);
    assert.equal(await evaluate('dev.reads', 'hover'), '1');
  });

  it('lists the getter among the completions without running it', async () => {
    const items = (await dc.completionsRequest({ text: 'dev.', column: 5, frameId })).body.targets;
    assert.deepEqual(
      items.map((i) => [i.label, i.type, i.detail]),
      [
        ['base', 'property', items[0]!.detail],
        ['reads', 'property', '1'],
        ['gensts', 'property', 'getter'],
      ],
    );
    assert.equal(await evaluate('dev.reads', 'hover'), '1');
  });
});
