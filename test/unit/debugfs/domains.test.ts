/**
 * /sys/kernel/debug/irq/domains (facts §2.7, §4.4): the VECTOR domain's file with the matrix
 * table, the IR domain's, the per-device MSI-X domain's, `default`, and `ls`. Expected texts are
 * written from irq_domain_debug_show_one's and irq_matrix_debug_show's format strings:
 *
 *   "%*sname:   %s"  ind       "%*ssize:   %u"  ind + 1    "%*smapped: %u"  ind + 1
 *   "%*sflags:  0x%08x"  ind + 1, then one "%*s%s" line per set flag at ind + 12
 *   debug_show(ind + 1)     "%*sparent: %s"  ind + 1, then the parent's block at ind + 4
 */
import { strict as assert } from 'node:assert';
import {
  debugfsCommand,
  debugfsSource,
  irqDomainDebugShow,
  readDebugfs,
} from '../../../src/platform/debugfs';
import { BDF, REQUESTED, boot, sp, text, u, x08 } from './setup';

/** irq_domain_debug_show_one's own lines for one domain (without debug_show and parent). */
function head(
  ind: number,
  d: { name: string; size: number; mapped: number; flags: number; names: string[] },
): string[] {
  return [
    `${sp(ind)}name:   ${d.name}`,
    `${sp(ind + 1)}size:   ${d.size}`,
    `${sp(ind + 1)}mapped: ${d.mapped}`,
    `${sp(ind + 1)}flags:  ${x08(d.flags)}`,
    ...d.names.map((n) => `${sp(ind + 12)}${n}`),
  ];
}

/** Every irq of the setup has a level in each domain: MSI-X entries 0–7. */
const MAPPED = 8;
/**
 * Vectors 0x20–0xeb minus the system vectors among them — the PIC cascade 0x32 and the syscall
 * gate 0x80 — per CPU at online (lapic_assign_system_vectors, v6.15).
 */
const AVAILABLE = 0xec - 0x20 - 2;
/** request_irq of entries 0, 1, 2: CPUs 0, 1, 2 (most available, ties to the lowest), 0x20 each. */
const ALLOCATED: Record<number, number[]> = { 0: [0x20], 1: [0x20], 2: [0x20], 3: [] };

/** The VECTOR domain's block at `ind`: head, then irq_matrix_debug_show(ind + 1). */
function vectorBlock(ind: number): string[] {
  const t = ind + 1;
  const total = Object.values(ALLOCATED).flat().length;
  const rows = [0, 1, 2, 3].map((cpu) => {
    const act = ALLOCATED[cpu]!;
    // "%*s %4d  %4u  %4u  %4u %4u  %*pbl", ind, " ": avl, man, mac, act, vectors
    return `${sp(t)} ${u(cpu, 4)}  ${u(AVAILABLE - act.length, 4)}  ${u(0, 4)}  ${u(0, 4)} ${u(act.length, 4)}  ${act.join(',')}`;
  });
  return [
    ...head(ind, {
      name: 'VECTOR',
      size: 0,
      mapped: MAPPED,
      flags: 0x103,
      names: [
        'IRQ_DOMAIN_FLAG_HIERARCHY',
        'IRQ_DOMAIN_NAME_ALLOCATED',
        'IRQ_DOMAIN_FLAG_MSI_PARENT',
      ],
    }),
    // irq_matrix_debug_show: the counters are printed without indent, the table with it.
    `Online bitmaps:   ${u(4, 6)}`,
    `Global available: ${u(4 * AVAILABLE - total, 6)}`,
    `Global reserved:  ${u(MAPPED - REQUESTED.length, 6)}`,
    `Total allocated:  ${u(total, 6)}`,
    // The IDT's system entries (exceptions 0–19 and #CP 21, IA32_SYSCALL_VECTOR 0x80, the APIC
    // vectors of the config in vectors.ts) and the PIC cascade 0x32, as a real v6.15 prints them.
    `System: ${20 + 1 + 1 + 1 + 1 + 3 + 1 + 10}: 0-19,21,50,128,236,240-242,244,246-255`,
    `${sp(t)}| CPU | avl | man | mac | act | vectors`,
    ...rows,
  ];
}

/** INTEL-IR-0's block at `ind`: DOMAIN_BUS_DMAR (13) appended, 64K-entry revmap. */
function irBlock(ind: number): string[] {
  return [
    ...head(ind, {
      name: 'INTEL-IR-0-13',
      size: 65536,
      mapped: MAPPED,
      flags: 0x123,
      names: [
        'IRQ_DOMAIN_FLAG_HIERARCHY',
        'IRQ_DOMAIN_NAME_ALLOCATED',
        'IRQ_DOMAIN_FLAG_ISOLATED_MSI',
        'IRQ_DOMAIN_FLAG_MSI_PARENT',
      ],
    }),
    `${sp(ind + 1)}parent: VECTOR`,
    ...vectorBlock(ind + 4),
  ];
}

describe('debugfs: irq/domains', () => {
  it('VECTOR: size 0 (a tree domain), MSI_PARENT, the matrix and its per-CPU table', () => {
    const { m } = boot();
    assert.equal(irqDomainDebugShow(m.vector.domain), text(vectorBlock(0)));
  });

  it('INTEL-IR-0-13: MSI_PARENT | ISOLATED_MSI, size 65536, VECTOR as parent 4 deeper', () => {
    const { m } = boot();
    const r = readDebugfs(debugfsSource(m), '/sys/kernel/debug/irq/domains/INTEL-IR-0-13');
    assert.deepEqual(r, { text: text(irBlock(0)) });
  });

  it('the per-device MSI-X domain: -12 appended, size 0, MSI | MSI_DEVICE, the chain below', () => {
    const { m } = boot();
    const name = `IR-PCI-MSIX-${BDF}-12`;
    const expected = text([
      ...head(0, {
        name,
        size: 0,
        mapped: MAPPED,
        flags: 0x213,
        names: [
          'IRQ_DOMAIN_FLAG_HIERARCHY',
          'IRQ_DOMAIN_NAME_ALLOCATED',
          'IRQ_DOMAIN_FLAG_MSI',
          'IRQ_DOMAIN_FLAG_MSI_DEVICE',
        ],
      }),
      ' parent: INTEL-IR-0-13',
      ...irBlock(4),
    ]);
    assert.equal(
      debugfsCommand(m, `cat /sys/kernel/debug/irq/domains/${name}`),
      expected.slice(0, -1),
    );
  });

  it('default shows irq_default_domain, VECTOR', () => {
    const { m } = boot();
    assert.equal(
      debugfsCommand(m, 'cat /sys/kernel/debug/irq/domains/default'),
      text(vectorBlock(0)).slice(0, -1),
    );
  });

  it('ls lists the files in byte order (LC_ALL=C), default last', () => {
    const { m } = boot();
    assert.equal(
      debugfsCommand(m, 'ls /sys/kernel/debug/irq/domains'),
      ['INTEL-IR-0-13', `IR-PCI-MSIX-${BDF}-12`, 'VECTOR', 'default'].join('\n'),
    );
    const before = boot({ msix: false });
    assert.equal(
      debugfsCommand(before.m, 'ls -1 /sys/kernel/debug/irq/domains/'),
      ['INTEL-IR-0-13', 'VECTOR', 'default'].join('\n'),
      'no MSI-X domain before pci_alloc_irq_vectors',
    );
  });

  it('before any irq: mapped 0, nothing reserved, every CPU with all its vectors', () => {
    const { m } = boot({ msix: false });
    const s = irqDomainDebugShow(m.vector.domain);
    assert.ok(s.includes(' mapped: 0\n'));
    assert.ok(s.includes(`Global available: ${u(4 * AVAILABLE, 6)}\n`));
    assert.ok(s.includes(`Global reserved:  ${u(0, 6)}\n`));
    assert.ok(
      s.endsWith(`  ${u(3, 4)}  ${u(AVAILABLE, 4)}  ${u(0, 4)}  ${u(0, 4)} ${u(0, 4)}  \n`),
    );
  });
});
