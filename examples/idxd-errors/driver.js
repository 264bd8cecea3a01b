// SPDX-License-Identifier: MIT
/*
 * A driver model of how Linux's idxd driver (drivers/dma/idxd/) meets DSA errors: bad
 * descriptors, the software error register SWERR, and a device halt with its recovery.
 *
 * The device reports a descriptor error in the descriptor's completion record when it can
 * write one (CRAV set, record 32-byte aligned); otherwise it records the error in SWERR, sets
 * INTCAUSE.ERR and sends the misc interrupt (MSI-X entry 0, GENCTRL.softerr_int_en). The misc
 * handler (irq.c idxd_misc_thread) reads the four SWERR qwords, acknowledges by writing
 * valid|overflow back (RW1C), and logs them. The model submits, one after the other:
 *   a bad opcode without CRAV                → SWERR, error 0x10 (DSA_COMP_BAD_OPCODE)
 *   a completion record not 32-byte aligned  → SWERR, error 0x1b (DSA_COMP_CRA_ALIGN)
 *   a MEMMOVE one byte over the WQ's limit   → record, status 0x13 (DSA_COMP_XFER_ERANGE)
 *   a BATCH of one descriptor                → record, status 0x14 (DSA_COMP_DESC_CNT_ERANGE)
 * Then the device halts on a hardware error (injected: the emulator's EMU_INJECT register, not
 * a DSA register, stands in for the failure). GENSTS says HALT with reset type SOFTWARE, so the
 * misc handler queues idxd_device_reinit, which resets the device (RESET_DEVICE), writes the
 * configuration again, enables the device and the WQ; a copy shows the device works.
 *
 * Then it halts again, this time with reset type FLR: RESET_DEVICE cannot recover it. As Linux
 * does since v6.11 (irq.c idxd_halt, idxd_device_flr; init.c idxd_reset_prepare/done), the
 * misc handler masks the error interrupts and queues a work item that calls
 * pci_reset_function(): the driver's reset_prepare, pci_save_state, the Function Level Reset
 * (PCIe Device Control bit 15: config space, MSI-X table, IMS and every DSA register back to
 * reset values), pci_restore_state (COMMAND, the BARs and the MSI-X table come back), then
 * reset_done, which probes the device again without reallocating (reset, interrupts set up
 * anew) and writes the saved configuration back; a last copy shows the device works.
 *
 * The emulated kernel has no workqueues: work that Linux queues from the misc thread runs here
 * in process context, when the probe flushes the queue.
 */
'use strict';

// ---- include/uapi/linux/pci_regs.h ----
const PCI_COMMAND = 0x04;

const {
  IDXD_MMIO_BAR,
  IDXD_WQ_BAR,
  IDXD_VER_OFFSET,
  IDXD_GENCTRL_OFFSET,
  IDXD_GENSTS_OFFSET,
  IDXD_INTCAUSE_OFFSET,
  IDXD_SWERR_OFFSET,
  IDXD_CMD_DISABLE_DEVICE,
  IDXD_CMD_RESET_DEVICE,
  IDXD_CMD_ENABLE_WQ,
  IDXD_CMD_DISABLE_WQ,
  IDXD_INTC_ERR,
  IDXD_INTC_CMD,
  IDXD_GENCTRL_SOFTERR_INT_EN,
  IDXD_GENCTRL_HALT_INT_EN,
  IDXD_DEVICE_STATE_HALT,
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

// ---- drivers/dma/idxd/registers.h: the error and halt fields ----
const IDXD_INTC_HALT_STATE = 0x10;
const IDXD_DEVICE_RESET_SOFTWARE = 0;
const IDXD_DEVICE_RESET_FLR = 1;
const IDXD_SWERR_ACK = 0x3n;

/**
 * The emulator's fault-injection register (not a DSA register): bit 1 halts the device with
 * reset type bits 3:2, bit 4 records a hardware error (HW_ERR1) in SWERR as well.
 */
const EMU_INJECT_OFFSET = 0x2f0;
const EMU_INJECT_HALT = 0x2;
const EMU_INJECT_HW_ERROR = 0x10;

// ---- a workqueue stand-in: queued from the misc thread, run in process context ----

function queue_work(idxd, fn) {
  idxd.work.push(fn);
  complete(idxd.work_kick);
}

function flush_workqueue(idxd) {
  while (idxd.work.length > 0) idxd.work.shift()();
}

// ---- the error interrupts (GENCTRL) ----

/** idxd_mask_error_interrupts(): clears GENCTRL.softerr_int_en and halt_int_en. */
function idxd_mask_error_interrupts(idxd) {
  const genctrl = readl(idxd.reg_base + IDXD_GENCTRL_OFFSET);
  writel(
    genctrl & ~(IDXD_GENCTRL_SOFTERR_INT_EN | IDXD_GENCTRL_HALT_INT_EN),
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
}

/** idxd_unmask_error_interrupts(): GENCTRL.softerr_int_en and halt_int_en. */
function idxd_unmask_error_interrupts(idxd) {
  const genctrl = readl(idxd.reg_base + IDXD_GENCTRL_OFFSET);
  writel(
    genctrl | IDXD_GENCTRL_SOFTERR_INT_EN | IDXD_GENCTRL_HALT_INT_EN,
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
}

// ---- the misc interrupt (irq.c idxd_misc_thread) ----

/** SWERR qword 0, decoded (registers.h union sw_err_reg). */
function swerr_decode(q0) {
  return {
    valid: Number(q0 & 1n),
    overflow: Number((q0 >> 1n) & 1n),
    wq_idx_valid: Number((q0 >> 3n) & 1n),
    error: Number((q0 >> 8n) & 0xffn),
    wq_idx: Number((q0 >> 16n) & 0xffn),
    operation: Number((q0 >> 32n) & 0xffn),
  };
}

function idxd_misc_thread(_irq, idxd) {
  const cause = readl(idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (!cause) return IRQ_NONE;
  writel(cause, idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (cause & IDXD_INTC_HALT_STATE) {
    idxd_halt(idxd);
    return IRQ_HANDLED;
  }
  if (cause & IDXD_INTC_ERR) {
    const sw_err = [];
    for (let i = 0; i < 4; i++) sw_err.push(readq(idxd.reg_base + IDXD_SWERR_OFFSET + i * 8));
    writeq(sw_err[0] & IDXD_SWERR_ACK, idxd.reg_base + IDXD_SWERR_OFFSET);
    for (let i = 0; i < 4; i++) dev_warn(idxd.pdev, 'err[%d]: %#018llx\n', i, sw_err[i]);
    const e = swerr_decode(sw_err[0]);
    dev_warn(
      idxd.pdev,
      'SWERR: error %#x, opcode %#x, wq %s%s\n',
      e.error,
      e.operation,
      e.wq_idx_valid ? String(e.wq_idx) : '-',
      e.overflow ? ' (overflow: errors were lost)' : '',
    );
    idxd.swerrs.push(e);
    complete(idxd.swerr_seen);
  }
  if (cause & IDXD_INTC_CMD) complete(idxd.cmd_done);
  return IRQ_HANDLED;
}

/** The halt branch of idxd_misc_thread: GENSTS tells which reset recovers the device. */
function idxd_halt(idxd) {
  const gensts = readl(idxd.reg_base + IDXD_GENSTS_OFFSET);
  if ((gensts & 0x3) !== IDXD_DEVICE_STATE_HALT) return;
  idxd.halted = true;
  const reset_type = (gensts >> 2) & 0x3;
  if (reset_type === IDXD_DEVICE_RESET_SOFTWARE) {
    dev_err(idxd.pdev, 'device halted (GENSTS %#x): software reset will recover it\n', gensts);
    queue_work(idxd, () => idxd_device_reinit(idxd));
  } else if (reset_type === IDXD_DEVICE_RESET_FLR) {
    idxd_mask_error_interrupts(idxd);
    // Linux logs this with dev_dbg; at info level here so that the run shows it.
    dev_info(idxd.pdev, 'idxd halted, doing FLR. After FLR, configs are restored\n');
    queue_work(idxd, () => idxd_device_flr(idxd));
  } else {
    dev_err(
      idxd.pdev,
      'idxd halted, need %s.\n',
      reset_type === IDXD_DEVICE_RESET_FLR ? 'FLR' : 'system reset',
    );
  }
}

/** irq.c idxd_device_reinit(): reset, configure, enable the device and its WQs again. */
function idxd_device_reinit(idxd) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_RESET_DEVICE, 0) & 0xff;
  dev_info(
    idxd.pdev,
    'RESET_DEVICE: CMDSTS 0x%02x, GENSTS %#x\n',
    stat,
    readl(idxd.reg_base + IDXD_GENSTS_OFFSET),
  );
  // RESET_DEVICE put every register back to reset, GENCTRL included here.
  idxd_unmask_error_interrupts(idxd);
  idxd_device_config(idxd);
  if (idxd_device_enable(idxd) || idxd_wq_enable(idxd, idxd.wq)) {
    dev_err(idxd.pdev, 'reinit failed\n');
    return;
  }
  idxd.halted = false;
  dev_info(idxd.pdev, 'device recovered from the halt\n');
}

// ---- Function Level Reset (irq.c idxd_device_flr; init.c idxd_reset_prepare/done) ----

/** The work item: IDXD needs an FLR, and pci_reset_function() does one. */
function idxd_device_flr(idxd) {
  const rc = pci_reset_function(idxd.pdev);
  if (rc) dev_err(idxd.pdev, 'FLR failed\n');
}

/**
 * err_handler.reset_prepare: Linux saves its software copy of the configuration
 * (idxd_device_config_save); here it lives in `idxd.wq` and `idxd.engine` and survives as is.
 * Then the PCI state.
 */
function idxd_reset_prepare(pdev) {
  const idxd = pci_get_drvdata(pdev);
  idxd.saved = { wq: { ...idxd.wq }, engine: idxd.engine };
  pci_save_state(pdev);
}

/**
 * err_handler.reset_done: after the FLR and pci_restore_state(). Linux probes again without
 * reallocating (idxd_pci_probe_alloc: reset, capabilities, then idxd_cleanup_interrupts and
 * idxd_setup_interrupts), restores the saved configuration and writes it (idxd_device_config),
 * then binds the device and its WQs. v6.15 re-binds only user-type WQs ("Will support kernel
 * type WQ in the future"); this model re-enables its WQ as idxd_device_reinit does, to show
 * the device works after the FLR.
 */
function idxd_reset_done(pdev) {
  const idxd = pci_get_drvdata(pdev);
  if (!idxd.saved) return;
  pci_restore_state(pdev);
  dev_info(
    pdev,
    'after FLR: COMMAND %#x, GENSTS %#x\n',
    pci_read_config_word(pdev, PCI_COMMAND),
    readl(idxd.reg_base + IDXD_GENSTS_OFFSET),
  );
  if (idxd_device_init_reset(idxd)) return;
  idxd_read_caps(idxd);
  idxd_read_table_offsets(idxd);
  // idxd_cleanup_interrupts() then idxd_setup_interrupts().
  free_irq(idxd.misc_irq, idxd);
  pci_free_irq_vectors(pdev);
  if (idxd_setup_interrupts(idxd, idxd_misc_thread)) {
    dev_err(pdev, 'IDXD interrupts failed to setup\n');
    return;
  }
  idxd.wq = { ...idxd.saved.wq };
  idxd.engine = idxd.saved.engine;
  idxd.saved = null;
  idxd_device_config(idxd);
  if (idxd_device_enable(idxd) || idxd_wq_enable(idxd, idxd.wq)) {
    dev_err(pdev, 'HALT: binding to driver fails\n');
    return;
  }
  idxd.halted = false;
  dev_info(pdev, 'device recovered from the FLR\n');
}

// ---- configuration ----

/**
 * idxd_device_config() for the one kernel WQ: its WQCFG, then its group with only this WQ and
 * its engine.
 */
function idxd_device_config(idxd) {
  idxd_wq_config_write(idxd, idxd.wq);
  idxd_groups_config_write(idxd, {
    read_buffer_limit: idxd.read_buffer_limit,
    groups: [{ ...idxd.group, wqs: [idxd.wq.id], engines: [idxd.engine] }],
  });
}

// ---- descriptors ----

/** Submits `desc` by MOVDIR64B to the dedicated WQ. */
function submit(idxd, desc) {
  iosubmit_cmds512(idxd.wq.portal, desc.toBytes(), 1);
}

/** Submits a descriptor that goes wrong without a record and waits for the misc handler. */
function expect_swerr(idxd, what, desc) {
  reinit_completion(idxd.swerr_seen);
  submit(idxd, desc);
  if (!wait_for_completion_timeout(idxd.swerr_seen, msecs_to_jiffies(1))) {
    dev_err(idxd.pdev, '%s: no SWERR interrupt\n', what);
    return -ETIMEDOUT;
  }
  const e = idxd.swerrs[idxd.swerrs.length - 1];
  dev_info(idxd.pdev, '%s: SWERR error 0x%02x\n', what, e.error);
  return 0;
}

/** Submits a descriptor with a completion record and polls its status. */
function expect_record(idxd, what, desc, comp) {
  comp[0] = 0;
  submit(idxd, desc);
  while (comp[0] === 0) cpu_relax();
  dev_info(idxd.pdev, '%s: completion status 0x%02x\n', what, comp[0] & DSA_COMP_STATUS_MASK);
  return comp[0] & DSA_COMP_STATUS_MASK;
}

/** Kernel descriptors: privileged, the system PASID (a dedicated WQ takes WQCFG's anyway). */
function kdesc(init) {
  return new dsa_hw_desc({ priv: 1, pasid: SYSTEM_PASID, ...init });
}

function idxd_bad_descriptors(idxd) {
  const dev = idxd.pdev.dev;
  const buf = dma_alloc_coherent(dev, 4096);
  const comp = dma_alloc_coherent(dev, 64);
  const list = dma_alloc_coherent(dev, 4096);
  const wq = idxd.wq;
  let rc = expect_swerr(idxd, 'bad opcode 0x3f', kdesc({ opcode: 0x3f }));
  if (rc) return rc;
  rc = expect_swerr(
    idxd,
    'completion record at +8',
    kdesc({
      opcode: DSA_OPCODE_NOOP,
      flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR,
      completion_addr: comp.dma_handle + 8,
    }),
  );
  if (rc) return rc;
  const over = expect_record(
    idxd,
    `MEMMOVE of ${wq.max_transfer_size + 1} bytes`,
    kdesc({
      opcode: DSA_OPCODE_MEMMOVE,
      flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR,
      completion_addr: comp.dma_handle,
      src_addr: buf.dma_handle,
      dst_addr: buf.dma_handle + 2048,
      xfer_size: wq.max_transfer_size + 1,
    }),
    comp,
  );
  list.set(kdesc({ opcode: DSA_OPCODE_NOOP }).toBytes(), 0);
  const one = expect_record(
    idxd,
    'BATCH of 1 descriptor',
    kdesc({
      opcode: DSA_OPCODE_BATCH,
      flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR,
      completion_addr: comp.dma_handle,
      src_addr: list.dma_handle,
      xfer_size: 1,
    }),
    comp,
  );
  const codes = idxd.swerrs.map((e) => e.error);
  const ok =
    codes[0] === DSA_COMP_BAD_OPCODE &&
    codes[1] === DSA_COMP_CRA_ALIGN &&
    over === DSA_COMP_XFER_ERANGE &&
    one === DSA_COMP_DESC_CNT_ERANGE;
  dev_info(
    idxd.pdev,
    'bad descriptors: %s\n',
    ok ? 'every error reported as expected' : 'UNEXPECTED',
  );
  return ok ? 0 : -EIO;
}

/** A copy that must succeed: the device works. */
function idxd_test_copy(idxd, what) {
  const dev = idxd.pdev.dev;
  const src = dma_alloc_coherent(dev, 4096);
  const dst = dma_alloc_coherent(dev, 4096);
  const comp = dma_alloc_coherent(dev, 32);
  for (let i = 0; i < 4096; i++) src[i] = (i * 5 + 3) & 0xff;
  const status = expect_record(
    idxd,
    what,
    kdesc({
      opcode: DSA_OPCODE_MEMMOVE,
      flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR,
      completion_addr: comp.dma_handle,
      src_addr: src.dma_handle,
      dst_addr: dst.dma_handle,
      xfer_size: 4096,
    }),
    comp,
  );
  const ok = status === DSA_COMP_SUCCESS && memcmp(src, dst, 4096) === 0;
  dev_info(idxd.pdev, '%s: %s\n', what, ok ? 'data verified' : 'DATA MISMATCH');
  return ok ? 0 : -EIO;
}

/**
 * Not the driver: the device halts on an internal error (injected through EMU_INJECT), needing
 * the reset `reset_type` names.
 */
function hardware_fails(idxd, reset_type) {
  writel(
    EMU_INJECT_HALT | (reset_type << 2) | EMU_INJECT_HW_ERROR,
    idxd.reg_base + EMU_INJECT_OFFSET,
  );
}

function idxd_halt_and_recover(idxd) {
  hardware_fails(idxd, IDXD_DEVICE_RESET_SOFTWARE);
  // The misc thread saw INTCAUSE.HALT_STATE and queued idxd_device_reinit.
  wait_for_completion(idxd.work_kick);
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_WQ, idxd.wq.id) & 0xff;
  dev_info(idxd.pdev, 'while halted: ENABLE_WQ gets CMDSTS 0x%02x\n', stat);
  flush_workqueue(idxd);
  return idxd.halted ? -EIO : idxd_test_copy(idxd, 'copy after recovery');
}

function idxd_halt_and_flr(idxd) {
  hardware_fails(idxd, IDXD_DEVICE_RESET_FLR);
  // The misc thread saw a halt that needs an FLR and queued idxd_device_flr.
  wait_for_completion(idxd.work_kick);
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_RESET_DEVICE, 0) & 0xff;
  dev_info(idxd.pdev, 'while halted for FLR: RESET_DEVICE gets CMDSTS 0x%02x\n', stat);
  flush_workqueue(idxd);
  return idxd.halted ? -EIO : idxd_test_copy(idxd, 'copy after FLR');
}

// ---- the PCI driver ----

function idxd_pci_probe(pdev, _id) {
  pcim_enable_device(pdev);
  const reg_base = pcim_iomap(pdev, IDXD_MMIO_BAR, 0);
  pci_set_master(pdev);
  const cfg = accel_config_get(pdev);
  const w = cfg?.wqs.find((x) => x.group !== null && x.size > 0 && x.mode === 'dedicated');
  if (!cfg || !w) {
    dev_err(pdev, 'the accel-config file must name a dedicated WQ in a group\n');
    return -ENODEV;
  }
  const idxd = {
    pdev,
    reg_base,
    cmd_done: init_completion(),
    swerr_seen: init_completion(),
    swerrs: [],
    work: [],
    work_kick: init_completion(),
    halted: false,
    saved: null,
    wq: { ...w, portal: 0 },
    engine: cfg.engines.find((e) => e.group === w.group)?.id ?? 0,
    group: cfg.groups.find((g) => g.id === w.group),
    read_buffer_limit: cfg.read_buffer_limit,
  };
  pci_set_drvdata(pdev, idxd);
  idxd.version = readl(reg_base + IDXD_VER_OFFSET);
  let rc = idxd_device_init_reset(idxd);
  if (rc) return rc;
  idxd_read_caps(idxd);
  idxd_read_table_offsets(idxd);
  rc = idxd_setup_interrupts(idxd, idxd_misc_thread);
  if (rc) return rc;
  idxd_device_config(idxd);
  idxd.wq_base = pci_iomap(pdev, IDXD_WQ_BAR, 0);
  rc = idxd_device_enable(idxd) || idxd_wq_enable(idxd, idxd.wq);
  if (rc) return rc;
  return (
    idxd_test_copy(idxd, 'first copy') ||
    idxd_bad_descriptors(idxd) ||
    idxd_halt_and_recover(idxd) ||
    idxd_halt_and_flr(idxd)
  );
}

function idxd_pci_remove(pdev) {
  const idxd = pci_get_drvdata(pdev);
  idxd_cmd_exec(
    idxd,
    IDXD_CMD_DISABLE_WQ,
    (1 << (idxd.wq.id % 16)) | (Math.floor(idxd.wq.id / 16) << 16),
  );
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
  err_handler: { reset_prepare: idxd_reset_prepare, reset_done: idxd_reset_done },
});
