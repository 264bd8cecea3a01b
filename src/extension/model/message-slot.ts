/**
 * Rows of a device's message slot — an IMS slot or an MSI-X entry, both 16 bytes: address_lo,
 * address_hi, data and a control word — with the message decoded, the IRTE it names, its pending
 * state, the Linux irq and the interrupt handle. Shared by the IMS Slots view, the Pending
 * Interrupts view (masked-and-pending entries) and the IRQ Domains view (an irq's message).
 */
import type { FieldDef, MsixEntrySnapshot, TableLayout } from '../../platform/idxd';
import { imsLayout, msixLayout } from '../../platform/idxd/tables';
import type { RenderContext } from './context';
import { formatVector } from './format';
import { infoNode, registerNode, type FieldInput } from './items';
import {
  ADDRESS_HI,
  ADDRESS_LO_COMPAT,
  ADDRESS_LO_REMAPPABLE,
  DATA_COMPAT,
  DATA_REMAPPABLE,
  MESSAGE_WORD_DOCS,
  decodeMessage,
} from './msi-format';
import { childId, type NodeTarget, type ViewNode } from './node';
import { irteRefNode } from './irte';
import type { MessageTable } from './snapshot-index';
import type { RegisterDoc } from './tooltip';

/** The three message words. */
export interface MessageWords {
  readonly address_lo: number;
  readonly address_hi: number;
  readonly data: number;
}

/** A slot's state at one stop. */
export interface SlotState {
  readonly msg: MessageWords;
  /** IMS ctrl or MSI-X Vector Control. */
  readonly ctrl: number;
  readonly pending: boolean;
  readonly pendingId: number | null;
}

/** A slot to render: where it is, and its state now and at the previous stop. */
export interface SlotInput {
  readonly bdf: string;
  readonly table: MessageTable;
  readonly index: number;
  readonly now: SlotState;
  /** Undefined when the slot was not in use at the previous stop (or there was none). */
  readonly before: SlotState | undefined;
  /** Physical address of the slot, when known. */
  readonly address?: number;
}

const LAYOUTS: Readonly<Record<MessageTable, { layout: TableLayout; ctrl: string }>> = {
  ims: { layout: imsLayout(), ctrl: 'ctrl' },
  msix: { layout: msixLayout(), ctrl: 'vector_ctrl' },
};

/** `IMS slot 3` / `MSI-X entry 3`. */
export function slotName(table: MessageTable, index: number): string {
  return table === 'ims' ? `IMS slot ${index}` : `MSI-X entry ${index}`;
}

/** A register-table field as a row's field input. */
function tableField(fld: FieldDef, source: string): FieldInput {
  return {
    name: fld.name,
    hi: fld.hi,
    lo: fld.lo,
    doc: {
      description: fld.description,
      access: fld.access,
      reset: fld.reset,
      source,
      ...(fld.enums === undefined ? {} : { enums: fld.enums }),
    },
  };
}

/** Register doc of word `name` of a table layout, at `address` when known. */
function wordDoc(layout: TableLayout, name: string, address: number | undefined): RegisterDoc {
  const reg = layout.registers.find((r) => r.name === name);
  return {
    description: reg?.description ?? '',
    source: reg?.source ?? layout.source,
    ...(reg === undefined ? {} : { reset: reg.reset }),
    ...(address === undefined || reg === undefined
      ? {}
      : { address: '0x' + (address + reg.offset).toString(16) }),
  };
}

/**
 * The three message words as register rows, decoded in the message's format. `docPrefix` names
 * the holder in tooltips (`IMS slot 0`); `docs` overrides the generic word descriptions.
 */
export function messageWordNodes(
  ctx: RenderContext,
  parentId: string,
  msg: MessageWords,
  before: MessageWords | undefined,
  docPrefix: string,
  docs: Partial<Record<keyof MessageWords, RegisterDoc>> = {},
): ViewNode[] {
  const m = decodeMessage(msg);
  const word = (
    name: keyof MessageWords,
    fields: readonly FieldInput[],
    summary: string | undefined,
  ): ViewNode =>
    registerNode(ctx, childId(parentId, name), {
      label: name,
      docName: `${docPrefix}.${name}`,
      width: 32,
      value: BigInt(msg[name]),
      before: before === undefined ? undefined : BigInt(before[name]),
      fields,
      doc: docs[name] ?? MESSAGE_WORD_DOCS[name],
      ...(summary === undefined ? {} : { summary }),
    });
  return [
    word(
      'address_lo',
      m.remappable ? ADDRESS_LO_REMAPPABLE : ADDRESS_LO_COMPAT,
      m.remappable
        ? `remappable, handle ${m.handle}${m.shv ? ', SHV' : ''}`
        : `compatibility, APIC ${m.destination}`,
    ),
    word('address_hi', ADDRESS_HI, undefined),
    word(
      'data',
      m.remappable ? DATA_REMAPPABLE : DATA_COMPAT,
      m.remappable
        ? m.shv
          ? `subhandle ${m.subhandle}`
          : undefined
        : `vector ${formatVector(m.vector)}`,
    ),
  ];
}

/** Whether the slot's control word masks it (bit 0 in both tables). */
export function slotMasked(s: SlotState): boolean {
  return (s.ctrl & 1) !== 0;
}

/** One-line state of a slot: irq, IRTE, PASID, mask, pending. */
export function slotSummary(ctx: RenderContext, s: SlotInput): string {
  const parts: string[] = [];
  const irq = ctx.cur.irqOfEntry(s.bdf, s.table, s.index);
  if (irq !== undefined) parts.push(`irq ${irq.irq}${irq.action === '' ? '' : ` ${irq.action}`}`);
  const m = decodeMessage(s.now.msg);
  parts.push(
    m.remappable ? `IRTE ${m.irte}` : `vector ${formatVector(m.vector)} → APIC ${m.destination}`,
  );
  if (s.table === 'ims' && (s.now.ctrl & 0x8) !== 0) parts.push(`PASID ${s.now.ctrl >>> 12}`);
  parts.push(slotMasked(s.now) ? 'masked' : 'unmasked');
  if (s.now.pending) parts.push(`pending #${s.now.pendingId ?? '?'}`);
  return parts.join(' · ');
}

/** Comparable picture of a slot's state. */
function signature(s: SlotState): string {
  return `${s.msg.address_lo}/${s.msg.address_hi}/${s.msg.data}/${s.ctrl}/${s.pendingId}`;
}

/** What a slot row's actions act on: the entry, its irq (if activated) and the IRTE it names. */
export function slotTarget(ctx: RenderContext, s: SlotInput): NodeTarget {
  const irq = ctx.cur.irqOfEntry(s.bdf, s.table, s.index);
  const m = decodeMessage(s.now.msg);
  return {
    kind: 'entry',
    bdf: s.bdf,
    table: s.table,
    index: s.index,
    masked: slotMasked(s.now),
    irq: irq !== undefined && irq.state.includes('IRQD_ACTIVATED') ? irq.irq : null,
    irte: m.remappable ? { unit: irq?.ir ?? null, index: m.irte } : null,
  };
}

/** A snapshot MSI-X entry as a slot row's state. */
export function msixState(e: MsixEntrySnapshot): SlotState {
  return {
    msg: { address_lo: e.address_lo, address_hi: e.address_hi, data: e.data },
    ctrl: e.vector_ctrl,
    pending: e.pending,
    pendingId: e.pendingId,
  };
}

/** The slot row input for `bdf`'s MSI-X entry `e`, with its state at the previous stop. */
export function msixSlotInput(ctx: RenderContext, bdf: string, e: MsixEntrySnapshot): SlotInput {
  const was = ctx.before?.msixEntry(bdf, e.index);
  return {
    bdf,
    table: 'msix',
    index: e.index,
    now: msixState(e),
    before: was === undefined ? undefined : msixState(was),
  };
}

/** A slot row (`label`, default `IMS slot 3`) whose children are `slotChildren`. */
export function slotNode(
  ctx: RenderContext,
  id: string,
  s: SlotInput,
  label = slotName(s.table, s.index),
  extra: () => readonly ViewNode[] = () => [],
): ViewNode {
  return {
    id,
    label,
    description: slotSummary(ctx, s),
    target: slotTarget(ctx, s),
    kind: s.table === 'ims' ? 'slot' : 'msix-entry',
    icon: s.now.pending ? 'bell-dot' : slotMasked(s.now) ? 'bell-slash' : 'bell',
    changed: ctx.changed(
      s.before === undefined ? undefined : signature(s.before),
      signature(s.now),
    ),
    children: () => [...slotChildren(ctx, id, s), ...extra()],
  };
}

/** The rows inside a slot: its words, control, IRTE, pending state, irq and handle. */
export function slotChildren(ctx: RenderContext, id: string, s: SlotInput): ViewNode[] {
  const { layout, ctrl } = LAYOUTS[s.table];
  const name = `${slotName(s.table, s.index)} of ${s.bdf}`;
  const ctrlReg = layout.registers.find((r) => r.name === ctrl);
  const rows = messageWordNodes(ctx, id, s.now.msg, s.before?.msg, name, {
    address_lo: wordDoc(layout, 'address_lo', s.address),
    address_hi: wordDoc(layout, 'address_hi', s.address),
    data: wordDoc(layout, 'data', s.address),
  });
  rows.push(
    registerNode(ctx, childId(id, ctrl), {
      label: ctrl,
      docName: `${name}.${ctrl}`,
      width: 32,
      value: BigInt(s.now.ctrl),
      before: s.before === undefined ? undefined : BigInt(s.before.ctrl),
      fields: (ctrlReg?.fields ?? []).map((f) => tableField(f, layout.source)),
      doc: wordDoc(layout, ctrl, s.address),
      summary: slotMasked(s.now) ? 'masked' : 'unmasked',
    }),
  );
  const m = decodeMessage(s.now.msg);
  const irq = ctx.cur.irqOfEntry(s.bdf, s.table, s.index);
  if (m.remappable) rows.push(irteRefNode(ctx, childId(id, 'irte'), m.irte, irq?.ir ?? null));
  rows.push(
    infoNode(
      childId(id, 'pending'),
      'pending',
      s.now.pending ? `message #${s.now.pendingId ?? '?'} held (masked)` : 'no',
      {
        changed: ctx.changed(
          s.before === undefined ? undefined : s.before.pendingId,
          s.now.pendingId,
        ),
        ...(s.now.pending ? { icon: 'bell-dot' } : {}),
        tooltip: s.now.pending
          ? 'The device generated a message while the slot was masked; clearing the mask sends it with the slot’s current address and data (one pending message per slot).'
          : 'No message is held.',
      },
    ),
  );
  rows.push(
    infoNode(
      childId(id, 'irq'),
      'irq',
      irq === undefined
        ? 'none'
        : `${irq.irq}${irq.action === '' ? '' : ` (${irq.action})`} → CPU ${irq.cpu} vector ${formatVector(irq.vector)}`,
    ),
  );
  const handle = ctx.cur.intHandle(s.bdf, s.table, s.index);
  if (handle !== undefined) {
    rows.push(
      infoNode(childId(id, 'int_handle'), 'int_handle', String(handle), {
        tooltip:
          'Interrupt handle the device returned for this entry (REQUEST_INT_HANDLE); descriptors name it in int_handle.',
        changed: ctx.changed(ctx.before?.intHandle(s.bdf, s.table, s.index), handle),
      }),
    );
  }
  return rows;
}
