/**
 * The machine the property tests drive: 4 CPUs, one IR unit and one DSA at 0000:6a:01.0, set up
 * as the idxd-ims example's driver does it — memory decode and bus mastering on, every MSI-X
 * vector with entry 0 as the misc interrupt (its handler acks INTCAUSE and SWERR), an IMS
 * domain whose PCI-IDXD chip writes the slots through MMIO, a dedicated WQ 0 (PASID 1) in
 * group 0 and a shared WQ 1 in group 1, device and WQs enabled, per WQ an IMS irq (cookie PASID
 * 1) requested with its interrupt handle, and MSI-X entry 1 likewise — with a MachineAudit
 * attached from power-on. The rig keeps the driver's side of what is allocated (`Driver`), so the
 * operations (ops.ts) can name irqs, handles and slots by position.
 */
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { deviceFactories, type DsaPlatformDevice } from '../../../src/platform/machine/devices';
import { MachineAudit } from '../../../src/platform/audit';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import { pci_create_ims_domain, pci_ims_alloc_irq } from '../../../src/platform/pci-msi/ims';
import type { PciDev } from '../../../src/platform/pci-msi/pcidev';
import type { MsiDomainTemplate, MsiMap } from '../../../src/platform/irq/msi';
import type { IrqData } from '../../../src/platform/irq/irqdata';
import { request_threaded_irq } from '../../../src/platform/irq/manage';
import {
  DOMAIN_BUS_PCI_DEVICE_IMS,
  IRQCHIP_ONESHOT_SAFE,
  IRQ_HANDLED,
  IRQ_NONE,
  MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS,
  MSI_FLAG_FREE_MSI_DESCS,
  MSI_FLAG_PCI_IMS,
} from '../../../src/platform/irq/types';
import * as C from '../../../src/platform/idxd/consts';
import * as R from '../../../src/platform/pci/regs';

export const CPUS = 4;
/** The dedicated WQ's PASID (WQCFG.pasid with pasid_en), as the example's SYSTEM_PASID. */
export const WQ0_PASID = 1;

const IMS_CTRL = 0xc;
const CTRL_MASK = 0x1;
const CTRL_PASID_ENABLE = 0x8;
const CTRL_PASID_SHIFT = 12;

/** What the driver holds: irqs by how they were allocated, its actions and handles. */
export interface Driver {
  /** Vectors pci_alloc_irq_vectors enabled (0: MSI-X off). */
  msixVectors: number;
  /** pci_msix_alloc_irq_at results still allocated. */
  dynamic: MsiMap[];
  /** pci_ims_alloc_irq results still allocated. */
  ims: MsiMap[];
  /** irq → the dev_id of its action (one action per irq). */
  requested: Map<number, object>;
  /** Interrupt handles REQUEST_INT_HANDLE returned (with what they name). */
  handles: { handle: number; target: number }[];
}

export interface Rig {
  m: Machine;
  dev: DsaPlatformDevice;
  pdev: PciDev;
  audit: MachineAudit;
  bar0: number;
  bar2: number;
  /** RAM for completion records and descriptor buffers (64 KiB). */
  ram: number;
  driver: Driver;
  /** Every irq the driver holds, in a stable order (static MSI-X, dynamic MSI-X, IMS). */
  irqs(): number[];
  /** The handler a request gives: acks INTCAUSE and SWERR on the misc irq, else `result`. */
  handler(result: number): (irq: number) => number;
  /** Writes CMD and runs the clock until CMDSTS.active clears (bounded); returns CMDSTS. */
  command(code: number, operand: number): number;
}

/** The PCI-IDXD IMS chip of the example, on the platform's memory. */
function imsTemplate(m: Machine): MsiDomainTemplate {
  const slot = (d: IrqData): number => d.common.msi_desc!.data.dcookie.iobase!;
  const ctrl = (d: IrqData): number => Number(d.common.msi_desc!.data.icookie.value);
  return {
    chip: {
      name: 'PCI-IDXD',
      flags: IRQCHIP_ONESHOT_SAFE,
      irq_mask: (d) => {
        m.memory.write32(slot(d) + IMS_CTRL, ctrl(d) | CTRL_MASK);
        m.memory.read32(slot(d) + IMS_CTRL);
      },
      irq_unmask: (d) => {
        m.memory.write32(slot(d) + IMS_CTRL, ctrl(d));
        m.memory.read32(slot(d) + IMS_CTRL);
      },
      irq_write_msi_msg: (d, msg) => {
        m.memory.write32(slot(d), msg.address_lo);
        m.memory.write32(slot(d) + 4, msg.address_hi);
        m.memory.write32(slot(d) + 8, msg.data);
        m.memory.read32(slot(d) + 8);
      },
    },
    ops: {
      prepare_desc: (domain, arg, desc) => {
        const base = (domain.host_data as { data: number }).data + desc.msi_index * 16;
        desc.data.dcookie.iobase = base;
        m.memory.write32(base + IMS_CTRL, CTRL_MASK);
        const pasid = Number(desc.data.icookie.value);
        desc.data.icookie.value = ((pasid << CTRL_PASID_SHIFT) | CTRL_PASID_ENABLE) >>> 0;
        arg.hwirq = desc.msi_index;
      },
    },
    info: {
      flags: MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS | MSI_FLAG_PCI_IMS,
      bus_token: DOMAIN_BUS_PCI_DEVICE_IMS,
    },
  };
}

/** Boots the rig. Throws (an assertion) if the setup itself fails. */
export function boot(): Rig {
  const m = new Machine(
    { ...defaultMachineConfig(), cpus: CPUS, traceCapacity: 1024 },
    deviceFactories,
  );
  const audit = new MachineAudit(m);
  const dev = m.devices[0] as DsaPlatformDevice;
  const pdev = m.pdev(0)!;
  const dsa = dev.dsa;
  const L = dsa.layout;
  const bar0 = dsa.pci.bars[0]!.address;
  const bar2 = dsa.pci.bars[1]!.address;
  const w32 = (off: number, v: number): void => {
    m.memory.write32(bar0 + off, v);
  };
  const driver: Driver = {
    msixVectors: 0,
    dynamic: [],
    ims: [],
    requested: new Map(),
    handles: [],
  };
  const rig: Rig = {
    m,
    dev,
    pdev,
    audit,
    bar0,
    bar2,
    ram: m.memory.allocate(0x10000),
    driver,
    irqs: () => {
      const out: number[] = [];
      for (let i = 0; i < driver.msixVectors; i++) out.push(m.msix.pci_irq_vector(pdev, i));
      for (const d of driver.dynamic) out.push(d.virq);
      for (const d of driver.ims) out.push(d.virq);
      return out;
    },
    handler: (result) => (irq) => {
      if (driver.msixVectors > 0 && irq === m.msix.pci_irq_vector(pdev, 0)) {
        const cause = m.memory.read32(bar0 + C.IDXD_INTCAUSE_OFFSET);
        m.memory.write32(bar0 + C.IDXD_INTCAUSE_OFFSET, cause);
        if (cause & C.IDXD_INTC_ERR) m.memory.write64(bar0 + C.IDXD_SWERR_OFFSET, 3n);
        return cause === 0 ? IRQ_NONE : IRQ_HANDLED;
      }
      return result;
    },
    command: (code, operand) => {
      w32(C.IDXD_CMD_OFFSET, ((code << 20) | (operand & 0xfffff)) >>> 0);
      for (let i = 0; i < 64; i++) {
        const sts = m.memory.read32(bar0 + C.IDXD_CMDSTS_OFFSET);
        if ((sts & C.IDXD_CMDSTS_ACTIVE) === 0) return sts;
        m.advance(dsa.timing.commandNs, true);
      }
      return m.memory.read32(bar0 + C.IDXD_CMDSTS_OFFSET);
    },
  };
  // pcim_enable_device + pci_set_master.
  dsa.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY | R.PCI_COMMAND_MASTER);
  // idxd_setup_interrupts: every vector, the misc irq on entry 0, error and halt interrupts.
  const n = dsa.caps.msix_count;
  assert.equal(m.msix.pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX), n);
  driver.msixVectors = n;
  const misc = m.msix.pci_irq_vector(pdev, 0);
  const token = { name: 'idxd-misc' };
  assert.equal(
    request_threaded_irq(m.core, misc, rig.handler(IRQ_HANDLED), null, 0, 'idxd-misc', token),
    0,
  );
  driver.requested.set(misc, token);
  w32(C.IDXD_GENCTRL_OFFSET, C.IDXD_GENCTRL_SOFTERR_INT_EN | C.IDXD_GENCTRL_HALT_INT_EN);
  // idxd_setup_ims.
  assert.ok(pci_create_ims_domain(m.core, pdev, imsTemplate(m), dsa.ims.slots, bar0 + L.imsOffset));
  // Two WQs: dedicated (PASID 1, priv) in group 0, shared (threshold 15) in group 1.
  for (const wq of [0, 1]) {
    const base = L.wqcfgOffset + wq * L.wqcfgStride;
    const dedicated = wq === 0;
    w32(base, 16);
    w32(base + 4, dedicated ? 0 : 15);
    const pasid = dedicated ? WQ0_PASID : 0;
    w32(base + 8, ((dedicated ? 1 : 0) | (10 << 4) | (pasid << 8) | (1 << 28) | (1 << 29)) >>> 0);
    w32(base + 12, 21 | (5 << 5));
    const grp = L.grpcfgOffset + wq * C.GRPCFG_SIZE;
    m.memory.write64(bar0 + grp, 1n << BigInt(wq));
    m.memory.write64(bar0 + grp + C.GRPENGCFG_OFFSET, 1n << BigInt(wq));
  }
  assert.equal(rig.command(C.IDXD_CMD.ENABLE_DEVICE, 0) & 0xff, 0, 'ENABLE_DEVICE');
  for (const wq of [0, 1])
    assert.equal(rig.command(C.IDXD_CMD.ENABLE_WQ, wq) & 0xff, 0, 'ENABLE_WQ');
  // Completion interrupts: per WQ an IMS irq with the PASID as cookie, as the example; and
  // MSI-X entry 1. Each requested, each with its interrupt handle.
  const targets: number[] = [];
  for (const wq of [0, 1]) {
    const map = pci_ims_alloc_irq(m.core, pdev, { value: WQ0_PASID });
    assert.ok(map.index >= 0, `IMS irq for WQ ${wq}`);
    driver.ims.push(map);
    targets.push(map.index | C.CMD_INT_HANDLE_IMS);
  }
  targets.push(1);
  for (const [i, target] of targets.entries()) {
    const irq = i < 2 ? driver.ims[i]!.virq : m.msix.pci_irq_vector(pdev, target);
    const dev_id = { name: `completion${i}` };
    assert.equal(
      request_threaded_irq(m.core, irq, rig.handler(IRQ_HANDLED), null, 0, 'idxd-portal', dev_id),
      0,
    );
    driver.requested.set(irq, dev_id);
    const sts = rig.command(C.IDXD_CMD.REQUEST_INT_HANDLE, target);
    assert.equal(sts & 0xff, 0, 'REQUEST_INT_HANDLE');
    driver.handles.push({ handle: (sts >>> 8) & 0xffff, target });
  }
  assert.deepEqual(audit.check(true), []);
  return rig;
}
