/**
 * Per-entry layouts of the DSA register tables (located through TABLE, 0x60) and of the
 * MSI-X table, as data. Offsets are relative to the start of one entry.
 */
import { GRPCFG_SIZE, IMS_SLOT_SIZE, MSIX_PERM_STRIDE } from './consts';
import {
  field,
  register,
  rsvd,
  type FieldSpec,
  type RegisterDef,
  type TableLayout,
} from './regdef';

const H = 'drivers/dma/idxd/registers.h';

/** GRPCFG: 64 bytes per group. Bits for WQs/engines the device lacks are reserved. */
export function grpcfgLayout(numWqs: number, numEngines: number): TableLayout {
  return {
    name: 'GRPCFG',
    stride: GRPCFG_SIZE,
    description:
      'Group configuration: which WQs and engines form the group, and its traffic classes and ' +
      'read-buffer limits. Writable while the device is disabled; while it is enabled only the ' +
      'GRPWQCFG bits of disabled WQs may change (our reading of Linux reconfiguring WQs of an ' +
      'enabled device — UNCERTAIN).',
    source: `${H}: struct grpcfg, union group_flags, GRPCFG_SIZE, GRPWQCFG_STRIDES`,
    registers: [
      register({
        name: 'wqs',
        offset: 0,
        width: 256,
        fields: bitmap('wqs', numWqs, 256, 'GRPWQCFG: bit N = WQ N belongs to this group.'),
        description: 'GRPWQCFG: bitmap of the WQs in the group (4 qwords, wq_id / 64, wq_id % 64).',
        source: `${H}: struct grpcfg.wqs[4]`,
      }),
      register({
        name: 'engines',
        offset: 32,
        width: 64,
        fields: bitmap(
          'engines',
          numEngines,
          64,
          'GRPENGCFG: bit N = engine N belongs to this group.',
        ),
        description: 'GRPENGCFG: bitmap of the engines in the group.',
        source: `${H}: struct grpcfg.engines`,
      }),
      register({
        name: 'flags',
        offset: 40,
        width: 64,
        fields: [
          field('tc_a', 2, 0, 'RW', 'Traffic class A (default for descriptor addresses).'),
          field('tc_b', 5, 3, 'RW', 'Traffic class B (addresses with the *_TCS flags).'),
          rsvd(6, 6),
          field('use_rdbuf_limit', 7, 7, 'RW', 'Apply GENCFG.rdbuf_limit to this group.'),
          field('rdbufs_reserved', 15, 8, 'RW', 'Read buffers reserved for this group.'),
          rsvd(19, 16, 'rsvd2'),
          field('rdbufs_allowed', 27, 20, 'RW', 'Read buffers this group may use.'),
          rsvd(31, 28, 'rsvd3'),
          field(
            'desc_progress_limit',
            33,
            32,
            'RW',
            'Descriptor progress limit (GRPCAP.progress_limit).',
          ),
          rsvd(35, 34, 'rsvd4'),
          field(
            'batch_progress_limit',
            37,
            36,
            'RW',
            'Batch progress limit (GRPCAP.progress_limit).',
          ),
          rsvd(63, 38, 'rsvd5'),
        ],
        description: 'GRPFLGCFG: group flags.',
        source: `${H}: union group_flags`,
      }),
    ],
  };
}

/** An RW bitmap of `n` members in a `width`-bit register, the rest reserved. */
function bitmap(name: string, n: number, width: number, description: string): FieldSpec[] {
  const f = field(name, n - 1, 0, 'RW', description);
  return n < width ? [f, rsvd(width - 1, n)] : [f];
}

/**
 * WQCFG: `stride` bytes per WQ (32, or 64 with op_config), accessed as dwords. Reset: all 0
 * except mode_support = 1 (the mode is configurable). Writable while the WQ is disabled.
 */
export function wqcfgLayout(stride: number, opConfig: boolean): TableLayout {
  const dw = (
    name: string,
    offset: number,
    fields: Parameters<typeof register>[0]['fields'],
    description: string,
    reset = 0n,
  ) =>
    register({
      name,
      offset,
      width: 32,
      fields,
      reset,
      description,
      source: `${H}: union wqcfg (bytes ${offset}-${offset + 3})`,
    });
  const registers: RegisterDef[] = [
    dw('size', 0, [field('wq_size', 15, 0, 'RW', 'Entries of this WQ.'), rsvd(31, 16)], 'WQ size.'),
    dw(
      'thresh',
      4,
      [
        field(
          'wq_thresh',
          15,
          0,
          'RW',
          'Shared WQ: entries usable through the limited portal; must be non-zero.',
        ),
        rsvd(31, 16, 'rsvd1'),
      ],
      'Shared-WQ threshold.',
    ),
    dw(
      'mode',
      8,
      [
        field('mode', 0, 0, 'RW', 'WQ mode.', { 0: 'SHARED', 1: 'DEDICATED' }),
        field('bof', 1, 1, 'RW', 'Block on fault enable.'),
        field('wq_ats_disable', 2, 2, 'RW', 'Disable ATS for this WQ.'),
        field('wq_prs_disable', 3, 3, 'RW', 'Disable PRS for this WQ.'),
        field('priority', 7, 4, 'RW', 'WQ priority (higher first).'),
        field('pasid', 27, 8, 'RW', 'PASID of a dedicated WQ (used when pasid_en).'),
        field('pasid_en', 28, 28, 'RW', 'Dedicated WQ descriptors use pasid.'),
        field('priv', 29, 29, 'RW', 'Dedicated WQ descriptors are privileged (kernel WQs).'),
        rsvd(31, 30, 'rsvd3'),
      ],
      'Mode, priority, PASID and privilege (WQCFG_PASID_IDX = WQCFG_PRIVL_IDX = 2).',
    ),
    dw(
      'max',
      12,
      [
        field(
          'max_xfer_shift',
          4,
          0,
          'RW',
          'Max transfer = 1 << max_xfer_shift bytes (at most GENCAP.max_xfer_shift). Reset 0 = 1 byte: program it.',
        ),
        field(
          'max_batch_shift',
          8,
          5,
          'RW',
          'Max batch = 1 << max_batch_shift descriptors (at most GENCAP.max_batch_shift).',
        ),
        rsvd(31, 9, 'rsvd4'),
      ],
      'Per-WQ transfer and batch size limits.',
    ),
    dw(
      'occup_inth',
      16,
      [
        field('occupancy_inth', 15, 0, 'RW', 'Interrupt handle for the occupancy interrupt.'),
        field('occupancy_table_sel', 16, 16, 'RW', 'occupancy_inth refers to the IMS table.'),
        rsvd(31, 17, 'rsvd5'),
      ],
      'Occupancy interrupt handle (WQCAP.occupancy_int; not modelled).',
    ),
    dw(
      'occup_limit',
      20,
      [
        field('occupancy_limit', 15, 0, 'RW', 'Occupancy that triggers the interrupt.'),
        field('occupancy_int_en', 16, 16, 'RW', 'Occupancy interrupt enable.'),
        rsvd(31, 17, 'rsvd6'),
      ],
      'Occupancy interrupt limit (not modelled).',
    ),
    dw(
      'status',
      24,
      [
        field('occupancy', 15, 0, 'RO', 'Descriptors in the WQ (queued or executing).'),
        field('occupancy_int', 16, 16, 'RW1C', 'Occupancy interrupt pending.'),
        rsvd(28, 17, 'rsvd7'),
        field('mode_support', 29, 29, 'RO', 'The WQ mode is configurable.'),
        field('wq_state', 31, 30, 'RO', 'WQ state (Linux reads it back after ENABLE_WQ).', {
          0: 'DISABLED',
          1: 'ENABLED',
        }),
      ],
      'Occupancy and WQ state (WQCFG_OCCUP_IDX = 6).',
      1n << 29n,
    ),
    dw('rsvd8', 28, [rsvd(31, 0, 'rsvd8')], 'Reserved.'),
  ];
  if (stride >= 64) {
    registers.push(
      register({
        name: 'op_config',
        offset: 32,
        width: 256,
        fields: [
          opConfig
            ? field('op_config', 255, 0, 'RW', 'Operations enabled on this WQ (bit N = opcode N).')
            : rsvd(255, 0, 'op_config'),
        ],
        description: 'Per-WQ operation enables (WQCAP.op_config).',
        source: `${H}: union wqcfg.op_config[4]`,
      }),
    );
  }
  return {
    name: 'WQCFG',
    stride,
    registers,
    description: 'Work queue configuration, one entry per WQ.',
    source: `${H}: union wqcfg; WQCAP.wqcfg_size`,
  };
}

/** MSIX_PERM: 8-byte stride, one dword per MSI-X entry. */
export function msixPermLayout(): TableLayout {
  return {
    name: 'MSIX_PERM',
    stride: MSIX_PERM_STRIDE,
    description:
      'MSI-X permissions: which PASID may use each MSI-X entry for completion interrupts. ' +
      'A descriptor whose PASID differs from an entry with pasid_en, or an entry with ignore ' +
      'set, gets its interrupt dropped (our reading of the DSA spec — UNCERTAIN).',
    source: `${H}: union msix_perm; drivers/dma/idxd/device.c idxd_device_set_perm_entry`,
    registers: [
      register({
        name: 'perm',
        offset: 0,
        width: 32,
        fields: [
          rsvd(1, 0),
          field('ignore', 2, 2, 'RW', 'Completion interrupts on this entry are suppressed.'),
          field('pasid_en', 3, 3, 'RW', 'Only descriptors with PASID = pasid may use the entry.'),
          rsvd(11, 4, 'rsvd2'),
          field('pasid', 31, 12, 'RW', 'PASID allowed to use the entry.'),
        ],
        description: 'MSI-X permission entry.',
        source: `${H}: union msix_perm`,
      }),
    ],
  };
}

/** The 16-byte message slot shape shared by MSI-X and IMS: address_lo, address_hi, data, ctrl. */
function messageSlot(
  name: string,
  ctrlName: string,
  ctrlFields: Parameters<typeof register>[0]['fields'],
  source: string,
  description: string,
): TableLayout {
  const word = (n: string, offset: number, text: string) =>
    register({
      name: n,
      offset,
      width: 32,
      fields: [field(n, 31, 0, 'RW', text)],
      description: text,
      source,
    });
  return {
    name,
    stride: IMS_SLOT_SIZE,
    description,
    source,
    registers: [
      word('address_lo', 0, 'Message address, low 32 bits (0xFEExxxxx on x86).'),
      word('address_hi', 4, 'Message address, high 32 bits.'),
      word('data', 8, 'Message data.'),
      register({
        name: ctrlName,
        offset: 12,
        width: 32,
        fields: ctrlFields,
        reset: 1n,
        description: 'Control: bit 0 masks the entry (reset: masked).',
        source,
      }),
    ],
  };
}

/** IDXD IMS slot: 16 bytes; ctrl bit 0 mask, bit 3 PASID enable, bits 31:12 PASID. */
export function imsLayout(): TableLayout {
  return messageSlot(
    'IMS',
    'ctrl',
    [
      field('mask', 0, 0, 'RW', 'Vector mask (CTRL_VECTOR_MASKBIT): messages pend while set.'),
      rsvd(2, 1),
      field('pasid_en', 3, 3, 'RW', 'PASID check enable (CTRL_PASID_ENABLE).'),
      rsvd(11, 4, 'rsvd2'),
      field('pasid', 31, 12, 'RW', 'PASID allowed to use this slot (CTRL_PASID_SHIFT = 12).'),
    ],
    'tglx, "[patch V3 33/33] irqchip: Add IDXD Interrupt Message Store driver" (LKML 2022-11-25, ' +
      'unmerged): struct ims_slot, CTRL_VECTOR_MASKBIT, CTRL_PASID_ENABLE, CTRL_PASID_SHIFT',
    'Interrupt Message Store slot (max_ims_mult * 256 slots at TABLE.ims * 0x100).',
  );
}

/** PCI MSI-X table entry: 16 bytes; Vector Control bit 0 mask (no TPH steering tag here). */
export function msixLayout(): TableLayout {
  return messageSlot(
    'MSIX',
    'vector_ctrl',
    [
      field('mask', 0, 0, 'RW', 'Per-vector mask (PCI_MSIX_ENTRY_CTRL_MASKBIT).'),
      rsvd(15, 1),
      rsvd(31, 16, 'st'),
    ],
    'include/uapi/linux/pci_regs.h: PCI_MSIX_ENTRY_*; PCI spec 6.8.2.6-9',
    'MSI-X table entry (table and PBA in BAR0, see the MSI-X capability).',
  );
}
