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
const PCI_MSIX_FLAGS = 2;
const PCI_MSIX_FLAGS_ENABLE = 0x8000;

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

function idxd_wq_enable(idxd, wq) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_WQ, wq.id) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_WQ_ENABLED) return -ENXIO;
  wq.portal = idxd.wq_base + wq.id * 4 * IDXD_PORTAL_SIZE + IDXD_PORTAL_LIMITED * IDXD_PORTAL_SIZE;
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
  idxd_device_init_reset(idxd);
  idxd_read_caps(idxd);

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
  let rc = idxd_setup_interrupts(idxd, 2);
  if (rc) return rc;
  idxd_groups_config_write(idxd, cfg);
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_DEVICE, 0) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_DEV_ENABLED) return -ENXIO;
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
