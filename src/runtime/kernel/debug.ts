/**
 * `ims_debug`: the debugger's own fault-injection and inspection calls — not kernel API. They
 * let a model break what a driver cannot normally reach (an IRTE, the interrupt entry cache),
 * to see how the hardware and the kernel react, and look at state Linux shows only in debugfs
 * (the vector level of an irq).
 */
import { encodeIrte, type Irte } from '../../platform/remap/irte';
import type { IntelIrData } from '../../platform/remap/ir-domain';
import { irteFromWords } from '../../platform/remap/irte';
import { KernelError, type KernelContext } from './context';
import type { DsaPlatformDevice } from '../../platform/machine/devices';
import type { PciDev } from '../../platform/pci-msi/pcidev';

/** Options of ims_debug.irte_write. */
interface IrteWriteOptions {
  /** Flush the IRTE from the unit's interrupt entry cache afterwards (default true). */
  flush?: boolean;
}

export function debugApi(ctx: KernelContext) {
  const m = ctx.machine;
  const inst = (n: unknown) => {
    const u = typeof n === 'number' ? m.ir[n] : undefined;
    if (u === undefined)
      throw new KernelError(
        `ims_debug: there is no IR unit ${String(n)} (units 0..${m.ir.length - 1})`,
      );
    return u;
  };
  const index = (what: string, i: unknown): number => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i > 0xffff)
      throw new KernelError(
        `ims_debug.${what}: the IRTE index must be an integer 0..65535, got ${String(i)}`,
      );
    return i;
  };
  const dsaOf = (what: string, pdev: unknown) => {
    const i = m.pdevs.indexOf(pdev as PciDev);
    const d = i < 0 ? undefined : m.devices[i];
    if (d?.kind !== 'dsa')
      throw new KernelError(`ims_debug.${what}: the argument is not the pci_dev of a DSA device`);
    return (d as DsaPlatformDevice).dsa;
  };
  return {
    ims_debug: {
      /** Reads IRTE `index` of IR unit `unitIndex` (default 0) from the table in memory. */
      irte_read(i: number, unitIndex = 0): bigint {
        return inst(unitIndex).unit.readIrte(index('irte_read', i));
      },
      /**
       * Writes IRTE `index` of IR unit `unitIndex` (default 0): a 128-bit bigint or fields
       * ({ p, vector, dst, sid, svt, … }). By default the entry is then flushed from the unit's
       * interrupt entry cache the way the kernel's modify_irte() does (qi_flush_iec through the
       * invalidation queue); with `{ flush: false }` the cache keeps what it holds, so the unit
       * goes on using the old entry until something invalidates it. The options may come third.
       * Returns qi_flush_iec's result (0 when not flushing).
       */
      irte_write(
        i: number,
        value: bigint | Partial<Irte>,
        unitIndex: number | IrteWriteOptions | null = 0,
        opts: IrteWriteOptions | null = {},
      ): number {
        const o = (typeof unitIndex === 'object' && unitIndex !== null ? unitIndex : opts) ?? {};
        const u = inst(typeof unitIndex === 'number' ? unitIndex : 0);
        const idx = index('irte_write', i);
        const v = typeof value === 'bigint' ? value : encodeIrte(value);
        u.unit.writeIrte(idx, BigInt.asUintN(128, v));
        return o.flush === false ? 0 : u.iommu.qi_flush_iec(idx, 0);
      },
      /**
       * The IRTE the unit's interrupt entry cache holds for `index` (what translation uses), or
       * null when the index is not cached (the next request reads the table).
       */
      iec_read(i: number, unitIndex = 0): bigint | null {
        const e = inst(unitIndex).unit.iec.peek(index('iec_read', i));
        return e === undefined ? null : irteFromWords(e[0]!, e[1]!, e[2]!, e[3]!);
      },
      /** qi_flush_iec(iommu, index, mask): invalidate 2^mask IRTEs from `index`. → 0 or -errno. */
      qi_flush_iec(i: number, mask = 0, unitIndex = 0): number {
        if (!Number.isInteger(mask) || mask < 0 || mask > 31)
          throw new KernelError(`ims_debug.qi_flush_iec: mask must be 0..31, got ${mask}`);
        return inst(unitIndex).iommu.qi_flush_iec(index('qi_flush_iec', i), mask);
      },
      /** qi_global_iec(iommu): invalidate the unit's whole interrupt entry cache. → 0 or -errno. */
      qi_global_iec(unitIndex = 0): number {
        return inst(unitIndex).iommu.qi_global_iec();
      },
      /** The IRTE index an irq's IR level uses, or -1 (no interrupt remapping for it). */
      irte_of_irq(irq: number): number {
        for (let d = m.core.irq_to_desc(irq)?.irq_data ?? null; d; d = d.parent_data) {
          if (d.domain.name.startsWith('INTEL-IR-')) {
            const ird = d.chip_data as IntelIrData;
            return ird.irte_index + ird.sub_handle;
          }
        }
        return -1;
      },
      /**
       * The vector level of an irq (struct apic_chip_data, as x86_vector_debug_show prints it),
       * or null for an irq that does not exist.
       */
      vector_of_irq(irq: number) {
        const desc = m.core.irq_to_desc(irq);
        const a = desc ? m.vector.apicd(desc.irq_data) : null;
        if (a === null) return null;
        return {
          vector: a.vector,
          cpu: a.cpu,
          prev_vector: a.prev_vector,
          prev_cpu: a.prev_cpu,
          move_in_progress: a.move_in_progress,
          cleanup_pending: a.cleanup_pending,
          has_reserved: a.has_reserved,
          can_reserve: a.can_reserve,
          /** hw_irq_cfg: what the IRTE or message uses (0xef while only reserved). */
          cfg_vector: a.hw_irq_cfg.vector,
          dest_apicid: a.hw_irq_cfg.dest_apicid,
          effective_affinity: [...desc!.irq_data.common.effective_affinity],
        };
      },
      /**
       * The device revokes every interrupt handle, as after a host-side FLR or a migration
       * (DSA spec 3.7; the kernel's idxd_int_handle_revoke work): INTCAUSE.int_handle_revoked
       * and the misc interrupt. The same as writing EMU_INJECT.REVOKE_INT_HANDLES.
       * → how many handles were revoked. Throws for a pdev that is not a DSA.
       */
      revoke_int_handles(pdev: PciDev): number {
        return dsaOf('revoke_int_handles', pdev).revokeIntHandles();
      },
      /**
       * The device halts as on an internal error: GENSTS.state = HALT with `resetType`
       * (IDXD_DEVICE_RESET_*, 0 = software), queued descriptors discarded, INTCAUSE.halt_state
       * (and SWERR HW_ERR1 with `hwError`). The same as writing EMU_INJECT.HALT. Throws for a
       * pdev that is not a DSA or a reset type outside 0..3.
       */
      halt_device(pdev: PciDev, resetType = 0, hwError = false): void {
        const dsa = dsaOf('halt_device', pdev);
        if (!Number.isInteger(resetType) || resetType < 0 || resetType > 3)
          throw new KernelError(`ims_debug.halt_device: resetType must be 0..3, got ${resetType}`);
        dsa.halt(resetType, hwError);
      },
      /** Simulated time in ns. */
      now(): number {
        return m.clock.now;
      },
    },
  };
}
