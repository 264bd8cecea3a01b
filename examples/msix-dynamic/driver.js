// SPDX-License-Identifier: MIT
/*
 * A driver model of Linux's idxd driver (drivers/dma/idxd/) for an Intel DSA whose work-queue
 * completion interrupts come through MSI-X vectors allocated on demand, one per WQ as it is
 * enabled, with pci_msix_alloc_irq_at() — the dynamic MSI-X API of drivers/pci/msi/api.c
 * (Linux v6.2+), which needs no pci_free_irq_vectors()/pci_alloc_irq_vectors() round trip and
 * so never turns MSI-X off under a running device.
 *
 * Mainline idxd allocates all its vectors at probe (idxd_setup_interrupts: pci_alloc_irq_vectors
 * with the whole table) and requests a WQ's vector when the WQ is enabled
 * (idxd_wq_request_irq); this model keeps that layout — entry 0 is the misc interrupt, WQ n
 * uses entry n + 1 — but allocates only entry 0 at probe and each WQ's entry when the WQ is
 * enabled, as a driver can do since v6.2 (the ice driver does it in mainline).
 *
 * What it shows: pci_msix_can_alloc_dyn(); an entry allocated at a given index, whose message
 * and IRTE are written at once (reservation mode: vector 0xef) while the entry stays masked
 * until request_irq(); the completion interrupt through it; freeing one WQ's vector and
 * allocating again with MSI_ANY_INDEX, which takes the lowest free entry.
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
const PCI_MSIX_TABLE = 4;
const PCI_MSIX_ENTRY_SIZE = 16;
const PCI_MSIX_ENTRY_VECTOR_CTRL = 12;

const TEST_BYTES = 4096;

// ---- probe steps ----

/** idxd_read_caps(), then whether descriptors carry handles (CMDCAP has REQUEST_INT_HANDLE). */
function idxd_read_int_handle_cap(idxd) {
  idxd_read_caps(idxd);
  idxd.request_int_handles = (idxd.cmdcap & (1 << IDXD_CMD_REQUEST_INT_HANDLE)) !== 0;
}

/** Where MSI-X entry `index` is, from the capability's Table Offset/BIR (for the log only). */
function msix_entry_ctrl(idxd, index) {
  let cap = pci_read_config_byte(idxd.pdev, PCI_CAPABILITY_LIST);
  while (cap && pci_read_config_byte(idxd.pdev, cap) !== PCI_CAP_ID_MSIX)
    cap = pci_read_config_byte(idxd.pdev, cap + 1);
  const table = pci_read_config_dword(idxd.pdev, cap + PCI_MSIX_TABLE) & ~7;
  return readl(idxd.reg_base + table + index * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

/** Only the misc vector at probe: the WQ vectors come when the WQs are enabled. */
function idxd_setup_interrupts(idxd) {
  const pdev = idxd.pdev;
  if (!pci_msix_can_alloc_dyn(pdev)) {
    dev_err(pdev, 'dynamic MSI-X allocation is not supported\n');
    return -ENOTSUPP;
  }
  const rc = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
  if (rc !== 1) return rc < 0 ? rc : -ENOSPC;
  idxd.misc_irq = pci_irq_vector(pdev, 0);
  const err = request_threaded_irq(idxd.misc_irq, null, idxd_misc_thread, 0, 'idxd-misc', idxd);
  if (err) return err;
  writel(
    readl(idxd.reg_base + IDXD_GENCTRL_OFFSET) |
      IDXD_GENCTRL_SOFTERR_INT_EN |
      IDXD_GENCTRL_HALT_INT_EN,
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
  dev_info(
    pdev,
    'MSI-X: %d entries, 1 allocated at probe (misc, irq %d); WQ vectors on demand\n',
    pci_msix_vec_count(pdev),
    idxd.misc_irq,
  );
  return 0;
}

// ---- a WQ's completion vector, allocated when the WQ is enabled ----

/** idxd_wq_thread(): the completion record says the descriptor is done. */
function idxd_wq_thread(irq, wq) {
  const status = wq.comp[0] & DSA_COMP_STATUS_MASK;
  if (status === DSA_COMP_NONE) return IRQ_NONE;
  wq.status = status;
  wq.cpu = smp_processor_id();
  complete(wq.done);
  return IRQ_HANDLED;
}

/**
 * idxd_wq_request_irq(), with the vector allocated here: pci_msix_alloc_irq_at() at `index`
 * (MSI_ANY_INDEX for the lowest free entry), the MSIX_PERM entry, request_threaded_irq(), and
 * an interrupt handle for the entry (REQUEST_INT_HANDLE, MSI-X table: operand bit 16 clear).
 */
function idxd_wq_request_irq(idxd, wq, index) {
  const pdev = idxd.pdev;
  wq.map = pci_msix_alloc_irq_at(pdev, index, null);
  if (wq.map.index < 0) {
    dev_err(pdev, 'wq%d: pci_msix_alloc_irq_at(%d) failed: %d\n', wq.id, index, wq.map.index);
    return wq.map.index;
  }
  dev_info(
    pdev,
    'wq%d: MSI-X entry %d → irq %d, IRTE %d; before request_irq: Vector Control %#x, IRTE vector %#x\n',
    wq.id,
    wq.map.index,
    wq.map.virq,
    ims_debug.irte_of_irq(wq.map.virq),
    msix_entry_ctrl(idxd, wq.map.index),
    Number((ims_debug.irte_read(ims_debug.irte_of_irq(wq.map.virq)) >> 16n) & 0xffn),
  );
  writel(
    ((SYSTEM_PASID << MSIX_PERM_PASID_SHIFT) | MSIX_PERM_PASID_EN) >>> 0,
    idxd.reg_base + idxd.msix_perm_offset + wq.map.index * 8,
  );
  const rc = request_threaded_irq(wq.map.virq, null, idxd_wq_thread, 0, 'idxd-portal', wq);
  if (rc) return rc;
  dev_info(
    pdev,
    'wq%d: after request_irq: Vector Control %#x, IRTE vector %#x\n',
    wq.id,
    msix_entry_ctrl(idxd, wq.map.index),
    Number((ims_debug.irte_read(ims_debug.irte_of_irq(wq.map.virq)) >> 16n) & 0xffn),
  );
  if (!idxd.request_int_handles) {
    wq.int_handle = wq.map.index;
    return 0;
  }
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_REQUEST_INT_HANDLE, wq.map.index);
  if (stat & 0xff) return -ENXIO;
  wq.int_handle = (stat >> 8) & 0xffff;
  return 0;
}

/** idxd_wq_free_irq(): release the handle, clear MSIX_PERM, free the irq and the vector. */
function idxd_wq_free_irq(idxd, wq) {
  if (idxd.request_int_handles) idxd_cmd_exec(idxd, IDXD_CMD_RELEASE_INT_HANDLE, wq.int_handle);
  writel(0, idxd.reg_base + idxd.msix_perm_offset + wq.map.index * 8);
  free_irq(wq.map.virq, wq);
  pci_msix_free_irq(idxd.pdev, wq.map);
  dev_info(idxd.pdev, 'wq%d: MSI-X entry %d freed\n', wq.id, wq.map.index);
}

/** A MEMMOVE with a completion interrupt through the WQ's MSI-X entry. */
function idxd_wq_test_copy(idxd, wq) {
  const src = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  const dst = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  for (let i = 0; i < TEST_BYTES; i++) src[i] = (i * 3 + wq.id) & 0xff;
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
  if (!wait_for_completion_timeout(wq.done, msecs_to_jiffies(10))) {
    dev_err(idxd.pdev, 'wq%d: no completion interrupt\n', wq.id);
    return -ETIMEDOUT;
  }
  const ok = wq.status === DSA_COMP_SUCCESS && memcmp(src, dst, TEST_BYTES) === 0;
  dev_info(
    idxd.pdev,
    'wq%d: MEMMOVE done, completion interrupt through MSI-X entry %d on CPU %d: %s\n',
    wq.id,
    wq.map.index,
    wq.cpu,
    ok ? 'data verified' : 'DATA MISMATCH',
  );
  return ok ? 0 : -EIO;
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
  rc = idxd_setup_interrupts(idxd);
  if (rc) return rc;

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
  idxd_groups_config_write(idxd, cfg);
  rc = idxd_device_enable(idxd);
  if (rc) return rc;
  idxd.wq_base = pci_iomap(pdev, IDXD_WQ_BAR, 0);

  // Each WQ as it is enabled: its vector at entry id + 1 (mainline's layout).
  for (const wq of idxd.wqs) {
    rc = idxd_wq_request_irq(idxd, wq, wq.id + 1) || idxd_wq_enable(idxd, wq);
    if (rc) return rc;
    rc = idxd_wq_test_copy(idxd, wq);
    if (rc) return rc;
  }

  // Give the first WQ's vector back and take one again with MSI_ANY_INDEX: the lowest free
  // entry — the one just freed — comes back, while MSI-X stayed enabled throughout.
  const wq = idxd.wqs[0];
  idxd_wq_free_irq(idxd, wq);
  rc = idxd_wq_request_irq(idxd, wq, MSI_ANY_INDEX);
  if (rc) return rc;
  rc = idxd_wq_test_copy(idxd, wq);
  if (rc) return rc;
  dev_info(
    pdev,
    'Intel(R) Accelerator Device (v%x): %d WQs, MSI-X enabled throughout: %s\n',
    idxd.version,
    idxd.wqs.length,
    pdev.msix_enabled ? 'yes' : 'no',
  );
  return 0;
}

function idxd_pci_remove(pdev) {
  const idxd = pci_get_drvdata(pdev);
  for (const wq of idxd.wqs) {
    idxd_cmd_exec(idxd, IDXD_CMD_DISABLE_WQ, (1 << (wq.id % 16)) | (Math.floor(wq.id / 16) << 16));
    idxd_wq_free_irq(idxd, wq);
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
