/**
 * The kernel's interrupt-remapping domain for one DMAR unit (drivers/iommu/intel/irq_remapping.c):
 * `INTEL-IR-<seq>`, parent VECTOR, an MSI parent with prefix "IR-". Allocation allocates the
 * vector level first, then a naturally aligned block of IRTEs from the 64K bitmap; hwirq =
 * (irte index << 16) + sub_handle. The device's message is the remappable-format message for
 * the IRTE (fill_msi_msg), independent of vector and CPU; activation writes the IRTE with the
 * vector level's current vector and destination (prepare_irte + set_msi_sid) — so an affinity
 * change rewrites the IRTE and never the device's message (IRQ_SET_MASK_OK_DONE).
 *
 * Every IRTE change goes through modify_irte(): the entry written in memory (low qword, then
 * high), then the unit's interrupt entry cache flushed for that index (qi_flush_iec through the
 * invalidation queue); freeing a block clears it and flushes the block (clear_entries).
 */
import type { IrqCore } from '../irq/core';
import type { IrqData } from '../irq/irqdata';
import {
  IrqDomain,
  irq_domain_alloc_irqs_parent,
  irq_domain_free_irqs_parent,
  irq_domain_get_irq_data,
} from '../irq/irqdomain';
import {
  DOMAIN_BUS_DMAR,
  EINVAL,
  ENOSPC,
  IRQ_DOMAIN_FLAG_ISOLATED_MSI,
  IRQ_DOMAIN_FLAG_MSI_PARENT,
  IRQ_SET_MASK_OK_DONE,
  MSI_FLAG_PCI_IMS,
  type IrqChip,
  type MsiMsg,
} from '../irq/types';
import { X86_VECTOR_MSI_FLAGS_SUPPORTED, type VectorDomain } from '../apic/vector-domain';
import { composeRemappable, encodeIrte } from './irte';
import type { IrUnit } from './unit';
import type { IntelIommu } from './dmar-qi';

/** INTR_REMAP_TABLE_ENTRIES. */
export const INTR_REMAP_TABLE_ENTRIES = 65536;
const MSI_FLAG_MULTI_PCI_MSI = 1 << 16;

/** struct intel_ir_data (irq_2_iommu + the cached message). */
export interface IntelIrData {
  irte_index: number;
  sub_handle: number;
  /** Number of IRTEs in the block (irte_mask as a count). */
  count: number;
  /** Requester id the IRTE verifies (set_msi_sid: SVT=1, SQ=0). */
  sid: number;
  msi_entry: MsiMsg;
}

export class IrDomain {
  readonly domain: IrqDomain;
  readonly chip: IrqChip;
  /** iommu->ir_table->bitmap: allocated IRTE indices. */
  private readonly bitmap = new Uint8Array(INTR_REMAP_TABLE_ENTRIES);

  /**
   * @param core the kernel's irq core
   * @param unit the DMAR unit (hardware)
   * @param vector the parent VECTOR domain
   * @param iommu the kernel's side of the unit's registers (modify_irte's qi_flush_iec)
   */
  constructor(
    core: IrqCore,
    readonly unit: IrUnit,
    private readonly vector: VectorDomain,
    readonly iommu: IntelIommu,
  ) {
    this.chip = {
      name: 'INTEL-IR',
      // apic_ack_irq(): a deferred move, then EOI. Not the parent's apic_ack_edge: with
      // remapping, moves are completed when the IRTE is rewritten, not at an interrupt.
      irq_ack: (d) => {
        vector.apic_ack_irq(d);
      },
      irq_set_affinity: (d, mask, force) => this.setAffinity(d, mask, force),
      irq_compose_msi_msg: (d, msg) => {
        const ird = d.chip_data as IntelIrData;
        msg.address_lo = ird.msi_entry.address_lo;
        msg.address_hi = ird.msi_entry.address_hi;
        msg.data = ird.msi_entry.data;
      },
    };
    this.domain = new IrqDomain(
      `INTEL-IR-${unit.seq}`,
      vector.domain,
      IRQ_DOMAIN_FLAG_MSI_PARENT | IRQ_DOMAIN_FLAG_ISOLATED_MSI,
      INTR_REMAP_TABLE_ENTRIES,
      {
        alloc: (_dom, virq, nr, arg) => {
          if (nr > 1 && arg.type !== 'msi') return -EINVAL;
          const ret = irq_domain_alloc_irqs_parent(this.domain, virq, nr, arg);
          if (ret < 0) return ret;
          const index = this.allocIrte(nr);
          if (index < 0) {
            core.printk('err', `DMAR-IR: Failed to allocate IRTE (${nr} entries)`);
            irq_domain_free_irqs_parent(this.domain, virq, nr);
            return -ENOSPC;
          }
          for (let i = 0; i < nr; i++) {
            const d = irq_domain_get_irq_data(core.descs, this.domain, virq + i)!;
            const ird: IntelIrData = {
              irte_index: index,
              sub_handle: i,
              count: nr,
              sid: arg.requesterId,
              msi_entry: composeRemappable(index, i),
            };
            d.hwirq = (index << 16) + i;
            d.chip = this.chip;
            d.chip_data = ird;
          }
          return 0;
        },
        free: (_dom, virq, nr) => {
          const d = irq_domain_get_irq_data(core.descs, this.domain, virq);
          const ird = d?.chip_data as IntelIrData | undefined;
          if (ird && ird.sub_handle === 0) this.freeIrte(ird.irte_index, ird.count);
          irq_domain_free_irqs_parent(this.domain, virq, nr);
        },
        activate: (_dom, d) => {
          this.reconfigureIrte(d);
          return 0;
        },
        // intel_irq_remapping_deactivate(): an all-zero IRTE through modify_irte().
        deactivate: (_dom, d) => {
          const ird = d.chip_data as IntelIrData;
          this.modify_irte(ird, 0n);
        },
      },
      null,
      DOMAIN_BUS_DMAR,
    );
    this.domain.msi_parent_ops = {
      prefix: 'IR-',
      supported_flags: X86_VECTOR_MSI_FLAGS_SUPPORTED | MSI_FLAG_MULTI_PCI_MSI | MSI_FLAG_PCI_IMS,
    };
    core.addDomain(this.domain);
  }

  /** IRTE indices in use, ascending. */
  allocated(): number[] {
    const out: number[] = [];
    for (let i = 0; i < INTR_REMAP_TABLE_ENTRIES; i++) if (this.bitmap[i]) out.push(i);
    return out;
  }

  /** The irq whose IR level owns IRTE `index`, if any. */
  irqOfIrte(index: number): number | undefined {
    for (const [hwirq, d] of this.domain.revmap) {
      const ird = d.chip_data as IntelIrData;
      if (hwirq >>> 16 === ird.irte_index && ird.irte_index + ird.sub_handle === index)
        return d.irq;
    }
    return undefined;
  }

  /** alloc_irte(): a naturally aligned power-of-two block (bitmap_find_free_region). */
  private allocIrte(count: number): number {
    let size = 1;
    while (size < count) size <<= 1;
    for (let base = 0; base + size <= INTR_REMAP_TABLE_ENTRIES; base += size) {
      let free = true;
      for (let i = 0; i < size; i++) {
        if (this.bitmap[base + i]) {
          free = false;
          break;
        }
      }
      if (free) {
        this.bitmap.fill(1, base, base + size);
        return base;
      }
    }
    return -1;
  }

  /**
   * free_irte() → clear_entries(): zeroes the block's entries, releases the bitmap region and
   * flushes the block from the interrupt entry cache (qi_flush_iec(index, irte_mask)).
   */
  private freeIrte(index: number, count: number): void {
    let mask = 0;
    while (1 << mask < count) mask++;
    const size = 1 << mask;
    for (let i = 0; i < size; i++) this.unit.writeIrte(index + i, 0n);
    this.bitmap.fill(0, index, index + size);
    this.iommu.qi_flush_iec(index, mask);
  }

  /**
   * modify_irte(): writes IRTE irte_index + sub_handle (low then high qword; a 128-bit cmpxchg
   * when either side is posted — the same bytes here) and flushes that index from the unit's
   * interrupt entry cache (qi_flush_iec(iommu, index, 0)). Returns qi_flush_iec's result.
   */
  modify_irte(ird: IntelIrData, irte: bigint): number {
    const index = ird.irte_index + ird.sub_handle;
    this.unit.writeIrte(index, irte);
    return this.iommu.qi_flush_iec(index, 0);
  }

  /**
   * intel_ir_reconfigure_irte() + modify_irte(): prepare_irte (P=1, physical destination, edge,
   * fixed delivery, RH=1, the vector level's vector and APIC ID — x2APIC 32-bit DST) and
   * set_msi_sid (SVT=1 verify SID, SQ=0 all 16 bits), written to the IR table.
   */
  private reconfigureIrte(d: IrqData): void {
    const ird = d.chip_data as IntelIrData;
    const cfg = this.vector.apicd(d)!.hw_irq_cfg;
    const irte = encodeIrte({
      p: 1,
      dm: 0,
      rh: 1,
      tm: 0,
      dlm: 0,
      vector: cfg.vector,
      dst: this.unit.eime ? cfg.dest_apicid : (cfg.dest_apicid & 0xff) << 8,
      sid: ird.sid,
      sq: 0,
      svt: 1,
    });
    this.modify_irte(ird, irte);
  }

  /**
   * intel_ir_set_affinity(): the parent moves the vector, the IRTE follows (modify_irte with its
   * cache flush) and, "after this point, all the interrupts will start arriving at the new
   * destination", the previous vector's cleanup is scheduled (vector_schedule_cleanup) — no
   * waiting for a first interrupt. The device's message stays (IRQ_SET_MASK_OK_DONE).
   */
  private setAffinity(d: IrqData, mask: readonly number[], force: boolean): number {
    const p = d.parent_data;
    if (!p?.chip.irq_set_affinity) return -EINVAL;
    const ret = p.chip.irq_set_affinity(p, mask, force);
    if (ret < 0 || ret === IRQ_SET_MASK_OK_DONE) return ret;
    this.reconfigureIrte(d);
    this.vector.vector_schedule_cleanup(d);
    return IRQ_SET_MASK_OK_DONE;
  }
}
