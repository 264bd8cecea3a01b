/**
 * The irq domain hierarchy of a platform snapshot as a text tree, the way Linux's
 * `/sys/kernel/debug/irq/domains` relates them — VECTOR at the root, each IR unit's domain
 * below it, the per-device MSI-X and IMS domains below that — with a table of each domain's
 * Linux irqs:
 *
 *     VECTOR                                 11 mapped
 *     └── INTEL-IR-0                         11 mapped of 65536
 *         ├── IR-PCI-MSIX-0000:6a:01.0       9 mapped of 9
 *         │       irq  hwirq  action     vector → CPU   IRTE  entry          count
 *         │        24      0  idxd-misc  0x20 → CPU 0      0  MSI-X entry 0      5
 *         └── IR-PCI-IDXD-0000:6a:01.0       …
 *
 * The route of an irq (vector, CPU, IRTE) is the one its whole irq_data chain holds; a
 * vector that is still a reservation (not activated: no request_irq yet) shows as
 * `reserved`.
 */
import type { DomainSnapshot, IrqSnapshot, PlatformSnapshot } from '../platform/snapshot/types';
import { hex } from '../platform/bits';
import type { Palette } from './colour';

/** Irqs listed per domain unless `all` is set (thousands of IMS irqs would flood a terminal). */
export const DEFAULT_IRQ_LIMIT = 64;

export interface TreeOptions {
  /** List every irq of a domain (default: the first DEFAULT_IRQ_LIMIT). */
  all?: boolean;
}

const HEADERS = ['irq', 'hwirq', 'action', 'vector → CPU', 'IRTE', 'entry', 'count'] as const;
/** Columns aligned right (numbers); the others align left. */
const RIGHT = new Set([0, 1, 4, 6]);

/** The cells of an irq's row, in HEADERS order. */
export function irqCells(q: IrqSnapshot): string[] {
  let route = q.reserved ? 'reserved' : `${hex(q.vector, 2)} → CPU ${q.cpu}`;
  if (q.moveInProgress && q.prevVector !== null && q.prevCpu !== null)
    route += ` (from ${hex(q.prevVector, 2)} → CPU ${q.prevCpu})`;
  const entry =
    q.source === 'ims'
      ? `IMS slot ${q.index}`
      : q.source === 'msix'
        ? `MSI-X entry ${q.index}`
        : '-';
  return [
    String(q.irq),
    String(q.hwirq),
    q.action === '' ? '-' : q.action,
    route,
    q.irte === null ? '-' : String(q.irte),
    entry,
    String(q.count),
  ];
}

/** `11 mapped`, `9 mapped of 9`. */
function domainInfo(d: DomainSnapshot): string {
  return d.size === 0 ? `${d.mapped} mapped` : `${d.mapped} mapped of ${d.size}`;
}

/**
 * Renders the domain tree of `snap` as lines (no trailing newlines). Domains whose parent is not
 * in the snapshot are shown as roots.
 */
export function renderDomainTree(
  snap: PlatformSnapshot,
  p: Palette,
  opts: TreeOptions = {},
): string[] {
  const names = new Set(snap.domains.map((d) => d.name));
  const children = new Map<string | null, DomainSnapshot[]>();
  for (const d of snap.domains) {
    const parent = d.parent !== null && names.has(d.parent) ? d.parent : null;
    const list = children.get(parent) ?? [];
    list.push(d);
    children.set(parent, list);
  }
  const byIrq = new Map(snap.irqs.map((q) => [q.irq, q]));
  const limit = opts.all === true ? Infinity : DEFAULT_IRQ_LIMIT;

  // One width per column over every row of the tree, so that all tables line up.
  const rows = new Map<string, string[][]>();
  const widths: number[] = HEADERS.map((h) => h.length);
  for (const d of snap.domains) {
    const cells = d.irqs
      .slice(0, limit)
      .map((irq) => byIrq.get(irq))
      .filter((q): q is IrqSnapshot => q !== undefined)
      .map(irqCells);
    rows.set(d.name, cells);
    for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i]!, c.length)));
  }
  const nameWidth = Math.max(...snap.domains.map((d) => d.name.length + depthOf(d, snap) * 4));
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (RIGHT.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();

  const out: string[] = [];
  const walk = (d: DomainSnapshot, prefix: string, branch: string, depth: number): void => {
    const label = `${prefix}${branch}${p.bold(d.name)}`;
    const pad = ' '.repeat(Math.max(1, nameWidth - depth * 4 - d.name.length + 2));
    out.push(label + pad + p.dim(domainInfo(d)));
    const kids = children.get(d.name) ?? [];
    const childPrefix = prefix + (branch === '' ? '' : branch === '└── ' ? '    ' : '│   ');
    const cells = rows.get(d.name) ?? [];
    if (cells.length > 0) {
      const bar = kids.length > 0 ? '│   ' : '    ';
      out.push(childPrefix + bar + p.dim(fmt(HEADERS)));
      for (const r of cells) out.push(childPrefix + bar + fmt(r));
      if (d.irqs.length > cells.length)
        out.push(childPrefix + bar + p.dim(`… ${d.irqs.length - cells.length} more irqs`));
    }
    kids.forEach((k, i) =>
      walk(k, childPrefix, i === kids.length - 1 ? '└── ' : '├── ', depth + 1),
    );
  };
  for (const root of children.get(null) ?? []) walk(root, '', '', 0);
  return out;
}

/** How many ancestors `d` has in the snapshot. */
function depthOf(d: DomainSnapshot, snap: PlatformSnapshot): number {
  let depth = 0;
  let parent = d.parent;
  const seen = new Set<string>();
  while (parent !== null && !seen.has(parent)) {
    seen.add(parent);
    const up = snap.domains.find((x) => x.name === parent);
    if (up === undefined) break;
    depth++;
    parent = up.parent;
  }
  return depth;
}
