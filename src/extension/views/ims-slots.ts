/**
 * The IMS Slots view: per device, each IMS slot in use — address_lo/hi, data and ctrl in hex with
 * decoded fields (mask, PASID enable, PASID), the IRTE the remappable handle names, the pending
 * state, the irq and the interrupt handle. Slots in use are those that differ from reset or hold
 * a message; thousands page lazily.
 */
import type { ImsSlotView } from '../../platform/idxd';
import type { RenderContext } from '../model/context';
import { plural } from '../model/format';
import { infoNode, pagedList } from '../model/items';
import { slotNode, type SlotInput, type SlotState } from '../model/message-slot';
import { childId, type ViewNode } from '../model/node';
import { factsTooltip } from '../model/tooltip';

/** A snapshot slot as a slot row's state. */
export function imsSlotState(s: ImsSlotView): SlotState {
  return {
    msg: { address_lo: s.address_lo, address_hi: s.address_hi, data: s.data },
    ctrl: s.ctrl,
    pending: s.pending,
    pendingId: s.pendingId,
  };
}

/** The slot row input for `bdf`'s slot `s`, with its state at the previous stop. */
export function imsSlotInput(ctx: RenderContext, bdf: string, s: ImsSlotView): SlotInput {
  const before = ctx.before?.imsSlot(bdf, s.slot);
  const address = ctx.cur.imsSlotAddress(bdf, s.slot);
  return {
    bdf,
    table: 'ims',
    index: s.slot,
    now: imsSlotState(s),
    before: before === undefined ? undefined : imsSlotState(before),
    ...(address === undefined ? {} : { address }),
  };
}

/** The root rows: one per device with an IMS store. */
export function imsSlotsView(ctx: RenderContext): ViewNode[] {
  const rows: ViewNode[] = [];
  for (const dev of ctx.snap.devices) {
    const dsa = dev.dsa;
    if (dsa === null) continue;
    const id = childId('ims', dev.bdf);
    const inUse = dsa.ims.inUse;
    const pending = inUse.filter((s) => s.pending).length;
    const base = ctx.cur.imsSlotAddress(dev.bdf, 0);
    const beforeCount = ctx.before?.device(dev.bdf)?.dsa?.ims.inUse.length;
    rows.push({
      id,
      label: dev.bdf,
      description:
        `${dev.kind.toUpperCase()} · ${inUse.length} of ${plural(dsa.ims.slots, 'slot')} in use` +
        (pending > 0 ? ` · ${pending} pending` : ''),
      tooltip: factsTooltip(`${dev.bdf} IMS`, [
        ['device state', dsa.state],
        ['slots', String(dsa.ims.slots)],
        ['in use', String(inUse.length)],
        [
          'table',
          base === undefined ? 'unknown' : `0x${base.toString(16)} (BAR0 + TABLE.ims × 0x100)`,
        ],
        ['bus master', dsa.pci.busMaster ? 'enabled' : 'disabled (no message can be sent)'],
      ]),
      kind: 'device',
      icon: 'circuit-board',
      expanded: true,
      changed: ctx.changed(beforeCount, inUse.length),
      children: () =>
        inUse.length === 0
          ? [infoNode(childId(id, 'none'), 'no IMS slot in use', '')]
          : pagedList(ctx, id, inUse, (s) =>
              slotNode(ctx, childId(id, s.slot), imsSlotInput(ctx, dev.bdf, s)),
            ),
    });
  }
  return rows;
}
