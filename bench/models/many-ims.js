// A benchmark model for stop → views at scale: every DSA it probes gets its 9 MSI-X vectors and
// all 2,048 IMS slots allocated (each slot's message names an IRTE; one IMS irq per device is
// requested, so it holds a real vector), then — once the last device is probed — the IR table's
// remaining entries are written present directly (ims_debug.irte_write, no flush: IRTEs no Linux
// irq owns) so that all 65,536 are in use, and the model loops on a statement to step on.
// Devices: IMS_BENCH_DEVICES (default 8, the launch's `devices` must match).
'use strict';
const { create_ims_domain } = require('./ims-domain');
const DEVICES = Number(process.env.IMS_BENCH_DEVICES || 8);
const LOOPS = Number(process.env.IMS_BENCH_LOOPS || 100000);
const IRTE_ENTRIES = 65536;

let probed = 0;
let vectorsLeft = true;
const handler = () => IRQ_HANDLED;
/** IRTE indices the IMS irqs own (allocated, written at activation). */
const owned = new Set();
let sum = 0;

function probe(pdev) {
  pcim_enable_device(pdev);
  pci_set_master(pdev);
  const base = pcim_iomap(pdev, 0, 0);
  const table = readq(base + 0x60);
  const ims = base + Number((table >> 48n) & 0xffffn) * 0x100;
  pci_alloc_irq_vectors(pdev, 9, 9, PCI_IRQ_MSIX);
  create_ims_domain(pdev, ims);
  for (let i = 0; i < 2048; i++) {
    const map = pci_ims_alloc_irq(pdev, { value: 1 });
    owned.add(ims_debug.irte_of_irq(map.virq));
    // Requesting activates the irq: a vector, a present IRTE and the slot's message. IMS has no
    // reservation mode, so once the CPUs' vectors are all taken the rest stay allocated only.
    if (vectorsLeft && request_irq(map.virq, handler, 0, 'bench-ims', null) !== 0)
      vectorsLeft = false;
  }
  if (++probed < DEVICES) return 0;
  for (let i = 0; i < IRTE_ENTRIES; i++) {
    if (owned.has(i) || ims_debug.irte_read(i) !== 0n) continue;
    ims_debug.irte_write(i, { p: 1, vector: 0x30 + (i % 0xb0), dst: i % 4 }, { flush: false });
  }
  for (let i = 0; i < LOOPS; i++) {
    const v = readl(base);
    sum += v & 0xff;
  }
  pr_info('many-ims: %d devices, sum %d\n', probed, sum);
  return 0;
}

module_pci_driver({
  name: 'many-ims',
  id_table: [PCI_DEVICE(PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_DSA_SPR0)],
  probe,
});
