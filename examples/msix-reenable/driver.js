// SPDX-License-Identifier: MIT
/*
 * A driver model of Linux's idxd driver (drivers/dma/idxd/) doing the old dance to get one more
 * MSI-X vector: pci_free_irq_vectors() then pci_alloc_irq_vectors() with more vectors, as
 * drivers had to before dynamic MSI-X allocation (pci_msix_alloc_irq_at, v6.2; see
 * examples/msix-dynamic). Between the two calls MSI-X is disabled in the device's Message
 * Control, and an interrupt the device raises then is lost: a function may not send MSI-X
 * messages while MSI-X is disabled, and there is no pending bit to replay it from.
 *
 * The probe sets up the misc vector and WQ 0's (entries 0 and 1) and checks a copy. Then, to
 * give WQ 1 a vector of its own, it frees all vectors and allocates three — with a MEMMOVE
 * submitted on WQ 0 just before, so that its completion interrupt arrives inside the window
 * (udelay() stands for the time the teardown and setup take on real hardware). The trace shows
 * the message dropped, naming pci_free_irq_vectors() as what disabled MSI-X; the driver sees its
 * wait time out while the completion record says the copy succeeded: the work was done, its
 * interrupt was lost. A second copy after the re-enable gets its interrupt again.
 */
'use strict';

const {
  IDXD_MMIO_BAR,
  IDXD_WQ_BAR,
  IDXD_VER_OFFSET,
  IDXD_GENCTRL_OFFSET,
  IDXD_CMD_DISABLE_DEVICE,
  IDXD_CMD_DISABLE_WQ,
  IDXD_CMD_REQUEST_INT_HANDLE,
  IDXD_CMD_RELEASE_INT_HANDLE,
  IDXD_GENCTRL_SOFTERR_INT_EN,
  IDXD_GENCTRL_HALT_INT_EN,
  SYSTEM_PASID,
  idxd_cmd_exec,
  idxd_device_init_reset,
  idxd_misc_thread,
  idxd_read_caps,
  idxd_read_table_offsets,
  idxd_get_config,
  idxd_wq_config_write,
  idxd_groups_config_write,
  idxd_device_enable,
  idxd_wq_enable,
} = require('../lib/idxd');

// ---- drivers/dma/idxd/registers.h: MSIX_PERM ----
/** MSIX_PERM: PASID enable (bit 3) and PASID (bits 31:12) per MSI-X entry, 8 bytes apart. */
const MSIX_PERM_PASID_EN = 0x8;
const MSIX_PERM_PASID_SHIFT = 12;

// ---- include/uapi/linux/pci_regs.h ----
const PCI_CAPABILITY_LIST = 0x34;
const PCI_CAP_ID_MSIX = 0x11;
const PCI_MSIX_FLAGS = 2;
const PCI_MSIX_FLAGS_ENABLE = 0x8000;

const TEST_BYTES = 4096;

// ---- probe steps ----

/** idxd_read_caps(), then whether descriptors carry handles (CMDCAP has REQUEST_INT_HANDLE). */
function idxd_read_int_handle_cap(idxd) {
  idxd_read_caps(idxd);
  idxd.request_int_handles = (idxd.cmdcap & (1 << IDXD_CMD_REQUEST_INT_HANDLE)) !== 0;
}

/** MSI-X Message Control from the capability (Enable is bit 15), for the log. */
function msix_flags(idxd) {
  let cap = pci_read_config_byte(idxd.pdev, PCI_CAPABILITY_LIST);
  while (cap && pci_read_config_byte(idxd.pdev, cap) !== PCI_CAP_ID_MSIX)
    cap = pci_read_config_byte(idxd.pdev, cap + 1);
  return pci_read_config_word(idxd.pdev, cap + PCI_MSIX_FLAGS);
}

/**
 * idxd_setup_interrupts() for `nvec` vectors: MSI-X enabled with exactly that many, the misc
 * interrupt on entry 0.
 */
function idxd_setup_interrupts(idxd, nvec) {
  const pdev = idxd.pdev;
  const rc = pci_alloc_irq_vectors(pdev, nvec, nvec, PCI_IRQ_MSIX);
  if (rc !== nvec) return rc < 0 ? rc : -ENOSPC;
  idxd.misc_irq = pci_irq_vector(pdev, 0);
  const err = request_threaded_irq(idxd.misc_irq, null, idxd_misc_thread, 0, 'idxd-misc', idxd);
  if (err) return err;
  writel(
    readl(idxd.reg_base + IDXD_GENCTRL_OFFSET) |
      IDXD_GENCTRL_SOFTERR_INT_EN |
      IDXD_GENCTRL_HALT_INT_EN,
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
  dev_info(pdev, 'MSI-X enabled with %d of %d vectors\n', nvec, pci_msix_vec_count(pdev));
  return 0;
}

// ---- WQ completion vectors (mainline layout: WQ n on MSI-X entry n + 1) ----

/** idxd_wq_thread(): the completion record says the descriptor is done. */
function idxd_wq_thread(irq, wq) {
  const status = wq.comp[0] & DSA_COMP_STATUS_MASK;
  if (status === DSA_COMP_NONE) return IRQ_NONE;
  wq.status = status;
  complete(wq.done);
  return IRQ_HANDLED;
}

/** request_threaded_irq() for the WQ's entry; the interrupt handle is requested once. */
function idxd_wq_request_irq(idxd, wq) {
  wq.irq = pci_irq_vector(idxd.pdev, wq.id + 1);
  if (wq.irq < 0) return wq.irq;
  const rc = request_threaded_irq(wq.irq, null, idxd_wq_thread, 0, 'idxd-portal', wq);
  if (rc) return rc;
  if (wq.int_handle !== undefined) return 0;
  writel(
    ((SYSTEM_PASID << MSIX_PERM_PASID_SHIFT) | MSIX_PERM_PASID_EN) >>> 0,
    idxd.reg_base + idxd.msix_perm_offset + (wq.id + 1) * 8,
  );
  if (!idxd.request_int_handles) {
    wq.int_handle = wq.id + 1;
    return 0;
  }
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_REQUEST_INT_HANDLE, wq.id + 1);
  if (stat & 0xff) return -ENXIO;
  wq.int_handle = (stat >> 8) & 0xffff;
  return 0;
}

/** Submits a MEMMOVE that asks for a completion record and interrupt; returns its buffers. */
function idxd_wq_submit_copy(idxd, wq) {
  const src = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  const dst = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  for (let i = 0; i < TEST_BYTES; i++) src[i] = (i * 5 + wq.id) & 0xff;
  wq.comp[0] = 0;
  reinit_completion(wq.done);
  const desc = new dsa_hw_desc({
    opcode: DSA_OPCODE_MEMMOVE,
    flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI,
    priv: 1,
    pasid: SYSTEM_PASID,
    src_addr: src.dma_handle,
    dst_addr: dst.dma_handle,
    xfer_size: TEST_BYTES,
    completion_addr: wq.comp.dma_handle,
    int_handle: wq.int_handle,
  });
  if (wq.mode === 'dedicated') iosubmit_cmds512(wq.portal, desc.toBytes(), 1);
  else while (enqcmds(wq.portal, desc.toBytes()) === -EAGAIN) cpu_relax();
  return { src, dst, submitted: ktime_get_ns() };
}

/** Waits for the completion interrupt of a copy; says what happened. */
function idxd_wq_wait_copy(idxd, wq, copy) {
  const got = wait_for_completion_timeout(wq.done, msecs_to_jiffies(1)) !== 0;
  const status = wq.comp[0] & DSA_COMP_STATUS_MASK;
  const verified = status === DSA_COMP_SUCCESS && memcmp(copy.src, copy.dst, TEST_BYTES) === 0;
  if (got) {
    dev_info(
      idxd.pdev,
      'wq%d: MEMMOVE completed, interrupt received: %s\n',
      wq.id,
      verified ? 'data verified' : 'DATA MISMATCH',
    );
    return verified ? 0 : -EIO;
  }
  dev_err(
    idxd.pdev,
    'wq%d: no completion interrupt within 1 ms — yet the completion record says status %#x%s: the interrupt was lost\n',
    wq.id,
    status,
    verified ? ' and the data is there' : '',
  );
  return -ETIMEDOUT;
}

// ---- the PCI driver ----

function idxd_pci_probe(pdev, _id) {
  pcim_enable_device(pdev);
  const reg_base = pcim_iomap(pdev, IDXD_MMIO_BAR, 0);
  dma_set_mask_and_coherent(pdev.dev, DMA_BIT_MASK(64));
  pci_set_master(pdev);
  const idxd = { pdev, reg_base, cmd_done: init_completion(), wqs: [] };
  pci_set_drvdata(pdev, idxd);
  idxd.version = readl(reg_base + IDXD_VER_OFFSET);
  let rc = idxd_device_init_reset(idxd);
  if (rc) return rc;
  idxd_read_int_handle_cap(idxd);
  idxd_read_table_offsets(idxd);

  const cfg = idxd_get_config(idxd);
  for (const wq of cfg.wqs) {
    if (wq.group === null || wq.size === 0) continue;
    idxd_wq_config_write(idxd, wq);
    idxd.wqs.push({
      id: wq.id,
      mode: wq.mode,
      done: init_completion(),
      comp: dma_alloc_coherent(pdev.dev, 32),
    });
  }
  if (idxd.wqs.length < 2) {
    dev_err(pdev, 'this model needs two WQs in its accel-config file\n');
    return -EINVAL;
  }
  const [wq0, wq1] = idxd.wqs;

  // Vectors for the misc interrupt and WQ 0 only.
  rc = idxd_setup_interrupts(idxd, 2);
  if (rc) return rc;
  idxd_groups_config_write(idxd, cfg);
  rc = idxd_device_enable(idxd);
  if (rc) return rc;
  idxd.wq_base = pci_iomap(pdev, IDXD_WQ_BAR, 0);
  rc = idxd_wq_request_irq(idxd, wq0) || idxd_wq_enable(idxd, wq0) || idxd_wq_enable(idxd, wq1);
  if (rc) return rc;
  rc = idxd_wq_wait_copy(idxd, wq0, idxd_wq_submit_copy(idxd, wq0));
  if (rc) return rc;

  // WQ 1 needs a vector too: the old way. WQ 0 is busy with a copy meanwhile.
  const inflight = idxd_wq_submit_copy(idxd, wq0);
  free_irq(wq0.irq, wq0);
  free_irq(idxd.misc_irq, idxd);
  pci_free_irq_vectors(pdev);
  dev_info(
    pdev,
    're-enable: MSI-X vectors freed, Message Control %#x (Enable %s)\n',
    msix_flags(idxd),
    msix_flags(idxd) & PCI_MSIX_FLAGS_ENABLE ? 'set' : 'clear',
  );
  udelay(1); // the teardown and setup take time: WQ 0's copy completes in this window
  rc = idxd_setup_interrupts(idxd, 3);
  if (rc) return rc;
  rc = idxd_wq_request_irq(idxd, wq0) || idxd_wq_request_irq(idxd, wq1);
  if (rc) return rc;
  const lost = idxd_wq_wait_copy(idxd, wq0, inflight);

  // With MSI-X enabled again, both WQs get their interrupts.
  rc =
    idxd_wq_wait_copy(idxd, wq0, idxd_wq_submit_copy(idxd, wq0)) ||
    idxd_wq_wait_copy(idxd, wq1, idxd_wq_submit_copy(idxd, wq1));
  if (rc) return rc;
  dev_info(
    pdev,
    'Intel(R) Accelerator Device (v%x): 3 MSI-X vectors; %s\n',
    idxd.version,
    lost === -ETIMEDOUT
      ? 'one completion interrupt was lost in the re-enable window'
      : 'nothing lost',
  );
  return 0;
}

function idxd_pci_remove(pdev) {
  const idxd = pci_get_drvdata(pdev);
  for (const wq of idxd.wqs) {
    idxd_cmd_exec(idxd, IDXD_CMD_DISABLE_WQ, (1 << (wq.id % 16)) | (Math.floor(wq.id / 16) << 16));
    if (idxd.request_int_handles) idxd_cmd_exec(idxd, IDXD_CMD_RELEASE_INT_HANDLE, wq.int_handle);
    free_irq(wq.irq, wq);
  }
  idxd_cmd_exec(idxd, IDXD_CMD_DISABLE_DEVICE, 0);
  free_irq(idxd.misc_irq, idxd);
  pci_free_irq_vectors(pdev);
  dev_info(pdev, 'removed\n');
}

module_pci_driver({
  name: 'idxd',
  id_table: [PCI_DEVICE(PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_DSA_SPR0)],
  probe: idxd_pci_probe,
  remove: idxd_pci_remove,
});
