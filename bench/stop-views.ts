/**
 * Stop → views at scale: `bench/models/many-ims.js` on 8 DSAs and 64 CPUs (every DSA with all
 * 2,048 IMS slots allocated and as many activated as the CPUs have vectors for, and all 65,536
 * IRTEs of the IR table in use: the kernel's plus entries written present directly), stepped
 * with `next` through the stdio adapter. Each stop is timed from the `stopped` event to the four
 * views rendered the way the extension renders them: `ims/snapshot` (bounded, as the extension
 * asks), the vscode-free view models building every row VS Code would ask for — the roots, the
 * children of open rows — and `ims/page` for the first page of the lists a user has opened (the
 * IR table, the first device's IMS slots and its IMS domain's irqs), whose rows then render.
 */
import { launchManyIms, median, percentile } from './adapter-client';
import { INLINE_LIMIT, RenderContext } from '../src/extension/model/context';
import type { ViewNode } from '../src/extension/model/node';
import { VIEWS } from '../src/extension/views';
import type { ListRef, PlatformSnapshot, SnapshotPage } from '../src/platform/snapshot/types';

export interface StopViewsResult {
  stops: number;
  p50: number;
  p90: number;
  /** Medians of the parts: the snapshot round trip, the page round trips, rendering. */
  snapshotMs: number;
  pagesMs: number;
  renderMs: number;
  /** Size of one snapshot response body (JSON), bytes. */
  snapshotBytes: number;
  /** Rows rendered per stop. */
  rows: number;
  /** What the machine held. */
  irqs: number;
  irtes: number;
  slotsInUse: number;
}

/** Ids of rows a user has opened (besides the rows open by default). */
function openedByUser(snap: PlatformSnapshot): Set<string> {
  const bdf = snap.devices[0]!.bdf;
  const ims = snap.domains.find((d) => d.dev === bdf && d.name.startsWith('IR-PCI-IDXD-'))!;
  const msixParent = snap.domains.find((d) => d.name === ims.parent)!;
  return new Set([
    `ir/${snap.ir[0]!.name}/table`,
    `ims/${bdf.replaceAll('/', '∕')}`,
    `domains/${msixParent.parent}/${msixParent.name}/${ims.name}`,
  ]);
}

/**
 * Builds every row VS Code would ask for — roots, and the children of open rows — noting the
 * rows by id in `seen`. Returns how many rows were built.
 */
function renderOpen(
  nodes: readonly ViewNode[],
  opened: ReadonlySet<string>,
  seen: Map<string, ViewNode>,
): number {
  let n = 0;
  for (const node of nodes) {
    n++;
    seen.set(node.id, node);
    if (node.children !== undefined && (node.expanded === true || opened.has(node.id)))
      n += renderOpen(node.children(), opened, seen);
  }
  return n;
}

export async function stopViews(root: string, stops: number): Promise<StopViewsResult> {
  const dc = await launchManyIms(root);
  try {
    const totals: number[] = [];
    const snapMs: number[] = [];
    const pageMs: number[] = [];
    const renderMs: number[] = [];
    let prev: PlatformSnapshot | undefined;
    let bytes = 0;
    let rows = 0;
    let last: PlatformSnapshot | undefined;
    const warmup = 10;
    for (let i = 0; i < stops + warmup; i++) {
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId: 1 });
      await stopped;
      const t0 = performance.now();
      const r = await dc.customRequest('ims/snapshot', { inlineLimit: INLINE_LIMIT });
      const snap = (r.body as { snapshot: PlatformSnapshot }).snapshot;
      const t1 = performance.now();
      const opened = openedByUser(snap);
      const asked: { ref: ListRef; start: number; count: number }[] = [];
      const ctx = new RenderContext(snap, prev, {
        format: 'hex',
        load: (_listId, ref, start, count) => asked.push({ ref, start, count }),
      });
      const seen = new Map<string, ViewNode>();
      let n = 0;
      for (const v of VIEWS) n += renderOpen(v.render(ctx), opened, seen);
      const t2 = performance.now();
      // Each render of a list asks again; the extension sends each range once.
      const distinct = [...new Set(asked.map((a) => JSON.stringify(a)))].map(
        (a) => JSON.parse(a) as (typeof asked)[number],
      );
      const pages = await Promise.all(
        distinct.map(async (a) => {
          const p = await dc.customRequest('ims/page', a);
          return (p.body as { page: SnapshotPage }).page;
        }),
      );
      const t3 = performance.now();
      for (const p of pages) ctx.cur.addPage(p);
      // As the extension does: the lists whose rows arrived render again, nothing else.
      for (const id of opened) {
        const node = seen.get(id);
        if (node?.children !== undefined) n += renderOpen(node.children(), opened, seen);
      }
      const t4 = performance.now();
      if (i >= warmup) {
        totals.push(t4 - t0);
        snapMs.push(t1 - t0);
        pageMs.push(t3 - t2);
        renderMs.push(t2 - t1 + (t4 - t3));
      }
      bytes = JSON.stringify(r.body).length;
      rows = n;
      prev = snap;
      last = snap;
    }
    const s = last!;
    return {
      stops,
      p50: median(totals),
      p90: percentile(totals, 0.9),
      snapshotMs: median(snapMs),
      pagesMs: median(pageMs),
      renderMs: median(renderMs),
      snapshotBytes: bytes,
      rows,
      irqs: s.irqCount,
      irtes: s.ir.reduce((n, u) => n + u.irteCount, 0),
      slotsInUse: s.devices.reduce((n, d) => n + d.imsInUseCount, 0),
    };
  } finally {
    await dc.stop();
  }
}
