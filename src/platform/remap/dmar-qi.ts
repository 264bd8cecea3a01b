/**
 * The kernel's side of one DMAR unit's registers, as drivers/iommu/intel/dmar.c and
 * irq_remapping.c drive them through MMIO: the GCMD shadow (iommu->gcmd), queued invalidation
 * (dmar_enable_qi, qi_submit_sync, qi_check_fault), the interrupt entry cache flushes
 * (qi_flush_iec, qi_global_iec) and the boot sequence that enables remapping
 * (iommu_set_irq_remapping, iommu_enable_irq_remapping).
 *
 * Everything goes through the unit's registers and memory, never into the unit's objects, so
 * the hardware model sees exactly what Linux would write.
 */
import type { PhysMemory } from '../memory';
import type { LogLevel } from '../irq/core';
import { hex } from '../bits';
import {
  DMAR_FSTS,
  DMAR_GCMD,
  DMAR_GSTS,
  DMAR_IQA,
  DMAR_IQH,
  DMAR_IQT,
  DMAR_IRTA,
  FSTS_IQE,
  FSTS_ITE,
  GCMD_CFI,
  GCMD_IRE,
  GCMD_QIE,
  GCMD_SIRTP,
  GSTS_CFIS,
  GSTS_IRES,
  GSTS_IRTPS,
  GSTS_QIES,
} from './unit';
import {
  QI_IEC_SELECTIVE,
  QI_IWD_STATUS_WRITE,
  QI_TYPE_IEC,
  QI_TYPE_WAIT,
} from './invalidation-queue';

/** QI_LENGTH: descriptors in the queue (one 4 KiB page of 128-bit descriptors, QS = 0). */
export const QI_LENGTH = 256;
/** DMAR_IQ_SHIFT: 128-bit descriptors (no scalable mode). */
const QI_SHIFT = 4;
/** enum { QI_FREE, QI_IN_USE, QI_DONE, QI_ABORT } of dmar.c. */
export const QI_FREE = 0;
export const QI_IN_USE = 1;
export const QI_DONE = 2;

/** A 128-bit queued-invalidation descriptor as [qw0, qw1]. */
export type QiDesc = readonly [bigint, bigint];

/** QI_IEC_IIDEX(idx) | QI_IEC_TYPE | QI_IEC_IM(m) | QI_IEC_SELECTIVE (qi_flush_iec). */
export function qiIecDesc(index: number, mask: number): QiDesc {
  return [
    (BigInt(index & 0xffff) << 32n) |
      BigInt(QI_TYPE_IEC) |
      (BigInt(mask & 0x1f) << 27n) |
      QI_IEC_SELECTIVE,
    0n,
  ];
}

/** qi_global_iec(): QI_IEC_TYPE alone (global granularity). */
export const QI_GLOBAL_IEC: QiDesc = [BigInt(QI_TYPE_IEC), 0n];

/** The kernel's struct intel_iommu, reduced to what interrupt remapping uses. */
export class IntelIommu {
  /** iommu->gcmd: the enable bits software keeps writing back to GCMD. */
  gcmd = 0;
  /** struct q_inval: the queue page, desc_status[] and the free head. */
  private qiDesc = 0;
  private qiStatus = 0;
  private freeHead = 0;
  /** Flushes submitted since boot (for tests and views). */
  flushes = 0;

  /**
   * @param seq the unit's sequence id (dmar<seq>)
   * @param reg the unit's MMIO base (iommu->reg)
   * @param memory RAM and MMIO
   * @param printk the kernel log
   */
  constructor(
    readonly seq: number,
    readonly reg: number,
    private readonly memory: PhysMemory,
    private readonly printk: (level: LogLevel, text: string) => void,
  ) {}

  /** Whether queued invalidation is enabled (GSTS.QIES read through MMIO). */
  get qiEnabled(): boolean {
    return (this.memory.read32(this.reg + DMAR_GSTS) & GSTS_QIES) !== 0;
  }

  /**
   * dmar_enable_qi() / __dmar_enable_qi(): a page for 256 descriptors and the status words,
   * IQT = 0, IQA = the page (QS = 0, 128-bit descriptors), GCMD.QIE, wait for GSTS.QIES.
   * Returns 0 or -EBUSY when the unit does not report QIES.
   */
  dmar_enable_qi(): number {
    if (this.qiDesc === 0) {
      this.qiDesc = this.memory.allocate(QI_LENGTH << QI_SHIFT);
      this.qiStatus = this.memory.allocate(QI_LENGTH * 4);
    }
    this.freeHead = 0;
    this.memory.write32(this.reg + DMAR_IQT, 0);
    this.memory.write64(this.reg + DMAR_IQA, BigInt(this.qiDesc));
    this.gcmd |= GCMD_QIE;
    this.memory.write32(this.reg + DMAR_GCMD, this.gcmd);
    return this.qiEnabled ? 0 : -16;
  }

  /**
   * iommu_set_irq_remapping(): IRTA = table | EIME (x2APIC) | S, GCMD.SIRTP, wait for IRTPS,
   * then a global interrupt entry cache flush "to make sure the hardware uses the new irq
   * remapping table" (the unit has no CAP.ESIRTPS).
   */
  iommu_set_irq_remapping(table: number, x2apic: boolean, sizeField: number): void {
    this.memory.write64(
      this.reg + DMAR_IRTA,
      BigInt(table) | (x2apic ? 1n << 11n : 0n) | BigInt(sizeField & 0xf),
    );
    this.memory.write32(this.reg + DMAR_GCMD, this.gcmd | GCMD_SIRTP);
    this.waitGsts(GSTS_IRTPS, true, 'SIRTP');
    this.qi_global_iec();
  }

  /** iommu_enable_irq_remapping(): GCMD.IRE, wait for IRES; block compatibility-format MSIs. */
  iommu_enable_irq_remapping(): void {
    this.gcmd |= GCMD_IRE;
    this.memory.write32(this.reg + DMAR_GCMD, this.gcmd);
    this.waitGsts(GSTS_IRES, true, 'IRE');
    if ((this.memory.read32(this.reg + DMAR_GSTS) & GSTS_CFIS) !== 0) {
      this.gcmd &= ~GCMD_CFI;
      this.memory.write32(this.reg + DMAR_GCMD, this.gcmd);
      this.waitGsts(GSTS_CFIS, false, 'CFI');
    }
  }

  /** qi_flush_iec(iommu, index, mask): invalidate 2^mask IRTEs from `index`. Returns 0 or -errno. */
  qi_flush_iec(index: number, mask: number): number {
    return this.qi_submit_sync([qiIecDesc(index, mask)]);
  }

  /** qi_global_iec(iommu): invalidate the whole interrupt entry cache. */
  qi_global_iec(): number {
    return this.qi_submit_sync([QI_GLOBAL_IEC]);
  }

  /**
   * qi_submit_sync(): the descriptors at the free head, then an invalidation wait descriptor
   * with a status write of QI_DONE to desc_status[wait_index], the tail moved past them (IQT),
   * and a wait for the status word, checking FSTS for a queue error meanwhile
   * (qi_check_fault). The unit processes the queue within the IQT write, so the wait ends at
   * once. Returns 0, -EINVAL (IQE: a descriptor was refused) or -ETIMEDOUT (nothing ran:
   * queued invalidation is off — the kernel would spin forever).
   */
  qi_submit_sync(descs: readonly QiDesc[]): number {
    if (this.qiDesc === 0) {
      this.printk('err', `DMAR: dmar${this.seq}: queued invalidation is not enabled`);
      return -110;
    }
    const index = this.freeHead;
    const count = descs.length;
    const waitIndex = (index + count) % QI_LENGTH;
    const m = this.memory;
    descs.forEach(([lo, hi], i) => {
      const slot = (index + i) % QI_LENGTH;
      m.write64(this.qiDesc + (slot << QI_SHIFT), lo);
      m.write64(this.qiDesc + (slot << QI_SHIFT) + 8, hi);
      m.write32(this.qiStatus + slot * 4, QI_IN_USE);
    });
    m.write32(this.qiStatus + waitIndex * 4, QI_IN_USE);
    const statusAddr = this.qiStatus + waitIndex * 4;
    m.write64(
      this.qiDesc + (waitIndex << QI_SHIFT),
      (BigInt(QI_DONE) << 32n) | QI_IWD_STATUS_WRITE | BigInt(QI_TYPE_WAIT),
    );
    m.write64(this.qiDesc + (waitIndex << QI_SHIFT) + 8, BigInt(statusAddr));
    this.freeHead = (index + count + 1) % QI_LENGTH;
    m.write32(this.reg + DMAR_IQT, this.freeHead << QI_SHIFT);
    let rc = 0;
    if (m.read32(statusAddr) !== QI_DONE) rc = this.qi_check_fault(index, waitIndex);
    for (let i = 0; i <= count; i++)
      m.write32(this.qiStatus + ((index + i) % QI_LENGTH) * 4, QI_FREE);
    if (rc === 0) this.flushes++;
    return rc;
  }

  /**
   * qi_check_fault(): on FSTS.IQE with the head at our first descriptor, log it, overwrite it
   * with the wait descriptor (so that the queue can go on) and clear IQE: -EINVAL. ITE: -EAGAIN
   * (Linux restarts the submission; no time-out is modelled, so it does not happen).
   */
  private qi_check_fault(index: number, waitIndex: number): number {
    const m = this.memory;
    const fsts = m.read32(this.reg + DMAR_FSTS);
    if ((fsts & FSTS_IQE) !== 0) {
      const head = Number(m.read64(this.reg + DMAR_IQH) >> BigInt(QI_SHIFT));
      if (head === index) {
        const a = this.qiDesc + (head << QI_SHIFT);
        const q = (x: bigint): string => x.toString(16);
        this.printk(
          'err',
          `DMAR: VT-d detected invalid descriptor: qw0 = ${q(m.read64(a))}, qw1 = ${q(m.read64(a + 8))}`,
        );
        const w = this.qiDesc + (waitIndex << QI_SHIFT);
        m.write64(a, m.read64(w));
        m.write64(a + 8, m.read64(w + 8));
        m.write32(this.reg + DMAR_FSTS, FSTS_IQE);
        this.printk('info', `DMAR: dmar${this.seq}: Invalidation Queue Error (IQE) cleared`);
        return -22;
      }
    }
    if ((fsts & FSTS_ITE) !== 0) {
      m.write32(this.reg + DMAR_FSTS, FSTS_ITE);
      return -11;
    }
    this.printk(
      'err',
      `DMAR: dmar${this.seq}: the invalidation wait descriptor did not complete ` +
        `(FSTS ${hex(fsts >>> 0)}; queued invalidation disabled or stopped?) — the kernel would spin here`,
    );
    return -110;
  }

  /** IOMMU_WAIT_OP on GSTS. */
  private waitGsts(bit: number, set: boolean, op: string): void {
    const sts = this.memory.read32(this.reg + DMAR_GSTS);
    if (((sts & bit) !== 0) !== set)
      this.printk('err', `DMAR: dmar${this.seq}: ${op} did not complete (GSTS ${hex(sts >>> 0)})`);
  }
}
