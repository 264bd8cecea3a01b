/**
 * A machine with the doorbell test device (8 MSI-X entries) for the genirq tests: boot it, enable
 * MSI-X, ring an entry and let the CPUs take what is deliverable.
 */
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import type { PciDev } from '../../../src/platform/pci-msi/pcidev';
import { DOORBELL_BAR0, doorbellFactory } from '../support/doorbell-device';

export const BDF = '0000:6a:01.0';

export interface Rig {
  m: Machine;
  pdev: PciDev;
  /** Linux irq of MSI-X entry `i` (MSI-X enabled with all 8 entries). */
  irq: (i: number) => number;
  /** The device signals MSI-X entry `i`; CPUs then take their interrupts. */
  ring: (i: number) => void;
  /** Kernel log lines, text only. */
  log: () => string[];
}

export function boot(opts: { cpus?: number; ir?: boolean; msix?: boolean } = {}): Rig {
  const m = new Machine(
    {
      ...defaultMachineConfig(),
      cpus: opts.cpus ?? 2,
      interruptRemapping: opts.ir ?? true,
      devices: [{ kind: 'doorbell' as 'dsa', bdf: BDF, irUnit: 0 }],
    },
    { doorbell: doorbellFactory },
  );
  const pdev = m.pdev(0)!;
  if (opts.msix ?? true) assert.equal(m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX), 8);
  return {
    m,
    pdev,
    irq: (i) => m.msix.pci_irq_vector(pdev, i),
    ring: (i) => {
      m.memory.write32(DOORBELL_BAR0, i);
      m.dispatch();
    },
    log: () => m.log.lines.map((l) => l.text),
  };
}
