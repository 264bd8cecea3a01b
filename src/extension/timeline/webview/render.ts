/**
 * Draws the timeline on a canvas: the time axis, the track names, each visible item coloured by
 * its class, the flows from messages to handlers, the stop's time, the hovered and the
 * selected item. Only what is in the window is drawn; items that fall on the same pixels as
 * the one drawn before them are skipped.
 */
import {
  INSTANT_PX,
  MIN_ITEM_PX,
  formatNs,
  ticks,
  toX,
  type Item,
  type TimelineModel,
  type Viewport,
} from '../layout';
import type { Theme } from './theme';

/** Width of the track names, px; the plot starts there. */
export const LABEL_W = 190;
/** Height of the time axis, px; the rows start below it. */
export const AXIS_H = 22;

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

export function draw(ctx: CanvasRenderingContext2D, s: Scene): void {
  const { model, view, theme } = s;
  const plotW = s.width - LABEL_W;
  ctx.clearRect(0, 0, s.width, s.height);
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';

  // Rows (clipped below the axis).
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_H, s.width, s.height - AXIS_H);
  ctx.clip();
  const top = AXIS_H - s.scrollY;
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
  const boxes = new Map<Item, { x: number; y: number; w: number; h: number }>();
  for (const row of model.rows) {
    if (row.track === null) continue;
    const y = top + row.y;
    if (y + row.h < AXIS_H || y > s.height) continue;
    drawTrack(ctx, s, model.tracks[row.track]!.items, y, row.h, plotW, boxes);
  }
  drawFlows(ctx, s, top, plotW, boxes);
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
  for (const [item, colour, width] of [
    [s.hovered, theme.muted, 1],
    [s.selected, theme.focus, 2],
  ] as const) {
    const b = item && (boxes.get(item) ?? boxOf(s, item, top));
    if (!b) continue;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.strokeRect(b.x - 1.5, b.y - 1.5, b.w + 3, b.h + 3);
    ctx.lineWidth = 1;
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

/** The box of an item that was not drawn (off screen), for the selection outline. */
function boxOf(
  s: Scene,
  item: Item,
  top: number,
): { x: number; y: number; w: number; h: number } | undefined {
  const row = s.model.rows.find((r) => r.track === item.track);
  if (!row) return undefined;
  return itemBox(s.view, item, top + row.y, row.h);
}

function itemBox(
  view: Viewport,
  item: Item,
  rowY: number,
  rowH: number,
): { x: number; y: number; w: number; h: number } {
  const inset = 4 + item.depth * 4;
  const y = rowY + inset;
  const h = Math.max(rowH - 2 * inset, 6);
  const x = LABEL_W + toX(view, item.start);
  if (item.instant) return { x: x - INSTANT_PX / 2, y, w: INSTANT_PX, h };
  const w = Math.max((item.dur || 0) / view.nsPerPx, MIN_ITEM_PX);
  return { x: item.dur === 0 ? x - MIN_ITEM_PX / 2 : x, y, w, h };
}

function drawTrack(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  items: readonly Item[],
  rowY: number,
  rowH: number,
  plotW: number,
  boxes: Map<Item, { x: number; y: number; w: number; h: number }>,
): void {
  const { view, theme } = s;
  const t0 = view.t0 - INSTANT_PX * view.nsPerPx;
  const t1 = view.t0 + (plotW + INSTANT_PX) * view.nsPerPx;
  let lastX = -Infinity;
  let lastDepth = -1;
  let lastCls = '';
  for (const item of items) {
    if (item.start > t1) break;
    if (item.start + item.dur < t0) continue;
    const b = itemBox(view, item, rowY, rowH);
    boxes.set(item, b);
    // Same pixels, same look as the one drawn before: skip.
    if (Math.round(b.x + b.w) <= lastX && item.depth === lastDepth && item.cls === lastCls)
      continue;
    lastX = Math.round(b.x + b.w);
    lastDepth = item.depth;
    lastCls = item.cls;
    const colour = theme.item[item.cls];
    if (item.instant) {
      diamond(ctx, b.x + b.w / 2, b.y + b.h / 2, b.h / 2, colour);
      continue;
    }
    ctx.fillStyle = colour;
    ctx.globalAlpha = item.cls === 'held' || item.cls === 'pending' ? 0.55 : 0.9;
    ctx.fillRect(b.x, b.y, b.w, b.h);
    ctx.globalAlpha = 1;
    if (item.cls === 'held') {
      // The end of a held message: its outcome.
      ctx.fillStyle = theme.item.delivered;
      ctx.fillRect(b.x + b.w - 2, b.y, 2, b.h);
    }
    if (item.cls === 'running') {
      ctx.setLineDash([3, 2]);
      ctx.strokeStyle = theme.text;
      ctx.strokeRect(b.x + 0.5, b.y + 0.5, b.w - 1, b.h - 1);
      ctx.setLineDash([]);
    }
    if (b.w > 48) {
      ctx.fillStyle = theme.background;
      ctx.fillText(item.name, Math.max(b.x, LABEL_W) + 4, b.y + b.h / 2, b.w - 8);
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

function drawFlows(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  top: number,
  plotW: number,
  boxes: Map<Item, { x: number; y: number; w: number; h: number }>,
): void {
  const rowOf = new Map<number, { y: number; h: number }>();
  for (const r of s.model.rows) if (r.track !== null) rowOf.set(r.track, r);
  // Zoomed out, many flows fall on the same pixels: draw each such line once.
  const drawn = new Set<string>();
  for (const f of s.model.flows) {
    const a = boxes.get(f.from) ?? box(s, f.from, top, rowOf);
    const b = boxes.get(f.to) ?? box(s, f.to, top, rowOf);
    if (!a || !b) continue;
    const x0 = a.x + a.w;
    const x1 = b.x;
    if (Math.max(x0, x1) < LABEL_W || Math.min(x0, x1) > LABEL_W + plotW) continue;
    const lit =
      f.from === s.selected || f.to === s.selected || f.from === s.hovered || f.to === s.hovered;
    const key = `${Math.round(x0)}:${Math.round(a.y)}:${Math.round(x1)}:${Math.round(b.y)}`;
    if (!lit && drawn.has(key)) continue;
    drawn.add(key);
    const y0 = a.y + a.h / 2;
    const y1 = b.y + b.h / 2;
    ctx.strokeStyle = lit ? s.theme.focus : s.theme.flow;
    ctx.globalAlpha = lit ? 1 : 0.6;
    ctx.lineWidth = lit ? 1.5 : 1;
    const dx = Math.max(Math.abs(x1 - x0) / 2, 12);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(x0 + dx, y0, x1 - dx, y1, x1, y1);
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle;
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - 5, y1 - 3);
    ctx.lineTo(x1 - 5, y1 + 3);
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1;
  }
}

function box(
  s: Scene,
  item: Item,
  top: number,
  rowOf: Map<number, { y: number; h: number }>,
): { x: number; y: number; w: number; h: number } | undefined {
  const r = rowOf.get(item.track);
  return r ? itemBox(s.view, item, top + r.y, r.h) : undefined;
}
