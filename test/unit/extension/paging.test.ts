/**
 * The views on bounded snapshots: lists the snapshot carries as totals start collapsed, ask for
 * their rows (a loading row meanwhile) and render from the pages read; once read, they render as
 * the complete snapshot renders them. Change highlights compare with the previous stop only
 * where that stop read the rows (SnapshotIndex.knows); windows after a reveal show a 'show
 * previous' row.
 */
import { strict as assert } from 'node:assert';
import { RenderContext, type RenderOptions } from '../../../src/extension/model/context';
import { renderText, type ViewNode } from '../../../src/extension/model/node';
import { SnapshotIndex } from '../../../src/extension/model/snapshot-index';
import { domainsView } from '../../../src/extension/views/domains';
import { imsSlotsView } from '../../../src/extension/views/ims-slots';
import { remappingView } from '../../../src/extension/views/remapping';
import type { ListRef, PlatformSnapshot } from '../../../src/platform/snapshot/types';
import { exampleBoundedStops, exampleHandlerStops, type BoundedStop } from './stops';

/** The node reached from `nodes` by labels starting with each of `path`. */
function find(nodes: readonly ViewNode[], ...path: string[]): ViewNode {
  let level = nodes;
  let found: ViewNode | undefined;
  for (const p of path) {
    found = level.find((n) => n.label.startsWith(p));
    assert.ok(found, `no row '${p}' among: ${level.map((n) => n.label).join(', ')}`);
    level = found.children?.() ?? [];
  }
  return found!;
}

/** Render options whose `load` records what the views ask for. */
function recording(
  asked: { listId: string; ref: ListRef; start: number; count: number }[],
): RenderOptions {
  return {
    format: 'hex',
    load: (listId, ref, start, count) => {
      asked.push({ listId, ref, start, count });
    },
  };
}

/**
 * A copy of a stop's snapshot: a snapshot's index (with the pages read) is kept per snapshot
 * object, so each test starts from one with nothing read.
 */
const fresh = (stop: BoundedStop): PlatformSnapshot => ({ ...stop.snapshot });

describe('views: lists read page by page', function () {
  this.timeout(60_000);
  let first: BoundedStop;
  let second: BoundedStop;
  before(() => {
    ({ first, second } = exampleBoundedStops());
  });

  it('a long list starts collapsed and asks for its first page, showing a loading row', () => {
    const asked: { listId: string; ref: ListRef; start: number; count: number }[] = [];
    const ctx = new RenderContext(fresh(second), undefined, recording(asked));
    const unit = remappingView(ctx)[0]!;
    const table = find([unit], 'INTEL-IR-0', 'Interrupt Remapping Table');
    assert.notEqual(table.expanded, true, 'not carried: collapsed');
    const rows = table.children!();
    assert.deepEqual(
      rows.map((r) => `${r.label} — ${r.description}`),
      ['Loading rows 1–11 — of 11'],
    );
    // Each render asks again (the views' glue asks the adapter once per stop and range).
    assert.deepEqual(
      [...new Set(asked.map((a) => JSON.stringify(a)))].map((a) => JSON.parse(a) as unknown),
      [{ listId: table.id, ref: { list: 'irtes', unit: 'INTEL-IR-0' }, start: 0, count: 11 }],
    );
  });

  it('renders the rows read as the complete snapshot renders them', () => {
    const ctx = new RenderContext(fresh(second), undefined, { format: 'hex' });
    ctx.cur.addPage(second.page({ list: 'irtes', unit: 'INTEL-IR-0' }, 0, 11));
    ctx.cur.addPage(second.page({ list: 'imsSlots', device: '0000:6a:01.0' }, 0, 100));
    const full = new RenderContext(exampleHandlerStops().second, undefined, { format: 'hex' });
    const table = (c: RenderContext) =>
      renderText(find(remappingView(c), 'INTEL-IR-0', 'Interrupt Remapping Table').children!());
    assert.equal(table(ctx), table(full));
    const slots = (c: RenderContext) =>
      renderText(find(imsSlotsView(c), '0000:6a:01.0').children!());
    assert.equal(slots(ctx), slots(full));
  });

  it('refuses a page of another stop or generation', () => {
    const ix = new SnapshotIndex(fresh(second));
    const page = first.page({ list: 'irtes', unit: 'INTEL-IR-0' }, 0, 11);
    assert.equal(ix.addPage(page), false);
    assert.equal(ix.addPage({ ...page, seq: second.snapshot.seq, generation: 5 }), false);
    assert.equal(ix.rows({ list: 'irtes', unit: 'INTEL-IR-0' }).items.length, 0);
  });

  it('knows how a list stood only where it read it', () => {
    const ix = new SnapshotIndex(fresh(first));
    const ref = { list: 'irtes', unit: 'INTEL-IR-0' } as const;
    assert.equal(ix.knows(ref, 3), false, 'nothing read');
    ix.addPage(first.page(ref, 0, 5));
    assert.equal(ix.knows(ref, 3), true, 'read');
    assert.equal(ix.knows(ref, 7), false, 'beyond what was read');
    ix.addPage(first.page(ref, 5, 6));
    assert.equal(ix.knows(ref, 9), true);
    assert.equal(ix.knows(ref, 4000), true, 'past the last row of the list: absent');
  });

  it('highlights rows changed since the previous stop where that stop read them, only', () => {
    const ref = { list: 'irtes', unit: 'INTEL-IR-0' } as const;
    const slots = { list: 'imsSlots', device: '0000:6a:01.0' } as const;
    const both = () => ({ a: fresh(first), b: fresh(second) });
    // The previous stop read the table: IRTE 10 (cached since) compares.
    {
      const { a, b } = both();
      const ctx = new RenderContext(b, a, { format: 'hex' });
      ctx.before!.addPage(first.page(ref, 0, 11));
      ctx.cur.addPage(second.page(ref, 0, 11));
      ctx.cur.addPage(second.page(slots, 0, 2));
      ctx.before!.addPage(first.page(slots, 0, 2));
      const full = exampleHandlerStops();
      const fctx = new RenderContext(full.second, full.first, { format: 'hex' });
      const marks = (c: RenderContext) =>
        renderText(
          find(remappingView(c), 'INTEL-IR-0', 'Interrupt Remapping Table').children!(),
          1,
        );
      assert.equal(marks(ctx), marks(fctx), 'the same highlights as with complete snapshots');
      const slotMarks = (c: RenderContext) =>
        renderText(find(imsSlotsView(c), '0000:6a:01.0').children!(), 1);
      assert.equal(slotMarks(ctx), slotMarks(fctx));
    }
    // It did not: nothing to compare with, nothing highlighted.
    {
      const { a, b } = both();
      const ctx = new RenderContext(b, a, { format: 'hex' });
      ctx.cur.addPage(second.page(ref, 0, 11));
      const rows = find(remappingView(ctx), 'INTEL-IR-0', 'Interrupt Remapping Table').children!();
      assert.ok(rows.length === 11 && rows.every((r) => r.changed !== true));
    }
  });

  it('a domain holding a long list of irqs starts collapsed; its irqs render from pages', () => {
    const ctx = new RenderContext(fresh(second), undefined, { format: 'hex' });
    const path = ['VECTOR', 'INTEL-IR-0', 'IR-PCI-MSIX-0000:6a:01.0'];
    const msix = find(domainsView(ctx), ...path);
    assert.notEqual(msix.expanded, true);
    ctx.cur.addPage(second.page({ list: 'domainIrqs', domain: 'IR-PCI-MSIX-0000:6a:01.0' }, 0, 9));
    const full = new RenderContext(exampleHandlerStops().second, undefined, { format: 'hex' });
    const irqs = (c: RenderContext) => renderText(find(domainsView(c), ...path).children!(), 1);
    assert.equal(irqs(ctx), irqs(full));
  });

  it('shows a window of a list with show previous / show more rows', () => {
    const ref = { list: 'irtes', unit: 'INTEL-IR-0' } as const;
    const listId = 'ir/INTEL-IR-0/table';
    const ctx = new RenderContext(fresh(second), undefined, {
      format: 'hex',
      pageSize: 4,
      starts: new Map([[listId, 4]]),
    });
    ctx.cur.addPage(second.page(ref, 0, 11));
    const rows = find(remappingView(ctx), 'INTEL-IR-0', 'Interrupt Remapping Table').children!();
    assert.deepEqual(
      rows.map((r) => `${r.label} — ${r.description?.split(' · ')[0] ?? ''}`),
      [
        'Show 4 previous — 4 of 11 before',
        'IRTE 4 — 0x0000000000046a080000000000ef0009',
        'IRTE 5 — 0x0000000000046a080000000000ef0009',
        'IRTE 6 — 0x0000000000046a080000000000ef0009',
        'IRTE 7 — 0x0000000000046a080000000000ef0009',
        'Show 3 more — 3 of 11 not shown',
      ],
    );
    assert.deepEqual(rows[0]!.command?.args, [listId, 'previous']);
  });
});
