/**
 * The CLI's pure parts, without a child process: event lines, the domain tree, the summary,
 * --json objects, stack reading, colour choice and option parsing.
 */
import { strict as assert } from 'node:assert';
import type { TraceEvent } from '../../src/platform/trace';
import type { IrqSnapshot, PlatformSnapshot } from '../../src/platform/snapshot/types';
import { COLOUR, PLAIN, wantsColour } from '../../src/cli/colour';
import { describeReason, describeRoute, renderEventLine } from '../../src/cli/render-text';
import { renderJsonEvent } from '../../src/cli/render-json';
import { DEFAULT_IRQ_LIMIT, irqCells, renderDomainTree } from '../../src/cli/render-tree';
import { formatDuration, renderSummary } from '../../src/cli/render-summary';
import { displayFunction, parseStack } from '../../src/cli/stack';
import { modelStack } from '../../src/cli/errors';
import { parseCpus } from '../../src/cli/args';
import { showPath } from '../../src/cli/run';

function event(over: Partial<TraceEvent>): TraceEvent {
  return {
    seq: 0,
    id: 1,
    t: 23_477,
    kind: 'delivered',
    bdf: '0000:6a:01.0',
    source: 'ims',
    index: 0,
    pasid: 1,
    msg: { address_lo: 0xfee00138, address_hi: 0, data: 0 },
    irte: 9,
    vector: 0x20,
    cpu: 1,
    virq: 33,
    fault: null,
    reason: null,
    path: '',
    ...over,
  };
}

function irq(over: Partial<IrqSnapshot>): IrqSnapshot {
  return {
    irq: 33,
    domain: 'IR-PCI-IDXD-0000:6a:01.0',
    hwirq: 0,
    chip: 'IR-PCI-IDXD-0000:6a:01.0',
    action: 'idxd-portal',
    device: '0000:6a:01.0',
    source: 'ims',
    index: 0,
    msg: null,
    irte: 9,
    ir: 'INTEL-IR-0',
    vector: 0x20,
    cpu: 1,
    reserved: false,
    prevVector: null,
    prevCpu: null,
    moveInProgress: false,
    state: [],
    count: 1,
    perCpu: [0, 1],
    unhandled: 0,
    icookie: null,
    affinity: [],
    pendingMask: [],
    cleanupPending: false,
    ...over,
  };
}

function snapshot(irqs: IrqSnapshot[]): PlatformSnapshot {
  const dom = (name: string, parent: string | null, size: number, list: number[]) => ({
    name,
    parent,
    flags: 0,
    size,
    mapped: list.length,
    busToken: 0,
    dev: null,
    irqs: list,
    irqCount: list.length,
  });
  const of = (d: string) => irqs.filter((q) => q.domain === d).map((q) => q.irq);
  return {
    version: 2,
    seq: 0,
    generation: 0,
    inlineLimit: null,
    t: 0,
    cpus: [],
    domains: [
      dom('VECTOR', null, 0, []),
      dom('INTEL-IR-0', 'VECTOR', 65536, []),
      dom('IR-PCI-MSIX-0000:6a:01.0', 'INTEL-IR-0', 9, of('IR-PCI-MSIX-0000:6a:01.0')),
      dom('IR-PCI-IDXD-0000:6a:01.0', 'INTEL-IR-0', 2048, of('IR-PCI-IDXD-0000:6a:01.0')),
    ],
    irqs,
    irqCount: irqs.length,
    ir: [],
    devices: [],
    held: [],
    heldCount: 0,
    trace: {
      totals: { delivered: 0, pending: 0, faulted: 0, dropped: 0 },
      messages: 0,
      pendingIds: [],
      recent: [],
      problems: [],
    },
    events: [],
    log: [],
    anomalies: [],
  };
}

describe('cli rendering', () => {
  describe('event lines', () => {
    it('print time, id, outcome and the full route of a delivered message', () => {
      assert.equal(
        renderEventLine(event({}), PLAIN),
        '[    0.000023] #1     delivered  IMS slot 0 of 0000:6a:01.0 → IRTE 9 → vector 0x20 → CPU 1 (irq 33)',
      );
    });

    it('align the reason of faulted, dropped and pending messages in a column', () => {
      const faulted = renderEventLine(
        event({
          kind: 'faulted',
          vector: null,
          cpu: null,
          virq: null,
          fault: 0x22,
          reason: 'P clear',
        }),
        PLAIN,
      );
      const dropped = renderEventLine(
        event({
          kind: 'dropped',
          source: 'msix',
          irte: null,
          vector: null,
          cpu: null,
          virq: null,
          reason: 'not an interrupt',
        }),
        PLAIN,
      );
      const pending = renderEventLine(
        event({ kind: 'pending', msg: null, irte: null, vector: null, cpu: null, virq: null }),
        PLAIN,
      );
      assert.match(
        faulted,
        /#1 {5}faulted {4}IMS slot 0 of 0000:6a:01\.0 → IRTE 9 +fault 0x22: P clear$/,
      );
      assert.match(dropped, /dropped {4}MSI-X entry 0 of 0000:6a:01\.0 +not an interrupt$/);
      assert.match(pending, /pending {4}IMS slot 0 of 0000:6a:01\.0 +held: the entry is masked$/);
      const col = (l: string, s: string) => l.indexOf(s);
      assert.equal(col(faulted, 'fault 0x22'), col(dropped, 'not an'));
      assert.equal(col(faulted, 'fault 0x22'), col(pending, 'held'));
    });

    it('with verbose add the message and the PASID', () => {
      assert.match(
        renderEventLine(event({}), PLAIN, true),
        /\(irq 33\) +msg 0x00000000:0xfee00138 data 0x00000000, PASID 1$/,
      );
    });

    it('colour the outcome only when asked', () => {
      const coloured = renderEventLine(event({ kind: 'faulted', fault: 0x22 }), COLOUR);
      assert.ok(coloured.includes('\x1b[31mfaulted'));
      assert.ok(!renderEventLine(event({}), PLAIN).includes('\x1b['));
    });

    it('route and reason match the platform trace path', () => {
      const ev = event({
        kind: 'faulted',
        vector: null,
        cpu: null,
        virq: null,
        fault: 0x22,
        reason: 'x',
      });
      assert.equal(describeRoute(ev), 'IMS slot 0 of 0000:6a:01.0 → IRTE 9');
      assert.equal(describeReason(ev), 'fault 0x22: x');
    });
  });

  describe('--json objects', () => {
    it('carry the contract fields, null where none applies', () => {
      const o = JSON.parse(renderJsonEvent(event({ path: 'p' }))) as Record<string, unknown>;
      assert.deepEqual(Object.keys(o).slice(0, 3), ['t', 'kind', 'id']);
      for (const k of [
        't',
        'kind',
        'bdf',
        'source',
        'index',
        'irte',
        'vector',
        'cpu',
        'virq',
        'reason',
      ])
        assert.ok(k in o, k);
      assert.equal(o.t, 23_477);
      assert.equal(o.reason, null);
      assert.equal(o.path, 'p');
    });
  });

  describe('the domain tree', () => {
    it('nests the domains and lists each domain’s irqs under it', () => {
      const lines = renderDomainTree(
        snapshot([
          irq({
            irq: 24,
            domain: 'IR-PCI-MSIX-0000:6a:01.0',
            source: 'msix',
            action: 'idxd-misc',
            irte: 0,
            cpu: 0,
          }),
          irq({
            irq: 25,
            domain: 'IR-PCI-MSIX-0000:6a:01.0',
            source: 'msix',
            index: 1,
            hwirq: 1,
            action: '',
            reserved: true,
            vector: 0xef,
            irte: 1,
            count: 0,
          }),
          irq({}),
        ]),
        PLAIN,
      );
      assert.match(lines[0]!, /^VECTOR {2,}0 mapped$/);
      assert.match(lines[1]!, /^└── INTEL-IR-0 {2,}0 mapped of 65536$/);
      assert.match(lines[2]!, /^ {4}├── IR-PCI-MSIX-0000:6a:01\.0 {2,}2 mapped of 9$/);
      assert.match(lines[3]!, /^ {4}│ {7}irq {2}hwirq {2}action/);
      assert.match(lines[4]!, /^ {4}│ +24 +0 {2}idxd-misc +0x20 → CPU 0 +0 {2}MSI-X entry 0 +1$/);
      assert.match(lines[5]!, /^ {4}│ +25 +1 {2}- +reserved +1 {2}MSI-X entry 1 +0$/);
      assert.match(lines[6]!, /^ {4}└── IR-PCI-IDXD-0000:6a:01\.0 {2,}1 mapped of 2048$/);
      assert.match(lines[8]!, /^ {8} +33 +0 {2}idxd-portal +0x20 → CPU 1 +9 {2}IMS slot 0 +1$/);
      // The tables of both domains share their column widths.
      assert.equal(lines[4]!.indexOf('0x20'), lines[8]!.indexOf('0x20'));
    });

    it('shows a vector move in progress', () => {
      const cells = irqCells(irq({ moveInProgress: true, prevVector: 0x21, prevCpu: 0 }));
      assert.equal(cells[3], '0x20 → CPU 1 (from 0x21 → CPU 0)');
    });

    it(`lists ${DEFAULT_IRQ_LIMIT} irqs per domain unless all are asked for`, () => {
      const many = Array.from({ length: DEFAULT_IRQ_LIMIT + 5 }, (_, i) =>
        irq({ irq: 100 + i, index: i, hwirq: i }),
      );
      const short = renderDomainTree(snapshot(many), PLAIN);
      assert.ok(short.some((l) => l.trim() === '… 5 more irqs'));
      assert.equal(short.filter((l) => l.includes('IMS slot')).length, DEFAULT_IRQ_LIMIT);
      const all = renderDomainTree(snapshot(many), PLAIN, { all: true });
      assert.equal(all.filter((l) => l.includes('IMS slot')).length, DEFAULT_IRQ_LIMIT + 5);
    });
  });

  describe('the summary', () => {
    it('counts outcomes and the simulated time', () => {
      assert.equal(
        renderSummary(
          {
            messages: 4,
            totals: { delivered: 3, pending: 1, faulted: 1, dropped: 0 },
            stillPending: 0,
            t: 4_001_000,
          },
          PLAIN,
        ),
        '4 messages: 3 delivered, 1 pending, 1 faulted, 0 dropped; 4.001 ms simulated',
      );
      assert.match(
        renderSummary(
          {
            messages: 1,
            totals: { delivered: 0, pending: 1, faulted: 0, dropped: 0 },
            stillPending: 1,
            t: 0,
          },
          PLAIN,
        ),
        /^1 message: .* \(1 still pending\); 0 ns simulated$/,
      );
    });

    it('formats durations in the largest unit', () => {
      assert.equal(formatDuration(850), '850 ns');
      assert.equal(formatDuration(34_737), '34.737 µs');
      assert.equal(formatDuration(3_000_000), '3 ms');
      assert.equal(formatDuration(1.5e9), '1.5 s');
    });
  });
});

describe('cli helpers', () => {
  it('parseStack reads V8 frames with and without a function name', () => {
    const frames = parseStack(
      [
        "TypeError: Cannot read properties of undefined (reading 'wqs')",
        '    at Object.probe (/m/throws.js:7:14)',
        '    at register (/x/cli.js:100:23)',
        '    at /m/throws.js:10:1',
      ].join('\n'),
    );
    assert.deepEqual(frames, [
      { fn: 'Object.probe', file: '/m/throws.js', line: 7, column: 14 },
      { fn: 'register', file: '/x/cli.js', line: 100, column: 23 },
      { fn: '', file: '/m/throws.js', line: 10, column: 1 },
    ]);
    assert.equal(displayFunction('Object.probe'), 'probe');
    assert.equal(displayFunction('Object.<anonymous>'), '<module>');
  });

  it("modelStack keeps the model's frames and the kernel calls between them", () => {
    const stack = parseStack(
      [
        'KernelError: BUG',
        '    at KernelContext.pageFault (/x/cli.js:1:1)',
        '    at readl (/x/cli.js:2:1)',
        '    at readl (/x/cli.js:3:1)',
        '    at read_status (/m/oops.js:6:10)',
        '    at Object.<anonymous> (/m/oops.js:9:1)',
        '    at ModelLoader.load (/x/cli.js:4:1)',
      ].join('\n'),
    );
    const lines = modelStack(stack, {
      isModelFile: (f) => f.startsWith('/m/'),
      kernelNames: new Set(['readl']),
      show: (f) => f.slice(1),
    });
    assert.deepEqual(lines, [
      '    at readl (kernel API)',
      '    at read_status (m/oops.js:6:10)',
      '    at <module> (m/oops.js:9:1)',
    ]);
  });

  it('wantsColour follows the TTY, NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    assert.equal(wantsColour(true, {}), true);
    assert.equal(wantsColour(false, {}), false);
    assert.equal(wantsColour(undefined, {}), false);
    assert.equal(wantsColour(true, { NO_COLOR: '1' }), false);
    assert.equal(wantsColour(true, { NO_COLOR: '' }), true);
    assert.equal(wantsColour(true, { TERM: 'dumb' }), false);
    assert.equal(wantsColour(false, { FORCE_COLOR: '1' }), true);
    assert.equal(wantsColour(false, { FORCE_COLOR: '0' }), false);
  });

  it('parseCpus takes whole numbers from 1 to 64 only', () => {
    assert.equal(parseCpus('1'), 1);
    assert.equal(parseCpus('64'), 64);
    for (const bad of ['0', '65', '', 'x', '1.5', '-2', '0x4', '1e1'])
      assert.throws(() => parseCpus(bad), /whole number from 1 to 64/, bad);
  });

  it('showPath prints paths below the working directory relative to it', () => {
    assert.equal(showPath('/w/examples/a.js', '/w'), 'examples/a.js');
    assert.equal(showPath('/elsewhere/a.js', '/w'), '/elsewhere/a.js');
  });
});
