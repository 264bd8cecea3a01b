/**
 * The row builders every view shares: registers with their decoded fields, fields, plain facts,
 * groups, and long lists that page. Views describe *what* to show; these decide *how* a row looks
 * (peripheral-viewer's style: `NAME [hi:lo]` labels, the value as description, hex by default,
 * Markdown tooltips, change highlights).
 */
import type { ListItems, ListKind, ListRef } from '../../platform/snapshot/types';
import type { Comparable, RenderContext } from './context';
import { childId, type NodeKind, type ViewNode } from './node';
import { fieldTooltip, registerTooltip, type FieldDoc, type RegisterDoc } from './tooltip';

/** Command of the 'show more' rows; its argument is the list's id. */
export const SHOW_MORE_COMMAND = 'ims-debug.view.showMore';

/** One field of a register row. */
export interface FieldInput {
  readonly name: string;
  /** Inclusive bit range within the register, LSB = 0. */
  readonly hi: number;
  readonly lo: number;
  readonly doc?: FieldDoc;
  /** Text shown for a value instead of only the number (`Fixed`, `6a:01.0`), if any. */
  readonly text?: (value: bigint) => string | undefined;
}

/** A register row: a value of `width` bits split into fields. */
export interface RegisterInput {
  readonly label: string;
  /** Name used in tooltips (e.g. `IMS.ctrl`); defaults to the label. */
  readonly docName?: string;
  readonly width: number;
  readonly value: bigint;
  /** The value at the previous stop; undefined when the row is new (or this is the first stop). */
  readonly before: bigint | undefined;
  readonly fields: readonly FieldInput[];
  readonly doc?: RegisterDoc;
  /** Text after the value, e.g. `remappable, handle 9`. */
  readonly summary?: string;
  /** Access for the kind (`register.RW`); default RW. */
  readonly access?: string;
  /** Kind of the row, when it is more than a register (an IRTE); default `register.<access>`. */
  readonly kind?: NodeKind;
  readonly icon?: string;
  /** Rows after the fields (e.g. the Linux irq that owns an IRTE). */
  readonly extra?: () => readonly ViewNode[];
}

/** Options of a plain row. */
export interface InfoOptions {
  readonly tooltip?: string | (() => string);
  readonly changed?: boolean;
  readonly icon?: string;
  readonly kind?: NodeKind;
  readonly hasValue?: boolean;
  readonly expanded?: boolean;
  readonly children?: () => readonly ViewNode[];
  readonly copyText?: string;
}

/** The bits [hi:lo] of `value`. */
export function bits(value: bigint, hi: number, lo: number): bigint {
  return (value >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

/** Reserved fields are shown only when they hold something (which is then a finding). */
function isReserved(f: FieldInput): boolean {
  return f.doc?.access === 'RsvdZ' || f.doc?.access === 'RsvdP';
}

/** A register row whose children are its fields. */
export function registerNode(ctx: RenderContext, id: string, r: RegisterInput): ViewNode {
  const shown = ctx.value(id, r.value, r.width);
  const docName = r.docName ?? r.label;
  return {
    id,
    label: r.label,
    description: r.summary === undefined ? shown : `${shown} · ${r.summary}`,
    tooltip: () => registerTooltip(docName, r.width, r.value, r.doc),
    kind: r.kind ?? `register.${r.access ?? 'RW'}`,
    hasValue: true,
    changed: ctx.changed(r.before, r.value),
    copyText: shown,
    ...(r.icon === undefined ? {} : { icon: r.icon }),
    children: () => [
      ...r.fields
        .filter((f) => !isReserved(f) || bits(r.value, f.hi, f.lo) !== 0n)
        .map((f) => fieldNode(ctx, childId(id, f.name), r, f)),
      ...(r.extra?.() ?? []),
    ],
  };
}

/** A field row: `NAME [hi:lo]`, value (or `TEXT (value)`) as description. */
export function fieldNode(
  ctx: RenderContext,
  id: string,
  r: Pick<RegisterInput, 'docName' | 'label' | 'value' | 'before'>,
  f: FieldInput,
): ViewNode {
  const v = bits(r.value, f.hi, f.lo);
  const shown = ctx.value(id, v, f.hi - f.lo + 1);
  const enumName = f.doc?.enums?.[Number(v)];
  const text = enumName ?? f.text?.(v);
  return {
    id,
    label: `${f.name} [${f.hi}:${f.lo}]`,
    description: text === undefined || text === shown ? shown : `${text} (${shown})`,
    tooltip: () => fieldTooltip(r.docName ?? r.label, f.name, f.hi, f.lo, v, f.doc),
    kind: `field.${f.doc?.access ?? 'RW'}`,
    hasValue: true,
    changed: ctx.changed(r.before === undefined ? undefined : bits(r.before, f.hi, f.lo), v),
    copyText: shown,
  };
}

/** A plain `label — description` row. */
export function infoNode(
  id: string,
  label: string,
  description: string,
  opts: InfoOptions = {},
): ViewNode {
  return {
    id,
    label,
    description,
    kind: opts.kind ?? 'info',
    ...(opts.tooltip === undefined ? {} : { tooltip: opts.tooltip }),
    ...(opts.changed === true ? { changed: true } : {}),
    ...(opts.icon === undefined ? {} : { icon: opts.icon }),
    ...(opts.hasValue === true ? { hasValue: true } : {}),
    ...(opts.expanded === true ? { expanded: true } : {}),
    ...(opts.children === undefined ? {} : { children: opts.children }),
    ...(opts.copyText === undefined ? {} : { copyText: opts.copyText }),
  };
}

/** A row holding one number, formatted per node; highlighted when it changed. */
export function valueNode(
  ctx: RenderContext,
  id: string,
  label: string,
  value: number | bigint,
  bitsWide: number,
  before: Comparable | undefined,
  tooltip?: string,
): ViewNode {
  const shown = ctx.value(id, value, bitsWide);
  return infoNode(id, label, shown, {
    hasValue: true,
    changed: ctx.changed(before, typeof value === 'bigint' ? value : BigInt(value)),
    ...(tooltip === undefined ? {} : { tooltip }),
  });
}

/** A group row (a heading with children). */
export function groupNode(
  id: string,
  label: string,
  description: string,
  children: () => readonly ViewNode[],
  opts: Omit<InfoOptions, 'children' | 'kind'> = {},
): ViewNode {
  return infoNode(id, label, description, { ...opts, kind: 'group', children });
}

/** The 'show more' row of list `listId` when `left` of `total` rows follow the shown ones. */
function moreRow(ctx: RenderContext, listId: string, left: number, total: number): ViewNode {
  return {
    id: childId(listId, '…more'),
    label: `Show ${Math.min(left, ctx.pageSize).toLocaleString('en-US')} more`,
    description: `${left.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} not shown`,
    kind: 'more',
    icon: 'ellipsis',
    command: { id: SHOW_MORE_COMMAND, args: [listId] },
  };
}

/**
 * The shown rows of a long list the snapshot may carry only as a total (a unit's IRTEs, a
 * device's IMS slots, a domain's irqs, …): rows [start, start + limit) of the list window, the
 * ones read so far — asking `ctx.options.load` for the first missing run and showing a loading
 * row in its place — with 'show previous' and 'show more' rows around them. `make` runs only for
 * the rows shown.
 */
export function remoteList<K extends ListKind>(
  ctx: RenderContext,
  listId: string,
  ref: Extract<ListRef, { list: K }>,
  make: (item: ListItems[K]) => ViewNode,
): ViewNode[] {
  const rows = ctx.cur.rows(ref);
  const total = rows.total;
  const start = Math.max(0, Math.min(ctx.start(listId), total - 1));
  const end = Math.min(total, start + ctx.limit(listId));
  const out: ViewNode[] = [];
  if (start > 0) {
    out.push({
      id: childId(listId, '…previous'),
      label: `Show ${Math.min(start, ctx.pageSize).toLocaleString('en-US')} previous`,
      description: `${start.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} before`,
      kind: 'more',
      icon: 'ellipsis',
      command: { id: SHOW_MORE_COMMAND, args: [listId, 'previous'] },
    });
  }
  for (let p = start; p < end; p++) {
    const item = rows.items[p];
    if (item === undefined) {
      ctx.options.load?.(listId, ref, p, end - p);
      out.push({
        id: childId(listId, '…loading'),
        label: `Loading rows ${(p + 1).toLocaleString('en-US')}–${end.toLocaleString('en-US')}`,
        description: `of ${total.toLocaleString('en-US')}`,
        kind: 'loading',
        icon: 'loading~spin',
      });
      break;
    }
    out.push(make(item));
  }
  if (end < total) out.push(moreRow(ctx, listId, total - end, total));
  return out;
}

/**
 * The first rows of a long list — one page, or more after 'show more' — and a 'show more' row
 * when some are left. `make` runs only for the rows shown.
 */
export function pagedList<T>(
  ctx: RenderContext,
  listId: string,
  items: readonly T[],
  make: (item: T) => ViewNode,
): ViewNode[] {
  const limit = ctx.limit(listId);
  const rows = items.slice(0, limit).map(make);
  const left = items.length - limit;
  if (left > 0) rows.push(moreRow(ctx, listId, left, items.length));
  return rows;
}
