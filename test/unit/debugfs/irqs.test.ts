/**
 * /sys/kernel/debug/irq/irqs/<n> (facts §2.7, §3.2, §4.4): a requested MSI-X irq, a reserved
 * one (allocated, not requested), an IMS irq, and `ls`. Expected texts are written from
 * irq_debug_show's format strings (v6.15, x86 SMP: effectiv and pending present):
 *
 *   "handler:  %ps"  "device:   %s"  "status:   0x%08x"  "istate:   0x%08x"  "ddepth:   %u"
 *   "wdepth:   %u"   "dstate:   0x%08x" (+ names at 12)  "node:     %d"
 *   "affinity: %*pbl"  "effectiv: %*pbl"  "pending:  %*pbl"
 * and per level (irq_debug_show_data, parent 4 deeper):
 *   "%*sdomain:  %s" ind   "%*shwirq:   0x%lx" ind+1   "%*schip:    %s" ind+1
 *   "%*sflags:   0x%lx" ind+2 (+ names at ind+13)   debug_show(ind+1)   "%*sparent:" ind+1
 * The MSI level's debug_show: "\n%*saddress_hi: 0x%08x", "\n%*saddress_lo: 0x%08x",
 * "\n%*smsg_data:   0x%08x\n" at ind+2 — an empty line first. The vector level's:
 * "%*sVector: %5u", "%*sTarget: %5u", move_in_progress, is_managed, can_reserve,
 * has_reserved, cleanup_pending.
 */
import { strict as assert } from 'node:assert';
import { debugfsCommand, debugfsSource, readDebugfs } from '../../../src/platform/debugfs';
import type { IrqData } from '../../../src/platform/irq/irqdata';
import { free_irq, irq_set_affinity, request_threaded_irq } from '../../../src/platform/irq/manage';
import {
  DOMAIN_BUS_PCI_DEVICE_IMS,
  IRQF_ONESHOT,
  IRQ_HANDLED,
  IRQ_WAKE_THREAD,
  MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS,
  MSI_FLAG_FREE_MSI_DESCS,
  MSI_FLAG_PCI_IMS,
} from '../../../src/platform/irq/types';
import { pci_create_ims_domain, pci_ims_alloc_irq } from '../../../src/platform/pci-msi/ims';
import { BDF, boot, lx, sp, text, u, x08, type Booted } from './setup';

/** The desc part of the file. */
function descLines(o: {
  ddepth: number;
  istate: number;
  istateNames?: string[];
  dstate: number;
  dstateNames: string[];
  effectiv: number;
}): string[] {
  return [
    'handler:  handle_edge_irq',
    `device:   ${BDF}`,
    // x86 MSI irq: no ARCH_IRQ_INIT_FLAGS, IRQ_NOREQUEST cleared on association
    `status:   ${x08(0)}`,
    `istate:   ${x08(o.istate)}`,
    ...(o.istateNames ?? []).map((n) => `${sp(12)}${n}`),
    `ddepth:   ${o.ddepth}`,
    'wdepth:   0',
    `dstate:   ${x08(o.dstate)}`,
    ...o.dstateNames.map((n) => `${sp(12)}${n}`),
    'node:     0',
    // irq_default_affinity: every possible CPU
    'affinity: 0-3',
    `effectiv: ${o.effectiv}`,
    'pending:  ',
  ];
}

/** One level's domain/hwirq/chip/flags lines at `ind`. */
function levelLines(
  ind: number,
  o: { domain: string; hwirq: number; chip: string; flags: number; names: string[] },
): string[] {
  return [
    `${sp(ind)}domain:  ${o.domain}`,
    `${sp(ind + 1)}hwirq:   ${lx(o.hwirq)}`,
    `${sp(ind + 1)}chip:    ${o.chip}`,
    `${sp(ind + 2)}flags:   ${lx(o.flags)}`,
    ...o.names.map((n) => `${sp(ind + 13)}${n}`),
  ];
}

/** msi_domain_debug_show at the top level (ind 0 → its ind + 1 = 1 → printed at 2). */
function msiLines(msg: { address_hi: number; address_lo: number; data: number }): string[] {
  return [
    '',
    `  address_hi: ${x08(msg.address_hi)}`,
    `  address_lo: ${x08(msg.address_lo)}`,
    `  msg_data:   ${x08(msg.data)}`,
  ];
}

/** Remappable-format address for IRTE `index`, subhandle valid (facts §3.2). */
function remappable(index: number): number {
  return (0xfee00000 | ((index & 0x7fff) << 5) | (1 << 4) | (1 << 3) | ((index >> 15) << 2)) >>> 0;
}

/** The IR and VECTOR levels below a top level, at 4 and 8. */
function lowerLevels(
  irq: number,
  irte: number,
  v: { vector: number; target: number; canReserve: number; hasReserved: number },
): string[] {
  const vind = 9;
  return [
    ' parent:',
    ...levelLines(4, {
      domain: 'INTEL-IR-0-13',
      hwirq: irte << 16, // (irte index << 16) + sub_handle
      chip: 'INTEL-IR',
      flags: 0,
      names: [],
    }),
    '     parent:',
    ...levelLines(8, { domain: 'VECTOR', hwirq: irq, chip: 'APIC', flags: 0, names: [] }),
    `${sp(vind)}Vector: ${u(v.vector, 5)}`,
    `${sp(vind)}Target: ${u(v.target, 5)}`,
    `${sp(vind)}move_in_progress: 0`,
    `${sp(vind)}is_managed:       0`,
    `${sp(vind)}can_reserve:      ${v.canReserve}`,
    `${sp(vind)}has_reserved:     ${v.hasReserved}`,
    `${sp(vind)}cleanup_pending:  0`,
  ];
}

/** The per-device PCI-MSIX chip: ONESHOT_SAFE | SKIP_SET_WAKE | AFFINITY_PRE_STARTUP (no name). */
const MSIX_CHIP = {
  domain: `IR-PCI-MSIX-${BDF}-12`,
  chip: `IR-PCI-MSIX-${BDF}`,
  flags: 0x430,
  names: ['IRQCHIP_SKIP_SET_WAKE', 'IRQCHIP_ONESHOT_SAFE'],
};

function cat(b: Booted, irq: number): string | undefined {
  return debugfsCommand(b.m, `cat /sys/kernel/debug/irq/irqs/${irq}`);
}

describe('debugfs: irq/irqs', () => {
  it('a requested MSI-X irq: started, its vector and target, the remappable message', () => {
    const b = boot();
    const irq = b.irq(1); // entry 1, IRTE 1, second request_irq → CPU 1, vector 0x20
    const expected = text([
      ...descLines({
        ddepth: 0,
        istate: 0x4000, // IRQS_SYSFS, which has no name
        // ACTIVATED | IRQ_STARTED | SINGLE_TARGET | AFFINITY_ON_ACTIVATE | CAN_RESERVE |
        // HANDLE_ENFORCE_IRQCTX, in irqdata_states order
        dstate: (1 << 9) | (1 << 22) | (1 << 24) | (1 << 28) | (1 << 26) | (1 << 27),
        dstateNames: [
          'IRQD_ACTIVATED',
          'IRQD_IRQ_STARTED',
          'IRQD_SINGLE_TARGET',
          'IRQD_AFFINITY_ON_ACTIVATE',
          'IRQD_CAN_RESERVE',
          'IRQD_HANDLE_ENFORCE_IRQCTX',
        ],
        effectiv: 1,
      }),
      ...levelLines(0, { ...MSIX_CHIP, hwirq: 1 }),
      ...msiLines({ address_hi: 0, address_lo: remappable(1), data: 0 }),
      ...lowerLevels(irq, 1, { vector: 0x20, target: 1, canReserve: 1, hasReserved: 0 }),
    ]);
    assert.equal(cat(b, irq), expected.slice(0, -1));
    assert.deepEqual(readDebugfs(debugfsSource(b.m), `/sys/kernel/debug/irq/irqs/${irq}`), {
      text: expected,
    });
  });

  it('a reserved irq: disabled and masked, Vector 0 — the shutdown vector is only in hw_irq_cfg', () => {
    // Reservation mode: x86_vector_debug_show prints apicd->vector, which stays 0 until
    // activation; MANAGED_IRQ_SHUTDOWN_VECTOR (0xef) on the first online CPU is only what the
    // IRTE is programmed with (apicd->hw_irq_cfg), and that CPU is the effective affinity.
    const b = boot();
    const irq = b.irq(3);
    const expected = text([
      ...descLines({
        ddepth: 1,
        istate: 0x4000,
        dstate: (1 << 16) | (1 << 17) | (1 << 24) | (1 << 28) | (1 << 26) | (1 << 27),
        dstateNames: [
          'IRQD_IRQ_DISABLED',
          'IRQD_IRQ_MASKED',
          'IRQD_SINGLE_TARGET',
          'IRQD_AFFINITY_ON_ACTIVATE',
          'IRQD_CAN_RESERVE',
          'IRQD_HANDLE_ENFORCE_IRQCTX',
        ],
        effectiv: 0,
      }),
      ...levelLines(0, { ...MSIX_CHIP, hwirq: 3 }),
      // MSI_FLAG_ACTIVATE_EARLY composed and wrote the message at allocation
      ...msiLines({ address_hi: 0, address_lo: remappable(3), data: 0 }),
      ...lowerLevels(irq, 3, { vector: 0, target: 0, canReserve: 1, hasReserved: 1 }),
    ]);
    assert.equal(cat(b, irq), expected.slice(0, -1));
  });

  it('free_irq puts a requested irq back to a reservation: Vector 0 again', () => {
    const b = boot();
    const id = {};
    const irq = b.irq(5);
    request_threaded_irq(b.m.core, irq, () => IRQ_HANDLED, null, 0, 'x', id);
    assert.match(cat(b, irq)!, /\n {9}Vector: {4}\d\d\n/);
    free_irq(b.m.core, irq, id);
    const s = cat(b, irq)!;
    assert.ok(s.includes(`\n${sp(9)}Vector: ${u(0, 5)}\n`), s);
    assert.ok(s.includes(`\n${sp(9)}has_reserved:     1\n`), s);
    assert.ok(s.includes('\nddepth:   1\n'), s);
  });

  it('an IMS irq: IRQS_ONESHOT kept, the driver chip flags, a zero cached message', () => {
    const b = boot({ msix: false });
    const chip = {
      name: 'PCI-IDXD',
      irq_mask: (_d: IrqData) => undefined,
      irq_unmask: (_d: IrqData) => undefined,
      irq_write_msi_msg: () => undefined,
    };
    const ok = pci_create_ims_domain(
      b.m.core,
      b.pdev,
      {
        chip,
        ops: {
          prepare_desc: (_dom, arg, desc) => {
            arg.hwirq = desc.msi_index;
          },
        },
        info: {
          flags: MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS | MSI_FLAG_PCI_IMS,
          bus_token: DOMAIN_BUS_PCI_DEVICE_IMS,
        },
      },
      16,
      null,
    );
    assert.ok(ok);
    const map = pci_ims_alloc_irq(b.m.core, b.pdev, 1);
    assert.deepEqual(map, { index: 0, virq: 24 });
    const ret = request_threaded_irq(
      b.m.core,
      24,
      () => IRQ_WAKE_THREAD,
      () => IRQ_HANDLED,
      IRQF_ONESHOT,
      'idxd-portal',
      {},
    );
    assert.equal(ret, 0);
    const expected = text([
      ...descLines({
        ddepth: 0,
        // IRQS_ONESHOT: the IMS chip is not IRQCHIP_ONESHOT_SAFE, so IRQF_ONESHOT stays
        istate: 0x4000 | 0x20,
        istateNames: ['IRQS_ONESHOT'],
        // not reservation mode: IRQD_CAN_RESERVE cleared by msi_check_reservation_mode
        dstate: (1 << 9) | (1 << 22) | (1 << 24) | (1 << 28) | (1 << 27),
        dstateNames: [
          'IRQD_ACTIVATED',
          'IRQD_IRQ_STARTED',
          'IRQD_SINGLE_TARGET',
          'IRQD_AFFINITY_ON_ACTIVATE',
          'IRQD_HANDLE_ENFORCE_IRQCTX',
        ],
        effectiv: 0,
      }),
      ...levelLines(0, {
        // DOMAIN_BUS_PCI_DEVICE_IMS (15, v6.2–v6.9) appended
        domain: `IR-PCI-IDXD-${BDF}-15`,
        hwirq: 0,
        chip: `IR-PCI-IDXD-${BDF}`,
        flags: 0x410, // SKIP_SET_WAKE | AFFINITY_PRE_STARTUP from x86_init_dev_msi_info
        names: ['IRQCHIP_SKIP_SET_WAKE'],
      }),
      // only __pci_write_msi_msg caches desc->msg; an IMS chip's writes leave it zero
      ...msiLines({ address_hi: 0, address_lo: 0, data: 0 }),
      ...lowerLevels(24, 0, { vector: 0x20, target: 0, canReserve: 0, hasReserved: 0 }),
    ]);
    assert.equal(cat(b, 24), expected.slice(0, -1));
  });

  it('ls lists the allocated irqs; unknown numbers are not files', () => {
    const b = boot();
    assert.equal(
      debugfsCommand(b.m, 'ls /sys/kernel/debug/irq/irqs'),
      [24, 25, 26, 27, 28, 29, 30, 31].join('\n'),
    );
    assert.equal(cat(b, 32), 'cat: /sys/kernel/debug/irq/irqs/32: No such file or directory');
    assert.equal(
      debugfsCommand(b.m, 'cat /sys/kernel/debug/irq/irqs/024'),
      'cat: /sys/kernel/debug/irq/irqs/024: No such file or directory',
    );
  });
  it('prints a deferred affinity move in pending: (desc->pending_mask, IRQD_SETAFFINITY_PENDING)', () => {
    const b = boot();
    const irq = b.irq(0);
    const line = (): string | undefined =>
      cat(b, irq)
        ?.split('\n')
        .find((l) => l.startsWith('pending:'));
    assert.equal(line(), 'pending:  ');
    assert.equal(irq_set_affinity(b.m.core, irq, [2]), 0);
    // The first move's cleanup is still pending: the second one waits for the next interrupt.
    assert.equal(irq_set_affinity(b.m.core, irq, [1, 3]), 0);
    assert.equal(line(), 'pending:  1,3');
    assert.match(cat(b, irq) ?? '', /^ {12}IRQD_SETAFFINITY_PENDING$/m);
  });
});
