/**
 * Pages of the snapshot's long lists (`ims/page`): rows [start, start + count) of one list, from
 * the same machine state as the bounded snapshot of the stop, with the irqs and IRTEs the rows
 * name. Like the bounded snapshot, pages carry IRTEs without their decoded fields. Pure reads.
 */
import type { HeldKey, MachineLists } from './lists';
import { NamedRecords } from './named';
import { heldEntry, iecEntry, unitIrte, vectorIrq } from './records';
import type { ListItems, ListKind, ListRef, SnapshotPage } from './types';

/** Where a page is asked for: by position, or the page of `pageSize` rows holding a key. */
export interface PageRequest {
  readonly ref: ListRef;
  /** First row (0-based). Ignored when `key` is given. */
  readonly start?: number;
  readonly count: number;
  /**
   * An IRTE index, IMS slot, irq or vector: the page returned is the aligned one (start a
   * multiple of `count`) holding it. Not for `held`.
   */
  readonly key?: number;
}

/** Most rows one page may ask for. */
export const MAX_PAGE = 1000;

/**
 * Builds the page `req` of the machine behind `lists`, for stop `seq` in `generation`.
 * @throws RangeError for an unknown unit, device, domain or CPU, a bad start or count, or a key
 *   that is not in the list
 */
export function buildPage(
  lists: MachineLists,
  req: PageRequest,
  seq: number,
  generation: number,
): SnapshotPage {
  const ref = req.ref;
  checkRef(lists, ref);
  const count = req.count;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE)
    throw new RangeError(`count must be 1..${MAX_PAGE}, got ${String(count)}`);
  // A unit's IRTEs are read from its table without listing all 65,536 first.
  const irteSeq = ref.list === 'irtes' ? lists.unitSeq(ref.unit) : -1;
  const keys = irteSeq >= 0 ? undefined : lists.keysOf(ref);
  let start = req.start ?? 0;
  if (req.key !== undefined) {
    const pos = keys === undefined ? lists.irteRank(irteSeq, req.key) : keys.indexOf(req.key);
    if (pos < 0) throw new RangeError(`${String(req.key)} is not in ${describe(ref)}`);
    start = pos - (pos % count);
  }
  if (!Number.isInteger(start) || start < 0)
    throw new RangeError(`start must be 0 or more, got ${String(start)}`);
  const slice =
    keys === undefined ? lists.irteRange(irteSeq, start, count) : keys.slice(start, start + count);
  const total = keys === undefined ? lists.irteCount(irteSeq) : keys.length;
  const named = new NamedRecords(lists, true);
  const items = pageItems(lists, ref, slice, named);
  return {
    seq,
    generation,
    ref,
    start,
    total,
    items,
    // A domain's page carries its irqs as rows: not again among the records they name.
    irqs: ref.list === 'domainIrqs' ? [] : named.irqs(),
    irtes: named.irtes(),
  };
}

function pageItems(
  lists: MachineLists,
  ref: ListRef,
  slice: readonly (number | HeldKey)[],
  named: NamedRecords,
): ListItems[ListKind][] {
  const nums = slice as readonly number[];
  switch (ref.list) {
    case 'irtes': {
      const seq = lists.unitSeq(ref.unit);
      return nums.map((i) => unitIrte(lists, seq, i, true));
    }
    case 'iec': {
      const seq = lists.unitSeq(ref.unit);
      return nums.map((i) => iecEntry(lists, seq, i));
    }
    case 'imsSlots': {
      const dsa = lists.dsa(ref.device)!;
      const slots = nums.map((s) => dsa.ims.peek(s));
      for (const s of slots) named.entry(ref.device, 'ims', s.slot, s);
      return slots;
    }
    case 'domainIrqs':
      return nums.map((n) => named.irq(n)!);
    case 'cpuVectors':
      return nums.map((v) => {
        const e = vectorIrq(lists.m, ref.cpu, v)!;
        named.irq(e.irq);
        return e;
      });
    case 'held':
      return (slice as readonly HeldKey[]).map((k) => {
        const h = heldEntry(lists, k);
        named.entry(h.bdf, h.table, h.index, h);
        return h;
      });
  }
}

function checkRef(lists: MachineLists, ref: ListRef): void {
  const ok =
    ref.list === 'irtes' || ref.list === 'iec'
      ? lists.unitSeq(ref.unit) >= 0
      : ref.list === 'imsSlots'
        ? lists.dsa(ref.device) !== undefined
        : ref.list === 'domainIrqs'
          ? lists.m.core.domains.some((d) => d.name === ref.domain)
          : ref.list === 'cpuVectors'
            ? Number.isInteger(ref.cpu) && lists.m.cpus[ref.cpu] !== undefined
            : (ref.list as string) === 'held';
  if (!ok) throw new RangeError(`no list ${describe(ref)}`);
}

function describe(ref: ListRef): string {
  return JSON.stringify(ref);
}
