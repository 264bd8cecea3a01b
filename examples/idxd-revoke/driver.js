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

const {
  IDXD_MMIO_BAR,
  IDXD_WQ_BAR,
  IDXD_VER_OFFSET,
  IDXD_INTCAUSE_OFFSET,
  IDXD_SWERR_OFFSET,
  IDXD_CMD_DISABLE_DEVICE,
  IDXD_CMD_DISABLE_WQ,
  IDXD_CMD_REQUEST_INT_HANDLE,
  IDXD_CMD_RELEASE_INT_HANDLE,
  IDXD_INTC_ERR,
  IDXD_INTC_CMD,
  SYSTEM_PASID,
  idxd_cmd_exec,
  idxd_device_init_reset,
  idxd_read_caps,
  idxd_read_table_offsets,
  idxd_setup_interrupts,
  idxd_wq_config_write,
  idxd_groups_config_write,
  idxd_device_enable,
  idxd_wq_enable,
} = require('../lib/idxd');

// ---- drivers/dma/idxd/registers.h: handle revocation and MSIX_PERM ----
const IDXD_INTC_INT_HANDLE_REVOKED = 0x80000000;
const MSIX_PERM_PASID_EN = 1 << 3;
const MSIX_PERM_PASID_SHIFT = 12;
const MSIX_PERM_STRIDE = 8;
const INVALID_INT_HANDLE = -1;

/**
 * The emulator's fault-injection register (not a DSA register): bit 0 revokes every interrupt
 * handle, as the host would. Used only when the debugger's ims_debug.revoke_int_handles() is
 * not there.
 */
const EMU_INJECT_OFFSET = 0x2f0;
const EMU_INJECT_REVOKE_INT_HANDLES = 0x1;

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

/** idxd_read_caps(), then whether descriptors carry handles (CMDCAP has REQUEST_INT_HANDLE). */
function idxd_read_int_handle_cap(idxd) {
  idxd_read_caps(idxd);
  idxd.request_int_handles = (idxd.cmdcap & (1 << IDXD_CMD_REQUEST_INT_HANDLE)) !== 0;
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
  idxd_read_int_handle_cap(idxd);
  idxd_read_table_offsets(idxd);
  rc = idxd_setup_interrupts(idxd, idxd_misc_thread);
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
  rc = idxd_device_enable(idxd);
  if (rc) return rc;
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
