/**
 * The x86 VECTOR domain (arch/x86/kernel/apic/vector.c): the root of every interrupt hierarchy.
 * hwirq = virq; per irq an apic_chip_data with the assigned vector and CPU. Allocation without
 * a CPU mask only reserves (reservation mode: the irq points at MANAGED_IRQ_SHUTDOWN_VECTOR on
 * the first online CPU until activation picks the real vector — activate_reserved); activation
 * takes the lowest free vector on the online CPU (within the irq's affinity) with the most
 * available vectors. A move keeps the previous vector until the first interrupt arrives on the
 * new one (irq_complete_move).
 */
import type { IrqCore } from '../irq/core';
import type { IrqData } from '../irq/irqdata';
import { IrqDomain, irq_domain_get_irq_data } from '../irq/irqdomain';
import type { MsiDevice, MsiDomainInfo } from '../irq/msi';
import { irq_chip_ack_parent } from '../irq/chip';
import {
  DOMAIN_BUS_ANY,
  DOMAIN_BUS_DMAR,
  DOMAIN_BUS_PCI_DEVICE_IMS,
  DOMAIN_BUS_PCI_DEVICE_MSI,
  DOMAIN_BUS_PCI_DEVICE_MSIX,
  EBUSY,
  IRQCHIP_AFFINITY_PRE_STARTUP,
  IRQCHIP_SKIP_SET_WAKE,
  IRQD_CAN_RESERVE,
  IRQD_SINGLE_TARGET,
  IRQ_DOMAIN_FLAG_MSI_PARENT,
  IRQ_SET_MASK_OK,
  MSI_FLAG_PCI_IMS,
  MSI_FLAG_PCI_MSIX,
  MSI_FLAG_PCI_MSIX_ALLOC_DYN,
  MSI_FLAG_USE_DEF_CHIP_OPS,
  MSI_FLAG_USE_DEF_DOM_OPS,
  type IrqChip,
  type MsiMsg,
} from '../irq/types';
import { IrqMatrix } from './matrix';
import {
  FIRST_EXTERNAL_VECTOR,
  FIRST_SYSTEM_VECTOR,
  IA32_SYSCALL_VECTOR,
  MANAGED_IRQ_SHUTDOWN_VECTOR,
  NR_VECTORS,
} from './vectors';

/** struct apic_chip_data. */
export interface ApicChipData {
  /** hw_irq_cfg: what the message/IRTE uses (the shutdown vector while reserved). */
  hw_irq_cfg: { vector: number; dest_apicid: number };
  vector: number;
  cpu: number;
  prev_vector: number;
  prev_cpu: number;
  move_in_progress: boolean;
  is_managed: boolean;
  can_reserve: boolean;
  has_reserved: boolean;
}

/** X86_VECTOR_MSI_FLAGS_SUPPORTED (with PCI/IMS, as the v6.2 series enabled it). */
export const X86_VECTOR_MSI_FLAGS_SUPPORTED =
  0xffff | MSI_FLAG_PCI_MSIX | MSI_FLAG_PCI_MSIX_ALLOC_DYN | MSI_FLAG_PCI_IMS;
/** X86_VECTOR_MSI_FLAGS_REQUIRED. */
export const X86_VECTOR_MSI_FLAGS_REQUIRED = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS;

export class VectorDomain {
  readonly matrix: IrqMatrix;
  readonly domain: IrqDomain;
  readonly chip: IrqChip;

  constructor(private readonly core: IrqCore) {
    const m = new IrqMatrix(
      core.cpus.length,
      FIRST_EXTERNAL_VECTOR,
      FIRST_SYSTEM_VECTOR,
      NR_VECTORS,
    );
    // lapic_assign_system_vectors(): exceptions, the syscall gate and the system vectors.
    for (let v = 0; v < FIRST_EXTERNAL_VECTOR; v++) m.assignSystem(v);
    m.assignSystem(IA32_SYSCALL_VECTOR);
    for (let v = FIRST_SYSTEM_VECTOR; v < NR_VECTORS; v++) m.assignSystem(v);
    for (const c of core.cpus) if (c.online) m.online(c.id);
    this.matrix = m;
    this.chip = {
      name: 'APIC',
      irq_ack: (d) => this.apic_ack_edge(d),
      irq_set_affinity: (d, mask) => this.apic_set_affinity(d, mask),
      irq_compose_msi_msg: (d, msg) => this.compose(d, msg),
      irq_retrigger: (d) => this.apic_retrigger_irq(d),
    };
    this.domain = new IrqDomain(
      'VECTOR',
      null,
      IRQ_DOMAIN_FLAG_MSI_PARENT,
      0,
      {
        alloc: (_dom, virq, nr, arg) => {
          for (let i = 0; i < nr; i++) {
            const d = irq_domain_get_irq_data(core.descs, this.domain, virq + i)!;
            const apicd: ApicChipData = {
              hw_irq_cfg: { vector: 0, dest_apicid: 0 },
              vector: 0,
              cpu: 0,
              prev_vector: 0,
              prev_cpu: 0,
              move_in_progress: false,
              is_managed: false,
              can_reserve: false,
              has_reserved: false,
            };
            d.hwirq = virq + i;
            d.chip = this.chip;
            d.chip_data = apicd;
            d.set(IRQD_SINGLE_TARGET);
            // assign_irq_vector_policy(): a mask → immediate, else a global reservation.
            const ret = arg.mask ? this.assignVector(d, arg.mask) : (this.reserve(d), 0);
            if (ret < 0) {
              for (let j = 0; j <= i; j++)
                this.freeIrq(irq_domain_get_irq_data(core.descs, this.domain, virq + j)!);
              return ret;
            }
          }
          return 0;
        },
        free: (_dom, virq, nr) => {
          for (let i = 0; i < nr; i++) {
            const d = irq_domain_get_irq_data(core.descs, this.domain, virq + i);
            if (d) this.freeIrq(d);
          }
        },
        activate: (_dom, d, reserve) => this.activate(d, reserve),
        deactivate: (_dom, d) => {
          this.deactivate(d);
        },
        debug_show: (_dom, d, ind) =>
          d === null ? this.matrix.debugShow(ind) : this.debugShowIrq(d, ind),
      },
      null,
      DOMAIN_BUS_ANY,
    );
    this.domain.msi_parent_ops = { prefix: '', supported_flags: X86_VECTOR_MSI_FLAGS_SUPPORTED };
    core.addDomain(this.domain);
  }

  /** The apic_chip_data of `d`'s VECTOR level (irqd_cfg's source). */
  apicd(d: IrqData): ApicChipData | null {
    for (let p: IrqData | null = d; p; p = p.parent_data)
      if (p.domain === this.domain) return p.chip_data as ApicChipData;
    return null;
  }

  // ---- reservation and assignment ----

  private reserve(d: IrqData): void {
    const a = d.chip_data as ApicChipData;
    this.matrix.reserve();
    a.can_reserve = true;
    a.has_reserved = true;
    d.set(IRQD_CAN_RESERVE);
    this.assignShutdown(d);
  }

  /** vector_assign_managed_shutdown(): point at 0xef on the first online CPU. */
  private assignShutdown(d: IrqData): void {
    this.updateCfg(d, MANAGED_IRQ_SHUTDOWN_VECTOR, this.core.onlineCpus()[0] ?? 0);
  }

  private updateCfg(d: IrqData, vector: number, cpu: number): void {
    const a = d.chip_data as ApicChipData;
    a.hw_irq_cfg.vector = vector;
    a.hw_irq_cfg.dest_apicid = this.core.cpus[cpu]!.apic.apicId;
    d.common.effective_affinity = [cpu];
  }

  /** assign_vector_locked(): allocate on the best CPU of `dest` (unchanged if already there). */
  private assignVector(d: IrqData, dest: readonly number[]): number {
    const a = d.chip_data as ApicChipData;
    const online = dest.filter((c) => this.core.cpus[c]?.online);
    if (a.vector && this.core.cpus[a.cpu]?.online && online.includes(a.cpu)) return 0;
    if (a.move_in_progress || a.prev_vector) return -EBUSY;
    const r = this.matrix.alloc(online, a.has_reserved);
    if (typeof r === 'number') return r;
    this.updateVector(d, r.vector, r.cpu);
    this.updateCfg(d, r.vector, r.cpu);
    return 0;
  }

  /** assign_irq_vector_any_locked(): the affinity's online CPUs, else any online CPU. */
  private assignAny(d: IrqData): number {
    const online = this.core.onlineCpus();
    const aff =
      d.common.affinity.length > 0 ? d.common.affinity.filter((c) => online.includes(c)) : online;
    const ret = aff.length > 0 ? this.assignVector(d, aff) : -1;
    return ret === 0 ? 0 : this.assignVector(d, online);
  }

  /** apic_update_vector(): install in vector_irq; a previous vector stays until the move completes. */
  private updateVector(d: IrqData, vector: number, cpu: number): void {
    const a = d.chip_data as ApicChipData;
    const desc = this.core.irq_to_desc(d.irq);
    if (a.vector) {
      if (this.core.cpus[a.cpu]?.online) {
        a.move_in_progress = true;
        a.prev_vector = a.vector;
        a.prev_cpu = a.cpu;
      } else {
        this.matrix.free(a.cpu, a.vector);
        this.core.cpus[a.cpu]!.vector_irq[a.vector] = undefined;
      }
    }
    a.vector = vector;
    a.cpu = cpu;
    this.core.cpus[cpu]!.vector_irq[vector] = desc;
  }

  /** clear_irq_vector(): frees the current and any previous vector. */
  private clearVector(d: IrqData): void {
    const a = d.chip_data as ApicChipData;
    if (!a.vector) return;
    this.core.cpus[a.cpu]!.vector_irq[a.vector] = undefined;
    this.matrix.free(a.cpu, a.vector);
    a.vector = 0;
    if (a.prev_vector) {
      this.core.cpus[a.prev_cpu]!.vector_irq[a.prev_vector] = undefined;
      this.matrix.free(a.prev_cpu, a.prev_vector);
      a.prev_vector = 0;
      a.move_in_progress = false;
    }
  }

  private freeIrq(d: IrqData): void {
    const a = d.chip_data as ApicChipData | null;
    if (a === null) return;
    this.clearVector(d);
    if (a.has_reserved) this.matrix.removeReserved();
    a.has_reserved = false;
    d.chip_data = null;
  }

  /** x86_vector_activate(). */
  private activate(d: IrqData, reserve: boolean): number {
    const a = d.chip_data as ApicChipData;
    if (!a.can_reserve && !a.is_managed) return this.assignAny(d);
    if (reserve) {
      this.assignShutdown(d);
      return 0;
    }
    if (a.has_reserved) {
      const ret = this.assignAny(d);
      if (ret === 0) {
        a.has_reserved = false;
        if (!d.has(IRQD_CAN_RESERVE)) a.can_reserve = false;
      }
      return ret;
    }
    return this.assignAny(d);
  }

  /**
   * x86_vector_deactivate(): a reservation-mode irq goes back to a reservation (a managed one to
   * the shutdown vector); a regular fixed-assigned irq (neither managed nor reservable, e.g.
   * IMS) keeps its vector until it is freed.
   */
  private deactivate(d: IrqData): void {
    const a = d.chip_data as ApicChipData;
    if (!a.is_managed && !a.can_reserve) return;
    if (a.has_reserved) return;
    this.clearVector(d);
    if (a.can_reserve) this.reserve(d);
    else this.assignShutdown(d);
  }

  // ---- the APIC chip ----

  /** apic_ack_edge(): complete a pending move, then EOI on the current CPU. */
  private apic_ack_edge(d: IrqData): void {
    const a = this.apicd(d);
    const cpu = this.core.currentCpu;
    if (a?.move_in_progress && a.cpu === cpu) {
      // irq_complete_move(): the first interrupt on the new target frees the old vector.
      this.core.cpus[a.prev_cpu]!.vector_irq[a.prev_vector] = undefined;
      this.matrix.free(a.prev_cpu, a.prev_vector);
      a.prev_vector = 0;
      a.move_in_progress = false;
    }
    this.core.cpus[cpu]!.apic.eoi();
  }

  /** apic_set_affinity(). */
  private apic_set_affinity(d: IrqData, mask: readonly number[]): number {
    const ret = this.assignVector(d, mask);
    return ret < 0 ? ret : IRQ_SET_MASK_OK;
  }

  /** apic_retrigger_irq(): a self-IPI of the irq's vector to its CPU (sets IRR). Returns 1. */
  private apic_retrigger_irq(d: IrqData): number {
    const a = this.apicd(d)!;
    this.core.cpus[a.cpu]!.apic.accept(a.vector, false, 0);
    this.core.updateAttention();
    return 1;
  }

  /** x86_vector_msi_compose_msg(): compatibility format, physical destination. */
  private compose(d: IrqData, msg: MsiMsg): void {
    const cfg = (d.chip_data as ApicChipData).hw_irq_cfg;
    msg.address_hi = 0;
    msg.address_lo = (0xfee00000 | ((cfg.dest_apicid & 0xff) << 12)) >>> 0;
    msg.data = cfg.vector;
  }

  /** x86_vector_debug_show() for one irq. */
  private debugShowIrq(d: IrqData, ind: number): string {
    const p = ' '.repeat(ind);
    const a = d.chip_data as ApicChipData | null;
    if (a === null) return `${p}Vector: Not assigned\n`;
    const u5 = (n: number): string => String(n).padStart(5);
    let s = `${p}Vector: ${u5(a.vector)}\n${p}Target: ${u5(a.cpu)}\n`;
    if (a.prev_vector)
      s += `${p}Previous vector: ${u5(a.prev_vector)}\n${p}Previous target: ${u5(a.prev_cpu)}\n`;
    s += `${p}move_in_progress: ${+a.move_in_progress}\n${p}is_managed:       ${+a.is_managed}\n`;
    s += `${p}can_reserve:      ${+a.can_reserve}\n${p}has_reserved:     ${+a.has_reserved}\n${p}cleanup_pending:  0\n`;
    return s;
  }
}

/**
 * x86_init_dev_msi_info(): arch defaults for a per-device MSI domain below the vector domain or
 * an IR domain: PCI MSI/MSI-X and (when the parent supports it) IMS; ack forwarded to the parent
 * (ending in an APIC EOI), edge flow, flags restricted to what the parent supports.
 */
export function x86_init_dev_msi_info(
  _dev: MsiDevice,
  parent: IrqDomain,
  info: MsiDomainInfo,
): boolean {
  if (parent.bus_token !== DOMAIN_BUS_ANY && parent.bus_token !== DOMAIN_BUS_DMAR) return false;
  const supported = parent.msi_parent_ops?.supported_flags ?? 0;
  switch (info.bus_token) {
    case DOMAIN_BUS_PCI_DEVICE_MSI:
    case DOMAIN_BUS_PCI_DEVICE_MSIX:
      break;
    case DOMAIN_BUS_PCI_DEVICE_IMS:
      if ((supported & MSI_FLAG_PCI_IMS) === 0) return false;
      break;
    default:
      return false;
  }
  info.flags = (info.flags & supported) | X86_VECTOR_MSI_FLAGS_REQUIRED;
  info.chip.irq_ack = irq_chip_ack_parent;
  info.chip.flags = (info.chip.flags ?? 0) | IRQCHIP_SKIP_SET_WAKE | IRQCHIP_AFFINITY_PRE_STARTUP;
  info.handler_name = 'edge';
  return true;
}
