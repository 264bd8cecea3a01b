/**
 * The views' bounded snapshot and its pages, on a machine with long lists: two DSAs with all
 * 2,048 IMS slots allocated each (as many activated as 4 CPUs have vectors for) and all 65,536
 * IRTEs of the IR table in use (bench/models/many-ims.js). Lists longer than the inline limit
 * come as totals; pages return rows with the irqs and IRTEs they name; the interrupt entry
 * cache says which cached entries are stale.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { Machine } from '../../../src/platform/machine/machine';
import { buildSnapshot } from '../../../src/platform/snapshot/build';
import { MachineLists } from '../../../src/platform/snapshot/lists';
import { buildPage } from '../../../src/platform/snapshot/pages';
import type { ImsSlotView } from '../../../src/platform/idxd';
import type { IrqSnapshot, IrteSnapshot } from '../../../src/platform/snapshot/types';
import { ModelLoader, NO_HOOKS } from '../../../src/runtime/loader';
import { installKernelGlobals } from '../../../src/runtime/model-run';
import { setupRun } from '../../../src/runtime/setup';

const MODEL = path.resolve(__dirname, '..', '..', '..', 'bench', 'models', 'many-ims.js');
const UNIT = 'INTEL-IR-0';
const BDF = '0000:6a:01.0';

/** Loads the model (module init: both probes) and returns the machine. */
function boot(): Machine {
  process.env.IMS_BENCH_DEVICES = '2';
  process.env.IMS_BENCH_LOOPS = '1';
  try {
    const setup = setupRun({ program: MODEL, devices: 2, cpus: 4 });
    installKernelGlobals(setup);
    new ModelLoader(path.dirname(MODEL), false, NO_HOOKS).load(MODEL);
    return setup.machine;
  } finally {
    delete process.env.IMS_BENCH_DEVICES;
    delete process.env.IMS_BENCH_LOOPS;
  }
}

describe('platform snapshot: bounded lists and pages', function () {
  this.timeout(60_000);
  let m: Machine;
  before(() => {
    m = boot();
  });

  it('carries short lists whole and long ones as totals, with the records its rows name', () => {
    const s = buildSnapshot(m, { inlineLimit: 64, seq: 7, generation: 3 });
    assert.equal(s.inlineLimit, 64);
    assert.equal(s.seq, 7);
    assert.equal(s.generation, 3);
    const u = s.ir[0]!;
    assert.equal(u.irteCount, 65536, 'every IRTE is allocated or present');
    assert.deepEqual(u.irtes, []);
    const msix = s.domains.find((d) => d.name === `IR-PCI-MSIX-${BDF}`)!;
    assert.equal(msix.irqCount, 9);
    assert.equal(msix.irqs.length, 9, 'a short list comes whole');
    const ims = s.domains.find((d) => d.name === `IR-PCI-IDXD-${BDF}`)!;
    assert.equal(ims.irqCount, 2048);
    assert.deepEqual(ims.irqs, [], 'a long one as its total');
    const dev = s.devices.find((d) => d.bdf === BDF)!;
    assert.ok(dev.imsInUseCount > 64, `${dev.imsInUseCount} slots in use`);
    assert.deepEqual(dev.dsa!.ims.inUse, []);
    assert.equal(s.irqCount, 2 * (2048 + 9));
    assert.ok(s.irqs.length < 100, `only named irqs: ${s.irqs.length}`);
    for (const n of msix.irqs)
      assert.ok(
        s.irqs.some((i) => i.irq === n),
        `irq ${n} is carried`,
      );
    // The MSI-X irqs' IRTEs are named by rows but the unit's list is not carried: linked.
    const misc = s.irqs.find((i) => i.irq === msix.irqs[0])!;
    assert.ok(u.linked.some((e) => e.index === misc.irte && e.irq === misc.irq));
    // Lean: IRTEs as raw values (the views decode them), a DSA's TABLE register only.
    assert.ok(u.linked.every((e) => e.fields.length === 0));
    assert.deepEqual(
      dev.dsa!.registers.map((r) => r.name),
      ['TABLE'],
    );
    assert.deepEqual(dev.dsa!.wqs, []);
    assert.ok(JSON.stringify(s).length < 150_000, 'small enough to send at every stop');
  });

  it('the complete snapshot of the same machine lists every irq, IRTE and slot', () => {
    const s = buildSnapshot(m);
    assert.equal(s.inlineLimit, null);
    assert.equal(s.irqs.length, s.irqCount);
    assert.equal(s.ir[0]!.irtes.length, 65536);
    assert.deepEqual(s.ir[0]!.linked, []);
    assert.ok(s.ir[0]!.irtes[0]!.fields.length > 0, 'decoded');
    assert.ok(s.devices[0]!.dsa!.wqs.length > 0);
    const dev = s.devices.find((d) => d.bdf === BDF)!;
    assert.equal(dev.dsa!.ims.inUse.length, dev.imsInUseCount);
  });

  it('pages a unit’s IRTEs in index order, by position or by the page holding a key', () => {
    const lists = new MachineLists(m);
    const p = buildPage(lists, { ref: { list: 'irtes', unit: UNIT }, start: 0, count: 100 }, 7, 3);
    assert.equal(p.seq, 7);
    assert.equal(p.generation, 3);
    assert.equal(p.total, 65536);
    const items = p.items as IrteSnapshot[];
    assert.deepEqual(
      items.map((e) => e.index),
      Array.from({ length: 100 }, (_, i) => i),
    );
    const byKey = buildPage(
      lists,
      { ref: { list: 'irtes', unit: UNIT }, key: 40_123, count: 100 },
      7,
      3,
    );
    assert.equal(byKey.start, 40_100);
    assert.ok((byKey.items as IrteSnapshot[]).some((e) => e.index === 40_123));
    // Owners: an allocated entry names its irq; the entries written directly name none.
    const ir = m.ir[0]!.domain;
    for (const e of items) assert.equal(e.irq, ir.irqOfIrte(e.index) ?? null, `IRTE ${e.index}`);
    assert.ok(items.every((e) => e.present));
  });

  it('pages a device’s IMS slots with their irqs and the IRTEs their messages name', () => {
    const lists = new MachineLists(m);
    const p = buildPage(
      lists,
      { ref: { list: 'imsSlots', device: BDF }, start: 100, count: 50 },
      1,
      0,
    );
    const slots = p.items as ImsSlotView[];
    assert.equal(slots.length, 50);
    assert.equal(p.total, lists.slots(BDF).length);
    for (const s of slots) {
      const irq = p.irqs.find((i) => i.device === BDF && i.source === 'ims' && i.index === s.slot);
      assert.ok(irq, `slot ${s.slot}'s irq`);
      assert.ok(
        p.irtes.some((x) => x.unit === UNIT && x.entry.index === irq.irte),
        `slot ${s.slot}'s IRTE ${irq.irte}`,
      );
    }
  });

  it('pages a domain’s irqs as whole records', () => {
    const lists = new MachineLists(m);
    const ref = { list: 'domainIrqs', domain: `IR-PCI-IDXD-${BDF}` } as const;
    const p = buildPage(lists, { ref, start: 2000, count: 100 }, 1, 0);
    assert.equal(p.total, 2048);
    const irqs = p.items as IrqSnapshot[];
    assert.equal(irqs.length, 48, 'the last page is short');
    assert.ok(irqs.every((i) => i.domain === ref.domain));
    assert.ok(irqs.every((i, k) => k === 0 || i.irq > irqs[k - 1]!.irq));
  });

  it('refuses unknown lists, keys that are not in the list, and bad counts', () => {
    const lists = new MachineLists(m);
    assert.throws(
      () => buildPage(lists, { ref: { list: 'irtes', unit: 'INTEL-IR-9' }, count: 1 }, 0, 0),
      /no list/,
    );
    assert.throws(
      () => buildPage(lists, { ref: { list: 'imsSlots', device: '0000:00:00.0' }, count: 1 }, 0, 0),
      /no list/,
    );
    assert.throws(
      () => buildPage(lists, { ref: { list: 'cpuVectors', cpu: 0 }, key: 0x13, count: 10 }, 0, 0),
      /is not in/,
    );
    assert.throws(
      () => buildPage(lists, { ref: { list: 'held' }, count: 0 }, 0, 0),
      /count must be 1\.\.1000/,
    );
  });

  it('says which cached IRTEs are stale and lists them first', () => {
    const u = m.ir[0]!.unit;
    const read = (i: number): number[] => {
      const a = u.tableAddress + i * 16;
      return [0, 4, 8, 12].map((o) => m.memory.peek32(a + o));
    };
    const [a0, a1, a2, a3] = read(100);
    u.iec.fill(100, a0!, a1!, a2!, a3!);
    const [b0, b1, b2, b3] = read(7);
    u.iec.fill(7, b0!, b1!, b2!, b3!);
    // Software changes IRTE 100 without invalidating it: the cached copy is stale.
    m.memory.write32(u.tableAddress + 100 * 16, (a0! ^ (0x55 << 16)) >>> 0);
    try {
      const s = buildSnapshot(m, { inlineLimit: 64 });
      const iec = s.ir[0]!.iec;
      assert.equal(iec.count, 2);
      assert.equal(iec.staleCount, 1);
      assert.deepEqual(
        iec.entries.map((e) => [e.index, e.stale]),
        [
          [100, true],
          [7, false],
        ],
      );
      const lists = new MachineLists(m);
      const p = buildPage(
        lists,
        { ref: { list: 'irtes', unit: UNIT }, start: 0, count: 128 },
        0,
        0,
      );
      const cache = (i: number) => (p.items as IrteSnapshot[]).find((e) => e.index === i)!.cache;
      assert.equal(cache(100), 'stale');
      assert.equal(cache(7), 'cached');
      assert.equal(cache(8), 'none');
    } finally {
      m.memory.write32(u.tableAddress + 100 * 16, a0!);
      u.iec.invalidateAll();
    }
  });

  it('shows the unit’s queued invalidation state and the irqs’ move state', () => {
    const s = buildSnapshot(m, { inlineLimit: 64 });
    const qi = s.ir[0]!.qi;
    assert.equal(qi.enabled, true);
    assert.equal(qi.size, 256);
    assert.equal(qi.head, qi.tail, 'every descriptor ran');
    assert.equal(qi.error, false);
    assert.ok(qi.flushes > 0);
    assert.ok(qi.log.length > 0 && qi.log.length <= 16);
    for (const i of s.irqs) {
      assert.deepEqual(i.pendingMask, []);
      assert.equal(i.cleanupPending, false);
    }
  });
});
