// The benchmark models' IMS domain: a minimal PCI-IDXD irq chip over a DSA's IMS store (16-byte
// slots: address lo/hi, data, ctrl with mask bit 0, PASID enable bit 3, PASID in 31:12), the
// kernel asking the driver for it as pci_create_ims_domain does.
'use strict';
const IMS_CTRL = 0xc;

function mask(d) {
  const desc = irq_data_get_msi_desc(d);
  writel(desc.data.icookie.value | 1, desc.data.dcookie.iobase + IMS_CTRL);
}
function unmask(d) {
  const desc = irq_data_get_msi_desc(d);
  writel(desc.data.icookie.value, desc.data.dcookie.iobase + IMS_CTRL);
}
function write_msg(d, msg) {
  const slot = irq_data_get_msi_desc(d).data.dcookie.iobase;
  writel(msg.address_lo, slot);
  writel(msg.address_hi, slot + 4);
  writel(msg.data, slot + 8);
}
function prepare(domain, arg, desc) {
  desc.data.dcookie.iobase = domain.host_data.data + desc.msi_index * 16;
  desc.data.icookie.value = ((desc.data.icookie.value << 12) | 8) >>> 0;
  arg.hwirq = desc.msi_index;
}

/** Creates `pdev`'s IMS domain over the 2,048 slots of the IMS store mapped at `ims`. */
function create_ims_domain(pdev, ims) {
  return pci_create_ims_domain(
    pdev,
    {
      chip: { name: 'PCI-IDXD', irq_mask: mask, irq_unmask: unmask, irq_write_msi_msg: write_msg },
      ops: { prepare_desc: prepare },
      info: {
        flags: MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS,
        bus_token: DOMAIN_BUS_PCI_DEVICE_IMS,
      },
    },
    2048,
    ims,
  );
}

module.exports = { create_ims_domain };
