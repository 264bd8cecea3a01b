/**
 * The IMS Slots view: per device, each IMS slot in use — address_lo/hi, data and ctrl in hex with
 * decoded fields (mask, PASID enable, PASID), the IRTE the remappable handle names, the pending
 * state, the irq and the interrupt handle. Slots in use are those that differ from reset or hold
 * a message; thousands page lazily.
 */
import type { ImsSlotView, MsixEntrySnapshot } from '../../platform/idxd';
import type { RenderContext } from '../model/context';
import { plural } from '../model/format';
import { groupNode, infoNode, remoteList } from '../model/items';
import { msixSlotInput, slotNode, type SlotInput, type SlotState } from '../model/message-slot';
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
  const before = ctx.beforeIn(
    { list: 'imsSlots', device: bdf },
    s.slot,
    ctx.before?.imsSlot(bdf, s.slot),
    s,
  );
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
    const inUse = dev.imsInUseCount;
    const whole = dsa.ims.inUse.length === inUse;
    // Held messages are counted when the snapshot carries them all.
    const pending =
      ctx.snap.held.length === ctx.snap.heldCount
        ? ctx.snap.held.filter((h) => h.bdf === dev.bdf && h.table === 'ims').length
        : 0;
    const base = ctx.cur.imsSlotAddress(dev.bdf, 0);
    const beforeCount = ctx.before?.device(dev.bdf)?.imsInUseCount;
    const ref = { list: 'imsSlots', device: dev.bdf } as const;
    rows.push({
      id,
      label: dev.bdf,
      description:
        `${dev.kind.toUpperCase()} · ${inUse.toLocaleString('en-US')} of ${plural(dsa.ims.slots, 'slot')} in use` +
        (pending > 0 ? ` · ${pending} pending` : ''),
      tooltip: factsTooltip(`${dev.bdf} IMS`, [
        ['device state', dsa.state],
        ['slots', String(dsa.ims.slots)],
        ['in use', String(inUse)],
        [
          'table',
          base === undefined ? 'unknown' : `0x${base.toString(16)} (BAR0 + TABLE.ims × 0x100)`,
        ],
        ['bus master', dsa.pci.busMaster ? 'enabled' : 'disabled (no message can be sent)'],
      ]),
      kind: 'device',
      icon: 'circuit-board',
      // Open unless thousands of slots are in use (those are read page by page when opened).
      expanded: whole,
      changed: ctx.changed(beforeCount, inUse),
      children: () => [
        ...(inUse === 0
          ? [infoNode(childId(id, 'none'), 'no IMS slot in use', '')]
          : remoteList(ctx, id, ref, (s) =>
              slotNode(ctx, childId(id, s.slot), imsSlotInput(ctx, dev.bdf, s)),
            )),
        msixGroup(ctx, childId(id, 'msix'), dev.bdf, dsa.msix),
      ],
    });
  }
  return rows;
}

/** What the MSI-X group compares between stops: each entry's control word and pending bit. */
function msixSignature(e: MsixEntrySnapshot): string {
  return `${e.vector_ctrl}${e.pending ? 'p' : ''}`;
}

/** The device's MSI-X table: every entry, decoded like an IMS slot (collapsed). */
function msixGroup(
  ctx: RenderContext,
  id: string,
  bdf: string,
  entries: readonly MsixEntrySnapshot[],
): ViewNode {
  const masked = entries.filter((e) => e.masked).length;
  const held = entries.filter((e) => e.pending).length;
  return groupNode(
    id,
    'MSI-X table',
    `${plural(entries.length, 'entry', 'entries')} · ${masked} masked` +
      (held > 0 ? ` · ${held} pending` : ''),
    () => entries.map((e) => slotNode(ctx, childId(id, e.index), msixSlotInput(ctx, bdf, e))),
    {
      icon: 'list-ordered',
      changed: ctx.changed(
        ctx.before?.device(bdf)?.dsa?.msix.map(msixSignature).join(),
        entries.map(msixSignature).join(),
      ),
      tooltip:
        'The function’s MSI-X table (BAR0 at TABLE.msix_table): each entry’s message, Vector Control (bit 0 masks it) and pending bit (PBA).',
    },
  );
}
