/**
 * Where pending messages wait. A message the trace holds pending must sit in the MSI-X entry or
 * IMS slot it came from (as that entry's pending message id), and the entry must be unable to
 * send it — masked, the function masked, MSI-X disabled, or Bus Master off — since otherwise
 * nothing would ever release it: a message pending at a live entry is lost without a reason.
 * Conversely (with `full`), every message an entry holds must be pending in the trace.
 *
 * Covers the machine's DSA devices (the device models with MSI-X tables and IMS stores) and the
 * VT-d units' fault event (held while FECTL.IM is set).
 */
import type { Machine } from '../machine/machine';
import type { DsaPlatformDevice } from '../machine/devices';
import type { InterruptTrace } from '../trace';

/** What a holder looks like to the check: the id it holds and whether it could send it now. */
interface Held {
  id: number | null;
  live: boolean;
  what: string;
}

/**
 * Returns the problems found (empty when every pending message is held as it should be).
 * @param pending the ids the trace holds pending (MessageLedger.pending)
 * @param full also scan every entry and slot for held ids the trace does not hold pending
 *   (O(table sizes); the pending-side check is O(pending))
 */
export function checkHeldMessages(
  m: Machine,
  pending: ReadonlySet<number>,
  full: boolean,
): string[] {
  const problems: string[] = [];
  for (const id of pending) {
    if (m.trace.messageOriginOf(id)?.source === 'dmar') {
      const name = m.trace.messageOriginOf(id)!.bdf;
      const unit = m.ir.find((u) => `dmar${u.unit.seq}` === name)?.unit;
      if (unit?.heldFaultEvent !== id)
        problems.push(
          `message #${id} is pending, but ${name} holds ${unit?.heldFaultEvent ?? 'nothing'}`,
        );
      else if (!unit.faultEventMasked)
        problems.push(`message #${id} is pending at ${name}, whose fault event is unmasked`);
      continue;
    }
    const o = m.trace.originOf(id);
    const dev = o && dsaOf(m, o.bdf);
    if (o === undefined || dev === undefined) continue;
    const h = holder(dev, o.source, o.index);
    if (h.id !== id)
      problems.push(`message #${id} is pending, but ${h.what} holds ${h.id ?? 'nothing'}`);
    else if (h.live)
      problems.push(`message #${id} is pending at ${h.what}, which is live and will not send it`);
  }
  if (full) {
    for (const { unit } of m.ir) {
      const id = unit.heldFaultEvent;
      if (id !== null && !pending.has(id))
        problems.push(
          `dmar${unit.seq} holds message #${id}, which the trace does not hold pending ` +
            `(its last event: ${m.trace.lastEventOf(id)?.kind ?? 'none'})`,
        );
    }
    for (const dev of m.devices) {
      if (dev.kind !== 'dsa') continue;
      const d = dev as DsaPlatformDevice;
      for (let i = 0; i < d.dsa.msix.size; i++) heldNotPending(m.trace, pending, d, 'msix', i);
      for (let s = 0; s < d.dsa.ims.slots; s++) heldNotPending(m.trace, pending, d, 'ims', s);
    }
  }
  return problems;

  function heldNotPending(
    trace: InterruptTrace,
    ids: ReadonlySet<number>,
    dev: DsaPlatformDevice,
    source: 'msix' | 'ims',
    index: number,
  ): void {
    const h = holder(dev, source, index);
    if (h.id !== null && !ids.has(h.id))
      problems.push(
        `${h.what} holds message #${h.id}, which the trace does not hold pending ` +
          `(its last event: ${trace.lastEventOf(h.id)?.kind ?? 'none'})`,
      );
  }
}

function dsaOf(m: Machine, bdf: string): DsaPlatformDevice | undefined {
  const d = m.devices.find((x) => x.kind === 'dsa' && x.fn.bdf === bdf);
  return d as DsaPlatformDevice | undefined;
}

function holder(dev: DsaPlatformDevice, source: 'msix' | 'ims', index: number): Held {
  const fn = dev.fn;
  if (source === 'msix') {
    const e = dev.dsa.msix.peek(index);
    return {
      id: e.pendingId,
      live: !e.masked && fn.msixEnabled && !fn.msixFunctionMasked && fn.busMasterEnabled,
      what: `MSI-X entry ${index} of ${fn.bdf}`,
    };
  }
  const s = dev.dsa.ims.peek(index);
  return {
    id: s.pendingId,
    live: !s.mask && fn.busMasterEnabled,
    what: `IMS slot ${index} of ${fn.bdf}`,
  };
}
