// SPDX-License-Identifier: MIT
/*
 * The IDXD driver core the example models share, after Linux's drivers/dma/idxd: the registers
 * (registers.h), commands and their completion by the misc interrupt (device.c, irq.c), the
 * probe steps that read the device (init.c), and the group, engine and WQ configuration the
 * accel-config file describes (device.c: idxd_device_config). Each example keeps in its own
 * driver.js what it is about: its interrupts, its WQ clients, its failure paths.
 *
 * A model reaches this file by a relative require (`require('../lib/idxd')`), so it is model
 * code like the driver: breakpoints, stepping and frames work here too.
 */
'use strict';

// ---- drivers/dma/idxd/registers.h ----
const IDXD_MMIO_BAR = 0;
const IDXD_WQ_BAR = 2;
const IDXD_VER_OFFSET = 0x00;
const IDXD_GENCAP_OFFSET = 0x10;
const IDXD_WQCAP_OFFSET = 0x20;
const IDXD_GRPCAP_OFFSET = 0x30;
const IDXD_ENGCAP_OFFSET = 0x38;
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
const CMD_INT_HANDLE_IMS = 0x10000;
const IDXD_CMD_INT_REQ = 0x80000000;
const IDXD_CMDSTS_ACTIVE = 0x80000000;
const IDXD_CMDSTS_ERR_WQ_ENABLED = 0x21;
const IDXD_CMDSTS_ERR_DEV_ENABLED = 0x10;

const IDXD_INTC_ERR = 0x01;
const IDXD_INTC_CMD = 0x02;
const IDXD_GENCTRL_SOFTERR_INT_EN = 0x1;
const IDXD_GENCTRL_HALT_INT_EN = 0x2;
const IDXD_DEVICE_STATE_HALT = 3;

const GRPCFG_SIZE = 64;
const GRPWQCFG_OFFSET = 0;
const GRPENGCFG_OFFSET = 32;
const GRPFLGCFG_OFFSET = 40;

const IDXD_PORTAL_SIZE = 0x1000;
const IDXD_PORTAL_LIMITED = 1;

/** The PASID the kernel's own DMA runs under (iommu_alloc_global_pasid picks the lowest free). */
const SYSTEM_PASID = 1;

// ---- commands (device.c) ----

/** idxd_cmd_exec(): issue a command with int_req and sleep until the misc interrupt says done. */
function idxd_cmd_exec(idxd, cmd_code, operand) {
  reinit_completion(idxd.cmd_done);
  const cmd = ((operand & 0xfffff) | (cmd_code << 20) | IDXD_CMD_INT_REQ) >>> 0;
  writel(cmd, idxd.reg_base + IDXD_CMD_OFFSET);
  wait_for_completion(idxd.cmd_done);
  const stat = readl(idxd.reg_base + IDXD_CMDSTS_OFFSET);
  return stat;
}

/** idxd_device_init_reset(): a polled RESET_DEVICE, before interrupts exist. */
function idxd_device_init_reset(idxd) {
  const gensts = readl(idxd.reg_base + IDXD_GENSTS_OFFSET);
  if ((gensts & 0x3) === IDXD_DEVICE_STATE_HALT) {
    dev_err(idxd.pdev, 'Device is HALTED, cannot reset\n');
    return -EIO;
  }
  writel(IDXD_CMD_RESET_DEVICE << 20, idxd.reg_base + IDXD_CMD_OFFSET);
  while (readl(idxd.reg_base + IDXD_CMDSTS_OFFSET) & IDXD_CMDSTS_ACTIVE) cpu_relax();
  return 0;
}

/** The misc interrupt (MSI-X entry 0): command completion and software errors. */
function idxd_misc_thread(vec, idxd) {
  const cause = readl(idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (!cause) return IRQ_NONE;
  writel(cause, idxd.reg_base + IDXD_INTCAUSE_OFFSET);
  if (cause & IDXD_INTC_ERR) {
    const swerr = readq(idxd.reg_base + IDXD_SWERR_OFFSET);
    dev_err(idxd.pdev, 'SWERR: %#llx (error 0x%x)\n', swerr, Number((swerr >> 8n) & 0xffn));
    writeq(swerr & 0x3n, idxd.reg_base + IDXD_SWERR_OFFSET);
  }
  if (cause & IDXD_INTC_CMD) complete(idxd.cmd_done);
  return IRQ_HANDLED;
}

// ---- probe steps (init.c) ----

/**
 * idxd_read_caps(): GENCAP, WQCAP, GRPCAP and ENGCAP into `idxd` (transfer and batch limits, IMS
 * slots, command capabilities, WQs and their size, groups, engines), and the version line.
 */
function idxd_read_caps(idxd) {
  const base = idxd.reg_base;
  const gencap = readq(base + IDXD_GENCAP_OFFSET);
  const wqcap = readq(base + IDXD_WQCAP_OFFSET);
  const grpcap = readq(base + IDXD_GRPCAP_OFFSET);
  const engcap = readq(base + IDXD_ENGCAP_OFFSET);
  idxd.max_xfer_bytes = 2 ** Number((gencap >> 16n) & 0x1fn);
  idxd.max_batch_size = 2 ** Number((gencap >> 21n) & 0xfn);
  idxd.ims_size = Number((gencap >> 25n) & 0x3fn) * 256;
  idxd.cmdcap = gencap & 0x10n ? readl(base + IDXD_CMDCAP_OFFSET) : 0;
  idxd.max_wq_size = Number(wqcap & 0xffffn);
  idxd.max_wqs = Number((wqcap >> 16n) & 0xffn);
  idxd.wqcfg_size = 1 << (Number((wqcap >> 24n) & 0xfn) + 5);
  idxd.max_groups = Number(grpcap & 0xffn);
  idxd.max_engines = Number(engcap & 0xffn);
  dev_info(
    idxd.pdev,
    'version %#x: %d WQs (%d entries), %d groups, %d engines, %d IMS slots, cmdcap %#x\n',
    idxd.version,
    idxd.max_wqs,
    idxd.max_wq_size,
    idxd.max_groups,
    idxd.max_engines,
    idxd.ims_size,
    idxd.cmdcap,
  );
}

/** idxd_read_table_offsets(): where GRPCFG, WQCFG, MSIX_PERM and the IMS slots are (TABLE). */
function idxd_read_table_offsets(idxd) {
  const q0 = readq(idxd.reg_base + IDXD_TABLE_OFFSET);
  idxd.grpcfg_offset = Number(q0 & 0xffffn) * IDXD_TABLE_MULT;
  idxd.wqcfg_offset = Number((q0 >> 16n) & 0xffffn) * IDXD_TABLE_MULT;
  idxd.msix_perm_offset = Number((q0 >> 32n) & 0xffffn) * IDXD_TABLE_MULT;
  idxd.ims_offset = Number((q0 >> 48n) & 0xffffn) * IDXD_TABLE_MULT;
}

/**
 * idxd_setup_interrupts(): every MSI-X vector; entry 0 is the misc interrupt, handled by
 * `misc_thread` (idxd_misc_thread unless the driver has its own); then GENCTRL's software-error
 * and halt interrupt enables.
 */
function idxd_setup_interrupts(idxd, misc_thread = idxd_misc_thread) {
  const pdev = idxd.pdev;
  const msixcnt = pci_msix_vec_count(pdev);
  const rc = pci_alloc_irq_vectors(pdev, msixcnt, msixcnt, PCI_IRQ_MSIX);
  if (rc !== msixcnt) {
    dev_err(pdev, 'Failed enabling %d MSIX entries: %d\n', msixcnt, rc);
    return -ENOSPC;
  }
  idxd.misc_irq = pci_irq_vector(pdev, 0);
  const err = request_threaded_irq(idxd.misc_irq, null, misc_thread, 0, 'idxd-misc', idxd);
  if (err) return err;
  const genctrl = readl(idxd.reg_base + IDXD_GENCTRL_OFFSET);
  writel(
    genctrl | IDXD_GENCTRL_SOFTERR_INT_EN | IDXD_GENCTRL_HALT_INT_EN,
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
  return 0;
}

// ---- configuration (device.c: idxd_device_config) ----

/** The configuration accel-config wrote; without one, a single dedicated WQ in group 0. */
function idxd_get_config(idxd) {
  const cfg = accel_config_get(idxd.pdev);
  if (cfg) return cfg;
  dev_warn(
    idxd.pdev,
    'no accel-config: using one dedicated kernel WQ (size 16) with engine 0 in group 0\n',
  );
  return {
    read_buffer_limit: 0,
    groups: [
      {
        id: 0,
        wqs: [0],
        engines: [0],
        traffic_class_a: 1,
        traffic_class_b: 1,
        read_buffers_reserved: 0,
        read_buffers_allowed: 0,
        use_read_buffer_limit: false,
      },
    ],
    wqs: [
      {
        id: 0,
        group: 0,
        mode: 'dedicated',
        size: 16,
        threshold: 0,
        priority: 10,
        block_on_fault: false,
        max_transfer_size: 2097152,
        max_batch_size: 32,
        type: 'kernel',
        name: 'dmaengine',
      },
    ],
    engines: [{ id: 0, group: 0 }],
  };
}

/** __idxd_wq_config_write(): read every WQCFG dword back, change the fields, write them all. */
function idxd_wq_config_write(idxd, wq) {
  const base = idxd.reg_base + idxd.wqcfg_offset + wq.id * idxd.wqcfg_size;
  const wqcfg = [];
  for (let i = 0; i < idxd.wqcfg_size / 4; i++) wqcfg.push(readl(base + i * 4));
  wqcfg[0] = wq.size & 0xffff;
  wqcfg[1] = wq.mode === 'shared' ? wq.threshold & 0xffff : 0;
  const dedicated = wq.mode === 'dedicated' ? 1 : 0;
  const pasid = dedicated ? SYSTEM_PASID : 0; // a shared WQ takes the PASID from each descriptor
  wqcfg[2] =
    (dedicated |
      (wq.block_on_fault ? 2 : 0) |
      ((wq.priority & 0xf) << 4) |
      ((pasid & 0xfffff) << 8) |
      (1 << 28) |
      (1 << 29)) >>>
    0; // pasid_en, priv (kernel WQ)
  wqcfg[3] = (Math.log2(wq.max_transfer_size) & 0x1f) | ((Math.log2(wq.max_batch_size) & 0xf) << 5);
  for (let i = 0; i < wqcfg.length; i++) writel(wqcfg[i], base + i * 4);
}

/** idxd_groups_config_write(): GENCFG, then each group's WQ and engine bitmaps and flags. */
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
    const flags =
      (group.traffic_class_a & 0x7) |
      ((group.traffic_class_b & 0x7) << 3) |
      (group.use_read_buffer_limit ? 1 << 7 : 0) |
      ((group.read_buffers_reserved & 0xff) << 8) |
      ((group.read_buffers_allowed & 0xff) << 20);
    writel(flags >>> 0, base + GRPFLGCFG_OFFSET);
  }
}

/** idxd_device_enable(): ENABLE_DEVICE; "already enabled" is no error. */
function idxd_device_enable(idxd) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_DEVICE, 0) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_DEV_ENABLED) {
    dev_err(idxd.pdev, 'Enabling device failed: CMDSTS 0x%02x\n', stat);
    return -ENXIO;
  }
  return 0;
}

/** idxd_wq_enable(): ENABLE_WQ, then the WQ's limited portal in BAR 2 (`wq.portal`). */
function idxd_wq_enable(idxd, wq) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_WQ, wq.id) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_WQ_ENABLED) {
    dev_err(idxd.pdev, 'wq%d: enable failed: CMDSTS 0x%02x\n', wq.id, stat);
    return -ENXIO;
  }
  wq.portal = idxd.wq_base + wq.id * 4 * IDXD_PORTAL_SIZE + IDXD_PORTAL_LIMITED * IDXD_PORTAL_SIZE;
  return 0;
}

/** dsa<N>: the device's index among the DSAs, as accel-config numbers them. */
function idxd_dev_index(pdev) {
  return accel_config_get(pdev)?.index ?? 0;
}

module.exports = {
  IDXD_MMIO_BAR,
  IDXD_WQ_BAR,
  IDXD_VER_OFFSET,
  IDXD_GENCAP_OFFSET,
  IDXD_WQCAP_OFFSET,
  IDXD_GRPCAP_OFFSET,
  IDXD_ENGCAP_OFFSET,
  IDXD_TABLE_OFFSET,
  IDXD_GENCFG_OFFSET,
  IDXD_GENCTRL_OFFSET,
  IDXD_GENSTS_OFFSET,
  IDXD_INTCAUSE_OFFSET,
  IDXD_CMD_OFFSET,
  IDXD_CMDSTS_OFFSET,
  IDXD_CMDCAP_OFFSET,
  IDXD_SWERR_OFFSET,
  IDXD_TABLE_MULT,
  IDXD_CMD_ENABLE_DEVICE,
  IDXD_CMD_DISABLE_DEVICE,
  IDXD_CMD_RESET_DEVICE,
  IDXD_CMD_ENABLE_WQ,
  IDXD_CMD_DISABLE_WQ,
  IDXD_CMD_REQUEST_INT_HANDLE,
  IDXD_CMD_RELEASE_INT_HANDLE,
  CMD_INT_HANDLE_IMS,
  IDXD_CMD_INT_REQ,
  IDXD_CMDSTS_ACTIVE,
  IDXD_CMDSTS_ERR_WQ_ENABLED,
  IDXD_CMDSTS_ERR_DEV_ENABLED,
  IDXD_INTC_ERR,
  IDXD_INTC_CMD,
  IDXD_GENCTRL_SOFTERR_INT_EN,
  IDXD_GENCTRL_HALT_INT_EN,
  IDXD_DEVICE_STATE_HALT,
  GRPCFG_SIZE,
  GRPWQCFG_OFFSET,
  GRPENGCFG_OFFSET,
  GRPFLGCFG_OFFSET,
  IDXD_PORTAL_SIZE,
  IDXD_PORTAL_LIMITED,
  SYSTEM_PASID,
  idxd_cmd_exec,
  idxd_device_init_reset,
  idxd_misc_thread,
  idxd_read_caps,
  idxd_read_table_offsets,
  idxd_setup_interrupts,
  idxd_get_config,
  idxd_wq_config_write,
  idxd_groups_config_write,
  idxd_device_enable,
  idxd_wq_enable,
  idxd_dev_index,
};
