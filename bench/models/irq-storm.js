// A benchmark model: one dedicated WQ whose completion interrupt arrives through an IMS slot;
// then N NOOP descriptors, each with RCR|RCI, each waited for with a completion that its
// interrupt handler completes. Every descriptor takes the full path: portal → engine →
// completion record → IMS message → IRTE → APIC → handler. N comes from IMS_BENCH_IRQS.
'use strict';
const { create_ims_domain } = require('./ims-domain');
const N = Number(process.env.IMS_BENCH_IRQS || 100000);

function cmd(base, code, operand) {
  writel(((code << 20) | operand) >>> 0, base + 0xa0);
  while (readl(base + 0xa8) & 0x80000000) cpu_relax();
  return readl(base + 0xa8);
}

function probe(pdev) {
  pcim_enable_device(pdev);
  pci_set_master(pdev);
  const base = pcim_iomap(pdev, 0, 0);
  const table = readq(base + 0x60);
  const wqcfg = base + Number((table >> 16n) & 0xffffn) * 0x100;
  const grpcfg = base + Number(table & 0xffffn) * 0x100;
  const ims = base + Number((table >> 48n) & 0xffffn) * 0x100;
  writel(32, wqcfg);
  writel(1 | (10 << 4) | (1 << 8) | (1 << 28) | (1 << 29), wqcfg + 8);
  writel(21 | (5 << 5), wqcfg + 12);
  writeq(1n, grpcfg);
  writeq(1n, grpcfg + 32);
  cmd(base, 1, 0);
  pci_alloc_irq_vectors(pdev, 9, 9, PCI_IRQ_MSIX);
  create_ims_domain(pdev, ims);
  const map = pci_ims_alloc_irq(pdev, { value: 1 });
  let handled = 0;
  const done = init_completion();
  request_irq(map.virq, () => (handled++, complete(done), IRQ_HANDLED), 0, 'bench', null);
  const handle = (cmd(base, 13, map.index | 0x10000) >> 8) & 0xffff;
  cmd(base, 6, 0);
  const portal = pci_iomap(pdev, 2, 0);
  const comp = dma_alloc_coherent(pdev.dev, 32);
  const desc = new dsa_hw_desc({
    opcode: DSA_OPCODE_NOOP,
    flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI,
    priv: 1,
    completion_addr: comp.dma_handle,
    int_handle: handle,
  }).toBytes();
  for (let i = 0; i < N; i++) {
    iosubmit_cmds512(portal, desc, 1);
    wait_for_completion(done);
  }
  if (comp[0] !== DSA_COMP_SUCCESS) pr_err('bench: completion status %#x\n', comp[0]);
  pr_info('bench: %d interrupts handled\n', handled);
  return 0;
}

module_pci_driver({
  name: 'bench',
  id_table: [PCI_DEVICE(PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_DSA_SPR0)],
  probe,
});
