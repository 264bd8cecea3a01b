/**
 * The long lists of a stop as the views hold them: a total and the rows read so far by position
 * (a sparse array: holes are rows not read yet). A list the snapshot carries whole starts
 * complete; the others start empty and fill as `ims/page` answers arrive.
 */
import { listKey } from '../../platform/snapshot/lists';
import type { ListRef, PlatformSnapshot } from '../../platform/snapshot/types';

export { listKey };

/** A list's total and its rows read so far, by position. */
export interface ListRows<T> {
  total: number;
  readonly items: (T | undefined)[];
}

/** The rows of `ref` that `snap` carries (all of them, or none when the list is too long). */
export function listRows(snap: PlatformSnapshot, ref: ListRef): ListRows<unknown> {
  const whole = (items: readonly unknown[], total: number): ListRows<unknown> => ({
    total,
    items: items.length === total ? [...items] : [],
  });
  switch (ref.list) {
    case 'irtes': {
      const u = snap.ir.find((x) => x.name === ref.unit);
      return whole(u?.irtes ?? [], u?.irteCount ?? 0);
    }
    case 'iec': {
      const u = snap.ir.find((x) => x.name === ref.unit);
      return whole(u?.iec.entries ?? [], u?.iec.count ?? 0);
    }
    case 'imsSlots': {
      const d = snap.devices.find((x) => x.bdf === ref.device);
      return whole(d?.dsa?.ims.inUse ?? [], d?.imsInUseCount ?? 0);
    }
    case 'domainIrqs': {
      const d = snap.domains.find((x) => x.name === ref.domain);
      const irqs = new Map(snap.irqs.map((i) => [i.irq, i]));
      const items = (d?.irqs ?? []).map((n) => irqs.get(n));
      return whole(items.every((i) => i !== undefined) ? items : [], d?.irqCount ?? 0);
    }
    case 'cpuVectors': {
      const c = snap.cpus.find((x) => x.id === ref.cpu);
      return whole(c?.vectors ?? [], c?.vectorCount ?? 0);
    }
    case 'held':
      return whole(snap.held, snap.heldCount);
  }
}
