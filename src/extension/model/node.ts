/**
 * The node model the four views render: a plain tree of labels, descriptions, Markdown tooltips
 * and lazily built children, made from one platform snapshot. It knows nothing of VS Code, so it
 * is unit-tested against real snapshots; `tree-item.ts` turns a node into a `vscode.TreeItem`.
 */

/**
 * What a node is, for `contextValue` (menus hang off it) and tests. Field and register kinds
 * carry the access, e.g. `field.RW`, as mcu-debug/peripheral-viewer does.
 */
export type NodeKind =
  | 'device'
  | 'domain'
  | 'irq'
  | 'slot'
  | 'msix-entry'
  | 'ir-unit'
  | 'irte'
  | 'fault'
  | 'cpu'
  | 'vector'
  | 'in-service'
  | 'event'
  | 'trace-event'
  | 'group'
  | 'info'
  | 'more'
  | 'loading'
  | 'iec-entry'
  | `register.${string}`
  | `field.${string}`;

/**
 * What a row's context actions act on (mask/unmask, inject, break on delivery, reveal IRTE):
 * an IMS slot or MSI-X entry, a Linux irq, an IRTE, or a CPU's vector.
 */
export type NodeTarget =
  | {
      readonly kind: 'entry';
      readonly bdf: string;
      readonly table: 'ims' | 'msix';
      readonly index: number;
      readonly masked: boolean;
      /** The irq that owns the entry, when it is activated (it can be injected). */
      readonly irq: number | null;
      /** The IRTE the entry's remappable message names (unit null: not known). */
      readonly irte: IrteRef | null;
    }
  | {
      readonly kind: 'irq';
      readonly irq: number;
      /** Activated (holds its vector): it can be injected. */
      readonly activated: boolean;
      readonly irte: IrteRef | null;
    }
  | { readonly kind: 'irte'; readonly unit: string; readonly index: number }
  | {
      readonly kind: 'vector';
      readonly cpu: number;
      readonly vector: number;
      readonly irq: number | null;
    };

/** An IRTE as a message or an irq names it. */
export interface IrteRef {
  /** IR unit name (`INTEL-IR-0`), or null when only the index is known. */
  readonly unit: string | null;
  readonly index: number;
}

/** One row of a view. Immutable; rebuilt at every stop. */
export interface ViewNode {
  /**
   * Unique within its view and stable across stops: segments joined by '/', each child's id
   * starting with its parent's (per-node value formats are inherited along it; VS Code keeps
   * expansion state by it).
   */
  readonly id: string;
  readonly label: string;
  /** Shown dimmed after the label: the value, in the node's format. */
  readonly description?: string;
  /** Markdown, or a function making it (built when the row is hovered: TreeItem resolve). */
  readonly tooltip?: string | (() => string);
  readonly kind: NodeKind;
  /** The node shows a number that the hex/decimal/binary commands reformat. */
  readonly hasValue?: boolean;
  /** Codicon id, e.g. `bell-dot`. */
  readonly icon?: string;
  /** Differs from the previous stop (or did not exist then): the label is highlighted. */
  readonly changed?: boolean;
  /** Start expanded (otherwise collapsed when there are children). */
  readonly expanded?: boolean;
  /** Children, built only when the node is expanded; absent for a leaf. */
  readonly children?: () => readonly ViewNode[];
  /** Run on click (the 'show more' rows). */
  readonly command?: { readonly id: string; readonly args: readonly unknown[] };
  /** Text the 'Copy Value' command copies; defaults to the description. */
  readonly copyText?: string;
  /** What the row's context actions act on. */
  readonly target?: NodeTarget;
}

/**
 * The `contextValue` of a node — menus hang off it: its kind, then tags: `+value` (it shows a
 * number: format and copy), `+masked`/`+unmasked` (an entry: unmask or mask it), `+irq` (an
 * activated irq: inject it), `+irte` (names an IRTE: reveal it), `+break` (break on delivery).
 */
export function contextValueOf(node: ViewNode): string {
  let v: string = node.kind;
  if (node.hasValue === true) v += '+value';
  const t = node.target;
  if (t === undefined) return v;
  if (t.kind === 'entry') v += t.masked ? '+masked' : '+unmasked';
  const injectable =
    (t.kind === 'entry' && t.irq !== null) ||
    (t.kind === 'irq' && t.activated) ||
    (t.kind === 'vector' && t.irq !== null);
  if (injectable) v += '+irq';
  if ((t.kind === 'entry' || t.kind === 'irq') && t.irte !== null) v += '+irte';
  return v + '+break';
}

/** The Markdown tooltip of `node`, made now if it is made lazily. */
export function tooltipOf(node: ViewNode): string | undefined {
  return typeof node.tooltip === 'function' ? node.tooltip() : node.tooltip;
}

/** Joins id segments; '/' inside a segment is replaced so ids stay prefix-structured. */
export function childId(parent: string, ...segments: (string | number)[]): string {
  return [parent, ...segments.map((s) => String(s).replaceAll('/', '∕'))].join('/');
}

/** Id of the node's parent, or undefined for a root. */
export function parentIdOf(id: string): string | undefined {
  const i = id.lastIndexOf('/');
  return i < 0 ? undefined : id.slice(0, i);
}

/**
 * Renders nodes as indented text (two spaces per level, `label — description`, `*` before a
 * changed label), expanding children down to `depth` levels. Used by tests, golden files and
 * the 'Copy View as Text' command.
 */
export function renderText(nodes: readonly ViewNode[], depth = Infinity, indent = ''): string {
  const out: string[] = [];
  for (const n of nodes) {
    const mark = n.changed === true ? '*' : '';
    const desc = n.description !== undefined && n.description !== '' ? ` — ${n.description}` : '';
    out.push(`${indent}${mark}${n.label}${desc}`);
    if (n.children && depth > 1) {
      const text = renderText(n.children(), depth - 1, indent + '  ');
      if (text !== '') out.push(text);
    }
  }
  return out.join('\n');
}
