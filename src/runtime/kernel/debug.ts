/**
 * `ims_debug`: the debugger's own fault-injection and inspection calls — not kernel API. They
 * let a model break what a driver cannot normally reach (an IRTE), to see how the hardware and
 * the kernel react.
 */
import { encodeIrte, type Irte } from '../../platform/remap/irte';
import { KernelError, type KernelContext } from './context';

export function debugApi(ctx: KernelContext) {
  const m = ctx.machine;
  const unit = (n: number) => {
    const u = m.ir[n];
    if (u === undefined)
      throw new KernelError(`ims_debug: there is no IR unit ${n} (units 0..${m.ir.length - 1})`);
    return u.unit;
  };
  return {
    ims_debug: {
      /** Reads IRTE `index` of IR unit `unitIndex` (default 0) as a 128-bit bigint. */
      irte_read(index: number, unitIndex = 0): bigint {
        return unit(unitIndex).readIrte(index);
      },
      /**
       * Writes IRTE `index` of IR unit `unitIndex` (default 0): a 128-bit bigint or fields
       * ({ p, vector, dst, sid, svt, … }). No interrupt-entry-cache invalidation is needed here:
       * the emulated unit reads the table on every request.
       */
      irte_write(index: number, value: bigint | Partial<Irte>, unitIndex = 0): void {
        const v = typeof value === 'bigint' ? value : encodeIrte(value);
        unit(unitIndex).writeIrte(index, BigInt.asUintN(128, v));
      },
      /** The IRTE index an irq's IR level uses, or -1 (no interrupt remapping for it). */
      irte_of_irq(irq: number): number {
        for (let d = m.core.irq_to_desc(irq)?.irq_data ?? null; d; d = d.parent_data) {
          if (d.domain.name.startsWith('INTEL-IR-'))
            return (
              (d.chip_data as { irte_index: number; sub_handle: number }).irte_index +
              (d.chip_data as { sub_handle: number }).sub_handle
            );
        }
        return -1;
      },
      /** Simulated time in ns. */
      now(): number {
        return m.clock.now;
      },
    },
  };
}
