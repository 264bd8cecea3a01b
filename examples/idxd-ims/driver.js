// SPDX-License-Identifier: MIT
/*
 * A driver model of Linux's idxd driver (drivers/dma/idxd/) for an Intel DSA that takes its
 * work-queue completion interrupts through IMS, the Interrupt Message Store.
 *
 * The probe follows the kernel's order: reset, read the capabilities and TABLE offsets, MSI-X
 * with vector 0 as the misc interrupt (command completion via INTCAUSE), configure every group,
 * engine and WQ the accel-config file names, enable the device; then per WQ an IMS irq with a
 * PASID cookie, request_irq, REQUEST_INT_HANDLE for the IMS slot, ENABLE_WQ, and one MEMMOVE
 * with a completion interrupt whose bytes are checked.
 *
 * The IMS half is the design of Linux v6.2's PCI/IMS API (pci_create_ims_domain,
 * pci_ims_alloc_irq; removed in 2024) and of Thomas Gleixner's PCI-IDXD irq chip
 * ("irqchip: Add IDXD Interrupt Message Store driver", 2022, never merged): mainline idxd uses
 * MSI-X only. The model submits through every WQ the configuration names, whatever its type,
 * standing in for all of its clients.
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
  idxd_dev_index,
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
  wq.completed_at = ktime_get_ns();
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

/** A MEMMOVE that asks for a completion record and a completion interrupt (RCR | RCI). */
function idxd_wq_memmove(wq, dst, src, len) {
  const desc = new dsa_hw_desc({
    opcode: DSA_OPCODE_MEMMOVE,
    flags: IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI | IDXD_OP_FLAG_CC,
    priv: 1,
    pasid: SYSTEM_PASID,
    src_addr: src.dma_handle,
    dst_addr: dst.dma_handle,
    xfer_size: len,
    completion_addr: wq.comp.dma_handle,
    int_handle: wq.int_handle,
  });
  if (wq.mode === 'dedicated') {
    iosubmit_cmds512(wq.portal, desc.toBytes(), 1);
  } else {
    while (enqcmds(wq.portal, desc.toBytes()) === -EAGAIN) cpu_relax();
  }
}

function idxd_wq_test_copy(idxd, wq) {
  const src = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  const dst = dma_alloc_coherent(idxd.pdev.dev, TEST_BYTES);
  for (let i = 0; i < TEST_BYTES; i++) src[i] = (i * 7 + wq.id) & 0xff;
  const submitted = ktime_get_ns();
  idxd_wq_memmove(wq, dst, src, TEST_BYTES);
  wait_for_completion(wq.done);
  const ok = wq.status === DSA_COMP_SUCCESS && memcmp(src, dst, TEST_BYTES) === 0;
  dev_info(
    idxd.pdev,
    'wq%d.%d: MEMMOVE of %d bytes: status 0x%02x, %s, %d ns\n',
    idxd.index,
    wq.id,
    TEST_BYTES,
    wq.status,
    ok ? 'data verified' : 'DATA MISMATCH',
    wq.completed_at - submitted,
  );
  return ok ? 0 : -EIO;
}

// ---- the PCI driver ----

function idxd_pci_probe(pdev, _id) {
  pcim_enable_device(pdev);
  const reg_base = pcim_iomap(pdev, IDXD_MMIO_BAR, 0);
  dma_set_mask_and_coherent(pdev.dev, DMA_BIT_MASK(64));
  pci_set_master(pdev);

  const idxd = {
    pdev,
    reg_base,
    index: idxd_dev_index(pdev),
    cmd_done: init_completion(),
    wqs: [],
  };
  pci_set_drvdata(pdev, idxd);
  idxd.version = readl(reg_base + IDXD_VER_OFFSET);
  let rc = idxd_device_init_reset(idxd);
  if (rc) return rc;
  idxd_read_caps(idxd);
  idxd_read_table_offsets(idxd);
  rc = idxd_setup_interrupts(idxd) || idxd_setup_ims(idxd);
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
  for (const wq of idxd.wqs) {
    rc = idxd_wq_request_irq(idxd, wq) || idxd_wq_enable(idxd, wq);
    if (rc) return rc;
  }
  for (const wq of idxd.wqs) {
    rc = idxd_wq_test_copy(idxd, wq);
    if (rc) return rc;
  }
  dev_info(
    pdev,
    'Intel(R) Accelerator Device (v%x): %d WQs with IMS completion interrupts\n',
    idxd.version,
    idxd.wqs.length,
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
