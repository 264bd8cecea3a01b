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

const {
  IDXD_MMIO_BAR,
  IDXD_WQ_BAR,
  IDXD_VER_OFFSET,
  IDXD_CMD_DISABLE_DEVICE,
  IDXD_CMD_DISABLE_WQ,
  IDXD_CMD_REQUEST_INT_HANDLE,
  IDXD_CMD_RELEASE_INT_HANDLE,
  CMD_INT_HANDLE_IMS,
  SYSTEM_PASID,
  idxd_cmd_exec,
  idxd_device_init_reset,
  idxd_read_caps,
  idxd_read_table_offsets,
  idxd_setup_interrupts,
  idxd_get_config,
  idxd_wq_config_write,
  idxd_groups_config_write,
  idxd_device_enable,
  idxd_wq_enable,
} = require('../lib/idxd');

// ---- include/linux/irqchip/irq-pci-intel-idxd.h: one IMS slot ----
const IMS_SLOT_SIZE = 16;
const IMS_ADDR_LO = 0x0;
const IMS_ADDR_HI = 0x4;
const IMS_DATA = 0x8;
const IMS_CTRL = 0xc;
const CTRL_VECTOR_MASKBIT = 0x1;
const CTRL_PASID_ENABLE = 0x8;
const CTRL_PASID_SHIFT = 12;

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

// ---- the IMS domain ----

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
