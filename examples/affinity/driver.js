// SPDX-License-Identifier: MIT
/*
 * Moving an interrupt between CPUs, on the idxd IMS model of examples/idxd-ims (the PCI/IMS API
 * of Linux v6.2–v6.9 and the unmerged PCI-IDXD irq chip): one WQ, its completion interrupt
 * through an IMS slot and interrupt remapping.
 *
 * irq_set_affinity() moves the vector the way x86 Linux does with remapping: the vector level
 * takes a vector on the new CPU and keeps the old one (prev_vector/prev_cpu); the IRTE gets the
 * new vector and destination (DST) and is flushed from the IR unit's interrupt entry cache
 * (modify_irte → qi_flush_iec); the IMS slot's message does not change. With remapping the move
 * is complete once the IRTE is rewritten — "after this point, all the interrupts will start
 * arriving at the new destination" (intel_ir_set_affinity) — so the old vector's cleanup is
 * scheduled at once and a timer on the old CPU frees it a jiffy later; the next completion
 * interrupt already arrives on the new CPU. (Without remapping the move would stay "in
 * progress" until that first interrupt on the new CPU: irq_complete_move.)
 *
 * Then remove_cpu() takes the irq's CPU down: fixup_irqs moves the irq to another online CPU
 * (its affinity had only the dying CPU: "no longer affine"), the IRTE follows; add_cpu() brings
 * the CPU back and the irq is moved back to it. Last, an IRTE written without the cache flush
 * shows the unit going on with its cached entry ("stale IRTE" in the trace).
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

// ---- include/linux/irqchip/irq-pci-intel-idxd.h: one IMS slot ----
const IMS_SLOT_SIZE = 16;
const IMS_ADDR_LO = 0x0;
const IMS_ADDR_HI = 0x4;
const IMS_DATA = 0x8;
const IMS_CTRL = 0xc;
const CTRL_VECTOR_MASKBIT = 0x1;
const CTRL_PASID_ENABLE = 0x8;
const CTRL_PASID_SHIFT = 12;

/** The PASID the kernel's own DMA runs under (iommu_alloc_global_pasid picks the lowest free). */
const SYSTEM_PASID = 1;
/** Bytes each WQ copies in its test MEMMOVE. */
const TEST_BYTES = 4096;

// ---- the PCI-IDXD irq chip: the IMS slot as the hardware exposes it ----

function idxd_ims_slot(data) {
  return irq_data_get_msi_desc(data).data.dcookie.iobase;
}

/** irq_mask: write the control word with the mask bit, then read it back to flush. */
function idxd_ims_mask(data) {
  const desc = irq_data_get_msi_desc(data);
  const slot = idxd_ims_slot(data);
  writel(desc.data.icookie.value | CTRL_VECTOR_MASKBIT, slot + IMS_CTRL);
  readl(slot + IMS_CTRL);
}

/** irq_unmask: the control word without the mask bit; PASID and PASID enable stay. */
function idxd_ims_unmask(data) {
  const desc = irq_data_get_msi_desc(data);
  const slot = idxd_ims_slot(data);
  writel(desc.data.icookie.value, slot + IMS_CTRL);
  readl(slot + IMS_CTRL);
}

/** irq_write_msi_msg: the message the parent (interrupt remapping) composed. */
function idxd_ims_write_msi_msg(data, msg) {
  const slot = idxd_ims_slot(data);
  writel(msg.address_lo, slot + IMS_ADDR_LO);
  writel(msg.address_hi, slot + IMS_ADDR_HI);
  writel(msg.data, slot + IMS_DATA);
  readl(slot + IMS_DATA);
}

/**
 * prepare_desc: point the descriptor at its slot, mask the slot, and turn the PASID cookie into
 * the control word the chip callbacks write (PASID << 12 | PASID enable).
 */
function idxd_ims_prepare_desc(domain, arg, desc) {
  const slot = domain.host_data.data + desc.msi_index * IMS_SLOT_SIZE;
  desc.data.dcookie.iobase = slot;
  writel(CTRL_VECTOR_MASKBIT, slot + IMS_CTRL);
  desc.data.icookie.value =
    ((desc.data.icookie.value << CTRL_PASID_SHIFT) | CTRL_PASID_ENABLE) >>> 0;
  arg.hwirq = desc.msi_index;
}

const idxd_ims_template = {
  chip: {
    name: 'PCI-IDXD',
    irq_mask: idxd_ims_mask,
    irq_unmask: idxd_ims_unmask,
    irq_write_msi_msg: idxd_ims_write_msi_msg,
    flags: IRQCHIP_ONESHOT_SAFE,
  },
  ops: { prepare_desc: idxd_ims_prepare_desc },
  info: {
    flags: MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS | MSI_FLAG_PCI_IMS,
    bus_token: DOMAIN_BUS_PCI_DEVICE_IMS,
  },
};

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

function idxd_read_table_offsets(idxd) {
  const q0 = readq(idxd.reg_base + IDXD_TABLE_OFFSET);
  idxd.grpcfg_offset = Number(q0 & 0xffffn) * IDXD_TABLE_MULT;
  idxd.wqcfg_offset = Number((q0 >> 16n) & 0xffffn) * IDXD_TABLE_MULT;
  idxd.msix_perm_offset = Number((q0 >> 32n) & 0xffffn) * IDXD_TABLE_MULT;
  idxd.ims_offset = Number((q0 >> 48n) & 0xffffn) * IDXD_TABLE_MULT;
}

/** idxd_setup_interrupts(): every MSI-X vector; entry 0 is the misc interrupt. */
function idxd_setup_interrupts(idxd) {
  const pdev = idxd.pdev;
  const msixcnt = pci_msix_vec_count(pdev);
  const rc = pci_alloc_irq_vectors(pdev, msixcnt, msixcnt, PCI_IRQ_MSIX);
  if (rc !== msixcnt) {
    dev_err(pdev, 'Failed enabling %d MSIX entries: %d\n', msixcnt, rc);
    return -ENOSPC;
  }
  idxd.misc_irq = pci_irq_vector(pdev, 0);
  const err = request_threaded_irq(idxd.misc_irq, null, idxd_misc_thread, 0, 'idxd-misc', idxd);
  if (err) return err;
  const genctrl = readl(idxd.reg_base + IDXD_GENCTRL_OFFSET);
  writel(
    genctrl | IDXD_GENCTRL_SOFTERR_INT_EN | IDXD_GENCTRL_HALT_INT_EN,
    idxd.reg_base + IDXD_GENCTRL_OFFSET,
  );
  return 0;
}

/** The per-device IMS domain, "IR-PCI-IDXD-<bdf>", over the slots at TABLE.ims. */
function idxd_setup_ims(idxd) {
  if (
    !pci_create_ims_domain(
      idxd.pdev,
      idxd_ims_template,
      idxd.ims_size,
      idxd.reg_base + idxd.ims_offset,
    )
  ) {
    dev_err(idxd.pdev, 'cannot create the IMS domain\n');
    return -ENODEV;
  }
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

function idxd_device_enable(idxd) {
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_ENABLE_DEVICE, 0) & 0xff;
  if (stat && stat !== IDXD_CMDSTS_ERR_DEV_ENABLED) {
    dev_err(idxd.pdev, 'Enabling device failed: CMDSTS 0x%02x\n', stat);
    return -ENXIO;
  }
  return 0;
}

// ---- work queues with IMS completion interrupts ----

/** The completion interrupt of a WQ: the device wrote the completion record, then the IMS message. */
function idxd_wq_completion_handler(irq, wq) {
  const status = wq.comp[0] & DSA_COMP_STATUS_MASK;
  if (status === DSA_COMP_NONE) return IRQ_NONE;
  wq.status = status;
  wq.cpu = smp_processor_id();
  complete(wq.done);
  return IRQ_HANDLED;
}

/** An IMS irq with the system PASID as cookie, its handler, and the slot's interrupt handle. */
function idxd_wq_request_irq(idxd, wq) {
  wq.ims = pci_ims_alloc_irq(idxd.pdev, { value: SYSTEM_PASID });
  if (wq.ims.index < 0) {
    dev_err(idxd.pdev, 'wq%d: no IMS irq: %d\n', wq.id, wq.ims.index);
    return wq.ims.index;
  }
  const rc = request_irq(wq.ims.virq, idxd_wq_completion_handler, 0, 'idxd-portal', wq);
  if (rc) return rc;
  const stat = idxd_cmd_exec(idxd, IDXD_CMD_REQUEST_INT_HANDLE, wq.ims.index | CMD_INT_HANDLE_IMS);
  if (stat & 0xff) {
    dev_err(
      idxd.pdev,
      'wq%d: REQUEST_INT_HANDLE for IMS slot %d failed: 0x%02x\n',
      wq.id,
      wq.ims.index,
      stat & 0xff,
    );
    return -ENXIO;
  }
  wq.int_handle = (stat >> 8) & 0xffff;
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

/** A MEMMOVE with a completion interrupt through the WQ's IMS slot; returns the handler's CPU. */
function idxd_wq_copy(idxd, wq) {
  const src = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  const dst = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  for (let i = 0; i < TEST_BYTES; i++) src[i] = (i * 7 + wq.id) & 0xff;
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
  if (!wait_for_completion_timeout(wq.done, msecs_to_jiffies(10))) return -ETIMEDOUT;
  if (wq.status !== DSA_COMP_SUCCESS || memcmp(src, dst, TEST_BYTES) !== 0) return -EIO;
  return wq.cpu;
}

/** The IRTE of the WQ's irq: vector and destination (x2APIC: DST is the APIC ID). */
function irte_of(wq) {
  const irte = ims_debug.irte_read(ims_debug.irte_of_irq(wq.ims.virq));
  return { vector: Number((irte >> 16n) & 0xffn), dst: Number((irte >> 32n) & 0xffffffffn) };
}

/** Logs where the irq is: its vector level and its IRTE. */
function show(idxd, wq, what) {
  const v = ims_debug.vector_of_irq(wq.ims.virq);
  const e = irte_of(wq);
  dev_info(
    idxd.pdev,
    '%s: irq %d on CPU %d vector %#x%s; IRTE %d: vector %#x DST %d%s\n',
    what,
    wq.ims.virq,
    v.cpu,
    v.vector,
    v.prev_vector
      ? ` (previous: CPU ${v.prev_cpu} vector 0x${v.prev_vector.toString(16)}${v.cleanup_pending ? ', cleanup pending' : ''}${v.move_in_progress ? ', move in progress' : ''})`
      : '',
    ims_debug.irte_of_irq(wq.ims.virq),
    e.vector,
    e.dst,
    ims_debug.iec_read(ims_debug.irte_of_irq(wq.ims.virq)) === null ? ' (not cached)' : ' (cached)',
  );
}

/** Moves the irq to `cpus`, then runs a copy and says where its interrupt arrived. */
function move_and_copy(idxd, wq, cpus) {
  const rc = irq_set_affinity(wq.ims.virq, cpus);
  if (rc) return rc;
  show(idxd, wq, `irq_set_affinity([${cpus.join(', ')}])`);
  const cpu = idxd_wq_copy(idxd, wq);
  if (cpu < 0) return cpu;
  dev_info(idxd.pdev, 'completion interrupt taken on CPU %d\n', cpu);
  msleep(2); // the cleanup timer on the old CPU runs a jiffy later
  show(idxd, wq, 'a jiffy later');
  return 0;
}

// ---- the PCI driver ----

function idxd_pci_probe(pdev, _id) {
  if (num_online_cpus() < 4) {
    dev_err(pdev, 'this model moves its interrupt over CPUs 1–3: run it with 4 CPUs or more\n');
    return -ENODEV;
  }
  pcim_enable_device(pdev);
  const reg_base = pcim_iomap(pdev, IDXD_MMIO_BAR, 0);
  dma_set_mask_and_coherent(pdev.dev, DMA_BIT_MASK(64));
  pci_set_master(pdev);
  const idxd = { pdev, reg_base, index: 0, cmd_done: init_completion(), wqs: [] };
  pci_set_drvdata(pdev, idxd);
  idxd.version = readl(reg_base + IDXD_VER_OFFSET);
  let rc = idxd_device_init_reset(idxd);
  if (rc) return rc;
  idxd_read_caps(idxd);
  idxd_read_table_offsets(idxd);
  rc = idxd_setup_interrupts(idxd) || idxd_setup_ims(idxd);
  if (rc) return rc;

  const cfg = idxd_get_config(idxd);
  const first = cfg.wqs.find((w) => w.group !== null && w.size > 0);
  if (!first) return -EINVAL;
  idxd_wq_config_write(idxd, first);
  const wq = {
    id: first.id,
    mode: first.mode,
    done: init_completion(),
    comp: dma_alloc_coherent(pdev.dev, 32),
  };
  idxd.wqs.push(wq);
  idxd_groups_config_write(idxd, cfg);
  rc = idxd_device_enable(idxd);
  if (rc) return rc;
  idxd.wq_base = pci_iomap(pdev, IDXD_WQ_BAR, 0);
  rc = idxd_wq_request_irq(idxd, wq) || idxd_wq_enable(idxd, wq);
  if (rc) return rc;

  show(idxd, wq, 'after request_irq');
  let cpu = idxd_wq_copy(idxd, wq);
  if (cpu < 0) return cpu;
  dev_info(pdev, 'completion interrupt taken on CPU %d\n', cpu);

  // Move it to CPU 3, then to CPU 2.
  rc = move_and_copy(idxd, wq, [3]) || move_and_copy(idxd, wq, [2]);
  if (rc) return rc;

  // Take its CPU down: fixup_irqs moves it off (its affinity had only CPU 2).
  rc = remove_cpu(2);
  if (rc) return rc;
  show(idxd, wq, 'remove_cpu(2)');
  cpu = idxd_wq_copy(idxd, wq);
  if (cpu < 0) return cpu;
  dev_info(
    pdev,
    'completion interrupt taken on CPU %d; CPU 2 online: %s\n',
    cpu,
    cpu_online(2) ? 'yes' : 'no',
  );
  rc = add_cpu(2) || move_and_copy(idxd, wq, [2]);
  if (rc) return rc;

  // An IRTE changed behind the kernel's back without the interrupt entry cache flush: the unit
  // goes on with its cached entry (the trace says "stale IRTE"); flushing makes it see the
  // table again.
  const index = ims_debug.irte_of_irq(wq.ims.virq);
  const good = ims_debug.irte_read(index);
  ims_debug.irte_write(index, good | (1n << 1n), { flush: false }); // FPD set, not flushed
  dev_info(
    pdev,
    'IRTE %d rewritten without a flush: cache holds FPD %d, table FPD %d\n',
    index,
    Number(((ims_debug.iec_read(index) ?? 0n) >> 1n) & 1n),
    Number((ims_debug.irte_read(index) >> 1n) & 1n),
  );
  cpu = idxd_wq_copy(idxd, wq);
  if (cpu < 0) return cpu;
  ims_debug.irte_write(index, good); // with the flush, as modify_irte() does
  dev_info(
    pdev,
    'IRTE %d restored and flushed: cached %s\n',
    index,
    ims_debug.iec_read(index) === null ? 'no' : 'yes',
  );
  return 0;
}

function idxd_pci_remove(pdev) {
  const idxd = pci_get_drvdata(pdev);
  for (const wq of idxd.wqs) {
    idxd_cmd_exec(idxd, IDXD_CMD_DISABLE_WQ, (1 << (wq.id % 16)) | (Math.floor(wq.id / 16) << 16));
    free_irq(wq.ims.virq, wq);
    idxd_cmd_exec(idxd, IDXD_CMD_RELEASE_INT_HANDLE, wq.int_handle | CMD_INT_HANDLE_IMS);
    pci_ims_free_irq(pdev, wq.ims);
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
