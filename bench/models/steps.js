// A benchmark model for step latency: a long loop of plain statements and MMIO reads.
'use strict';
let sum = 0;
function probe(pdev) {
  pcim_enable_device(pdev);
  const base = pcim_iomap(pdev, 0, 0);
  for (let i = 0; i < 100000; i++) {
    const v = readl(base);
    sum += v & 0xff;
  }
  pr_info('steps: sum %d\n', sum);
  return 0;
}
module_pci_driver({
  name: 'steps',
  id_table: [PCI_DEVICE(PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_DSA_SPR0)],
  probe,
});
