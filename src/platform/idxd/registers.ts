/**
 * The DSA top-level BAR0 registers as data (offsets, fields, access, descriptions, sources).
 *
 * Field layouts follow drivers/dma/idxd/registers.h (the unions named in each `source`) and
 * the DSA architecture spec's register chapter. Reset values of the capability registers come
 * from the device's capabilities (see caps.ts), so the table is built per device.
 */
import {
  DSA_COMP,
  DSA_OPCODE,
  DEVICE_STATE_NAMES,
  IDXD_CMD,
  IDXD_CMDSTS,
  SWERR_CODE,
  enumsOf,
} from './consts';
import { field, register, rsvd, type FieldSpec, type RegisterDef } from './regdef';

const H = 'drivers/dma/idxd/registers.h';

/**
 * Linux compares the whole register with DEVICE_VERSION_1/2 (0x100/0x200); its older
 * IDXD_VER_MAJOR_MASK 0xf0 / MINOR_MASK 0x0f do not fit those values, so we split the version
 * as major = bits 15:8, minor = bits 7:0, which decodes 0x100 as 1.0 — UNCERTAIN.
 */
export const VERSION_FIELDS: readonly FieldSpec[] = [
  field('minor', 7, 0, 'RO', 'Minor version.'),
  field('major', 15, 8, 'RO', 'Major version: 1 = DSA 1.x (0x100), 2 = DSA 2.0 (0x200).'),
  rsvd(31, 16),
];

export const GENCAP_FIELDS: readonly FieldSpec[] = [
  field('block_on_fault', 0, 0, 'RO', 'Block-on-fault supported (WQCFG.bof, descriptor BOF flag).'),
  field(
    'overlap_copy',
    1,
    1,
    'RO',
    'Memory move with overlapping source and destination is supported.',
  ),
  field('cache_control_mem', 2, 2, 'RO', 'Cache control (CC flag) supported for memory writes.'),
  field('cache_control_cache', 3, 3, 'RO', 'Cache control supported for cache flush.'),
  field(
    'cmd_cap',
    4,
    4,
    'RO',
    'CMDCAP register (0xb0) is present and lists the supported commands.',
  ),
  rsvd(7, 5),
  field('dest_readback', 8, 8, 'RO', 'Destination readback (DRDBK flag) supported.'),
  field('drain_readback', 9, 9, 'RO', 'Drain descriptor readback supported.'),
  rsvd(12, 10, 'rsvd2'),
  field('evl_support', 14, 13, 'RO', 'Event log support (DSA 2.0); 0 = none.'),
  field('batch_continuation', 15, 15, 'RO', 'Batch continuation supported (DSA 2.0).'),
  field('max_xfer_shift', 20, 16, 'RO', 'Maximum transfer size = 1 << max_xfer_shift bytes.'),
  field('max_batch_shift', 24, 21, 'RO', 'Maximum batch size = 1 << max_batch_shift descriptors.'),
  field('max_ims_mult', 30, 25, 'RO', 'IMS table size = max_ims_mult * 256 slots.'),
  field('config_en', 31, 31, 'RO', 'Software may write GENCFG/GRPCFG/WQCFG (configurable device).'),
  rsvd(63, 32, 'rsvd3'),
];

export const WQCAP_FIELDS: readonly FieldSpec[] = [
  field(
    'total_wq_size',
    15,
    0,
    'RO',
    'Entries shared by all WQs: the sum of WQCFG.wq_size may not exceed it.',
  ),
  field('num_wqs', 23, 16, 'RO', 'Number of work queues.'),
  field(
    'wqcfg_size',
    27,
    24,
    'RO',
    'WQCFG entry size = 1 << (wqcfg_size + 5) bytes (0: 32 B, 1: 64 B).',
  ),
  rsvd(47, 28),
  field('shared_mode', 48, 48, 'RO', 'Shared WQs (ENQCMD/ENQCMDS) supported.'),
  field('dedicated_mode', 49, 49, 'RO', 'Dedicated WQs (MOVDIR64B) supported.'),
  field('wq_ats_support', 50, 50, 'RO', 'Per-WQ ATS disable (WQCFG.wq_ats_disable) supported.'),
  field('priority', 51, 51, 'RO', 'WQ priority (WQCFG.priority) supported.'),
  field('occupancy', 52, 52, 'RO', 'WQ occupancy reporting supported.'),
  field('occupancy_int', 53, 53, 'RO', 'WQ occupancy interrupt supported.'),
  field('op_config', 54, 54, 'RO', 'Per-WQ operation enables (WQCFG.op_config) supported.'),
  field('wq_prs_support', 55, 55, 'RO', 'Per-WQ PRS disable supported.'),
  rsvd(63, 56, 'rsvd4'),
];

export const GRPCAP_FIELDS: readonly FieldSpec[] = [
  field('num_groups', 7, 0, 'RO', 'Number of groups.'),
  field('total_rdbufs', 15, 8, 'RO', 'Total read buffers (formerly total_tokens).'),
  field('rdbuf_ctrl', 16, 16, 'RO', 'Read-buffer control supported (formerly token_en).'),
  field('rdbuf_limit', 17, 17, 'RO', 'Global read-buffer limit supported (formerly token_limit).'),
  field('progress_limit', 18, 18, 'RO', 'Descriptor/batch progress limits supported.'),
  rsvd(63, 19),
];

export const ENGCAP_FIELDS: readonly FieldSpec[] = [
  field('num_engines', 7, 0, 'RO', 'Number of engines.'),
  rsvd(63, 8),
];

/** One RO bit per opcode (bit N = opcode N supported), reserved ranges in between. */
export const OPCAP_FIELDS: readonly FieldSpec[] = bitPerCode(
  DSA_OPCODE,
  256,
  (name) => `Operation ${name} is supported.`,
);

export const TABLE_FIELDS: readonly FieldSpec[] = [
  field('grpcfg', 15, 0, 'RO', 'GRPCFG table offset in units of 0x100 bytes.'),
  field('wqcfg', 31, 16, 'RO', 'WQCFG table offset in units of 0x100 bytes.'),
  field('msix_perm', 47, 32, 'RO', 'MSI-X permissions table offset in units of 0x100 bytes.'),
  field('ims', 63, 48, 'RO', 'IMS table offset in units of 0x100 bytes.'),
  field(
    'perfmon',
    79,
    64,
    'RO',
    'Performance monitoring registers offset in units of 0x100 bytes.',
  ),
  rsvd(127, 80),
];

export const GENCFG_FIELDS: readonly FieldSpec[] = [
  field('rdbuf_limit', 7, 0, 'RW', 'Global read-buffer limit (formerly token_limit).'),
  rsvd(11, 8),
  field(
    'user_int_en',
    12,
    12,
    'RW',
    'Allow user-mode (non-privileged) descriptors to request interrupts.',
  ),
  field('evl_en', 13, 13, 'RW', 'Event log enable (DSA 2.0; no effect here, evl_support = 0).'),
  rsvd(31, 14, 'rsvd2'),
];

export const GENCTRL_FIELDS: readonly FieldSpec[] = [
  field('softerr_int_en', 0, 0, 'RW', 'Interrupt (MSI-X entry 0) when SWERR records an error.'),
  field('halt_int_en', 1, 1, 'RW', 'Interrupt (MSI-X entry 0) when the device halts.'),
  field('evl_int_en', 2, 2, 'RW', 'Event log interrupt enable (DSA 2.0).'),
  rsvd(31, 3),
];

export const GENSTS_FIELDS: readonly FieldSpec[] = [
  field('state', 1, 0, 'RO', 'Device state.', DEVICE_STATE_NAMES),
  field('reset_type', 3, 2, 'RO', 'Reset needed to leave HALT.', {
    0: 'SOFTWARE',
    1: 'FLR',
    2: 'WARM',
    3: 'COLD',
  }),
  rsvd(31, 4),
];

export const INTCAUSE_FIELDS: readonly FieldSpec[] = [
  field('err', 0, 0, 'RW1C', 'SWERR recorded an error (IDXD_INTC_ERR).'),
  field('cmd', 1, 1, 'RW1C', 'A command with int_req completed (IDXD_INTC_CMD).'),
  field('occupy', 2, 2, 'RW1C', 'WQ occupancy interrupt (IDXD_INTC_OCCUPY).'),
  field('perfmon_ovfl', 3, 3, 'RW1C', 'Performance counter overflow (IDXD_INTC_PERFMON_OVFL).'),
  field('halt_state', 4, 4, 'RW1C', 'The device entered HALT (IDXD_INTC_HALT_STATE).'),
  field('evl', 5, 5, 'RW1C', 'Event log interrupt (IDXD_INTC_EVL, DSA 2.0).'),
  rsvd(30, 6),
  field(
    'int_handle_revoked',
    31,
    31,
    'RW1C',
    'Interrupt handles were revoked: request them again.',
  ),
];

export const CMD_FIELDS: readonly FieldSpec[] = [
  field(
    'operand',
    19,
    0,
    'RW',
    'Command operand (WQ index, WQ bitmask, PASID or interrupt index/handle).',
  ),
  field('cmd', 24, 20, 'RW', 'Command code.', enumsOf(IDXD_CMD)),
  rsvd(30, 25),
  field(
    'int_req',
    31,
    31,
    'RW',
    'Request INTCAUSE.cmd and an interrupt on MSI-X entry 0 at completion.',
  ),
];

export const CMDSTS_FIELDS: readonly FieldSpec[] = [
  field('err', 7, 0, 'RO', 'Status of the last command.', enumsOf(IDXD_CMDSTS)),
  field('result', 23, 8, 'RO', 'Command result, e.g. the handle from REQUEST_INT_HANDLE.'),
  rsvd(30, 24),
  field('active', 31, 31, 'RO', 'A command is in progress.'),
];

/** One RO bit per command code (bit N = command N supported). */
export const CMDCAP_FIELDS: readonly FieldSpec[] = bitPerCode(
  IDXD_CMD,
  32,
  (name) => `Command ${name} is supported.`,
);

export const SWERR_FIELDS: readonly FieldSpec[] = [
  field('valid', 0, 0, 'RW1C', 'An error is recorded. Write 1 to acknowledge (IDXD_SWERR_ACK).'),
  field('overflow', 1, 1, 'RW1C', 'Another error happened while valid was set (not recorded).'),
  field('desc_valid', 2, 2, 'RO', 'operation, pasid and priv describe the failing descriptor.'),
  field('wq_idx_valid', 3, 3, 'RO', 'wq_idx is valid.'),
  field('batch', 4, 4, 'RO', 'The descriptor was part of a batch (batch_idx valid).'),
  field('fault_rw', 5, 5, 'RO', 'The fault was on a write.'),
  field('priv', 6, 6, 'RO', 'The descriptor was privileged.'),
  rsvd(7, 7),
  field('error', 15, 8, 'RO', 'Error code.', { ...enumsOf(DSA_COMP), ...enumsOf(SWERR_CODE) }),
  field('wq_idx', 23, 16, 'RO', 'WQ of the failing submission.'),
  rsvd(31, 24, 'rsvd2'),
  field('operation', 39, 32, 'RO', 'Opcode of the failing descriptor.', enumsOf(DSA_OPCODE)),
  field('pasid', 59, 40, 'RO', 'PASID of the failing descriptor.'),
  rsvd(63, 60, 'rsvd3'),
  field('batch_idx', 79, 64, 'RO', 'Index of the failing descriptor in its batch.'),
  rsvd(95, 80, 'rsvd4'),
  field('invalid_flags', 127, 96, 'RO', 'Flags found invalid (for error 0x11).'),
  field('fault_addr', 191, 128, 'RO', 'Faulting address.'),
  rsvd(255, 192, 'rsvd5'),
];

export const PERFCAP_FIELDS: readonly FieldSpec[] = [
  field('num_perf_counter', 5, 0, 'RO', 'Number of counters (0: no performance monitoring).'),
  rsvd(7, 6, 'rsvd1'),
  field('counter_width', 15, 8, 'RO', 'Counter width in bits.'),
  field('num_event_category', 19, 16, 'RO', 'Number of event categories.'),
  field('global_event_category', 35, 20, 'RO', 'Event categories usable by any counter.'),
  field('filter', 43, 36, 'RO', 'Supported filters.'),
  rsvd(51, 44, 'rsvd2'),
  field('cap_per_counter', 52, 52, 'RO', 'Per-counter capabilities (CNTRCAP).'),
  field('writeable_counter', 53, 53, 'RO', 'Counters are writable.'),
  field('counter_freeze', 54, 54, 'RO', 'Counter freeze supported.'),
  field('overflow_interrupt', 55, 55, 'RO', 'Overflow interrupt supported.'),
  rsvd(63, 56, 'rsvd3'),
];

/** Reset values of the registers that depend on the device's capabilities and layout. */
export interface TopResetValues {
  readonly VERSION: bigint;
  readonly GENCAP: bigint;
  readonly WQCAP: bigint;
  readonly GRPCAP: bigint;
  readonly ENGCAP: bigint;
  readonly OPCAP: bigint;
  readonly TABLE: bigint;
  readonly CMDCAP: bigint;
  /** BAR0 offset of the performance-monitoring block (PERFCAP). */
  readonly perfmonOffset: number;
}

/** Builds the top-level register table of one device, in offset order. */
export function buildTopRegisters(v: TopResetValues): RegisterDef[] {
  const R = (
    name: string,
    offset: number,
    width: 32 | 64 | 128 | 256,
    fields: readonly FieldSpec[],
    description: string,
    source: string,
    reset = 0n,
  ) => register({ name, offset, width, fields, reset, description, source });
  return [
    R(
      'VERSION',
      0x00,
      32,
      VERSION_FIELDS,
      'Device version: 0x100 = DSA 1.0, 0x200 = DSA 2.0.',
      `${H}: IDXD_VER_OFFSET, DEVICE_VERSION_1/2`,
      v.VERSION,
    ),
    R(
      'GENCAP',
      0x10,
      64,
      GENCAP_FIELDS,
      'General capabilities.',
      `${H}: union gen_cap_reg`,
      v.GENCAP,
    ),
    R(
      'WQCAP',
      0x20,
      64,
      WQCAP_FIELDS,
      'Work queue capabilities.',
      `${H}: union wq_cap_reg`,
      v.WQCAP,
    ),
    R(
      'GRPCAP',
      0x30,
      64,
      GRPCAP_FIELDS,
      'Group capabilities.',
      `${H}: union group_cap_reg`,
      v.GRPCAP,
    ),
    R(
      'ENGCAP',
      0x38,
      64,
      ENGCAP_FIELDS,
      'Engine capabilities.',
      `${H}: union engine_cap_reg`,
      v.ENGCAP,
    ),
    R(
      'OPCAP',
      0x40,
      256,
      OPCAP_FIELDS,
      'Supported operations (bit N = opcode N). Real SPR DSA reports 0x1003f027d.',
      `${H}: union op_cap_reg; include/uapi/linux/idxd.h enum dsa_opcode`,
      v.OPCAP,
    ),
    R(
      'TABLE',
      0x60,
      128,
      TABLE_FIELDS,
      "Offsets of the configuration tables (x 0x100). The values are this emulator's choice (see caps.ts: IDXD_DEFAULT_LAYOUT).",
      `${H}: union offsets_reg, IDXD_TABLE_MULT`,
      v.TABLE,
    ),
    R(
      'GENCFG',
      0x80,
      32,
      GENCFG_FIELDS,
      'General configuration; writable while the device is disabled.',
      `${H}: union gencfg_reg`,
    ),
    R(
      'GENCTRL',
      0x88,
      32,
      GENCTRL_FIELDS,
      'General control: error/halt interrupt enables.',
      `${H}: union genctrl_reg`,
    ),
    R(
      'GENSTS',
      0x90,
      32,
      GENSTS_FIELDS,
      'General status: device state.',
      `${H}: union gensts_reg, enum idxd_device_status_state`,
    ),
    R(
      'INTCAUSE',
      0x98,
      32,
      INTCAUSE_FIELDS,
      'Causes of the misc interrupt (MSI-X entry 0); write 1 to clear.',
      `${H}: IDXD_INTC_*`,
    ),
    R(
      'CMD',
      0xa0,
      32,
      CMD_FIELDS,
      'Command register: a write starts a command.',
      `${H}: union idxd_command_reg, enum idxd_cmd`,
    ),
    R(
      'CMDSTS',
      0xa8,
      32,
      CMDSTS_FIELDS,
      'Command status: active while running, then err and result.',
      `${H}: union cmdsts_reg, enum idxd_cmdsts_err`,
    ),
    R(
      'CMDCAP',
      0xb0,
      32,
      CMDCAP_FIELDS,
      'Supported commands (bit N = command N), valid when GENCAP.cmd_cap.',
      `${H}: IDXD_CMDCAP_OFFSET`,
      v.CMDCAP,
    ),
    R(
      'SWERR',
      0xc0,
      256,
      SWERR_FIELDS,
      'Software error: the first unreported error; ack by writing valid|overflow back.',
      `${H}: union sw_err_reg, IDXD_SWERR_ACK`,
    ),
    R(
      'PERFCAP',
      v.perfmonOffset,
      64,
      PERFCAP_FIELDS,
      'Performance monitoring capabilities at TABLE.perfmon; no counters are modelled.',
      `${H}: union idxd_perfcap`,
    ),
  ];
}

/** Fields for a bitmap register indexed by the codes of `table`; gaps become reserved fields. */
function bitPerCode(
  table: Readonly<Record<string, number>>,
  width: number,
  describe: (name: string) => string,
): FieldSpec[] {
  const byCode = new Map<number, string>();
  for (const [name, code] of Object.entries(table)) byCode.set(code, name);
  const out: FieldSpec[] = [];
  let gap = -1;
  for (let bit = 0; bit <= width; bit++) {
    const name = bit < width ? byCode.get(bit) : undefined;
    if (name === undefined && bit < width) {
      if (gap < 0) gap = bit;
      continue;
    }
    if (gap >= 0) out.push(rsvd(bit - 1, gap, `rsvd_${gap}`));
    gap = -1;
    if (name !== undefined) out.push(field(name, bit, bit, 'RO', describe(name)));
  }
  return out;
}
