/**
 * Draws the timeline on two canvases. The base: the time axis, the track names, each visible item
 * coloured by its class, the flows from messages to handlers (when few enough are in view to
 * tell apart), the stop's time — redrawn when the window, the trace or the theme changes. The
 * overlay: the hovered and the selected item and their flows — redrawn as the pointer moves.
 * Items that fall on the pixels of the one drawn before them are skipped.
 */
import {
  INSTANT_PX,
  MIN_ITEM_PX,
  formatNs,
  ticks,
  toX,
  type Flow,
  type Item,
  type Row,
  type TimelineModel,
  type Viewport,
} from '../layout';
import type { Theme } from './theme';

/** Width of the track names, px; the plot starts there. */
export const LABEL_W = 190;
/** Height of the time axis, px; the rows start below it. */
export const AXIS_H = 22;
/** More flows than this in view are not drawn (only those of the hovered and selected item). */
export const MAX_FLOWS = 1500;

export interface Scene {
  model: TimelineModel;
  view: Viewport;
  /** Rows scrolled off the top, px. */
  scrollY: number;
  width: number;
  height: number;
  hovered: Item | undefined;
  selected: Item | undefined;
  theme: Theme;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The base layer. */
export function drawBase(ctx: CanvasRenderingContext2D, s: Scene): void {
  const { model, view, theme } = s;
  const plotW = s.width - LABEL_W;
  const top = AXIS_H - s.scrollY;
  ctx.clearRect(0, 0, s.width, s.height);
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';

  // Rows (clipped below the axis).
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_H, s.width, s.height - AXIS_H);
  ctx.clip();
  for (const row of model.rows) {
    const y = top + row.y;
    if (y + row.h < AXIS_H || y > s.height) continue;
    if (row.kind === 'process') {
      ctx.fillStyle = theme.header;
      ctx.fillRect(0, y, s.width, row.h);
      ctx.fillStyle = theme.text;
      ctx.font = `bold ${theme.font}`;
      ctx.fillText(row.label, 6, y + row.h / 2, s.width - 12);
      ctx.font = theme.font;
    } else {
      ctx.strokeStyle = theme.grid;
      ctx.beginPath();
      ctx.moveTo(0, y + row.h - 0.5);
      ctx.lineTo(s.width, y + row.h - 0.5);
      ctx.stroke();
      ctx.fillStyle = theme.muted;
      ctx.fillText(row.label, 16, y + row.h / 2, LABEL_W - 22);
    }
  }

  // The plot: grid, items, flows, the stop.
  ctx.beginPath();
  ctx.rect(LABEL_W, AXIS_H, plotW, s.height - AXIS_H);
  ctx.clip();
  const axisTicks = ticks(view, plotW);
  ctx.strokeStyle = theme.grid;
  for (const t of axisTicks) {
    ctx.beginPath();
    ctx.moveTo(LABEL_W + Math.round(t.x) + 0.5, AXIS_H);
    ctx.lineTo(LABEL_W + Math.round(t.x) + 0.5, s.height);
    ctx.stroke();
  }
  for (const row of model.rows) {
    if (row.track === null) continue;
    const y = top + row.y;
    if (y + row.h < AXIS_H || y > s.height) continue;
    drawTrack(ctx, s, model.tracks[row.track]!.items, y, row.h, plotW);
  }
  const rows = trackRows(model);
  const inView = model.flows.filter((f) => flowInView(s, f, plotW));
  if (inView.length <= MAX_FLOWS) {
    const drawn = new Set<string>();
    for (const f of inView) {
      const a = itemBox(view, f.from, top, rows[f.from.track]!);
      const b = itemBox(view, f.to, top, rows[f.to.track]!);
      // Zoomed out, many flows fall on the same pixels: draw each such line once.
      const key = `${Math.round(a.x + a.w)},${Math.round(a.y)},${Math.round(b.x)},${Math.round(b.y)}`;
      if (drawn.has(key)) continue;
      drawn.add(key);
      drawFlow(ctx, a, b, theme.flow, false);
    }
  }
  const nowX = LABEL_W + toX(view, model.end);
  if (nowX >= LABEL_W && nowX <= s.width) {
    ctx.strokeStyle = theme.now;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(nowX) + 0.5, AXIS_H);
    ctx.lineTo(Math.round(nowX) + 0.5, s.height);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.restore();

  // The axis, on top.
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, s.width, AXIS_H);
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  ctx.moveTo(0, AXIS_H - 0.5);
  ctx.lineTo(s.width, AXIS_H - 0.5);
  ctx.stroke();
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'left';
  for (const t of axisTicks) {
    const x = LABEL_W + t.x;
    if (x < LABEL_W || x > s.width - 30) continue;
    ctx.fillText(formatNs(t.t), x + 3, AXIS_H / 2);
  }
  if (nowX >= LABEL_W && nowX <= s.width) {
    ctx.fillStyle = theme.now;
    ctx.textAlign = 'right';
    ctx.fillText('stop', nowX - 3, AXIS_H / 2);
    ctx.textAlign = 'left';
  }
}

/** The overlay: outlines of the hovered and selected items, and their flows. */
export function drawOverlay(ctx: CanvasRenderingContext2D, s: Scene): void {
  ctx.clearRect(0, 0, s.width, s.height);
  if (s.hovered === undefined && s.selected === undefined) return;
  const top = AXIS_H - s.scrollY;
  const rows = trackRows(s.model);
  ctx.save();
  ctx.beginPath();
  ctx.rect(LABEL_W, AXIS_H, s.width - LABEL_W, s.height - AXIS_H);
  ctx.clip();
  for (const f of s.model.flows) {
    const lit = [s.hovered, s.selected].some(
      (i) => i !== undefined && (f.from === i || f.to === i),
    );
    if (!lit) continue;
    const a = itemBox(s.view, f.from, top, rows[f.from.track]!);
    const b = itemBox(s.view, f.to, top, rows[f.to.track]!);
    drawFlow(ctx, a, b, s.theme.focus, true);
  }
  for (const [item, colour, width] of [
    [s.hovered, s.theme.muted, 1],
    [s.selected, s.theme.focus, 2],
  ] as const) {
    if (item === undefined) continue;
    const b = itemBox(s.view, item, top, rows[item.track]!);
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.strokeRect(b.x - 1.5, b.y - 1.5, b.w + 3, b.h + 3);
  }
  ctx.restore();
}

/** The row of each track, by track index. */
function trackRows(model: TimelineModel): Row[] {
  const rows: Row[] = [];
  for (const r of model.rows) if (r.track !== null) rows[r.track] = r;
  return rows;
}

function flowInView(s: Scene, f: Flow, plotW: number): boolean {
  const x0 = toX(s.view, f.from.start + f.from.dur);
  const x1 = toX(s.view, f.to.start);
  return Math.max(x0, x1) >= 0 && Math.min(x0, x1) <= plotW;
}

function itemBox(view: Viewport, item: Item, top: number, row: Row): Box {
  const inset = 4 + item.depth * 4;
  const y = top + row.y + inset;
  const h = Math.max(row.h - 2 * inset, 6);
  const x = LABEL_W + toX(view, item.start);
  if (item.instant) return { x: x - INSTANT_PX / 2, y, w: INSTANT_PX, h };
  const w = Math.max(item.dur / view.nsPerPx, MIN_ITEM_PX);
  return { x: item.dur === 0 ? x - MIN_ITEM_PX / 2 : x, y, w, h };
}

function drawTrack(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  items: readonly Item[],
  rowY: number,
  rowH: number,
  plotW: number,
): void {
  const { view, theme } = s;
  const t0 = view.t0 - INSTANT_PX * view.nsPerPx;
  const t1 = view.t0 + (plotW + INSTANT_PX) * view.nsPerPx;
  let lastRight = -Infinity;
  let lastDepth = -1;
  let lastCls = '';
  for (const item of items) {
    if (item.start > t1) break;
    if (item.start + item.dur < t0) continue;
    const x = LABEL_W + (item.start - view.t0) / view.nsPerPx;
    const w = item.instant ? INSTANT_PX : Math.max(item.dur / view.nsPerPx, MIN_ITEM_PX);
    const left = item.instant || item.dur === 0 ? x - w / 2 : x;
    // On the pixels of the one drawn before, with the same look: skip.
    const right = Math.round(left + w);
    if (right <= lastRight && item.depth === lastDepth && item.cls === lastCls) continue;
    lastRight = right;
    lastDepth = item.depth;
    lastCls = item.cls;
    const inset = 4 + item.depth * 4;
    const y = rowY + inset;
    const h = Math.max(rowH - 2 * inset, 6);
    const colour = theme.item[item.cls];
    if (item.instant) {
      diamond(ctx, x, y + h / 2, h / 2, colour);
      continue;
    }
    ctx.fillStyle = colour;
    ctx.globalAlpha = item.cls === 'held' || item.cls === 'pending' ? 0.55 : 0.9;
    ctx.fillRect(left, y, w, h);
    ctx.globalAlpha = 1;
    if (item.cls === 'held') {
      // The end of a held message: its outcome.
      ctx.fillStyle = theme.item.delivered;
      ctx.fillRect(left + w - 2, y, 2, h);
    }
    if (item.cls === 'running') {
      ctx.setLineDash([3, 2]);
      ctx.strokeStyle = theme.text;
      ctx.strokeRect(left + 0.5, y + 0.5, w - 1, h - 1);
      ctx.setLineDash([]);
    }
    if (w > 48) {
      ctx.fillStyle = theme.background;
      ctx.fillText(item.name, Math.max(left, LABEL_W) + 4, y + h / 2, w - 8);
    }
  }
}

function diamond(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  colour: string,
): void {
  const h = Math.min(r, INSTANT_PX / 2 + 1);
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.moveTo(x, y - h);
  ctx.lineTo(x + INSTANT_PX / 2, y);
  ctx.lineTo(x, y + h);
  ctx.lineTo(x - INSTANT_PX / 2, y);
  ctx.closePath();
  ctx.fill();
}

function drawFlow(
  ctx: CanvasRenderingContext2D,
  a: Box,
  b: Box,
  colour: string,
  lit: boolean,
): void {
  const x0 = a.x + a.w;
  const x1 = b.x;
  const y0 = a.y + a.h / 2;
  const y1 = b.y + b.h / 2;
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.globalAlpha = lit ? 1 : 0.6;
  ctx.lineWidth = lit ? 1.5 : 1;
  const dx = Math.max(Math.abs(x1 - x0) / 2, 12);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.bezierCurveTo(x0 + dx, y0, x1 - dx, y1, x1, y1);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 5, y1 - 3);
  ctx.lineTo(x1 - 5, y1 + 3);
  ctx.closePath();
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1;
}
