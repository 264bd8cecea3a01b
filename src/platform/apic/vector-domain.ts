/**
 * The x86 VECTOR domain (arch/x86/kernel/apic/vector.c): the root of every interrupt hierarchy.
 * hwirq = virq; per irq an apic_chip_data with the assigned vector and CPU.
 *
 * Allocation without a CPU mask only reserves (reservation mode: the irq points at
 * MANAGED_IRQ_SHUTDOWN_VECTOR on the first online CPU until activation picks the real vector —
 * activate_reserved); with a mask the vector is assigned at once (assign_irq_vector_policy).
 * Activation takes the lowest free vector on the online CPU (within the irq's affinity) with
 * the most available vectors.
 *
 * Moves (apic_set_affinity → assign_vector_locked → apic_update_vector): the new vector is
 * taken, the old one kept as prev_vector/prev_cpu with move_in_progress — unless the old CPU is
 * offline, when it is freed at once. irq_complete_move(), from apic_ack_edge on the first
 * interrupt that arrives on the new CPU, schedules the cleanup; interrupt remapping schedules
 * it right after rewriting the IRTE (vector_schedule_cleanup from intel_ir_set_affinity), as
 * from then on every interrupt arrives at the new destination. The cleanup is a timer on the
 * old CPU one jiffy later (__vector_schedule_cleanup, vector_cleanup_callback); it frees the
 * old vector unless the old CPU still has it pending in IRR ("Moved interrupt pending in old
 * target APIC"), then tries again a jiffy later. While a cleanup is pending a further move of
 * the irq returns -EBUSY (the core then defers it to the next interrupt).
 */
import type { IrqCore } from '../irq/core';
import type { IrqData } from '../irq/irqdata';
import type { IrqDesc } from '../irq/irqdesc';
import { IrqDomain, irq_domain_get_irq_data } from '../irq/irqdomain';
import type { MsiDevice, MsiDomainInfo } from '../irq/msi';
import { irq_chip_ack_parent, irq_chip_retrigger_hierarchy } from '../irq/chip';
import { irq_move_irq } from '../irq/migration';
import {
  DOMAIN_BUS_ANY,
  DOMAIN_BUS_DMAR,
  DOMAIN_BUS_PCI_DEVICE_IMS,
  DOMAIN_BUS_PCI_DEVICE_MSI,
  DOMAIN_BUS_PCI_DEVICE_MSIX,
  EBUSY,
  EIO,
  IRQCHIP_AFFINITY_PRE_STARTUP,
  IRQCHIP_MOVE_DEFERRED,
  IRQCHIP_SKIP_SET_WAKE,
  IRQD_ACTIVATED,
  IRQD_AFFINITY_ON_ACTIVATE,
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
import { IrqMatrix, ENOSPC } from './matrix';
import {
  FIRST_EXTERNAL_VECTOR,
  FIRST_SYSTEM_VECTOR,
  MANAGED_IRQ_SHUTDOWN_VECTOR,
  NR_VECTORS,
  systemVectors,
} from './vectors';
import { LocalApic } from './lapic';

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
  /** The Linux irq. */
  irq: number;
  /** On the old CPU's cleanup list (!hlist_unhashed(&apicd->clist)). */
  cleanup_pending: boolean;
}

/** X86_VECTOR_MSI_FLAGS_SUPPORTED (with PCI/IMS, as the v6.2 series enabled it). */
export const X86_VECTOR_MSI_FLAGS_SUPPORTED =
  0xffff | MSI_FLAG_PCI_MSIX | MSI_FLAG_PCI_MSIX_ALLOC_DYN | MSI_FLAG_PCI_IMS;
/** X86_VECTOR_MSI_FLAGS_REQUIRED. */
export const X86_VECTOR_MSI_FLAGS_REQUIRED = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS;

/** One jiffy (HZ = 1000, as the kernel API's jiffies): the vector cleanup timer's delay. */
export const JIFFY_NS = 1_000_000;

export class VectorDomain {
  readonly matrix: IrqMatrix;
  readonly domain: IrqDomain;
  readonly chip: IrqChip;
  /** per_cpu(vector_cleanup): the irqs whose previous vector on that CPU awaits cleanup. */
  private readonly cleanup: Set<ApicChipData>[];
  /** The armed cleanup timer of each CPU (its id), if any. */
  private readonly cleanupTimer: (number | undefined)[];
  /** Whether "Moved interrupt pending in old target APIC" was printed (pr_warn_once). */
  private warnedPending = false;

  constructor(private readonly core: IrqCore) {
    const m = new IrqMatrix(
      core.cpus.length,
      FIRST_EXTERNAL_VECTOR,
      FIRST_SYSTEM_VECTOR,
      NR_VECTORS,
    );
    // lapic_assign_system_vectors(): the IDT's system vectors and the PIC cascade vector.
    for (const v of systemVectors()) m.assignSystem(v);
    for (const c of core.cpus) if (c.online) m.online(c.id);
    this.matrix = m;
    this.cleanup = core.cpus.map(() => new Set<ApicChipData>());
    this.cleanupTimer = core.cpus.map(() => undefined);
    this.chip = {
      name: 'APIC',
      irq_ack: (d) => {
        this.apic_ack_edge(d);
      },
      irq_set_affinity: (d, mask) => this.apic_set_affinity(d, mask),
      irq_compose_msi_msg: (d, msg) => {
        this.compose(d, msg);
      },
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
              irq: virq + i,
              cleanup_pending: false,
            };
            d.hwirq = virq + i;
            d.chip = this.chip;
            d.chip_data = apicd;
            // x86_vector_alloc_irqs(): single target; affinity changes before activation are
            // only stored ("Don't invoke affinity setter on deactivated interrupts").
            d.set(IRQD_SINGLE_TARGET | IRQD_AFFINITY_ON_ACTIVATE);
            // assign_irq_vector_policy(): a mask → immediate, else a global reservation.
            const ret = arg.mask
              ? this.assignVector(d, this.onlineOf(arg.mask))
              : (this.reserve(d), 0);
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

  private onlineOf(mask: readonly number[]): number[] {
    return mask.filter((c) => this.core.cpus[c]?.online);
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

  /** apic_update_irq_cfg(). */
  private updateCfg(d: IrqData, vector: number, cpu: number): void {
    const a = d.chip_data as ApicChipData;
    a.hw_irq_cfg.vector = vector;
    a.hw_irq_cfg.dest_apicid = this.core.cpus[cpu]!.apic.apicId;
    d.common.effective_affinity = [cpu];
  }

  /**
   * assign_vector_locked(): allocate on the best CPU of `dest` (already restricted to online
   * CPUs by the callers). Nothing to do when the current CPU is online and in `dest`; -EBUSY
   * while the previous move is in progress or its cleanup is pending.
   */
  private assignVector(d: IrqData, dest: readonly number[]): number {
    const a = d.chip_data as ApicChipData;
    if (a.vector && this.core.cpus[a.cpu]?.online && dest.includes(a.cpu)) return 0;
    if (a.move_in_progress || a.cleanup_pending) return -EBUSY;
    const r = this.matrix.alloc(dest, a.has_reserved);
    if (typeof r === 'number') return r;
    this.updateVector(d, r.vector, r.cpu);
    this.updateCfg(d, r.vector, r.cpu);
    return 0;
  }

  /**
   * assign_irq_vector_any_locked(): the affinity's online CPUs, else any online CPU (the
   * emulated machine is one NUMA node, so the node steps add nothing).
   */
  private assignAny(d: IrqData): number {
    const online = this.core.onlineCpus();
    const aff =
      d.common.affinity.length > 0 ? d.common.affinity.filter((c) => online.includes(c)) : online;
    if (aff.length > 0 && this.assignVector(d, aff) === 0) return 0;
    return this.assignVector(d, online);
  }

  /**
   * apic_update_vector(): installs the new vector in vector_irq. A previous vector on an online
   * CPU stays (prev_vector, move_in_progress) until the move completes; one on an offline CPU
   * is freed in the matrix at once (its vector_irq entry is left for fixup_irqs to scan). The
   * shutdown vector of a reservation is nothing to release.
   */
  private updateVector(d: IrqData, vector: number, cpu: number): void {
    const a = d.chip_data as ApicChipData;
    const desc = this.core.irq_to_desc(d.irq);
    a.prev_vector = 0;
    if (a.vector && a.vector !== MANAGED_IRQ_SHUTDOWN_VECTOR) {
      if (this.core.cpus[a.cpu]?.online) {
        a.move_in_progress = true;
        a.prev_vector = a.vector;
        a.prev_cpu = a.cpu;
      } else {
        this.matrix.free(a.cpu, a.vector);
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
      this.unlinkCleanup(a);
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
    // A regular fixed-assigned irq: Linux ignores the result here.
    if (!a.can_reserve && !a.is_managed) {
      this.assignAny(d);
      return 0;
    }
    if (reserve) {
      this.assignShutdown(d);
      return 0;
    }
    if (a.has_reserved) {
      // activate_reserved()
      const ret = this.assignAny(d);
      if (ret === 0) {
        a.has_reserved = false;
        if (!d.has(IRQD_CAN_RESERVE)) a.can_reserve = false;
      }
      const aff = d.common.affinity;
      if (aff.length > 0 && !d.common.effective_affinity.every((c) => aff.includes(c)))
        this.core.printk('warn', `irq ${d.irq}: Affinity broken due to vector space exhaustion.`);
      return ret;
    }
    return 0;
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

  // ---- moves and their cleanup ----

  /**
   * irq_complete_move(): the first interrupt on the new target CPU schedules the cleanup of the
   * old vector ("A vector check is not required because an interrupt can never move from one
   * vector to another on the same CPU").
   */
  private irq_complete_move(a: ApicChipData): void {
    if (a.move_in_progress && a.cpu === this.core.currentCpu) this.__vector_schedule_cleanup(a);
  }

  /** vector_schedule_cleanup(): for interrupt remapping, once the IRTE points at the new CPU. */
  vector_schedule_cleanup(d: IrqData): void {
    const a = this.apicd(d);
    if (a?.move_in_progress) this.__vector_schedule_cleanup(a);
  }

  /**
   * __vector_schedule_cleanup(): the move is no longer in progress; the old vector goes on the
   * old CPU's cleanup list and that CPU's cleanup timer is armed for the next jiffy (if it is
   * not already). An old CPU that is offline: freed at once, with Linux's warning.
   */
  private __vector_schedule_cleanup(a: ApicChipData): void {
    const cpu = a.prev_cpu;
    a.move_in_progress = false;
    if (!this.core.cpus[cpu]?.online) {
      this.core.printk('warn', `IRQ ${a.irq} schedule cleanup for offline CPU ${cpu}`);
      this.free_moved_vector(a);
      return;
    }
    this.cleanup[cpu]!.add(a);
    a.cleanup_pending = true;
    this.armCleanupTimer(cpu);
  }

  /** add_timer_on(&cl->timer, cpu) with expires = jiffies + 1 (or mod_timer on a rearm). */
  private armCleanupTimer(cpu: number): void {
    const t = this.core.timers;
    if (t === null) {
      // No clock (a bare core in unit tests): the timer's work runs now.
      this.__vector_cleanup(cpu, true);
      return;
    }
    if (this.cleanupTimer[cpu] !== undefined) return;
    const now = t.now();
    const delay = (Math.floor(now / JIFFY_NS) + 1) * JIFFY_NS - now;
    this.cleanupTimer[cpu] = t.schedule(delay, `vector cleanup timer (CPU ${cpu})`, () => {
      this.cleanupTimer[cpu] = undefined;
      this.__vector_cleanup(cpu, true);
    });
  }

  /**
   * __vector_cleanup() (vector_cleanup_callback on `cpu`): frees each listed previous vector
   * unless `cpu` still has it pending in IRR, which keeps it listed and rearms the timer.
   */
  private __vector_cleanup(cpu: number, check_irr: boolean): void {
    let rearm = false;
    const apic = this.core.cpus[cpu]!.apic;
    for (const a of [...this.cleanup[cpu]!]) {
      if (check_irr && LocalApic.test(apic.irr, a.prev_vector)) {
        if (!this.warnedPending) {
          this.warnedPending = true;
          this.core.printk('warn', `Moved interrupt pending in old target APIC ${a.irq}`);
        }
        rearm = true;
        continue;
      }
      this.free_moved_vector(a);
    }
    if (rearm) this.armCleanupTimer(cpu);
  }

  /** free_moved_vector(): the previous vector goes back to the matrix. */
  private free_moved_vector(a: ApicChipData): void {
    if (a.prev_vector) {
      this.matrix.free(a.prev_cpu, a.prev_vector);
      this.core.cpus[a.prev_cpu]!.vector_irq[a.prev_vector] = undefined;
    }
    this.unlinkCleanup(a);
    a.prev_vector = 0;
    a.move_in_progress = false;
  }

  private unlinkCleanup(a: ApicChipData): void {
    if (!a.cleanup_pending) return;
    this.cleanup[a.prev_cpu]!.delete(a);
    a.cleanup_pending = false;
  }

  /**
   * irq_force_complete_move(): for CPU `cpu` going down, a previous vector of `desc` on it (or
   * of an irq currently on it) is freed now; a move still in progress is reported as Linux
   * reports it.
   */
  irq_force_complete_move(desc: IrqDesc, cpu: number): void {
    const a = this.apicd(desc.irq_data);
    if (a === null || !a.prev_vector || (a.cpu !== cpu && a.prev_cpu !== cpu)) return;
    if (a.move_in_progress)
      this.core.printk(
        'warn',
        `IRQ fixup: irq ${a.irq} move in progress, old vector ${a.prev_vector}`,
      );
    this.free_moved_vector(a);
  }

  // ---- CPU hotplug (lapic_online / lapic_offline / lapic_can_unplug_cpu) ----

  /**
   * lapic_can_unplug_cpu(): the non-managed vectors allocated on `cpu` must fit in what the other
   * online CPUs have available. Returns 0 or -ENOSPC (with the kernel's warning).
   */
  lapic_can_unplug_cpu(cpu: number): number {
    const tomove = this.matrix.allocatedOn(cpu);
    const avl = this.matrix.availableWithout(cpu);
    if (avl < tomove) {
      this.core.printk(
        'warn',
        `CPU ${cpu} has ${tomove} vectors, ${avl} available. Cannot disable CPU`,
      );
      return -ENOSPC;
    }
    const rsvd = this.matrix.global_reserved;
    if (avl < rsvd)
      this.core.printk('warn', `Reserved vectors ${rsvd} > available ${avl}. IRQ request may fail`);
    return 0;
  }

  /**
   * lapic_offline(): run what the cleanup timer of `cpu` had left (without the IRR check:
   * fixup_irqs just scanned IRR), stop the timer, take the CPU's matrix map offline.
   */
  lapic_offline(cpu: number): void {
    this.__vector_cleanup(cpu, false);
    const id = this.cleanupTimer[cpu];
    if (id !== undefined) this.core.timers?.cancel(id);
    this.cleanupTimer[cpu] = undefined;
    this.matrix.offline(cpu);
  }

  /** lapic_online(): the matrix map online, vector_irq cleared (no legacy PIC vectors here). */
  lapic_online(cpu: number): void {
    this.matrix.online(cpu);
    this.core.cpus[cpu]!.vector_irq.fill(undefined);
  }

  // ---- the APIC chip ----

  /**
   * apic_ack_edge(): complete a pending move (irq_complete_move), carry out a deferred affinity
   * change (irq_move_irq), then EOI on the current CPU.
   */
  private apic_ack_edge(d: IrqData): void {
    const a = this.apicd(d);
    if (a) this.irq_complete_move(a);
    irq_move_irq(this.core, d);
    this.core.cpus[this.core.currentCpu]!.apic.eoi();
  }

  /**
   * apic_ack_irq(): the ack of chips above the vector level that do not forward it (the
   * interrupt-remapping chip): a deferred affinity change, then EOI — no irq_complete_move.
   */
  apic_ack_irq(d: IrqData): void {
    irq_move_irq(this.core, d);
    this.core.cpus[this.core.currentCpu]!.apic.eoi();
  }

  /**
   * apic_set_affinity(): assign_vector_locked() on the online CPUs of `dest`. -EIO for an irq
   * that is not activated (Linux WARNs). Returns IRQ_SET_MASK_OK or a negative errno.
   */
  private apic_set_affinity(d: IrqData, dest: readonly number[]): number {
    if (!d.has(IRQD_ACTIVATED)) return -EIO;
    const ret = this.assignVector(d, this.onlineOf(dest));
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
    s += `${p}can_reserve:      ${+a.can_reserve}\n${p}has_reserved:     ${+a.has_reserved}\n`;
    s += `${p}cleanup_pending:  ${+a.cleanup_pending}\n`;
    return s;
  }
}

/**
 * x86_init_dev_msi_info(): arch defaults for a per-device MSI domain below the vector domain or
 * an IR domain: PCI MSI/MSI-X and (when the parent supports it) IMS; ack and retrigger forwarded
 * to the parents (ending in an APIC EOI / self-IPI), edge flow, flags restricted to what the
 * parent supports.
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
  info.chip.irq_retrigger = irq_chip_retrigger_hierarchy;
  info.chip.flags = (info.chip.flags ?? 0) | IRQCHIP_SKIP_SET_WAKE | IRQCHIP_AFFINITY_PRE_STARTUP;
  // Directly below the vector domain (no remapping) a device's message must change with the
  // vector: moves happen at an interrupt (v6.13+: IRQCHIP_MOVE_DEFERRED; before, the missing
  // IRQD_MOVE_PCNTXT did the same).
  if (parent.bus_token === DOMAIN_BUS_ANY) info.chip.flags |= IRQCHIP_MOVE_DEFERRED;
  info.handler_name = 'edge';
  return true;
}
