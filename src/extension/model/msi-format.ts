/**
 * The x86 MSI message words a device holds (address_lo, address_hi, data) as field tables, in
 * both formats: compatibility (destination and vector in the message) and remappable (an IRTE
 * handle; VT-d). Field names are Linux's (arch/x86/include/asm/msi.h). The views decode MSI-X
 * entries and IMS slots with them and follow a remappable message to its IRTE.
 */
import { DELIVERY_MODE_NAMES, isRemappable, remappableHandle } from '../../platform/remap/irte';
import type { FieldInput } from './items';
import type { RegisterDoc } from './tooltip';

const SOURCE =
  'arch/x86/include/asm/msi.h: arch_msi_msg_addr_lo_t, arch_msi_msg_addr_hi_t, arch_msi_msg_data_t; ' +
  'Intel VT-d spec §5.1.2 (remappable format); Intel SDM Vol. 3A §11.11 (compatibility format)';

const f = (
  name: string,
  hi: number,
  lo: number,
  description: string,
  access = 'RW',
  enums?: Readonly<Record<number, string>>,
): FieldInput => ({
  name,
  hi,
  lo,
  doc: { description, access, source: SOURCE, ...(enums === undefined ? {} : { enums }) },
});

/** address_lo in remappable format (bit 4 set). */
export const ADDRESS_LO_REMAPPABLE: readonly FieldInput[] = [
  f('dmar_base_address', 31, 20, 'Interrupt address range: 0xFEE.'),
  f('dmar_index_0_14', 19, 5, 'Interrupt index (handle), bits 14:0: the IRTE.'),
  f('dmar_format', 4, 4, 'Interrupt Format: 1 = remappable.', 'RW', {
    0: 'compatibility',
    1: 'remappable',
  }),
  f(
    'dmar_subhandle_valid',
    3,
    3,
    'SHV: data[15:0] is a subhandle added to the handle (Linux sets it, subhandle 0).',
  ),
  f('dmar_index_15', 2, 2, 'Interrupt index (handle), bit 15.'),
  f('dmar_reserved_0', 1, 0, "Don't care.", 'RsvdZ'),
];

/** address_lo in compatibility format (bit 4 clear). */
export const ADDRESS_LO_COMPAT: readonly FieldInput[] = [
  f('base_address', 31, 20, 'Interrupt address range: 0xFEE.'),
  f('destid_0_7', 19, 12, 'Destination APIC ID, bits 7:0.'),
  f('virt_destid_8_14', 11, 5, 'Extended destination ID bits 14:8 (15-bit APIC IDs).'),
  f('reserved_1', 4, 4, 'Interrupt Format: 0 = compatibility.', 'RW', {
    0: 'compatibility',
    1: 'remappable',
  }),
  f('redirect_hint', 3, 3, 'Redirection hint.'),
  f('dest_mode_logical', 2, 2, 'Destination mode: 0 physical, 1 logical.'),
  f('reserved_0', 1, 0, "Don't care.", 'RsvdZ'),
];

/** address_hi (both formats; must be 0 in remappable format, else fault 0x20). */
export const ADDRESS_HI: readonly FieldInput[] = [
  f('destid_8_31', 31, 8, 'x2APIC destination ID bits 31:8 (compatibility format only).'),
  f('reserved', 7, 0, 'Reserved.', 'RsvdZ'),
];

/** data in remappable format. */
export const DATA_REMAPPABLE: readonly FieldInput[] = [
  f('dmar_subhandle', 15, 0, 'Subhandle, added to the handle when SHV is set.'),
  f('reserved', 31, 16, 'Must be 0 when SHV is set (else fault 0x20).', 'RsvdZ'),
];

/** data in compatibility format. */
export const DATA_COMPAT: readonly FieldInput[] = [
  f('vector', 7, 0, 'Vector.'),
  f('delivery_mode', 10, 8, 'Delivery mode.', 'RW', DELIVERY_MODE_NAMES),
  f('dest_mode_logical', 11, 11, 'Destination mode (Linux keeps it in the address).'),
  f('reserved', 13, 12, 'Reserved.', 'RsvdZ'),
  f('active_low', 14, 14, 'Level for level-triggered: 0 deassert, 1 assert.'),
  f('is_level', 15, 15, 'Trigger mode: 0 edge, 1 level.'),
  f('reserved_2', 31, 16, 'Reserved.', 'RsvdZ'),
];

/** Documentation of the three message words. */
export const MESSAGE_WORD_DOCS: Readonly<
  Record<'address_lo' | 'address_hi' | 'data', RegisterDoc>
> = {
  address_lo: { description: 'Message address, low 32 bits.', source: SOURCE },
  address_hi: { description: 'Message address, high 32 bits.', source: SOURCE },
  data: { description: 'Message data.', source: SOURCE },
};

/** What a message says about where it goes. */
export interface DecodedMessage {
  readonly remappable: boolean;
  /** Remappable: handle (IRTE index base), SHV and subhandle; the IRTE index it names. */
  readonly handle: number;
  readonly shv: boolean;
  readonly subhandle: number;
  readonly irte: number;
  /** Compatibility: destination APIC ID (bits 7:0 and 31:8 of address_hi) and vector. */
  readonly destination: number;
  readonly vector: number;
}

/** Decodes a message (VT-d §5.1.2.2: IRTE = handle + subhandle when SHV). */
export function decodeMessage(msg: {
  readonly address_lo: number;
  readonly address_hi: number;
  readonly data: number;
}): DecodedMessage {
  const remappable = isRemappable(msg.address_lo);
  const handle = remappable ? remappableHandle(msg.address_lo) : 0;
  const shv = remappable && (msg.address_lo & 0x8) !== 0;
  const subhandle = shv ? msg.data & 0xffff : 0;
  return {
    remappable,
    handle,
    shv,
    subhandle,
    irte: handle + subhandle,
    destination: ((msg.address_lo >>> 12) & 0xff) | ((msg.address_hi >>> 8) << 8),
    vector: msg.data & 0xff,
  };
}
