/**
 * The machine the debugfs tests read: 4 CPUs, one IR unit, the doorbell device at 0000:6a:01.0
 * with MSI-X enabled for all 8 entries (irqs 24–31, IRTEs 0–7 in allocation order: alloc_irte
 * takes the first free entry), entries 0–2 requested. And the printf pieces the expected texts
 * are written with, named after the kernel's format specifiers.
 */
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import type { PciDev } from '../../../src/platform/pci-msi/pcidev';
import { request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQ_HANDLED } from '../../../src/platform/irq/types';
import { doorbellFactory } from '../support/doorbell-device';

export const BDF = '0000:6a:01.0';
/** MSI-X entries the setup requests (request_irq), in this order. */
export const REQUESTED = [0, 1, 2];

export interface Booted {
  m: Machine;
  pdev: PciDev;
  /** Linux irq of MSI-X entry `i`. */
  irq: (i: number) => number;
}

/** Boots the machine, enables MSI-X (8 vectors) and requests entries REQUESTED. */
export function boot(opts: { msix?: boolean } = {}): Booted {
  const m = new Machine(
    {
      ...defaultMachineConfig(),
      cpus: 4,
      devices: [{ kind: 'doorbell' as 'dsa', bdf: BDF, irUnit: 0 }],
    },
    { doorbell: doorbellFactory },
  );
  const pdev = m.pdev(0)!;
  const irq = (i: number): number => m.msix.pci_irq_vector(pdev, i);
  if (opts.msix ?? true) {
    assert.equal(m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX), 8);
    for (const i of REQUESTED)
      assert.equal(
        request_threaded_irq(m.core, irq(i), () => IRQ_HANDLED, null, 0, `q${i}`, {}),
        0,
      );
  }
  return { m, pdev, irq };
}

/** `%*s` with "": `n` spaces. */
export const sp = (n: number): string => ' '.repeat(n);
/** `%<w>u` / `%<w>d`: right-aligned in `w` columns. */
export const u = (n: number, w: number): string => String(n).padStart(w);
/** `0x%08x`. */
export const x08 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
/** `0x%lx`. */
export const lx = (n: number): string => `0x${n.toString(16)}`;

/** Lines → the text of a seq_file (each line ends with a newline). */
export const text = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');
