/**
 * What the timeline webview draws, computed from a Chrome trace as ims-debug writes it
 * (src/platform/chrome-trace): rows (a header per process, a row per thread track), the items
 * of each track in time order with their nesting depth, the flows between items, and the
 * viewport arithmetic — time ↔ x, zoom about a point, pan, hit tests, keyboard moves. Free of
 * the DOM and of VS Code, so it is unit-tested.
 */
import type { Args, ChromeTrace } from '../../platform/chrome-trace/format';

/** How an item is coloured (the webview maps each to a theme colour). */
export type ItemClass =
  | 'delivered'
  | 'held'
  | 'pending'
  | 'faulted'
  | 'dropped'
  | 'hardirq'
  | 'thread'
  | 'notrun'
  | 'running'
  | 'spurious';

export interface Item {
  /** Index of its track in `TimelineModel.tracks`. */
  track: number;
  /** Index in its track's items. */
  index: number;
  /** Start, ns. */
  start: number;
  /** Duration, ns (0 for an instant). */
  dur: number;
  instant: boolean;
  name: string;
  cat: string;
  cls: ItemClass;
  args: Args;
  /** Spans of the same track that enclose it. */
  depth: number;
  /** The same item in the next trace of the session (for keeping the selection). */
  key: string;
}

export interface Track {
  pid: number;
  tid: number;
  process: string;
  name: string;
  items: Item[];
  /** Deepest nesting on the track (0: no span inside another). */
  maxDepth: number;
  /** Longest item, ns (hit tests look no further back than this). */
  maxDur: number;
}

export interface Row {
  kind: 'process' | 'track';
  label: string;
  /** The track, for a track row. */
  track: number | null;
  /** Top and height, px. */
  y: number;
  h: number;
}

export interface Flow {
  from: Item;
  to: Item;
  id: number;
}

export interface TimelineModel {
  tracks: Track[];
  rows: Row[];
  flows: Flow[];
  /** Time of the first item and the end of the trace (its `now`), ns. */
  start: number;
  end: number;
  /** Height of all rows, px. */
  height: number;
  /** Items in all. */
  count: number;
  /** The trace's warning (events the ring overwrote), if any. */
  warning: string | undefined;
}

export const PROCESS_ROW_H = 20;
export const TRACK_ROW_H = 24;

const ns = (us: number): number => Math.round(us * 1000);

/** Builds the model of `trace`. Unknown event phases are ignored. */
export function buildModel(trace: ChromeTrace): TimelineModel {
  const procNames = new Map<number, string>();
  const procSort = new Map<number, number>();
  const threadNames = new Map<string, string>();
  const threadSort = new Map<string, number>();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'M') continue;
    const key = `${e.pid}:${e.tid}`;
    if ('name' in e.args) {
      if (e.name === 'process_name') procNames.set(e.pid, e.args.name);
      else if (e.name === 'thread_name') threadNames.set(key, e.args.name);
    } else if (e.name === 'process_sort_index') procSort.set(e.pid, e.args.sort_index);
    else if (e.name === 'thread_sort_index') threadSort.set(key, e.args.sort_index);
  }

  const trackIndex = new Map<string, number>();
  const tracks: Track[] = [];
  const trackOf = (pid: number, tid: number): number => {
    const key = `${pid}:${tid}`;
    let i = trackIndex.get(key);
    if (i === undefined) {
      i = tracks.length;
      trackIndex.set(key, i);
      tracks.push({
        pid,
        tid,
        process: procNames.get(pid) ?? `process ${pid}`,
        name: threadNames.get(key) ?? `thread ${tid}`,
        items: [],
        maxDepth: 0,
        maxDur: 0,
      });
    }
    return i;
  };

  const lastOnTrack = new Map<number, Item>();
  const flowStarts = new Map<number, Item>();
  const flows: Flow[] = [];
  let first = Infinity;
  let last = 0;
  for (const e of trace.traceEvents) {
    if (e.ph === 'X' || e.ph === 'i') {
      const t = trackOf(e.pid, e.tid);
      const track = tracks[t]!;
      const start = ns(e.ts);
      const dur = e.ph === 'X' ? ns(e.dur) : 0;
      const item: Item = {
        track: t,
        index: track.items.length,
        start,
        dur,
        instant: e.ph === 'i',
        name: e.name,
        cat: e.cat,
        cls: classOf(e.cat, e.args, e.ph === 'i'),
        args: e.args,
        depth: 0,
        key: `${track.process}/${track.name}|${start}|${e.cat}`,
      };
      track.items.push(item);
      lastOnTrack.set(t, item);
      first = Math.min(first, start);
      last = Math.max(last, start + dur);
    } else if (e.ph === 's' || e.ph === 'f') {
      // A flow end binds to the slice that starts where it is, on its track (see format.ts).
      const at = lastOnTrack.get(trackOf(e.pid, e.tid));
      if (at === undefined) continue;
      if (e.ph === 's') flowStarts.set(e.id, at);
      else {
        const from = flowStarts.get(e.id);
        if (from !== undefined) flows.push({ from, to: at, id: e.id });
      }
    }
  }
  for (const track of tracks) {
    // By start; at the same start the file's order (an enclosing span comes first there).
    track.items.sort((a, b) => a.start - b.start);
    const open: Item[] = [];
    track.items.forEach((item, i) => {
      item.index = i;
      while (open.length > 0 && !encloses(open[open.length - 1]!, item)) open.pop();
      item.depth = open.length;
      track.maxDepth = Math.max(track.maxDepth, item.depth);
      track.maxDur = Math.max(track.maxDur, item.dur);
      if (!item.instant && item.dur > 0) open.push(item);
    });
  }

  const order = tracks.map((_, i) => i);
  const sortOf = (t: Track): [number, number] => [
    procSort.get(t.pid) ?? t.pid,
    threadSort.get(`${t.pid}:${t.tid}`) ?? t.tid,
  ];
  order.sort((a, b) => {
    const [pa, ta] = sortOf(tracks[a]!);
    const [pb, tb] = sortOf(tracks[b]!);
    return pa - pb || tracks[a]!.pid - tracks[b]!.pid || ta - tb;
  });
  const sorted = order.map((i) => tracks[i]!);
  sorted.forEach((t, i) => {
    for (const item of t.items) item.track = i;
  });

  const rows: Row[] = [];
  let y = 0;
  let pid: number | undefined;
  for (const [i, t] of sorted.entries()) {
    if (t.pid !== pid) {
      pid = t.pid;
      rows.push({ kind: 'process', label: t.process, track: null, y, h: PROCESS_ROW_H });
      y += PROCESS_ROW_H;
    }
    const h = TRACK_ROW_H + t.maxDepth * 6;
    rows.push({ kind: 'track', label: t.name, track: i, y, h });
    y += h;
  }
  const now = trace.otherData.now_ns;
  const end = Math.max(last, typeof now === 'number' ? now : 0);
  const warning = trace.otherData.warning;
  return {
    tracks: sorted,
    rows,
    flows,
    start: first === Infinity ? 0 : first,
    end,
    height: y,
    count: sorted.reduce((n, t) => n + t.items.length, 0),
    warning: typeof warning === 'string' ? warning : undefined,
  };
}

/** Whether span `outer` contains `inner` (which starts no earlier). */
function encloses(outer: Item, inner: Item): boolean {
  return inner.start >= outer.start && inner.start + inner.dur <= outer.start + outer.dur;
}

function classOf(cat: string, args: Args, instant: boolean): ItemClass {
  if (cat === 'handler') {
    if (args.context === 'spurious') return 'spurious';
    if (args.running === true) return 'running';
    if (typeof args.note === 'string') return 'notrun';
    return args.context === 'thread' ? 'thread' : 'hardirq';
  }
  const outcome = args.outcome;
  if (outcome === 'pending') return 'pending';
  if (outcome === 'faulted') return 'faulted';
  if (outcome === 'dropped') return 'dropped';
  if (!instant && typeof args.pended_ns === 'number') return 'held';
  return 'delivered';
}

// ---- viewport ----

/** The visible time window: `t0` (ns) at x = 0 of the plot, `nsPerPx` ns per pixel. */
export interface Viewport {
  t0: number;
  nsPerPx: number;
}

/** Zoom limits: 0.01 ns to 10 ms per pixel. */
export const MIN_NS_PER_PX = 0.01;
export const MAX_NS_PER_PX = 1e7;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The whole trace in `width` px, with a margin. */
export function fit(model: TimelineModel, width: number): Viewport {
  const span = Math.max(model.end - model.start, 1);
  const w = Math.max(width, 50);
  const nsPerPx = clamp((span * 1.06) / w, MIN_NS_PER_PX, MAX_NS_PER_PX);
  return { t0: model.start - span * 0.03, nsPerPx };
}

/** Zooms by `factor` (> 1 in) keeping the time under `x` in place. */
export function zoomAt(v: Viewport, factor: number, x: number): Viewport {
  const t = v.t0 + x * v.nsPerPx;
  const nsPerPx = clamp(v.nsPerPx / factor, MIN_NS_PER_PX, MAX_NS_PER_PX);
  return { t0: t - x * nsPerPx, nsPerPx };
}

/** Moves the window by `dx` px (positive: the content moves right, earlier times show). */
export function pan(v: Viewport, dx: number): Viewport {
  return { t0: v.t0 - dx * v.nsPerPx, nsPerPx: v.nsPerPx };
}

/** Shows `item` in a window of `width` px at the same zoom (a view it is in stays). */
export function reveal(v: Viewport, item: Item, width: number): Viewport {
  const x0 = toX(v, item.start);
  const x1 = toX(v, item.start + item.dur);
  const wide = x1 - x0 > width * 0.8;
  if (x0 >= 0 && (x1 <= width || (wide && x0 <= width * 0.2))) return v;
  // Centred; one wider than most of the window shows from its start.
  const t0 = wide
    ? item.start - width * 0.1 * v.nsPerPx
    : item.start + item.dur / 2 - (width / 2) * v.nsPerPx;
  return { t0, nsPerPx: v.nsPerPx };
}

export const toX = (v: Viewport, t: number): number => (t - v.t0) / v.nsPerPx;
export const toTime = (v: Viewport, x: number): number => v.t0 + x * v.nsPerPx;

/** Items narrower than this are drawn this wide; an instant is a marker this wide. */
export const MIN_ITEM_PX = 3;
export const INSTANT_PX = 9;

/** The row at `y` (px from the top of the rows). */
export function rowAt(model: TimelineModel, y: number): Row | undefined {
  return model.rows.find((r) => y >= r.y && y < r.y + r.h);
}

/** The item drawn under (x, y) of the plot, if any: the deepest, then the nearest. */
export function hitTest(model: TimelineModel, v: Viewport, x: number, y: number): Item | undefined {
  const row = rowAt(model, y);
  if (row?.track == null) return undefined;
  const track = model.tracks[row.track]!;
  const items = track.items;
  const t = toTime(v, x);
  const slack = INSTANT_PX * v.nsPerPx;
  // Items start in order: look at those starting before t + slack.
  const hi = upperBound(items, t + slack);
  let best: Item | undefined;
  let bestScore = Infinity;
  for (let i = hi - 1; i >= 0; i--) {
    const it = items[i]!;
    const x0 = toX(v, it.start);
    const w = it.instant ? 0 : Math.max(toX(v, it.start + it.dur) - x0, 0);
    const half = it.instant ? INSTANT_PX / 2 : Math.max(MIN_ITEM_PX - w, 0) / 2 + 1;
    const inside = x >= x0 - half && x <= x0 + w + half;
    if (inside) {
      const score = -it.depth * 1e6 + Math.abs(x - (x0 + w / 2));
      if (score < bestScore) {
        best = it;
        bestScore = score;
      }
    }
    // Earlier items start further left than the longest item on the track reaches: stop.
    if (it.start + track.maxDur < t - slack) break;
  }
  return best;
}

/** Index of the first item starting after `t`. */
function upperBound(items: readonly Item[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The item a key moves the selection to: along the track, or to the nearest on another. */
export function moveSelection(
  model: TimelineModel,
  from: Item | undefined,
  key: 'left' | 'right' | 'up' | 'down' | 'home' | 'end',
): Item | undefined {
  const firstTrack = model.tracks.find((t) => t.items.length > 0);
  if (from === undefined) return firstTrack?.items[0];
  const items = model.tracks[from.track]!.items;
  switch (key) {
    case 'left':
      return items[from.index - 1] ?? from;
    case 'right':
      return items[from.index + 1] ?? from;
    case 'home':
      return items[0];
    case 'end':
      return items[items.length - 1];
    case 'up':
    case 'down': {
      const step = key === 'up' ? -1 : 1;
      for (let t = from.track + step; t >= 0 && t < model.tracks.length; t += step) {
        const other = model.tracks[t]!.items;
        if (other.length > 0) return nearest(other, from.start);
      }
      return from;
    }
  }
}

function nearest(items: readonly Item[], t: number): Item {
  const i = upperBound(items, t);
  const a = items[Math.max(i - 1, 0)]!;
  const b = items[Math.min(i, items.length - 1)]!;
  return Math.abs(a.start - t) <= Math.abs(b.start - t) ? a : b;
}

/** The item with `key` in `model` (the selection carried over to a new trace). */
export function findByKey(model: TimelineModel, key: string): Item | undefined {
  for (const t of model.tracks) for (const it of t.items) if (it.key === key) return it;
  return undefined;
}

// ---- text ----

/** `420 ns`, `13.24 µs`, `2.001 ms`, `1.5 s`. */
export function formatNs(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return `${trim(n, 2)} ns`;
  if (a < 1e6) return `${trim(n / 1e3, 3)} µs`;
  if (a < 1e9) return `${trim(n / 1e6, 3)} ms`;
  return `${trim(n / 1e9, 3)} s`;
}

function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

/** Axis ticks for a window: a round step (1, 2 or 5 × 10^k ns) about `targetPx` apart. */
export function ticks(v: Viewport, width: number, targetPx = 110): { t: number; x: number }[] {
  const raw = v.nsPerPx * targetPx;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: { t: number; x: number }[] = [];
  const t1 = toTime(v, width);
  for (let t = Math.ceil(v.t0 / step) * step; t <= t1; t += step) out.push({ t, x: toX(v, t) });
  return out;
}

/** The lines the details pane shows for `item`: title, place, time, then its args. */
export function describe(
  model: TimelineModel,
  item: Item,
): { title: string; rows: [string, string][] } {
  const track = model.tracks[item.track]!;
  const rows: [string, string][] = [
    ['track', `${track.process} › ${track.name}`],
    ['time', formatNs(item.start)],
  ];
  if (!item.instant) rows.push(['duration', formatNs(item.dur)]);
  for (const [k, v] of Object.entries(item.args)) {
    const text = typeof v === 'number' && k.endsWith('_ns') ? formatNs(v) : String(v);
    rows.push([k.replace(/_ns$/, '').replace(/_/g, ' '), text]);
  }
  return { title: item.name, rows };
}
