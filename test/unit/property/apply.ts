/**
 * Applies an operation of ops.ts to the rig through the platform's own entry points (the
 * functions the kernel API wraps, PhysMemory for MMIO, the device for its own signals) and
 * keeps the rig's driver bookkeeping in step. Returns what the call returned when it is an
 * errno-style result (0, a count, or a negative errno), else null.
 *
 * Nothing here catches. The platform throws by design only where its caller made a
 * programming error: RangeError for arguments outside what exists (a slot beyond the IMS store
 * or an entry beyond the MSI-X table signalled, a negative clock delay, a config offset outside
 * config space, an invalid machine or device configuration) and BusError for accesses a CPU
 * cannot issue (8/16-bit MMIO writes; 64-byte writes unaligned or not at a portal); the
 * runtime's KernelError is a driver model's misuse of the kernel API, which these operations
 * bypass. Every operation stays within those bounds — whatever state the machine is in — so
 * any exception is an escape and fails the property.
 */
import { add_cpu, remove_cpu } from '../../../src/platform/apic/hotplug';
import { encodeDescriptor } from '../../../src/platform/idxd/descriptor';
import * as C from '../../../src/platform/idxd/consts';
import {
  disable_irq,
  enable_irq,
  free_irq,
  irq_set_affinity,
  request_threaded_irq,
} from '../../../src/platform/irq/manage';
import {
  IRQF_ONESHOT,
  IRQ_HANDLED,
  IRQ_NONE,
  MSI_ANY_INDEX,
} from '../../../src/platform/irq/types';
import { pci_ims_alloc_irq, pci_ims_free_irq } from '../../../src/platform/pci-msi/ims';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import * as R from '../../../src/platform/pci/regs';
import type { Op } from './ops';
import { WQ0_PASID, type Rig } from './rig';

/** CMD bit 31: interrupt on completion (registers.h union idxd_command_reg int_req). */
const CMD_INT_REQ = 0x80000000;

const at = <T>(list: readonly T[], pick: number): T | undefined =>
  list.length === 0 ? undefined : list[pick % list.length];

/** Applies `op`; see the file comment. */
export function apply(r: Rig, op: Op): number | null {
  const { m, pdev, driver } = r;
  const dsa = r.dev.dsa;
  const L = dsa.layout;
  switch (op.k) {
    case 'msixAlloc': {
      const n = m.msix.pci_alloc_irq_vectors(pdev, 1, op.nvec, PCI_IRQ_MSIX);
      if (n > 0) driver.msixVectors = n;
      return n;
    }
    case 'msixFree': {
      const msix = new Set(
        [...Array(driver.msixVectors).keys()].map((i) => m.msix.pci_irq_vector(pdev, i)),
      );
      for (const d of driver.dynamic) msix.add(d.virq);
      for (const irq of msix) {
        const token = driver.requested.get(irq);
        if (token !== undefined && op.freeActionsFirst) free_irq(m.core, irq, token);
        driver.requested.delete(irq);
      }
      m.msix.pci_free_irq_vectors(pdev);
      driver.msixVectors = 0;
      driver.dynamic = [];
      return null;
    }
    case 'msixAllocAt': {
      const map = m.msix.pci_msix_alloc_irq_at(
        pdev,
        op.index === 'any' ? MSI_ANY_INDEX : op.index,
        op.mask === null ? null : { mask: op.mask },
      );
      if (map.index >= 0) driver.dynamic.push(map);
      return map.index;
    }
    case 'msixFreeAt': {
      const map = at(driver.dynamic, op.pick);
      if (map === undefined) return null;
      m.msix.pci_msix_free_irq(pdev, map);
      driver.dynamic.splice(driver.dynamic.indexOf(map), 1);
      driver.requested.delete(map.virq);
      return null;
    }
    case 'imsAlloc': {
      const map = pci_ims_alloc_irq(
        m.core,
        pdev,
        { value: op.pasid },
        op.mask === null ? null : { mask: op.mask },
      );
      if (map.index >= 0) driver.ims.push(map);
      return map.index;
    }
    case 'imsFree': {
      const map = at(driver.ims, op.pick);
      if (map === undefined) return null;
      pci_ims_free_irq(m.core, pdev, map);
      driver.ims.splice(driver.ims.indexOf(map), 1);
      driver.requested.delete(map.virq);
      return null;
    }
    case 'request': {
      const irq = at(r.irqs(), op.pick);
      if (irq === undefined) return null;
      const token = { name: `irq${irq}` };
      const ret =
        op.kind === 'thread'
          ? request_threaded_irq(m.core, irq, null, () => IRQ_HANDLED, IRQF_ONESHOT, 'prop', token)
          : request_threaded_irq(
              m.core,
              irq,
              r.handler(op.kind === 'handled' ? IRQ_HANDLED : IRQ_NONE),
              null,
              0,
              'prop',
              token,
            );
      if (ret === 0) driver.requested.set(irq, token);
      return ret;
    }
    case 'free': {
      const irq = at(r.irqs(), op.pick);
      if (irq === undefined) return null;
      free_irq(m.core, irq, driver.requested.get(irq) ?? {});
      driver.requested.delete(irq);
      return null;
    }
    case 'disable':
    case 'enable': {
      const irq = at(r.irqs(), op.pick);
      if (irq === undefined) return null;
      (op.k === 'disable' ? disable_irq : enable_irq)(m.core, irq);
      return null;
    }
    case 'affinity': {
      const irq = at(r.irqs(), op.pick);
      return irq === undefined ? null : irq_set_affinity(m.core, irq, op.cpus);
    }
    case 'cpuDown':
      return remove_cpu(m.core, m.vector, op.cpu);
    case 'cpuUp':
      return add_cpu(m.core, m.vector, op.cpu);
    case 'irte': {
      const ir = m.ir[0]!;
      const index = at(ir.domain.allocated(), op.pick);
      if (index === undefined) return null;
      const value = op.value === 'clear-present' ? ir.unit.readIrte(index) & ~1n : op.value;
      ir.unit.writeIrte(index, value);
      return op.flush ? ir.iommu.qi_flush_iec(index, 0) : null;
    }
    case 'mask': {
      const base =
        op.source === 'msix' ? L.msixTableOffset + op.index * 16 : L.imsOffset + op.index * 16;
      const ctrl = r.bar0 + base + 12;
      const v = m.memory.read32(ctrl);
      m.memory.write32(ctrl, op.masked ? v | 1 : v & ~1);
      return null;
    }
    case 'mmio': {
      const base = op.area === 'bar2' ? r.bar2 : op.area === 'dmar' ? m.ir[0]!.mmioBase : r.bar0;
      const addr = base + op.offset;
      if (op.read) {
        if (op.width === 32) m.memory.read32(addr);
        else m.memory.read64(addr);
      } else if (op.width === 32) {
        m.memory.write32(addr, Number(op.value & 0xffffffffn));
      } else {
        m.memory.write64(addr, op.value);
      }
      return null;
    }
    case 'pciCommand':
      dsa.pci.writeConfig16(
        R.PCI_COMMAND,
        (op.memory ? R.PCI_COMMAND_MEMORY : 0) | (op.master ? R.PCI_COMMAND_MASTER : 0),
      );
      return null;
    case 'msixControl': {
      const off = dsa.pci.msixCap + R.PCI_MSIX_FLAGS;
      const keep =
        dsa.pci.readConfig16(off) & ~(R.PCI_MSIX_FLAGS_ENABLE | R.PCI_MSIX_FLAGS_MASKALL);
      dsa.pci.writeConfig16(
        off,
        keep |
          (op.enable ? R.PCI_MSIX_FLAGS_ENABLE : 0) |
          (op.maskAll ? R.PCI_MSIX_FLAGS_MASKALL : 0),
      );
      return null;
    }
    case 'submit': {
      const h =
        'pick' in op.handle ? (at(driver.handles, op.handle.pick)?.handle ?? 0) : op.handle.raw;
      const record = r.ram + op.record * 64;
      const bytes = encodeDescriptor({
        pasid: op.pasid,
        priv: true,
        opcode: op.opcode,
        flags: op.flags,
        completion_addr: record,
        src_addr: r.ram + 0x8000,
        dst_addr: r.ram + 0xc000,
        xfer_size: 256,
        int_handle: h,
      });
      m.memory.write8(record, 0);
      const portal = r.bar2 + ((op.wq * 4) << 12) + (op.limited ? 0x1000 : 0);
      return m.memory.write64B(portal, bytes, op.how) ? 1 : 0;
    }
    case 'burst': {
      const h = at(driver.handles, op.pick)?.handle ?? 0;
      let accepted = 0;
      for (let i = 0; i < op.n; i++) {
        const bytes = encodeDescriptor({
          pasid: WQ0_PASID,
          priv: true,
          opcode: C.DSA_OPCODE.NOOP,
          flags: C.IDXD_OP_FLAG.RCR | C.IDXD_OP_FLAG.RCI | C.IDXD_OP_FLAG.CRAV,
          completion_addr: r.ram + i * 64,
          int_handle: h,
        });
        const portal = r.bar2 + ((op.wq * 4) << 12);
        if (m.memory.write64B(portal, bytes, op.wq === 0 ? 'movdir64b' : 'enqcmds')) accepted++;
      }
      m.advance(10_000, true);
      return accepted;
    }
    case 'command':
      m.memory.write32(
        r.bar0 + C.IDXD_CMD_OFFSET,
        ((op.intReq ? CMD_INT_REQ : 0) | ((op.code & 0x1f) << 20) | op.operand) >>> 0,
      );
      return null;
    case 'intHandle': {
      const sts = r.command(
        C.IDXD_CMD.REQUEST_INT_HANDLE,
        op.index | (op.source === 'ims' ? C.CMD_INT_HANDLE_IMS : 0),
      );
      if ((sts & (C.IDXD_CMDSTS_ACTIVE | 0xff)) === 0)
        driver.handles.push({
          handle: (sts >>> 8) & 0xffff,
          target: op.index | (op.source === 'ims' ? C.CMD_INT_HANDLE_IMS : 0),
        });
      return null;
    }
    case 'releaseHandle': {
      const h = at(driver.handles, op.pick);
      if (h === undefined) return null;
      const sts = r.command(
        C.IDXD_CMD.RELEASE_INT_HANDLE,
        h.handle | (h.target & C.CMD_INT_HANDLE_IMS),
      );
      if ((sts & 0xff) === 0) driver.handles.splice(driver.handles.indexOf(h), 1);
      return null;
    }
    case 'fire':
      if (op.source === 'msix') dsa.msix.signal(op.index, null);
      else dsa.ims.signal(op.index, op.pasid);
      return null;
    case 'irqs':
      m.core.cpu.irqsEnabled = op.on;
      m.core.updateAttention();
      return null;
    case 'dispatch':
      m.dispatch();
      return null;
    case 'advance':
      m.advance(op.ns, op.take);
      return null;
    case 'flr':
      dsa.reset();
      return null;
  }
}
