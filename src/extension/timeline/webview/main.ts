/**
 * The timeline webview's script (bundled by esbuild to dist/timeline.js, loaded under a strict
 * CSP): receives the session's Chrome trace at each stop, draws it on a canvas, and lets the
 * user zoom (wheel, + −, 0 to fit), pan (drag, Shift+wheel, Shift+← →), scroll the tracks
 * (wheel over the names, PgUp/PgDn), hover an event for its path and outcome, and select one —
 * click, or the arrow keys — to read all of it in the details pane.
 */
import {
  buildModel,
  findByKey,
  fit,
  hitTest,
  moveSelection,
  pan,
  reveal,
  zoomAt,
  type Item,
  type TimelineModel,
  type Viewport,
} from '../layout';
import { traceOf, type FromWebview, type ToWebview } from '../messages';
import { showDetails, showTooltip } from './details';
import { AXIS_H, LABEL_W, drawBase, drawOverlay, type Scene } from './render';
import { readTheme, type Theme } from './theme';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the panel being hidden and shown again. */
interface SavedState {
  view: Viewport | undefined;
  fitted: boolean;
  selected: string | undefined;
  scrollY: number;
}

const vscode = acquireVsCodeApi();
/** The page's element `id` (html.ts), checked to be a `type`. */
function el<T extends HTMLElement>(id: string, type: new () => T): T {
  const e = document.getElementById(id);
  if (!(e instanceof type)) throw new Error(`timeline page: no ${type.name} #${id}`);
  return e;
}
const chart = el('chart', HTMLDivElement);
const canvas = el('plot', HTMLCanvasElement);
const overlay = el('overlay', HTMLCanvasElement);
const tip = el('tooltip', HTMLDivElement);
const details = el('details', HTMLElement);
const status = el('status', HTMLElement);
const warning = el('warning', HTMLElement);
const ctx = canvas.getContext('2d')!;
const octx = overlay.getContext('2d')!;

const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
let model: TimelineModel | undefined;
let view: Viewport | undefined = saved.view;
let fitted = saved.fitted ?? true;
let selected: Item | undefined;
let selectedKey = saved.selected;
let hovered: Item | undefined;
let scrollY = saved.scrollY ?? 0;
let theme: Theme = readTheme();
let width = 0;
let height = 0;
let frame = 0;
/** What the next frame redraws: the base too, or the overlay only. */
let baseDirty = false;

const plotWidth = (): number => Math.max(width - LABEL_W, 10);

function save(): void {
  vscode.setState({ view, fitted, selected: selected?.key ?? selectedKey, scrollY });
}

/** Redraws at the next animation frame: everything, or (`overlayOnly`) hover and selection. */
function invalidate(overlayOnly = false): void {
  if (!overlayOnly) baseDirty = true;
  if (frame !== 0) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (!model || !view) return;
    const scene: Scene = { model, view, scrollY, width, height, hovered, selected, theme };
    if (baseDirty) drawBase(ctx, scene);
    baseDirty = false;
    drawOverlay(octx, scene);
  });
}

function resize(): void {
  const r = chart.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  width = Math.max(Math.floor(r.width), 100);
  height = Math.max(Math.floor(r.height), 60);
  for (const [c, x] of [
    [canvas, ctx],
    [overlay, octx],
  ] as const) {
    c.width = Math.floor(width * dpr);
    c.height = Math.floor(height * dpr);
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
    x.setTransform(dpr, 0, 0, dpr, 0, 0);
  }
  if (model && fitted) view = fit(model, plotWidth());
  clampScroll();
  invalidate();
}

function clampScroll(): void {
  const max = Math.max((model?.height ?? 0) - (height - AXIS_H), 0);
  scrollY = Math.min(Math.max(scrollY, 0), max);
}

function select(item: Item | undefined, scrollTo: boolean): void {
  selected = item;
  selectedKey = item?.key;
  showDetails(details, model, item);
  const [viewBefore, scrollBefore] = [view, scrollY];
  if (item && model && view && scrollTo) {
    view = reveal(view, item, plotWidth());
    const row = model.rows.find((r) => r.track === item.track);
    if (row) {
      if (row.y < scrollY) scrollY = row.y;
      else if (row.y + row.h > scrollY + height - AXIS_H)
        scrollY = row.y + row.h - (height - AXIS_H);
      clampScroll();
    }
  }
  save();
  invalidate(view === viewBefore && scrollY === scrollBefore);
}

function setView(next: Viewport): void {
  view = next;
  fitted = false;
  save();
  invalidate();
}

function onTrace(msg: Extract<ToWebview, { type: 'trace' }>): void {
  model = buildModel(traceOf(msg));
  if (fitted || view === undefined) {
    view = fit(model, plotWidth());
    fitted = true;
  }
  selected = selectedKey === undefined ? undefined : findByKey(model, selectedKey);
  hovered = undefined;
  clampScroll();
  showDetails(details, model, selected);
  warning.textContent = model.warning ?? '';
  warning.hidden = model.warning === undefined;
  canvas.setAttribute(
    'aria-label',
    `Interrupt timeline of ${msg.session}: ${model.tracks.length} tracks, ${model.count} events, ` +
      `${model.flows.length} deliveries linked to their handlers. Arrow keys move between ` +
      'events; the details pane reads the selected one.',
  );
  save();
  invalidate();
  requestAnimationFrame(() => {
    vscode.postMessage({
      type: 'rendered',
      serial: msg.serial,
      tracks: model?.tracks.length ?? 0,
      items: model?.count ?? 0,
      flows: model?.flows.length ?? 0,
    });
  });
}

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const msg = e.data;
  if (msg.type === 'trace') onTrace(msg);
  else {
    status.textContent = msg.text;
    status.dataset.phase = msg.phase;
  }
});

// ---- pointer ----

/** Plot coordinates of a pointer event: x from the plot's left edge, y from the first row. */
function plotPoint(e: MouseEvent): { x: number; y: number; inPlot: boolean } {
  const r = canvas.getBoundingClientRect();
  const cx = e.clientX - r.left;
  const cy = e.clientY - r.top;
  return { x: cx - LABEL_W, y: cy - AXIS_H + scrollY, inPlot: cx >= LABEL_W && cy >= AXIS_H };
}

let drag: { x: number; y: number; moved: boolean } | undefined;

canvas.addEventListener('pointerdown', (e) => {
  canvas.setPointerCapture(e.pointerId);
  drag = { x: e.clientX, y: e.clientY, moved: false };
});

canvas.addEventListener('pointermove', (e) => {
  if (!model || !view) return;
  if (drag && (e.buttons & 1) !== 0) {
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      drag.x = e.clientX;
      drag.y = e.clientY;
      scrollY -= dy;
      clampScroll();
      setView(pan(view, dx));
      tip.hidden = true;
      return;
    }
  }
  const p = plotPoint(e);
  const item = p.inPlot ? hitTest(model, view, p.x, p.y) : undefined;
  if (item !== hovered) {
    hovered = item;
    invalidate(true);
  }
  canvas.style.cursor = item ? 'pointer' : 'default';
  if (item) {
    const r = chart.getBoundingClientRect();
    showTooltip(tip, item, e.clientX - r.left, e.clientY - r.top, r);
  } else tip.hidden = true;
});

canvas.addEventListener('pointerup', (e) => {
  const moved = drag?.moved ?? false;
  drag = undefined;
  if (moved || !model || !view) return;
  const p = plotPoint(e);
  if (p.inPlot) select(hitTest(model, view, p.x, p.y), false);
});

canvas.addEventListener('pointerleave', () => {
  hovered = undefined;
  tip.hidden = true;
  invalidate(true);
});

canvas.addEventListener(
  'wheel',
  (e) => {
    if (!model || !view) return;
    e.preventDefault();
    const p = plotPoint(e);
    if (!p.inPlot || e.altKey) {
      scrollY += e.deltaY;
      clampScroll();
      save();
      invalidate();
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      setView(pan(view, -(e.shiftKey ? e.deltaY : e.deltaX)));
    } else {
      setView(zoomAt(view, Math.exp(-e.deltaY * 0.0015), p.x));
    }
    tip.hidden = true;
  },
  { passive: false },
);

// ---- keyboard ----

const MOVES: Record<string, 'left' | 'right' | 'up' | 'down' | 'home' | 'end'> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
};

canvas.addEventListener('keydown', (e) => {
  if (!model || !view) return;
  const w = plotWidth();
  const centre = selected ? (selected.start - view.t0) / view.nsPerPx : w / 2;
  if (e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
    setView(pan(view, (e.key === 'ArrowLeft' ? 1 : -1) * (w / 4)));
  } else if (e.key in MOVES) {
    select(moveSelection(model, selected, MOVES[e.key]!), true);
  } else if (e.key === '+' || e.key === '=') {
    setView(zoomAt(view, 1.5, centre));
  } else if (e.key === '-' || e.key === '_') {
    setView(zoomAt(view, 1 / 1.5, centre));
  } else if (e.key === '0') {
    fitAll();
  } else if (e.key === 'PageUp' || e.key === 'PageDown') {
    scrollY += (e.key === 'PageUp' ? -1 : 1) * (height - AXIS_H) * 0.9;
    clampScroll();
    save();
    invalidate();
  } else if (e.key === 'Escape') {
    select(undefined, false);
  } else return;
  e.preventDefault();
});

function fitAll(): void {
  if (!model) return;
  view = fit(model, plotWidth());
  fitted = true;
  save();
  invalidate();
}

// ---- toolbar ----

el('zoom-in', HTMLButtonElement).addEventListener('click', () => {
  if (view) setView(zoomAt(view, 1.5, plotWidth() / 2));
});
el('zoom-out', HTMLButtonElement).addEventListener('click', () => {
  if (view) setView(zoomAt(view, 1 / 1.5, plotWidth() / 2));
});
el('fit', HTMLButtonElement).addEventListener('click', fitAll);
el('export', HTMLButtonElement).addEventListener('click', () => {
  vscode.postMessage({ type: 'export' });
});

// ---- theme and size ----

new MutationObserver(() => {
  theme = readTheme();
  invalidate();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new ResizeObserver(resize).observe(chart);

resize();
showDetails(details, undefined, undefined);
vscode.postMessage({ type: 'ready' });
