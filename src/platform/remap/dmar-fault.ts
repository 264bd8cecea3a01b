/**
 * The kernel's side of a DMAR unit's fault reporting (v6.15): the fault handler and the
 * "DMAR-MSI" interrupt that runs it.
 *
 * - dmar_fault() (drivers/iommu/intel/dmar.c): reads FSTS, logs "DRHD: handling fault status
 *   reg %x", and if PPF is set walks the fault recording registers from FSTS.FRI, logging each
 *   recorded fault ("DMAR: [INTR-REMAP] Request device [bb:dd.f] fault index 0x.. [fault reason
 *   0x..] ..." for an interrupt-remapping fault, dmar_fault_do_one) and clearing its F bit, then
 *   writes PFO | PPF | PRO to FSTS. No rate limiting.
 * - The DMAR-MSI domain (arch/x86/kernel/apic/msi.c dmar_get_irq_domain): one domain named
 *   "DMAR-MSI" for every unit, msi_create_irq_domain() below the vector domain (bus token ANY,
 *   IRQ_DOMAIN_FLAG_MSI), hwirq = the unit's seq_id (dmar_alloc_hwirq), handle_edge_irq. Its chip
 *   "DMAR-MSI": irq_mask / irq_unmask write FECTL.IM and read FECTL back to flush
 *   (dmar_msi_mask / dmar_msi_unmask), irq_ack goes to the APIC, irq_compose_msi_msg is
 *   __irq_msi_compose_msg(cfg, msg, dmar = true) — compatibility format whose address_hi carries
 *   destination ID bits 31:8, which only the IOMMU may do — and irq_write_msi_msg writes FEDATA,
 *   FEADDR and FEUADDR (dmar_msi_write).
 * - dmar_set_interrupt(): allocates that irq and request_irq(irq, dmar_fault, IRQF_NO_THREAD,
 *   "dmar<n>", iommu) — activation gives it a vector and writes the message, startup unmasks.
 * - enable_drhd_fault_handling(): dmar_set_interrupt() for each unit, then dmar_fault() called
 *   directly to clear earlier faults, then FSTS read and written back.
 *
 * Every register access goes through MMIO, as Linux's readl/writel do.
 */
import type { PhysMemory } from '../memory';
import type { IrqCore } from '../irq/core';
import type { IrqData } from '../irq/irqdata';
import {
  IrqDomain,
  irq_domain_alloc_irqs,
  irq_domain_alloc_irqs_parent,
  irq_domain_free_irqs_parent,
  irq_domain_set_hwirq_and_chip,
} from '../irq/irqdomain';
import { irq_chip_ack_parent, irq_chip_retrigger_hierarchy } from '../irq/chip';
import { request_threaded_irq } from '../irq/manage';
import { msi_domain_set_affinity } from '../irq/msi';
import {
  DOMAIN_BUS_ANY,
  EINVAL,
  IRQCHIP_AFFINITY_PRE_STARTUP,
  IRQCHIP_SKIP_SET_WAKE,
  IRQF_NO_THREAD,
  IRQ_DOMAIN_FLAG_MSI,
  IRQ_HANDLED,
  type IrqChip,
  type MsiMsg,
} from '../irq/types';
import type { VectorDomain } from '../apic/vector-domain';
import { formatSid, hex } from '../bits';
import { faultReasonText } from './faults';
import {
  DMAR_CAP,
  DMAR_FECTL,
  DMAR_FEDATA,
  DMAR_FSTS,
  FECTL_IM,
  FSTS_PFO,
  FSTS_PPF,
  FSTS_PRO,
} from './unit';

/** DMA_FRCD_F: bit 31 of a fault recording register's top dword. */
const FRCD_F = 0x80000000;
/** PRIMARY_FAULT_REG_LEN. */
const FRCD_LEN = 16;

/** What dmar_fault() needs of struct intel_iommu: its number and its registers. */
export interface DmarUnitRegs {
  /** seq_id: `dmar<seq>`, the DMAR-MSI hwirq. */
  readonly seq: number;
  /** MMIO base (iommu->reg). */
  readonly reg: number;
}

/**
 * dmar_fault(): the fault handler, as the irq action runs it or as enable_drhd_fault_handling()
 * calls it directly. Returns IRQ_HANDLED.
 */
export function dmar_fault(
  unit: DmarUnitRegs,
  memory: PhysMemory,
  printk: (level: 'err', text: string) => void,
): number {
  const r = unit.reg;
  const status = memory.read32(r + DMAR_FSTS);
  if (status !== 0) printk('err', `DRHD: handling fault status reg ${status.toString(16)}`);
  if ((status & FSTS_PPF) === 0) return IRQ_HANDLED;
  const cap = memory.read64(r + DMAR_CAP);
  const fro = Number((cap >> 24n) & 0x3ffn) * 16; // cap_fault_reg_offset
  const nfr = Number((cap >> 40n) & 0xffn) + 1; // cap_num_fault_regs
  let i = (status >>> 8) & 0xff; // dma_fsts_fault_record_index
  for (;;) {
    const at = r + fro + i * FRCD_LEN;
    const top = memory.read32(at + 12);
    if ((top & FRCD_F) === 0) break;
    const reason = (top >>> 0) & 0xff; // dma_frcd_fault_reason: bits 103:96 → top dword 7:0
    const sid = memory.read32(at + 8) & 0xffff;
    const addr = memory.read64(at);
    memory.write32(at + 12, FRCD_F);
    faultDoOne(printk, reason, sid, addr);
    i = (i + 1) % nfr;
  }
  memory.write32(r + DMAR_FSTS, FSTS_PFO | FSTS_PPF | FSTS_PRO);
  return IRQ_HANDLED;
}

/** dmar_fault_do_one() for an interrupt-remapping fault reason (0x20–0x2f). */
function faultDoOne(
  printk: (level: 'err', text: string) => void,
  reason: number,
  sid: number,
  addr: bigint,
): void {
  const text = faultReasonText(reason);
  if (reason >= 0x20 && reason < 0x30) {
    printk(
      'err',
      `DMAR: [INTR-REMAP] Request device [${formatSid(sid)}] fault index ${hex(addr >> 48n)} [fault reason ${hex(reason, 2)}] ${text}`,
    );
  } else {
    printk(
      'err',
      `DMAR: [DMA Write NO_PASID] Request device [${formatSid(sid)}] fault addr ${hex(addr & ~0xfffn)} [fault reason ${hex(reason, 2)}] ${text}`,
    );
  }
}

/**
 * The DMAR-MSI domain and the fault interrupts of the units (see the file comment). One per
 * machine, created by the first `dmar_set_interrupt`.
 */
export class DmarMsi {
  private domain: IrqDomain | null = null;
  /** iommu->irq per unit seq. */
  readonly irqs = new Map<number, number>();

  constructor(
    private readonly core: IrqCore,
    private readonly vector: VectorDomain,
    private readonly memory: PhysMemory,
  ) {}

  /** dmar_get_irq_domain(). */
  private getDomain(): IrqDomain {
    if (this.domain !== null) return this.domain;
    const d = new IrqDomain(
      'DMAR-MSI',
      this.vector.domain,
      IRQ_DOMAIN_FLAG_MSI,
      0,
      {
        alloc: (dom, virq, nr, arg) => {
          const ret = irq_domain_alloc_irqs_parent(dom, virq, nr, arg);
          if (ret < 0) return ret;
          const unit = arg.desc as DmarUnitRegs;
          irq_domain_set_hwirq_and_chip(
            this.core.descs,
            dom,
            virq,
            arg.hwirq,
            this.chip(unit),
            unit,
          );
          const desc = this.core.irq_to_desc(virq)!;
          desc.handler = 'handle_edge_irq';
          desc.handler_name = 'edge';
          return 0;
        },
        free: (dom, virq, nr) => {
          irq_domain_free_irqs_parent(dom, virq, nr);
        },
        // msi_domain_activate(): compose (this chip composes) and write.
        activate: (_dom, data) => {
          const msg: MsiMsg = { address_lo: 0, address_hi: 0, data: 0 };
          data.chip.irq_compose_msi_msg!(data, msg);
          data.chip.irq_write_msi_msg!(data, msg);
          return 0;
        },
        deactivate: (_dom, data) => {
          data.chip.irq_write_msi_msg!(data, { address_lo: 0, address_hi: 0, data: 0 });
        },
      },
      null,
      DOMAIN_BUS_ANY,
    );
    this.core.addDomain(d);
    this.domain = d;
    return d;
  }

  /** The "DMAR-MSI" chip of `unit` (its registers are the irq's handler data in Linux). */
  private chip(unit: DmarUnitRegs): IrqChip {
    const m = this.memory;
    const fectl = unit.reg + DMAR_FECTL;
    return {
      name: 'DMAR-MSI',
      flags: IRQCHIP_SKIP_SET_WAKE | IRQCHIP_AFFINITY_PRE_STARTUP,
      irq_unmask: () => {
        m.write32(fectl, 0);
        m.read32(fectl);
      },
      irq_mask: () => {
        m.write32(fectl, FECTL_IM);
        m.read32(fectl);
      },
      irq_ack: irq_chip_ack_parent,
      irq_retrigger: irq_chip_retrigger_hierarchy,
      irq_set_affinity: msi_domain_set_affinity,
      irq_compose_msi_msg: (d: IrqData, msg: MsiMsg) => {
        const a = this.vector.apicd(d)!;
        const dest = a.hw_irq_cfg.dest_apicid;
        msg.address_lo = (0xfee00000 | ((dest & 0xff) << 12)) >>> 0;
        msg.address_hi = (dest >>> 8) << 8;
        msg.data = a.hw_irq_cfg.vector;
      },
      // dmar_msi_write(): data, then address, then upper address.
      irq_write_msi_msg: (_d: IrqData, msg: MsiMsg) => {
        m.write32(unit.reg + DMAR_FEDATA, msg.data);
        m.write32(unit.reg + DMAR_FEDATA + 4, msg.address_lo);
        m.write32(unit.reg + DMAR_FEDATA + 8, msg.address_hi);
      },
    };
  }

  /**
   * dmar_set_interrupt(): the unit's fault irq, requested with dmar_fault as its hardirq handler
   * (IRQF_NO_THREAD, name `dmar<n>`). Returns 0 (also when it exists already) or a negative
   * errno with "No free IRQ vectors" / "Can't request irq" in the log, as Linux.
   */
  dmar_set_interrupt(unit: DmarUnitRegs): number {
    if (this.irqs.has(unit.seq)) return 0;
    const irq = irq_domain_alloc_irqs(
      this.core.descs,
      this.getDomain(),
      1,
      { type: 'dmar', hwirq: unit.seq, requesterId: 0, desc: unit },
      `dmar${unit.seq}`,
    );
    if (irq <= 0) {
      this.core.printk('err', 'DMAR: No free IRQ vectors');
      return -EINVAL;
    }
    this.irqs.set(unit.seq, irq);
    const printk = (level: 'err', text: string): void => {
      this.core.printk(level, text);
    };
    const ret = request_threaded_irq(
      this.core,
      irq,
      () => dmar_fault(unit, this.memory, printk),
      null,
      IRQF_NO_THREAD,
      `dmar${unit.seq}`,
      unit,
    );
    if (ret !== 0) this.core.printk('err', "DMAR: Can't request irq");
    return ret;
  }

  /**
   * enable_drhd_fault_handling(): for each unit the fault irq, then earlier faults cleared — the
   * handler called directly, FSTS written back with what it reads. Returns 0, or -1 with
   * "DRHD <base>: failed to enable fault, interrupt, ret <n>".
   */
  enable_drhd_fault_handling(units: readonly DmarUnitRegs[]): number {
    for (const u of units) {
      const ret = this.dmar_set_interrupt(u);
      if (ret !== 0) {
        this.core.printk(
          'err',
          `DMAR: DRHD ${u.reg.toString(16)}: failed to enable fault, interrupt, ret ${ret}`,
        );
        return -1;
      }
      dmar_fault(u, this.memory, (level, text) => {
        this.core.printk(level, text);
      });
      const fsts = this.memory.read32(u.reg + DMAR_FSTS);
      this.memory.write32(u.reg + DMAR_FSTS, fsts);
    }
    return 0;
  }
}
