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

// ---- drivers/dma/idxd/registers.h ----
const IDXD_MMIO_BAR = 0;
const IDXD_WQ_BAR = 2;
const IDXD_VER_OFFSET = 0x00;
const IDXD_GENCAP_OFFSET = 0x10;
const IDXD_WQCAP_OFFSET = 0x20;
const IDXD_TABLE_OFFSET = 0x60;
const IDXD_GENCTRL_OFFSET = 0x88;
const IDXD_INTCAUSE_OFFSET = 0x98;
const IDXD_CMD_OFFSET = 0xa0;
const IDXD_CMDSTS_OFFSET = 0xa8;
const IDXD_CMDCAP_OFFSET = 0xb0;
const IDXD_SWERR_OFFSET = 0xc0;
const IDXD_TABLE_MULT = 0x100;

const IDXD_CMD_ENABLE_DEVICE = 1;
const IDXD_CMD_DISABLE_DEVICE = 2;
const IDXD_CMD_RESET_DEVICE = 5;
const IDXD_CMD_ENABLE_WQ = 6;
const IDXD_CMD_DISABLE_WQ = 7;
const IDXD_CMD_REQUEST_INT_HANDLE = 13;
const IDXD_CMD_RELEASE_INT_HANDLE = 14;
const IDXD_CMD_INT_REQ = 0x80000000;
const IDXD_CMDSTS_ACTIVE = 0x80000000;
const IDXD_CMDSTS_ERR_WQ_ENABLED = 0x21;
const IDXD_CMDSTS_ERR_DEV_ENABLED = 0x10;

const IDXD_INTC_ERR = 0x01;
const IDXD_INTC_CMD = 0x02;
const IDXD_GENCTRL_SOFTERR_INT_EN = 0x1;
const IDXD_GENCTRL_HALT_INT_EN = 0x2;

const GRPCFG_SIZE = 64;
const GRPWQCFG_OFFSET = 0;
const GRPENGCFG_OFFSET = 32;
const GRPFLGCFG_OFFSET = 40;

const IDXD_PORTAL_SIZE = 0x1000;
const IDXD_PORTAL_LIMITED = 1;
/** MSIX_PERM: PASID enable (bit 3) and PASID (bits 31:12) per MSI-X entry, 8 bytes apart. */
const MSIX_PERM_PASID_EN = 0x8;
const MSIX_PERM_PASID_SHIFT = 12;

// ---- include/uapi/linux/pci_regs.h ----
const PCI_CAPABILITY_LIST = 0x34;
const PCI_CAP_ID_MSIX = 0x11;
const PCI_MSIX_TABLE = 4;
const PCI_MSIX_ENTRY_SIZE = 16;
const PCI_MSIX_ENTRY_VECTOR_CTRL = 12;

/** The PASID the kernel's own DMA runs under. */
const SYSTEM_PASID = 1;
const TEST_BYTES = 4096;

// ---- commands ----

/** idxd_cmd_exec(): a command with int_req, completed by the misc interrupt. */
function idxd_cmd_exec(idxd, cmd_code, operand) {
  reinit_completion(idxd.cmd_done);
  writel(
    ((operand & 0xfffff) | (cmd_code << 20) | IDXD_CMD_INT_REQ) >>> 0,
    idxd.reg_base + IDXD_CMD_OFFSET,
  );
  wait_for_completion(idxd.cmd_done);
  return readl(idxd.reg_base + IDXD_CMDSTS_OFFSET);
}

function idxd_device_init_reset(idxd) {
  writel(IDXD_CMD_RESET_DEVICE << 20, idxd.reg_base + IDXD_CMD_OFFSET);
  while (readl(idxd.reg_base + IDXD_CMDSTS_OFFSET) & IDXD_CMDSTS_ACTIVE) cpu_relax();
}

/** idxd_misc_thread(): INTCAUSE — command completion and software errors. */
function idxd_misc_thread(vec, idxd) {
  const cause = readl(idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (!cause) return IRQ_NONE;
  writel(cause, idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (cause & IDXD_INTC_ERR) {
    const swerr = readq(idxd.reg_base + IDXD_SWERR_OFFSET);
    dev_err(idxd.pdev, 'SWERR: %#llx\n', swerr);
    writeq(swerr & 0x3n, idxd.reg_base + IDXD_SWERR_OFFSET);
  }
  if (cause & IDXD_INTC_CMD) complete(idxd.cmd_done);
  return IRQ_HANDLED;
}

// ---- probe steps ----

function idxd_read_caps(idxd) {
  const base = idxd.reg_base;
  const gencap = readq(base + IDXD_GENCAP_OFFSET);
  const wqcap = readq(base + IDXD_WQCAP_OFFSET);
  idxd.cmdcap = gencap & 0x10n ? readl(base + IDXD_CMDCAP_OFFSET) : 0;
  idxd.request_int_handles = (idxd.cmdcap & (1 << IDXD_CMD_REQUEST_INT_HANDLE)) !== 0;
  idxd.wqcfg_size = 1 << (Number((wqcap >> 24n) & 0xfn) + 5);
  const q0 = readq(base + IDXD_TABLE_OFFSET);
  idxd.grpcfg_offset = Number(q0 & 0xffffn) * IDXD_TABLE_MULT;
  idxd.wqcfg_offset = Number((q0 >> 16n) & 0xffffn) * IDXD_TABLE_MULT;
  idxd.msix_perm_offset = Number((q0 >> 32n) & 0xffffn) * IDXD_TABLE_MULT;
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

// ---- configuration ----

function idxd_wq_config_write(idxd, wq) {
  const base = idxd.reg_base + idxd.wqcfg_offset + wq.id * idxd.wqcfg_size;
  const wqcfg = [];
  for (let i = 0; i < idxd.wqcfg_size / 4; i++) wqcfg.push(readl(base + i * 4));
  wqcfg[0] = wq.size & 0xffff;
  wqcfg[1] = wq.mode === 'shared' ? wq.threshold & 0xffff : 0;
  const dedicated = wq.mode === 'dedicated' ? 1 : 0;
  const pasid = dedicated ? SYSTEM_PASID : 0;
  wqcfg[2] =
    (dedicated | ((wq.priority & 0xf) << 4) | ((pasid & 0xfffff) << 8) | (1 << 28) | (1 << 29)) >>>
    0;
  wqcfg[3] = (Math.log2(wq.max_transfer_size) & 0x1f) | ((Math.log2(wq.max_batch_size) & 0xf) << 5);
  for (let i = 0; i < wqcfg.length; i++) writel(wqcfg[i], base + i * 4);
}

function idxd_groups_config_write(idxd, cfg) {
  for (const group of cfg.groups) {
    const base = idxd.reg_base + idxd.grpcfg_offset + group.id * GRPCFG_SIZE;
    const wqs = [0n, 0n, 0n, 0n];
    for (const id of group.wqs) wqs[id >> 6] |= 1n << BigInt(id & 63);
    let engines = 0n;
    for (const id of group.engines) engines |= 1n << BigInt(id);
    for (let i = 0; i < 4; i++) writeq(wqs[i], base + GRPWQCFG_OFFSET + i * 8);
    writeq(engines, base + GRPENGCFG_OFFSET);
    writel(
      ((group.traffic_class_a & 0x7) | ((group.traffic_class_b & 0x7) << 3)) >>> 0,
      base + GRPFLGCFG_OFFSET,
    );
  }
}

/** Without an accel-config file: one dedicated kernel WQ in group 0. */
function idxd_get_config(idxd) {
  return (
    accel_config_get(idxd.pdev) ?? {
      groups: [{ id: 0, wqs: [0], engines: [0], traffic_class_a: 1, traffic_class_b: 1 }],
      wqs: [
        {
          id: 0,
          group: 0,
          mode: 'dedicated',
          size: 16,
          threshold: 0,
          priority: 10,
          max_transfer_size: 2097152,
          max_batch_size: 32,
        },
      ],
    }
  );
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

function idxd_wq_enable(idxd, wq) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_WQ, wq.id) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_WQ_ENABLED) return -ENXIO;
  wq.portal = idxd.wq_base + wq.id * 4 * IDXD_PORTAL_SIZE + IDXD_PORTAL_LIMITED * IDXD_PORTAL_SIZE;
  return 0;
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
  idxd_device_init_reset(idxd);
  idxd_read_caps(idxd);
  let rc = idxd_setup_interrupts(idxd);
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
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_DEVICE, 0) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_DEV_ENABLED) return -ENXIO;
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
