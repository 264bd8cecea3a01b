/**
 * Dynamic MSI-X allocation (drivers/pci/msi/api.c pci_msix_can_alloc_dyn / pci_msix_alloc_irq_at
 * / pci_msix_free_irq; kernel/irq/msi.c msi_insert_desc) and the classic re-enable dance
 * (pci_free_irq_vectors then pci_alloc_irq_vectors), whose window loses interrupts.
 */
import { strict as assert } from 'node:assert';
import { free_irq, request_threaded_irq } from '../../../src/platform/irq/manage';
import {
  IRQ_HANDLED,
  MSI_ANY_INDEX,
  MSI_DEFAULT_DOMAIN,
  MSI_FLAG_PCI_MSIX_ALLOC_DYN,
} from '../../../src/platform/irq/types';
import { msi_domain_alloc_irq_at } from '../../../src/platform/irq/msi';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import { decodeIrte, remappableHandle } from '../../../src/platform/remap/irte';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../../src/platform/apic/vectors';
import { DOORBELL_BAR0, TABLE_OFFSET } from '../support/doorbell-device';
import { boot, type Rig } from './rig';

const ENOTSUPP = -524;
const EBUSY = -16;
const ERANGE = -34;

function ctrl(r: Rig, i: number): number {
  return r.m.memory.read32(DOORBELL_BAR0 + TABLE_OFFSET + i * 16 + 12);
}

function entryLo(r: Rig, i: number): number {
  return r.m.memory.read32(DOORBELL_BAR0 + TABLE_OFFSET + i * 16);
}

/** MSI-X enabled with `n` vectors. */
function withVectors(n: number, ir = true): Rig {
  const r = boot({ cpus: 2, ir, msix: false });
  assert.equal(r.m.msix.pci_alloc_irq_vectors(r.pdev, n, n, PCI_IRQ_MSIX), n);
  return r;
}

describe('dynamic MSI-X allocation', () => {
  it('pci_msix_can_alloc_dyn asks the MSI parent, before MSI-X is enabled too', () => {
    const r = boot({ cpus: 2, msix: false });
    assert.equal(r.m.msix.pci_msix_can_alloc_dyn(r.pdev), true);
    const noIr = boot({ ir: false, msix: false });
    assert.equal(noIr.m.msix.pci_msix_can_alloc_dyn(noIr.pdev), true, 'VECTOR supports it too');
    const ops = r.pdev.msiParent!.msi_parent_ops!;
    const saved = ops.supported_flags;
    ops.supported_flags &= ~MSI_FLAG_PCI_MSIX_ALLOC_DYN;
    assert.equal(r.m.msix.pci_msix_can_alloc_dyn(r.pdev), false);
    ops.supported_flags = saved;
  });

  it('pci_msix_alloc_irq_at is -ENOTSUPP until MSI-X is enabled', () => {
    const r = boot({ cpus: 2, msix: false });
    assert.deepEqual(r.m.msix.pci_msix_alloc_irq_at(r.pdev, 1), { index: ENOTSUPP, virq: 0 });
  });

  it('allocates at an index or the lowest free one; -EBUSY in use, -ERANGE beyond the table', () => {
    const r = withVectors(2);
    const at5 = r.m.msix.pci_msix_alloc_irq_at(r.pdev, 5);
    assert.equal(at5.index, 5);
    assert.ok(at5.virq > 0);
    assert.equal(r.m.msix.pci_irq_vector(r.pdev, 5), at5.virq);
    assert.equal(r.m.msix.pci_msix_alloc_irq_at(r.pdev, MSI_ANY_INDEX).index, 2);
    assert.equal(r.m.msix.pci_msix_alloc_irq_at(r.pdev, 1).index, EBUSY);
    assert.equal(r.m.msix.pci_msix_alloc_irq_at(r.pdev, 5).index, EBUSY);
    assert.equal(r.m.msix.pci_msix_alloc_irq_at(r.pdev, 8).index, ERANGE);
    for (let i = 0; i < 4; i++) r.m.msix.pci_msix_alloc_irq_at(r.pdev, MSI_ANY_INDEX);
    assert.deepEqual(r.m.msix.pci_msix_alloc_irq_at(r.pdev, MSI_ANY_INDEX), {
      index: EBUSY,
      virq: 0,
    });
  });

  it('writes the message at allocation (IRTE at 0xef) but keeps the entry masked until request_irq', () => {
    const r = withVectors(1);
    const map = r.m.msix.pci_msix_alloc_irq_at(r.pdev, 3);
    assert.equal(ctrl(r, 3) & 1, 1, 'masked');
    const handle = remappableHandle(entryLo(r, 3));
    assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(handle)).vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
    const seen: number[] = [];
    request_threaded_irq(r.m.core, map.virq, () => (seen.push(1), IRQ_HANDLED), null, 0, 'x', 'id');
    assert.equal(ctrl(r, 3) & 1, 0, 'unmasked by irq_startup');
    assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(handle)).vector, 0x20);
    r.ring(3);
    assert.deepEqual(seen, [1]);
    assert.equal(r.m.trace.events().at(-1)!.kind, 'delivered');
  });

  it('a message from a dynamically allocated entry before request_irq waits in the PBA', () => {
    const r = withVectors(1);
    r.m.msix.pci_msix_alloc_irq_at(r.pdev, 4);
    r.ring(4);
    assert.equal(r.m.trace.events().at(-1)!.kind, 'pending');
  });

  it('pci_msix_free_irq clears the entry message and the IRTE; the index can be allocated again', () => {
    const r = withVectors(1);
    const map = r.m.msix.pci_msix_alloc_irq_at(r.pdev, 2);
    request_threaded_irq(r.m.core, map.virq, () => IRQ_HANDLED, null, 0, 'x', 'id');
    const handle = remappableHandle(entryLo(r, 2));
    free_irq(r.m.core, map.virq, 'id');
    r.m.msix.pci_msix_free_irq(r.pdev, map);
    assert.equal(entryLo(r, 2), 0);
    assert.equal(ctrl(r, 2) & 1, 1);
    assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(handle)).p, 0);
    assert.equal(r.m.ir[0]!.unit.iec.peek(handle), undefined);
    assert.equal(r.m.msix.pci_irq_vector(r.pdev, 2), -22);
    assert.equal(r.m.msix.pci_msix_alloc_irq_at(r.pdev, 2).index, 2);
  });

  it('an affinity descriptor at allocation becomes the irq affinity: activation honours it', () => {
    const r = boot({ cpus: 4 });
    const map = msi_domain_alloc_irq_at(r.m.core, r.pdev, MSI_DEFAULT_DOMAIN, 0, 0, {
      mask: [3],
    });
    assert.equal(map.index, -16, 'entry 0 is in use (pci_alloc_irq_vectors took all 8)');
    r.m.msix.pci_free_irq_vectors(r.pdev);
    r.m.msix.pci_alloc_irq_vectors(r.pdev, 1, 1, PCI_IRQ_MSIX);
    const dyn = r.m.msix.pci_msix_alloc_irq_at(r.pdev, 5, { mask: [3] });
    assert.equal(dyn.index, 5);
    assert.deepEqual(r.m.core.irq_to_desc(dyn.virq)!.irq_data.common.affinity, [3]);
    request_threaded_irq(r.m.core, dyn.virq, () => IRQ_HANDLED, null, 0, 'dyn', null);
    assert.equal(r.m.vector.apicd(r.m.core.irq_to_desc(dyn.virq)!.irq_data)!.cpu, 3);
  });

  it('pci_msix_free_irq warns about an invalid map and does nothing', () => {
    const r = withVectors(1);
    r.m.msix.pci_msix_free_irq(r.pdev, { index: -16, virq: 0 });
    assert.ok(r.log().some((l) => l.includes('pci_msix_free_irq: invalid map')));
    assert.ok(r.m.msix.pci_irq_vector(r.pdev, 0) > 0);
  });
});

describe('the re-enable dance: pci_free_irq_vectors + pci_alloc_irq_vectors', () => {
  it('masks the entries, disables MSI-X, then frees the irqs; a message in the window is lost, naming the cause', () => {
    const r = withVectors(2);
    const irq = r.irq(1);
    request_threaded_irq(r.m.core, irq, () => IRQ_HANDLED, null, 0, 'x', 'id');
    free_irq(r.m.core, irq, 'id');
    r.m.msix.pci_free_irq_vectors(r.pdev);
    assert.equal(r.pdev.msix_enabled, false);
    assert.equal(r.pdev.fn.msixEnabled, false);
    assert.equal(r.m.vector.matrix.global_reserved, 0);
    r.ring(1);
    const ev = r.m.trace.events().at(-1)!;
    assert.equal(ev.kind, 'dropped');
    assert.match(
      ev.reason ?? '',
      /^lost: MSI-X is disabled in 0000:6a:01\.0's Message Control \(Enable=0, cleared by pci_free_irq_vectors\(\)\)/,
    );
    assert.equal(r.m.msix.pci_alloc_irq_vectors(r.pdev, 4, 4, PCI_IRQ_MSIX), 4);
    assert.equal(r.pdev.fn.msixDisabledBy, null);
    assert.equal(r.m.msix.pci_irq_vector(r.pdev, 3) > 0, true);
    assert.deepEqual(r.m.trace.check(), []);
  });

  it('names a plain config write when the driver clears Enable itself', () => {
    const r = withVectors(1);
    const off = r.pdev.fn.msixCap + 2;
    r.pdev.fn.writeConfig16(off, r.pdev.fn.readConfig16(off) & ~0x8000);
    r.ring(0);
    assert.match(
      r.m.trace.events().at(-1)!.reason ?? '',
      /cleared by a config write to Message Control/,
    );
  });
});
