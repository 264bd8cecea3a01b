/**
 * The views' custom requests through the real adapter, stopped in the example's first completion
 * handler: a bounded ims/snapshot and ims/page of the same stop and generation, ims/maskEntry
 * through the MMIO path (with `invalidated` after it and a new generation), ims/inject as
 * `echo trigger` does (and its refusals), ims/export as JSON and as debugfs text, and the CPU
 * threads' names.
 */
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type {
  IrteSnapshot,
  PlatformSnapshot,
  SnapshotPage,
} from '../../src/platform/snapshot/types';
import path from 'node:path';
import { collectOutput, launch, lineOf, ROOT, startClient, stopInHandler } from './harness';

const BDF = '0000:6a:01.0';

async function snapshot(dc: DebugClient, inlineLimit?: number): Promise<PlatformSnapshot> {
  const args = inlineLimit === undefined ? undefined : { inlineLimit };
  return ((await dc.customRequest('ims/snapshot', args)).body as { snapshot: PlatformSnapshot })
    .snapshot;
}

async function page(dc: DebugClient, args: Record<string, unknown>): Promise<SnapshotPage> {
  return ((await dc.customRequest('ims/page', args)).body as { page: SnapshotPage }).page;
}

/** The error message of a request that must fail. */
async function failure(dc: DebugClient, command: string, args: unknown): Promise<string> {
  try {
    await dc.customRequest(command, args);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail(`${command} succeeded`);
}

describe('DAP: the views’ requests (ims/snapshot, ims/page, ims/maskEntry, ims/inject, ims/export)', () => {
  let dc: DebugClient;
  let out: { text: () => string };
  beforeEach(async () => {
    dc = await startClient();
    out = collectOutput(dc);
    await stopInHandler(dc);
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('a bounded snapshot carries long lists as totals; ims/page reads their rows', async () => {
    const s = await snapshot(dc, 4);
    assert.equal(s.inlineLimit, 4);
    const u = s.ir[0]!;
    assert.ok(u.irteCount > 4);
    assert.deepEqual(u.irtes, []);
    const p = await page(dc, { ref: { list: 'irtes', unit: u.name }, start: 0, count: 5 });
    assert.equal(p.seq, s.seq);
    assert.equal(p.generation, s.generation);
    assert.equal(p.total, u.irteCount);
    assert.deepEqual(
      (p.items as IrteSnapshot[]).map((e) => e.index),
      [0, 1, 2, 3, 4],
    );
    const byKey = await page(dc, { ref: { list: 'irtes', unit: u.name }, key: 9, count: 4 });
    assert.equal(byKey.start, 8);
    assert.match(
      await failure(dc, 'ims/page', { ref: { list: 'irtes', unit: 'INTEL-IR-7' }, count: 1 }),
      /no list/,
    );
    // The default limit carries the example's short lists whole.
    const whole = await snapshot(dc);
    assert.equal(whole.ir[0]!.irtes.length, whole.ir[0]!.irteCount);
  });

  it('ims/maskEntry masks and unmasks an IMS slot through the MMIO path, and views are told', async () => {
    const before = await snapshot(dc);
    const invalidated = dc.waitForEvent('invalidated');
    const r = (
      await dc.customRequest('ims/maskEntry', { device: BDF, table: 'ims', index: 1, mask: true })
    ).body as { result: { address: string; before: number; after: number } };
    await invalidated;
    assert.equal(r.result.after, r.result.before | 1);
    const masked = await snapshot(dc);
    assert.ok(masked.generation > before.generation, 'a new generation');
    const slot = masked.devices[0]!.dsa!.ims.inUse.find((s) => s.slot === 1)!;
    assert.equal(slot.mask, true);
    assert.match(
      out.text(),
      /IMS slot 1 of 0000:6a:01\.0: ctrl\.mask ← 1 \(write32 0x[0-9a-f]+ ← /,
    );
    await dc.customRequest('ims/maskEntry', { device: BDF, table: 'ims', index: 1, mask: false });
    const unmasked = await snapshot(dc);
    assert.equal(unmasked.devices[0]!.dsa!.ims.inUse.find((s) => s.slot === 1)!.mask, false);
    // MSI-X entries too; and a bad index is refused with the table's size.
    await dc.customRequest('ims/maskEntry', { device: BDF, table: 'msix', index: 0, mask: true });
    assert.equal((await snapshot(dc)).devices[0]!.dsa!.msix[0]!.masked, true);
    assert.match(
      await failure(dc, 'ims/maskEntry', { device: BDF, table: 'msix', index: 9, mask: true }),
      /MSI-X entry 9 is outside 0000:6a:01\.0's table of 9/,
    );
  });

  it('ims/inject sets the irq’s vector in its CPU’s IRR; refusals say why', async () => {
    const s = await snapshot(dc);
    const slot0 = s.irqs.find((i) => i.source === 'ims' && i.index === 0)!;
    const r = (
      (await dc.customRequest('ims/inject', { irq: slot0.irq })).body as {
        result: { irq: number; vector: number; cpu: number };
      }
    ).result;
    assert.deepEqual(r, { irq: slot0.irq, vector: slot0.vector, cpu: slot0.cpu });
    const after = await snapshot(dc);
    assert.ok(after.cpus[slot0.cpu]!.irr.includes(slot0.vector), 'vector pending in IRR');
    assert.match(
      await failure(dc, 'ims/inject', { irq: slot0.irq }),
      /cannot be injected: .*IRQS_REPLAY.*-EBUSY/,
    );
    const reserved = s.irqs.find((i) => i.reserved)!;
    assert.match(await failure(dc, 'ims/inject', { irq: reserved.irq }), /not activated .*-EINVAL/);
    assert.match(out.text(), new RegExp(`irq ${slot0.irq}: injected`));
  });

  it('ims/export gives the complete snapshot as JSON and every debugfs file as text', async () => {
    const json = (
      (await dc.customRequest('ims/export', { format: 'json' })).body as {
        export: { text: string; fileName: string };
      }
    ).export;
    const full = JSON.parse(json.text) as PlatformSnapshot;
    assert.equal(full.inlineLimit, null);
    assert.equal(full.irqs.length, full.irqCount);
    assert.match(json.fileName, /\.json$/);
    const text = (
      (await dc.customRequest('ims/export', { format: 'debugfs' })).body as {
        export: { text: string };
      }
    ).export.text;
    assert.match(text, /^==> \/sys\/kernel\/debug\/irq\/domains\/\S+ <==$/m);
    const irq = full.irqs[0]!.irq;
    assert.ok(
      text.includes(`==> /sys/kernel/debug/irq/irqs/${irq} <==\nhandler:  handle_edge_irq`),
    );
  });

  it('names the CPUs as threads', async () => {
    const t = await dc.threadsRequest();
    assert.deepEqual(
      t.body.threads.map((x) => x.name),
      ['CPU 0', 'CPU 1', 'CPU 2', 'CPU 3'],
    );
  });
});

describe('DAP: an offline CPU', () => {
  it('is named so as a thread, and the snapshot says so', async () => {
    const program = path.join(ROOT, 'examples', 'affinity', 'driver.js');
    const dc = await startClient();
    try {
      const stopped = dc.waitForEvent('stopped');
      await launch(dc, { program }, () =>
        dc.setBreakpointsRequest({
          source: { path: program },
          breakpoints: [{ line: lineOf(program, "show(idxd, wq, 'remove_cpu(2)');") }],
        }),
      );
      await stopped;
      const t = await dc.threadsRequest();
      assert.equal(t.body.threads[2]!.name, 'CPU 2 (offline)');
      assert.equal(t.body.threads[1]!.name, 'CPU 1');
      assert.equal((await snapshot(dc)).cpus[2]!.online, false);
    } finally {
      await dc.stop();
    }
  });
});
