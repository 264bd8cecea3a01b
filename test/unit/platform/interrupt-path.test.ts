import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import {
  request_threaded_irq,
  free_irq,
  disable_irq,
  enable_irq,
} from '../../../src/platform/irq/manage';
import { IRQ_HANDLED } from '../../../src/platform/irq/types';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import { decodeIrte, remappableHandle } from '../../../src/platform/remap/irte';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../../src/platform/apic/vectors';
import {
  doorbellFactory,
  DOORBELL_BAR0,
  TABLE_OFFSET,
  type DoorbellDevice,
} from '../support/doorbell-device';

function boot(cpus = 4): { m: Machine; dev: DoorbellDevice } {
  const cfg = {
    ...defaultMachineConfig(),
    cpus,
    devices: [{ kind: 'doorbell' as 'dsa', bdf: '0000:6a:01.0', irUnit: 0 }],
  };
  const m = new Machine(cfg, { doorbell: doorbellFactory });
  return { m, dev: m.devices[0] as DoorbellDevice };
}

function ring(m: Machine, entry: number): void {
  m.memory.write32(DOORBELL_BAR0, entry);
  m.dispatch();
}

describe('interrupt path: MSI-X → IR → APIC → genirq', () => {
  it('names the per-device MSI-X domain below INTEL-IR-0 and VECTOR', () => {
    const { m } = boot();
    const pdev = m.pdev(0)!;
    assert.equal(m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX), 8);
    const names = m.core.domains.map((d) => d.name);
    assert.deepEqual(names, ['VECTOR', 'INTEL-IR-0', 'IR-PCI-MSIX-0000:6a:01.0']);
    const top = m.core.domains[2]!;
    assert.deepEqual(
      top.chain().map((d) => d.name),
      ['IR-PCI-MSIX-0000:6a:01.0', 'INTEL-IR-0', 'VECTOR'],
    );
    assert.equal(m.msix.pci_irq_vector(pdev, 0), 24, 'first dynamic virq is 24');
    assert.equal(m.msix.pci_irq_vector(pdev, 7), 31);
  });

  it('reserves the vector until request_irq activates it (reservation mode)', () => {
    const { m } = boot();
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    assert.equal(m.vector.matrix.global_reserved, 8);
    assert.equal(m.vector.matrix.total_allocated, 0);
    const irq = m.msix.pci_irq_vector(pdev, 1);
    const d = m.core.irq_to_desc(irq)!.irq_data;
    assert.equal(m.vector.apicd(d)!.hw_irq_cfg.vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
    // Early activation wrote the IRTE with the shutdown vector; the entry holds the remappable handle.
    const lo = m.memory.read32(DOORBELL_BAR0 + TABLE_OFFSET + 16);
    const irte = decodeIrte(m.ir[0]!.unit.readIrte(remappableHandle(lo)));
    assert.equal(irte.vector, MANAGED_IRQ_SHUTDOWN_VECTOR);
    assert.equal(
      request_threaded_irq(m.core, irq, () => IRQ_HANDLED, null, 0, 'test', {}),
      0,
    );
    assert.equal(m.vector.matrix.global_reserved, 7);
    assert.equal(m.vector.apicd(d)!.vector, 0x20);
    const after = decodeIrte(m.ir[0]!.unit.readIrte(remappableHandle(lo)));
    assert.deepEqual(
      {
        p: after.p,
        vector: after.vector,
        dst: after.dst,
        sid: after.sid,
        svt: after.svt,
        sq: after.sq,
        dm: after.dm,
        dlm: after.dlm,
      },
      { p: 1, vector: 0x20, dst: 0, sid: 0x6a08, svt: 1, sq: 0, dm: 0, dlm: 0 },
    );
  });

  it('spreads vectors to the CPU with the most available vectors, lowest vector first', () => {
    const { m } = boot(4);
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    const got: [number, number][] = [];
    for (let i = 0; i < 6; i++) {
      const irq = m.msix.pci_irq_vector(pdev, i);
      request_threaded_irq(m.core, irq, () => IRQ_HANDLED, null, 0, `q${i}`, {});
      const a = m.vector.apicd(m.core.irq_to_desc(irq)!.irq_data)!;
      got.push([a.cpu, a.vector]);
    }
    assert.deepEqual(got, [
      [0, 0x20],
      [1, 0x20],
      [2, 0x20],
      [3, 0x20],
      [0, 0x21],
      [1, 0x21],
    ]);
    // 204 allocatable vectors less the system ones among them (0x32, 0x80) less the two taken.
    assert.equal(m.vector.matrix.maps[0]!.available, 204 - 2 - 2);
  });

  it('delivers a message to the handler on the target CPU and EOIs it', () => {
    const { m } = boot(4);
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    const calls: { irq: number; cpu: number; isr: number }[] = [];
    const dev = { name: 'cookie' };
    const irq = m.msix.pci_irq_vector(pdev, 2);
    request_threaded_irq(
      m.core,
      m.msix.pci_irq_vector(pdev, 0),
      () => IRQ_HANDLED,
      null,
      0,
      'other0',
      {},
    );
    request_threaded_irq(
      m.core,
      m.msix.pci_irq_vector(pdev, 1),
      () => IRQ_HANDLED,
      null,
      0,
      'other1',
      {},
    );
    request_threaded_irq(
      m.core,
      irq,
      (n, id) => {
        assert.equal(id, dev);
        calls.push({
          irq: n,
          cpu: m.core.currentCpu,
          isr: m.cpus[m.core.currentCpu]!.apic.highestIsr(),
        });
        return IRQ_HANDLED;
      },
      null,
      0,
      'test',
      dev,
    );
    ring(m, 2);
    assert.deepEqual(calls, [{ irq, cpu: 2, isr: -1 }], 'ran on CPU 2 after the ack EOI');
    const ev = m.trace.events().at(-1)!;
    assert.equal(ev.kind, 'delivered');
    assert.equal(
      ev.path,
      `MSI-X entry 2 of 0000:6a:01.0 → IRTE 2 → vector 0x20 → CPU 2 (irq ${irq})`,
    );
    assert.deepEqual(m.trace.check(), []);
  });

  it('replays an interrupt that arrived while the irq was disabled (check_irq_resend)', () => {
    const { m } = boot(2);
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    const seen: number[] = [];
    const irq = m.msix.pci_irq_vector(pdev, 0);
    request_threaded_irq(
      m.core,
      irq,
      () => (seen.push(m.clock.now), IRQ_HANDLED),
      null,
      0,
      'test',
      null,
    );
    disable_irq(m.core, irq);
    ring(m, 0); // lazy disable: handle_edge_irq marks it pending and masks the entry
    assert.deepEqual(seen, []);
    assert.equal(m.trace.totals.delivered, 1);
    enable_irq(m.core, irq);
    m.dispatch();
    assert.equal(seen.length, 1, 'the self-IPI replay ran the handler');
  });

  it('holds a message while the entry is masked and delivers it on unmask', () => {
    const { m } = boot(2);
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    const seen: number[] = [];
    const irq = m.msix.pci_irq_vector(pdev, 0);
    request_threaded_irq(m.core, irq, () => (seen.push(1), IRQ_HANDLED), null, 0, 'test', null);
    disable_irq(m.core, irq);
    ring(m, 0); // lazily disabled: masks the entry
    ring(m, 0); // masked: the message waits in the PBA
    assert.equal(m.trace.pending, 1);
    assert.equal(m.trace.events().at(-1)!.kind, 'pending');
    enable_irq(m.core, irq);
    m.dispatch();
    assert.equal(m.trace.pending, 0);
    assert.equal(m.trace.events().at(-1)!.kind, 'delivered');
    // The released message and the replay IPI meet in one IRR bit: one handler run.
    assert.deepEqual(seen, [1]);
    assert.deepEqual(m.trace.check(), []);
  });

  it('faults a message whose IRTE is not present, and logs it as Linux does', () => {
    const { m } = boot(2);
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    const irq = m.msix.pci_irq_vector(pdev, 3);
    request_threaded_irq(m.core, irq, () => IRQ_HANDLED, null, 0, 'test', null);
    m.ir[0]!.unit.writeIrte(3, 0n);
    ring(m, 3);
    const ev = m.trace.events().at(-1)!;
    assert.equal(ev.kind, 'faulted');
    assert.equal(ev.fault, 0x22);
    assert.equal(ev.irte, 3);
    assert.ok(
      m.log.lines.some(
        (l) =>
          l.text ===
          'DMAR: [INTR-REMAP] Request device [6a:01.0] fault index 0x3 [fault reason 0x22] Present field in the IRTE entry is clear',
      ),
    );
  });

  it('free_irq clears the IRTE and returns the vector to a reservation', () => {
    const { m } = boot(2);
    const pdev = m.pdev(0)!;
    m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
    const irq = m.msix.pci_irq_vector(pdev, 0);
    request_threaded_irq(m.core, irq, () => IRQ_HANDLED, null, 0, 'test', 'id');
    assert.equal(m.vector.matrix.total_allocated, 1);
    assert.equal(free_irq(m.core, irq, 'id'), 'test');
    assert.equal(m.vector.matrix.total_allocated, 0);
    assert.equal(m.vector.matrix.global_reserved, 8);
    assert.equal(decodeIrte(m.ir[0]!.unit.readIrte(0)).p, 0);
    assert.equal(free_irq(m.core, irq, 'id'), null);
    assert.ok(m.log.lines.some((l) => l.text === `Trying to free already-free IRQ ${irq}`));
  });
});
