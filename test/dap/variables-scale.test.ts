/**
 * The Variables view's platform scopes at scale, through the real adapter: bench/models/many-ims.js
 * on 2 DSAs (each with all 2,048 IMS slots allocated, as many activated as 4 CPUs have vectors
 * for) and all 65,536 IRTEs of the IR table in use. The long scopes report their rows as
 * `indexedVariables` and are read by pages (`filter: 'indexed', start, count`, as VS Code reads
 * its chunks of 100); each row is checked against what the views' requests say of the same slot
 * (`ims/page` of the IMS domain's irqs and of the slots in use), and the last pages are whole.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ImsSlotView } from '../../src/platform/idxd';
import type {
  IrqSnapshot,
  ListRef,
  PlatformSnapshot,
  SnapshotPage,
} from '../../src/platform/snapshot/types';
import { ROOT, launch, lineOf, startClient, vars } from './harness';

const PROGRAM = path.join(ROOT, 'bench', 'models', 'many-ims.js');
const DEVICES = 2;
const SLOTS = 2048;
const IRTES = 65536;

const h32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const vec = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

async function snapshot(dc: DebugClient): Promise<PlatformSnapshot> {
  const r = await dc.customRequest('ims/snapshot', { inlineLimit: 0 });
  return (r.body as { snapshot: PlatformSnapshot }).snapshot;
}

/** Every row of a list the views page, read with ims/page. */
async function allRows<T>(dc: DebugClient, ref: ListRef): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; ; start += 1000) {
    const r = await dc.customRequest('ims/page', { ref, start, count: 1000 });
    const p = (r.body as { page: SnapshotPage }).page;
    out.push(...(p.items as T[]));
    if (out.length >= p.total) return out;
  }
}

/** A page of a scope's (or a variable's) indexed children. */
async function indexed(
  dc: DebugClient,
  ref: number,
  start: number,
  count: number,
): Promise<DebugProtocol.Variable[]> {
  const r = await dc.variablesRequest({ variablesReference: ref, filter: 'indexed', start, count });
  return r.body.variables;
}

describe('DAP: platform scopes at scale (2 DSAs × 2,048 IMS slots, 65,536 IRTEs)', function () {
  this.timeout(180_000);
  let dc: DebugClient;
  let scopes: DebugProtocol.Scope[];
  let frameId: number;
  let snap: PlatformSnapshot;
  let bdf: string;
  /** The IMS domain's irqs of the first device, by slot. */
  let irqOfSlot: Map<number, IrqSnapshot>;
  /** The first device's slots in use, by slot. */
  let inUse: Map<number, ImsSlotView>;

  before(async () => {
    process.env.IMS_BENCH_DEVICES = String(DEVICES);
    dc = await startClient();
    const stopped = dc.waitForEvent('stopped', 150_000);
    await launch(dc, { program: PROGRAM, devices: DEVICES, cpus: 4, traceOutput: false }, () =>
      dc.setBreakpointsRequest({
        source: { path: PROGRAM },
        breakpoints: [{ line: lineOf(PROGRAM, 'const v = readl(base);') }],
      }),
    );
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
    frameId = st.body.stackFrames[0]!.id;
    scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    snap = await snapshot(dc);
    bdf = snap.devices[0]!.bdf;
    const domain = snap.domains.find((d) => d.dev === bdf && d.name.startsWith('IR-PCI-IDXD-'))!;
    const irqs = await allRows<IrqSnapshot>(dc, { list: 'domainIrqs', domain: domain.name });
    irqOfSlot = new Map(irqs.map((i) => [i.index!, i]));
    const slots = await allRows<ImsSlotView>(dc, { list: 'imsSlots', device: bdf });
    inUse = new Map(slots.map((s) => [s.slot, s]));
  });
  after(async () => {
    delete process.env.IMS_BENCH_DEVICES;
    await dc.stop();
  });

  const scope = (name: string): DebugProtocol.Scope => scopes.find((s) => s.name === name)!;

  /** Checks a page of IMS slot rows against the domain's irqs and the slots in use. */
  async function checkSlots(rows: DebugProtocol.Variable[], first: number): Promise<void> {
    for (const [i, row] of rows.entries()) {
      const slot = first + i;
      assert.equal(row.name, `slot ${slot}`);
      const irq = irqOfSlot.get(slot)!;
      const s = inUse.get(slot);
      // A slot no message reached yet is at reset: masked, all zero.
      const words = s ?? { address_lo: 0, address_hi: 0, data: 0, ctrl: 1, mask: true };
      assert.equal(
        row.value,
        `${words.mask ? 'masked' : 'unmasked'}${s?.pasid_en === true ? `, PASID ${s.pasid}` : ''} → IRTE ${irq.irte} → vector ${vec(irq.vector)} → CPU ${irq.cpu} (irq ${irq.irq})`,
      );
      const fields = await vars(dc, row.variablesReference);
      assert.equal(fields.get('address_lo')!.value, h32(words.address_lo));
      assert.equal(fields.get('address_hi')!.value, h32(words.address_hi));
      assert.equal(fields.get('data')!.value, h32(words.data));
      assert.equal(fields.get('ctrl')!.value, h32(words.ctrl));
      assert.equal(fields.get('irte')!.value, String(irq.irte));
      assert.equal(fields.get('irq')!.value, String(irq.irq));
      const ctrl = await vars(dc, fields.get('ctrl')!.variablesReference);
      assert.equal(ctrl.get('mask [0]')!.value, words.mask ? '1 (masked)' : '0');
    }
  }

  it('reports each long list’s rows as indexedVariables', () => {
    for (const d of snap.devices) {
      const ims = scope(`IMS slots ${d.bdf}`);
      // Every slot is allocated: those in use and those an irq owns at reset.
      assert.equal(ims.indexedVariables, SLOTS);
      assert.equal(ims.namedVariables, 0);
      assert.equal(scope(`MSI-X ${d.bdf}`).indexedVariables, 9);
    }
    assert.equal(snap.ir[0]!.irteCount, IRTES);
    assert.equal(scope('IRTEs').indexedVariables, IRTES);
    // Some slots hold a message, some do not yet: pages below see both kinds.
    assert.ok(inUse.size > 0 && inUse.size < SLOTS, `${inUse.size} slots in use`);
  });

  it('reads a page of IMS slots with their words, fields and irqs', async () => {
    const ref = scope(`IMS slots ${bdf}`).variablesReference;
    // The page around the last slot in use: slots with a message and slots at reset.
    const last = Math.max(...inUse.keys());
    const first = last - (last % 100);
    const rows = await indexed(dc, ref, first, 100);
    assert.equal(rows.length, 100);
    await checkSlots(rows, first);
    assert.ok(rows.some((r) => inUse.has(Number(r.name.slice(5)))));
    assert.ok(rows.some((r) => !inUse.has(Number(r.name.slice(5)))));
    // The same rows through another chunking.
    const again = await indexed(dc, ref, first + 10, 5);
    assert.deepEqual(
      again.map((r) => [r.name, r.value]),
      rows.slice(10, 15).map((r) => [r.name, r.value]),
    );
  });

  it('reads the last pages whole: VS Code’s last chunk, a count past the end, the last IRTEs', async () => {
    const ref = scope(`IMS slots ${bdf}`).variablesReference;
    const tail = await indexed(dc, ref, 2000, 48);
    assert.equal(tail.length, 48);
    await checkSlots(tail, 2000);
    assert.equal(tail.at(-1)!.name, `slot ${SLOTS - 1}`);
    assert.deepEqual(
      (await indexed(dc, ref, 2000, 100)).map((r) => r.name),
      tail.map((r) => r.name),
    );
    assert.deepEqual(await indexed(dc, ref, SLOTS, 100), []);

    const msix = await indexed(dc, scope(`MSI-X ${bdf}`).variablesReference, 8, 100);
    assert.deepEqual(
      msix.map((r) => r.name),
      ['entry 8'],
    );

    const unit = snap.ir[0]!.name;
    const irtes = await indexed(dc, scope('IRTEs').variablesReference, 65500, 100);
    assert.deepEqual(
      irtes.map((r) => r.name),
      Array.from({ length: 36 }, (_, i) => `${unit} IRTE ${65500 + i}`),
    );
    const lastIrte = irtes.at(-1)!;
    // Written present by the model, no Linux irq owns it: vector 0x30 + i % 0xb0, dst i % 4.
    assert.match(lastIrte.value, /^0x[0-9a-f]{32}$/);
    const fields = await vars(dc, lastIrte.variablesReference);
    assert.match(fields.get('P [0]')!.value, /^1 /);
    assert.match(
      fields.get('VECTOR [23:16]')!.value,
      new RegExp(`^${vec(0x30 + (65535 % 0xb0))} `),
    );
    assert.equal(
      lastIrte.memoryReference,
      `0x${(Number(snap.ir[0]!.tableAddress) + 65535 * 16).toString(16)}`,
    );
  });

  it('watches and writes an IRTE deep in the list by name, without listing the rows before it', async () => {
    const unit = snap.ir[0]!.name;
    const ref = scope('IRTEs').variablesReference;
    const raw = BigInt((await indexed(dc, ref, 65534, 1))[0]!.value);
    const next = (raw & ~0xf00n) | 0x500n; // AVAIL [11:8] = 5
    await dc.setVariableRequest({
      variablesReference: ref,
      name: `${unit} IRTE 65534`,
      value: `0x${next.toString(16)}`,
    });
    const read = await dc.evaluateRequest({
      expression: 'ims_debug.irte_read(65534)',
      frameId,
    });
    assert.equal(read.body.result, `0x${next.toString(16)}n`);
    const info = await dc.dataBreakpointInfoRequest({
      variablesReference: ref,
      name: `${unit} IRTE 65535`,
    });
    assert.notEqual(info.body.dataId, null);
    assert.match(info.body.description, new RegExp(`^${unit} IRTE 65535 @0x[0-9a-f]+, 16 bytes$`));
    const none = await dc.dataBreakpointInfoRequest({
      variablesReference: ref,
      name: `${unit} IRTE 70000`,
    });
    assert.equal(none.body.dataId, null);
  });
});
