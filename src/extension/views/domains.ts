/**
 * The IRQ Domains view: the domain hierarchy as /sys/kernel/debug/irq/domains shows it —
 * VECTOR → INTEL-IR-n → IR-PCI-MSIX-<bdf> / IR-PCI-IDXD-<bdf> — each domain with its size,
 * mapped count and flags, its child domains, then the irqs whose top level is in it.
 */
import { IRQ_DOMAIN_FLAG_NAMES } from '../../platform/irq/types';
import type { DomainSnapshot } from '../../platform/snapshot/types';
import type { RenderContext } from '../model/context';
import { infoNode, remoteList } from '../model/items';
import { irqNode } from '../model/irq';
import { childId, type ViewNode } from '../model/node';
import { factsTooltip } from '../model/tooltip';

/** enum irq_domain_bus_token names of the tokens the platform uses (v6.2 numbering). */
const BUS_TOKENS: Readonly<Record<number, string>> = {
  0: 'DOMAIN_BUS_ANY',
  11: 'DOMAIN_BUS_PCI_DEVICE_MSI',
  12: 'DOMAIN_BUS_PCI_DEVICE_MSIX',
  13: 'DOMAIN_BUS_DMAR',
  15: 'DOMAIN_BUS_PCI_DEVICE_IMS',
};

/** `IRQ_DOMAIN_FLAG_*` names set in `flags`, without the prefix. */
function flagNames(flags: number): string[] {
  return IRQ_DOMAIN_FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) =>
    n.replace(/^IRQ_DOMAIN_(FLAG_)?/, ''),
  );
}

/** The root rows: domains without a parent (VECTOR), each with its subtree. */
export function domainsView(ctx: RenderContext): ViewNode[] {
  return ctx.cur.childDomains(null).map((d) => domainNode(ctx, childId('domains', d.name), d));
}

function domainNode(ctx: RenderContext, id: string, d: DomainSnapshot): ViewNode {
  const before = ctx.before?.domain(d.name);
  const size = d.size === 0 ? 'unlimited' : d.size.toLocaleString('en-US');
  const flags = `0x${d.flags.toString(16).padStart(8, '0')}`;
  const bus = BUS_TOKENS[d.busToken] ?? String(d.busToken);
  return {
    id,
    label: d.name,
    description: `mapped ${d.mapped} · size ${size}`,
    tooltip: () =>
      factsTooltip(d.name, [
        ['parent', d.parent ?? '(none)'],
        ['device', d.dev ?? '(none)'],
        ['size', size],
        ['mapped', String(d.mapped)],
        ['flags', `${flags} ${flagNames(d.flags).join(' | ')}`],
        ['bus token', bus],
      ]),
    kind: 'domain',
    icon: 'type-hierarchy',
    // Open unless it holds a long list of irqs (those are read page by page when opened).
    expanded: d.irqs.length === d.irqCount,
    changed: ctx.changed(before?.mapped, d.mapped),
    children: () => [
      infoNode(childId(id, 'flags'), 'flags', `${flags} ${flagNames(d.flags).join(' | ')}`, {
        tooltip: factsTooltip(`${d.name} flags`, [
          ['flags', flags],
          ['bus token', bus],
        ]),
      }),
      ...ctx.cur.childDomains(d.name).map((c) => domainNode(ctx, childId(id, c.name), c)),
      ...remoteList(ctx, id, { list: 'domainIrqs', domain: d.name }, (irq) =>
        irqNode(ctx, childId(id, `irq-${irq.irq}`), irq),
      ),
    ],
  };
}
