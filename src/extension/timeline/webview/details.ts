/**
 * The text around the canvas: the tooltip of the hovered item (its name, path and outcome) and
 * the details pane of the selected one (every field), built with DOM nodes and textContent —
 * never HTML from the trace.
 */
import { describe, formatNs, type Item, type TimelineModel } from '../layout';

/** Fills the tooltip with `item`'s summary and places it near (x, y) inside `bounds`. */
export function showTooltip(
  tip: HTMLElement,
  item: Item,
  x: number,
  y: number,
  bounds: DOMRect,
): void {
  tip.replaceChildren();
  const title = document.createElement('div');
  title.className = 'tip-title';
  title.textContent = item.name;
  tip.append(title);
  const path = item.args.path;
  if (typeof path === 'string') line(tip, path);
  const outcome = item.args.outcome ?? item.args.context;
  const when = item.instant
    ? formatNs(item.start)
    : `${formatNs(item.start)} for ${formatNs(item.dur)}`;
  line(tip, `${typeof outcome === 'string' ? `${outcome} · ` : ''}${when}`);
  if (typeof item.args.reason === 'string') line(tip, item.args.reason);
  tip.hidden = false;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.min(x + 14, bounds.width - w - 4);
  const top = y + 16 + h > bounds.height ? y - h - 8 : y + 16;
  tip.style.left = `${Math.max(left, 4)}px`;
  tip.style.top = `${Math.max(top, 4)}px`;
}

function line(parent: HTMLElement, text: string): void {
  const d = document.createElement('div');
  d.textContent = text;
  parent.append(d);
}

/** Shows `item` in the details pane, or the hint when nothing is selected. */
export function showDetails(
  pane: HTMLElement,
  model: TimelineModel | undefined,
  item: Item | undefined,
): void {
  pane.replaceChildren();
  const h = document.createElement('h2');
  if (item === undefined || model === undefined) {
    h.textContent = 'No event selected';
    const p = document.createElement('p');
    p.textContent =
      'Click an event, or focus the timeline and use the arrow keys, to see its path, outcome and timing here.';
    pane.append(h, p);
    return;
  }
  const d = describe(model, item);
  h.textContent = d.title;
  const dl = document.createElement('dl');
  for (const [k, v] of d.rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  pane.append(h, dl);
}
