// SPDX-License-Identifier: MIT
/*
 * A driver model of Linux's idxd driver (drivers/dma/idxd/) recovering from interrupt-handle
 * revocation, as mainline does it with MSI-X completion vectors.
 *
 * A DSA whose CMDCAP has REQUEST_INT_HANDLE wants a handle, not an MSI-X index, in each
 * descriptor's int_handle. The host can revoke those handles (an FLR of the physical function,
 * a VM migration); the device then sets INTCAUSE.INT_HANDLE_REVOKED and sends the misc
 * interrupt, and every descriptor still carrying an old handle completes with
 * DSA_COMP_INT_HANDLE_INVAL (0x19) — without its completion interrupt and without doing its
 * work. Linux (irq.c) recovers like this:
 *   idxd_misc_thread        sees INT_HANDLE_REVOKED and queues idxd_int_handle_revoke;
 *   idxd_int_handle_revoke  asks REQUEST_INT_HANDLE again for every entry that had a handle,
 *                           swaps the handle while submissions are held back, and sends a
 *                           DRAIN descriptor with the new handle (idxd_int_handle_revoke_drain);
 *   idxd_wq_thread          woken by the drain's interrupt, resubmits each descriptor that
 *                           completed with 0x19 (idxd_queue_int_handle_resubmit) with the new
 *                           handle; they then complete normally.
 *
 * The model probes as idxd does (reset, capabilities, MSI-X with vector 0 as the misc interrupt,
 * configuration from the accel-config file, one MSI-X vector and handle per WQ), copies once per
 * WQ, then submits a burst per WQ and has the host revoke the handles while the burst is in
 * flight. Every copy of the burst must end verified.
 *
 * The emulated kernel has no workqueues: work that Linux queues from the interrupt threads runs
 * here in process context, in queue order, when the probe flushes the queue.
 */
'use strict';

// ---- drivers/dma/idxd/registers.h ----
const IDXD_MMIO_BAR = 0;
const IDXD_WQ_BAR = 2;
const IDXD_VER_OFFSET = 0x00;
const IDXD_GENCAP_OFFSET = 0x10;
const IDXD_WQCAP_OFFSET = 0x20;
const IDXD_TABLE_OFFSET = 0x60;
const IDXD_GENCFG_OFFSET = 0x80;
const IDXD_GENCTRL_OFFSET = 0x88;
const IDXD_GENSTS_OFFSET = 0x90;
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
const IDXD_CMDSTS_ERR_DEV_ENABLED = 0x10;
const IDXD_CMDSTS_ERR_WQ_ENABLED = 0x21;

const IDXD_INTC_ERR = 0x01;
const IDXD_INTC_CMD = 0x02;
const IDXD_INTC_INT_HANDLE_REVOKED = 0x80000000;
const IDXD_GENCTRL_SOFTERR_INT_EN = 0x1;
const IDXD_GENCTRL_HALT_INT_EN = 0x2;
const IDXD_DEVICE_STATE_HALT = 3;

const GRPCFG_SIZE = 64;
const GRPWQCFG_OFFSET = 0;
const GRPENGCFG_OFFSET = 32;
const GRPFLGCFG_OFFSET = 40;
const MSIX_PERM_PASID_EN = 1 << 3;
const MSIX_PERM_PASID_SHIFT = 12;
const MSIX_PERM_STRIDE = 8;

const IDXD_PORTAL_SIZE = 0x1000;
const IDXD_PORTAL_LIMITED = 1;
const INVALID_INT_HANDLE = -1;

/**
 * The emulator's fault-injection register (not a DSA register): bit 0 revokes every interrupt
 * handle, as the host would. Used only when the debugger's ims_debug.revoke_int_handles() is
 * not there.
 */
const EMU_INJECT_OFFSET = 0x2f0;
const EMU_INJECT_REVOKE_INT_HANDLES = 0x1;

/** The PASID the kernel's own DMA runs under (iommu_alloc_global_pasid picks the lowest free). */
const SYSTEM_PASID = 1;
const COPY_BYTES = 16384;
/** Descriptors per WQ in flight when the host revokes the handles. */
const BURST = 6;

// ---- a workqueue stand-in: queued from interrupt threads, run in process context ----

function queue_work(idxd, fn) {
  idxd.work.push(fn);
  complete(idxd.work_kick);
}

/** Runs the queued work, oldest first, including work queued while it runs. */
function flush_workqueue(idxd) {
  while (idxd.work.length > 0) idxd.work.shift()();
}

// ---- commands (device.c) ----

/** idxd_cmd_exec(): the command with int_req; the misc interrupt says it is done. */
function idxd_cmd_exec(idxd, cmd_code, operand) {
  reinit_completion(idxd.cmd_done);
  writel(
    ((operand & 0xfffff) | (cmd_code << 20) | IDXD_CMD_INT_REQ) >>> 0,
    idxd.reg_base + IDXD_CMD_OFFSET,
  );
  wait_for_completion(idxd.cmd_done);
  return readl(idxd.reg_base + IDXD_CMDSTS_OFFSET);
}

/** idxd_device_init_reset(): a polled RESET_DEVICE, before interrupts exist. */
function idxd_device_init_reset(idxd) {
  if ((readl(idxd.reg_base + IDXD_GENSTS_OFFSET) & 0x3) === IDXD_DEVICE_STATE_HALT) {
    dev_err(idxd.pdev, 'Device is HALTED, cannot reset\n');
    return -EIO;
  }
  writel(IDXD_CMD_RESET_DEVICE << 20, idxd.reg_base + IDXD_CMD_OFFSET);
  while (readl(idxd.reg_base + IDXD_CMDSTS_OFFSET) & IDXD_CMDSTS_ACTIVE) cpu_relax();
  return 0;
}

/** idxd_device_request_int_handle(): a handle for MSI-X entry `id` in CMDSTS[23:8], or -errno. */
function idxd_device_request_int_handle(idxd, id) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_REQUEST_INT_HANDLE, id);
  if (stat & 0xff) {
    dev_err(idxd.pdev, 'request int handle for entry %d failed: %#x\n', id, stat & 0xff);
    return -ENXIO;
  }
  return (stat >>> 8) & 0xffff;
}

// ---- the misc interrupt (irq.c idxd_misc_thread) ----

function idxd_misc_thread(_irq, idxd) {
  const cause = readl(idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (!cause) return IRQ_NONE;
  writel(cause, idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (cause & IDXD_INTC_ERR) {
    const swerr = readq(idxd.reg_base + IDXD_SWERR_OFFSET);
    writeq(swerr & 0x3n, idxd.reg_base + IDXD_SWERR_OFFSET);
    dev_warn(idxd.pdev, 'err[0]: %#018llx\n', swerr);
  }
  if (cause & IDXD_INTC_INT_HANDLE_REVOKED) {
    dev_info(idxd.pdev, 'interrupt handles revoked\n');
    queue_work(idxd, () => idxd_int_handle_revoke(idxd));
  }
  if (cause & IDXD_INTC_CMD) complete(idxd.cmd_done);
  return IRQ_HANDLED;
}

// ---- handle revocation (irq.c) ----

/**
 * idxd_int_handle_revoke(): a new handle for every entry that had one; where it changed, swap it
 * with submissions held back and send a drain whose interrupt lets idxd_wq_thread find the
 * descriptors that completed with the old handle.
 */
function idxd_int_handle_revoke(idxd) {
  for (const wq of idxd.wqs) {
    const ie = wq.ie;
    if (ie.int_handle === INVALID_INT_HANDLE) continue;
    const new_handle = idxd_device_request_int_handle(idxd, ie.id);
    if (new_handle < 0) {
      dev_warn(idxd.pdev, 'get int handle %d failed: %d\n', ie.id, new_handle);
      ie.int_handle = INVALID_INT_HANDLE;
      idxd_abort_invalid_int_handle_descs(wq);
      continue;
    }
    if (ie.int_handle === new_handle) continue;
    // percpu_ref_kill(&wq->wq_active) ... percpu_ref_reinit(): nothing submits in between here.
    dev_info(
      idxd.pdev,
      'wq%d.%d: int handle %d -> %d\n',
      idxd.index,
      wq.id,
      ie.int_handle,
      new_handle,
    );
    ie.int_handle = new_handle;
    if (wq.mode === 'dedicated') udelay(100); // earlier MOVDIR64Bs reach the device first
    idxd_int_handle_revoke_drain(wq);
  }
}

/** idxd_abort_invalid_int_handle_descs(): without a handle, those descriptors end aborted. */
function idxd_abort_invalid_int_handle_descs(wq) {
  for (const d of wq.work_list) {
    if ((d.comp[0] & DSA_COMP_STATUS_MASK) !== DSA_COMP_INT_HANDLE_INVAL) continue;
    d.status = DSA_COMP_INT_HANDLE_INVAL;
    wq.outstanding--;
  }
  wq.work_list = wq.work_list.filter((d) => d.status === DSA_COMP_NONE);
  complete(wq.idxd.work_kick);
}

/** idxd_int_handle_revoke_drain(): a DRAIN with RCI only (no record) and the new handle. */
function idxd_int_handle_revoke_drain(wq) {
  const desc = new dsa_hw_desc({
    opcode: DSA_OPCODE_DRAIN,
    flags: IDXD_OP_FLAG_RCI,
    priv: 1,
    pasid: SYSTEM_PASID,
    int_handle: wq.ie.int_handle,
  });
  idxd_wq_portal_submit(wq, desc);
}

// ---- WQ completions (irq.c idxd_wq_thread, submit.c) ----

/** idxd_submit_desc(): the handle is filled in at submission, as Linux does. */
function idxd_submit_desc(wq, d) {
  d.hw.int_handle = wq.ie.int_handle;
  d.comp[0] = 0;
  wq.work_list.push(d);
  idxd_wq_portal_submit(wq, d.hw);
}

function idxd_wq_portal_submit(wq, desc) {
  if (wq.mode === 'dedicated') iosubmit_cmds512(wq.portal, desc.toBytes(), 1);
  else while (enqcmds(wq.portal, desc.toBytes()) === -EAGAIN) cpu_relax();
}

/**
 * idxd_wq_thread(): every descriptor whose record has a status is done — unless the status is
 * INT_HANDLE_INVAL, which means "submit me again" (idxd_queue_int_handle_resubmit).
 */
function idxd_wq_thread(_irq, ie) {
  const wq = ie.wq;
  const still = [];
  for (const d of wq.work_list) {
    const status = d.comp[0] & DSA_COMP_STATUS_MASK;
    if (status === DSA_COMP_NONE) {
      still.push(d);
    } else if (status === DSA_COMP_INT_HANDLE_INVAL) {
      wq.resubmitted++;
      queue_work(wq.idxd, () => idxd_submit_desc(wq, d));
    } else {
      d.status = status;
      wq.outstanding--;
      complete(d.done);
      complete(wq.idxd.work_kick);
    }
  }
  wq.work_list = still;
  return IRQ_HANDLED;
}

// ---- probe steps (init.c) ----

function idxd_read_caps(idxd) {
  const base = idxd.reg_base;
  const gencap = readq(base + IDXD_GENCAP_OFFSET);
  const wqcap = readq(base + IDXD_WQCAP_OFFSET);
  idxd.cmdcap = gencap & 0x10n ? readl(base + IDXD_CMDCAP_OFFSET) : 0;
  idxd.request_int_handles = (idxd.cmdcap & (1 << IDXD_CMD_REQUEST_INT_HANDLE)) !== 0;
  idxd.wqcfg_size = 1 << (Number((wqcap >> 24n) & 0xfn) + 5);
  const table = readq(base + IDXD_TABLE_OFFSET);
  idxd.grpcfg_offset = Number(table & 0xffffn) * IDXD_TABLE_MULT;
  idxd.wqcfg_offset = Number((table >> 16n) & 0xffffn) * IDXD_TABLE_MULT;
  idxd.msix_perm_offset = Number((table >> 32n) & 0xffffn) * IDXD_TABLE_MULT;
}

/** idxd_setup_interrupts(): every MSI-X vector up front; entry 0 is the misc interrupt. */
function idxd_setup_interrupts(idxd) {
  const pdev = idxd.pdev;
  const msixcnt = pci_msix_vec_count(pdev);
  if (pci_alloc_irq_vectors(pdev, msixcnt, msixcnt, PCI_IRQ_MSIX) !== msixcnt) return -ENOSPC;
  idxd.misc_irq = pci_irq_vector(pdev, 0);
  const rc = request_threaded_irq(idxd.misc_irq, null, idxd_misc_thread, 0, 'idxd-misc', idxd);
  if (rc) return rc;
  const genctrl = readl(idxd.reg_base + IDXD_GENCTRL_OFFSET);
  writel(
    genctrl | IDXD_GENCTRL_SOFTERR_INT_EN | IDXD_GENCTRL_HALT_INT_EN,
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
  return 0;
}

/** __idxd_wq_config_write() for a kernel WQ: dedicated ones run under the system PASID. */
function idxd_wq_config_write(idxd, wq) {
  const base = idxd.reg_base + idxd.wqcfg_offset + wq.id * idxd.wqcfg_size;
  const wqcfg = [];
  for (let i = 0; i < idxd.wqcfg_size / 4; i++) wqcfg.push(readl(base + i * 4));
  const dedicated = wq.mode === 'dedicated' ? 1 : 0;
  wqcfg[0] = wq.size & 0xffff;
  wqcfg[1] = dedicated ? 0 : wq.threshold & 0xffff;
  wqcfg[2] =
    (dedicated |
      ((wq.priority & 0xf) << 4) |
      ((dedicated ? SYSTEM_PASID : 0) << 8) |
      (1 << 28) | // pasid_en
      (1 << 29)) >>> // priv: a kernel WQ
    0;
  wqcfg[3] = (Math.log2(wq.max_transfer_size) & 0x1f) | ((Math.log2(wq.max_batch_size) & 0xf) << 5);
  for (let i = 0; i < wqcfg.length; i++) writel(wqcfg[i], base + i * 4);
}

function idxd_groups_config_write(idxd, cfg) {
  if (cfg.read_buffer_limit) {
    const gencfg = readl(idxd.reg_base + IDXD_GENCFG_OFFSET);
    writel((gencfg & ~0xff) | (cfg.read_buffer_limit & 0xff), idxd.reg_base + IDXD_GENCFG_OFFSET);
  }
  for (const group of cfg.groups) {
    const base = idxd.reg_base + idxd.grpcfg_offset + group.id * GRPCFG_SIZE;
    const wqs = [0n, 0n, 0n, 0n];
    for (const id of group.wqs) wqs[id >> 6] |= 1n << BigInt(id & 63);
    let engines = 0n;
    for (const id of group.engines) engines |= 1n << BigInt(id);
    for (let i = 0; i < 4; i++) writeq(wqs[i], base + GRPWQCFG_OFFSET + i * 8);
    writeq(engines, base + GRPENGCFG_OFFSET);
    writel(
      ((group.traffic_class_a & 0x7) |
        ((group.traffic_class_b & 0x7) << 3) |
        ((group.read_buffers_reserved & 0xff) << 8) |
        ((group.read_buffers_allowed & 0xff) << 20)) >>>
        0,
      base + GRPFLGCFG_OFFSET,
    );
  }
}

/**
 * idxd_wq_request_irq(): MSI-X entry wq_id + 1, its permission entry for the system PASID,
 * the threaded handler, and the entry's interrupt handle.
 */
function idxd_wq_request_irq(idxd, wq) {
  const ie = wq.ie;
  ie.vector = pci_irq_vector(idxd.pdev, ie.id);
  writel(
    (SYSTEM_PASID << MSIX_PERM_PASID_SHIFT) | MSIX_PERM_PASID_EN,
    idxd.reg_base + idxd.msix_perm_offset + ie.id * MSIX_PERM_STRIDE,
  );
  const rc = request_threaded_irq(ie.vector, null, idxd_wq_thread, 0, 'idxd-portal', ie);
  if (rc) return rc;
  if (!idxd.request_int_handles) {
    ie.int_handle = ie.id;
    return 0;
  }
  const handle = idxd_device_request_int_handle(idxd, ie.id);
  if (handle < 0) return handle;
  ie.int_handle = handle;
  return 0;
}

function idxd_wq_enable(idxd, wq) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_WQ, wq.id) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_WQ_ENABLED) {
    dev_err(idxd.pdev, 'wq%d: enable failed: CMDSTS 0x%02x\n', wq.id, stat);
    return -ENXIO;
  }
  wq.portal = idxd.wq_base + wq.id * 4 * IDXD_PORTAL_SIZE + IDXD_PORTAL_LIMITED * IDXD_PORTAL_SIZE;
  return 0;
}

// ---- copies ----

/** A MEMMOVE with record and interrupt, and the buffers it copies. */
function idxd_alloc_copy(idxd, wq, n) {
  const src = dma_alloc_coherent(idxd.pdev.dev, COPY_BYTES);
  const dst = dma_alloc_coherent(idxd.pdev.dev, COPY_BYTES);
  for (let i = 0; i < 256; i++) src[i] = (i * 13 + n * 7 + wq.id) & 0xff;
  for (let len = 256; len < COPY_BYTES; len *= 2) src.copyWithin(len, 0, len);
  const comp = dma_alloc_coherent(idxd.pdev.dev, 32);
  const hw = new dsa_hw_desc({
    opcode: DSA_OPCODE_MEMMOVE,
    flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI,
    priv: 1,
    pasid: SYSTEM_PASID,
    src_addr: src.dma_handle,
    dst_addr: dst.dma_handle,
    xfer_size: COPY_BYTES,
    completion_addr: comp.dma_handle,
  });
  return { hw, comp, src, dst, done: init_completion(), status: DSA_COMP_NONE };
}

/** Waits, in process context, until every copy of every WQ is done, running queued work. */
function idxd_wait_all(idxd) {
  flush_workqueue(idxd);
  while (idxd.wqs.some((wq) => wq.outstanding > 0)) {
    wait_for_completion(idxd.work_kick);
    flush_workqueue(idxd);
  }
}

function idxd_copies(idxd, count, revoke_after_ns) {
  const copies = [];
  for (const wq of idxd.wqs) {
    for (let n = 0; n < count; n++) {
      const d = idxd_alloc_copy(idxd, wq, n);
      copies.push({ wq, d });
      wq.outstanding++;
      idxd_submit_desc(wq, d);
    }
  }
  if (revoke_after_ns !== null) {
    ndelay(revoke_after_ns);
    host_revokes_int_handles(idxd);
  }
  idxd_wait_all(idxd);
  let bad = 0;
  for (const { d } of copies)
    if (d.status !== DSA_COMP_SUCCESS || memcmp(d.src, d.dst, COPY_BYTES) !== 0) bad++;
  return bad;
}

/** Not the driver: the host revokes the device's interrupt handles (FLR of the PF, migration). */
function host_revokes_int_handles(idxd) {
  const dbg = /** @type {{ revoke_int_handles?: (pdev: pci_dev) => void }} */ (
    /** @type {unknown} */ (ims_debug)
  );
  if (typeof dbg.revoke_int_handles === 'function') dbg.revoke_int_handles(idxd.pdev);
  else writel(EMU_INJECT_REVOKE_INT_HANDLES, idxd.reg_base + EMU_INJECT_OFFSET);
}

// ---- the PCI driver ----

function idxd_pci_probe(pdev, _id) {
  pcim_enable_device(pdev);
  const reg_base = pcim_iomap(pdev, IDXD_MMIO_BAR, 0);
  dma_set_mask_and_coherent(pdev.dev, DMA_BIT_MASK(64));
  pci_set_master(pdev);
  const cfg = accel_config_get(pdev);
  const idxd = {
    pdev,
    reg_base,
    index: cfg?.index ?? 0,
    cmd_done: init_completion(),
    work: [],
    work_kick: init_completion(),
    wqs: [],
  };
  pci_set_drvdata(pdev, idxd);
  idxd.version = readl(reg_base + IDXD_VER_OFFSET);
  let rc = idxd_device_init_reset(idxd);
  if (rc) return rc;
  idxd_read_caps(idxd);
  rc = idxd_setup_interrupts(idxd);
  if (rc) return rc;
  if (!cfg) {
    dev_err(pdev, 'no accel-config for this device\n');
    return -ENODEV;
  }
  for (const w of cfg.wqs) {
    if (w.group === null || w.size === 0) continue;
    idxd_wq_config_write(idxd, w);
    const wq = { id: w.id, mode: w.mode, idxd, work_list: [], outstanding: 0, resubmitted: 0 };
    wq.ie = { id: w.id + 1, int_handle: INVALID_INT_HANDLE, wq };
    idxd.wqs.push(wq);
  }
  idxd_groups_config_write(idxd, cfg);
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_DEVICE, 0) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_DEV_ENABLED) return -ENXIO;
  idxd.wq_base = pci_iomap(pdev, IDXD_WQ_BAR, 0);
  for (const wq of idxd.wqs) {
    rc = idxd_wq_request_irq(idxd, wq) || idxd_wq_enable(idxd, wq);
    if (rc) return rc;
    dev_info(
      pdev,
      'wq%d.%d: MSI-X entry %d, int handle %d\n',
      idxd.index,
      wq.id,
      wq.ie.id,
      wq.ie.int_handle,
    );
  }

  let bad = idxd_copies(idxd, 1, null);
  dev_info(pdev, 'before revocation: %d copies per WQ, %d bad\n', 1, bad);
  bad = idxd_copies(idxd, BURST, 300);
  for (const wq of idxd.wqs) {
    dev_info(
      pdev,
      'wq%d.%d: %d copies, %d resubmitted after INT_HANDLE_INVAL, int handle now %d\n',
      idxd.index,
      wq.id,
      BURST,
      wq.resubmitted,
      wq.ie.int_handle,
    );
  }
  if (bad) {
    dev_err(pdev, 'revocation recovery: %d copies bad\n', bad);
    return -EIO;
  }
  dev_info(pdev, 'revocation recovery: all %d copies verified\n', BURST * idxd.wqs.length);
  return 0;
}

function idxd_pci_remove(pdev) {
  const idxd = pci_get_drvdata(pdev);
  for (const wq of idxd.wqs) {
    idxd_cmd_exec(idxd, IDXD_CMD_DISABLE_WQ, (1 << (wq.id % 16)) | (Math.floor(wq.id / 16) << 16));
    free_irq(wq.ie.vector, wq.ie);
    if (idxd.request_int_handles)
      idxd_cmd_exec(idxd, IDXD_CMD_RELEASE_INT_HANDLE, wq.ie.int_handle);
    writel(0, idxd.reg_base + idxd.msix_perm_offset + wq.ie.id * MSIX_PERM_STRIDE);
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
