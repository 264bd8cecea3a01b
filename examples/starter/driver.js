// SPDX-License-Identifier: MIT
/*
 * A starting point for a driver model: the smallest probe of an Intel DSA that takes an
 * interrupt. It maps BAR0, reads the version and capabilities, resets the device, allocates
 * MSI-X vector 0 as the misc interrupt (INTCAUSE tells why it fired), and resets the device
 * again with a command that asks for a completion interrupt (CMD.int_req), waiting for the
 * handler to complete it.
 * Set a breakpoint in idxd_misc_interrupt and press F5; then look at the IRQ Domains view, the
 * device's registers in Variables, and the Debug Console. The other examples go further: IMS
 * with interrupt remapping (idxd-ims), dynamic MSI-X, affinity moves, errors and recovery.
 */
'use strict';

// ---- drivers/dma/idxd/registers.h ----
const IDXD_VER_OFFSET = 0x0;
const IDXD_GENCAP_OFFSET = 0x10;
const IDXD_GENCTRL_OFFSET = 0x88;
const IDXD_INTCAUSE_OFFSET = 0x98;
const IDXD_CMD_OFFSET = 0xa0;
const IDXD_CMDSTS_OFFSET = 0xa8;
const IDXD_CMD_RESET_DEVICE = 5;
const IDXD_CMD_INT_REQ = 0x80000000;
const IDXD_CMDSTS_ACTIVE = 0x80000000;
const IDXD_INTC_CMD = 0x02;
const IDXD_GENCTRL_SOFTERR_INT_EN = 0x1;

const idxd = {};

/** The misc interrupt (MSI-X entry 0): acknowledge INTCAUSE, wake the command's waiter. */
function idxd_misc_interrupt(irq, data) {
  const cause = readl(data.reg_base + IDXD_INTCAUSE_OFFSET);
  if (!cause) return IRQ_NONE;
  writel(cause, data.reg_base + IDXD_INTCAUSE_OFFSET); // write-1-to-clear
  if (cause & IDXD_INTC_CMD) complete(data.cmd_done);
  return IRQ_HANDLED;
}

/** Writes a command and polls CMDSTS.active (as idxd_cmd_exec does); returns CMDSTS. */
function idxd_cmd(code, int_req) {
  writel(((code << 20) | (int_req ? IDXD_CMD_INT_REQ : 0)) >>> 0, idxd.reg_base + IDXD_CMD_OFFSET);
  while (readl(idxd.reg_base + IDXD_CMDSTS_OFFSET) & IDXD_CMDSTS_ACTIVE) cpu_relax();
  return readl(idxd.reg_base + IDXD_CMDSTS_OFFSET);
}

function idxd_probe(pdev) {
  const rc = pcim_enable_device(pdev);
  if (rc) return rc;
  idxd.pdev = pdev;
  idxd.reg_base = pcim_iomap(pdev, 0, 0);
  pci_set_master(pdev);

  const version = readl(idxd.reg_base + IDXD_VER_OFFSET);
  const gencap = readq(idxd.reg_base + IDXD_GENCAP_OFFSET);
  dev_info(pdev, 'version %#x, GENCAP %#llx\n', version, gencap);
  idxd_cmd(IDXD_CMD_RESET_DEVICE, false);

  const nvec = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
  if (nvec < 0) return nvec;
  idxd.irq = pci_irq_vector(pdev, 0);
  idxd.cmd_done = init_completion();
  const err = request_irq(idxd.irq, idxd_misc_interrupt, 0, 'idxd-misc', idxd);
  if (err) return err;
  writel(IDXD_GENCTRL_SOFTERR_INT_EN, idxd.reg_base + IDXD_GENCTRL_OFFSET);

  // A command with CMD.int_req set completes with the misc interrupt (INTCAUSE.cmd).
  const status = idxd_cmd(IDXD_CMD_RESET_DEVICE, true);
  wait_for_completion(idxd.cmd_done);
  dev_info(pdev, 'RESET_DEVICE: CMDSTS %#x, completion interrupt on irq %d\n', status, idxd.irq);
  return 0;
}

function idxd_remove(pdev) {
  free_irq(idxd.irq, idxd);
  pci_free_irq_vectors(pdev);
}

module_pci_driver({
  name: 'idxd',
  id_table: [PCI_DEVICE(PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_DSA_SPR0)],
  probe: idxd_probe,
  remove: idxd_remove,
});
