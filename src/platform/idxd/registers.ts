/**
 * The DSA top-level BAR0 registers as data (offsets, fields, access, descriptions, sources).
 *
 * Field layouts follow drivers/dma/idxd/registers.h (the unions named in each `source`) and
 * the DSA architecture spec's register chapter. Reset values of the capability registers come
 * from the device's capabilities (see caps.ts), so the table is built per device.
 */
import {
  CMDCAP_FIELDS,
  ENGCAP_FIELDS,
  GENCAP_FIELDS,
  GRPCAP_FIELDS,
  OPCAP_FIELDS,
  PERFCAP_FIELDS,
  TABLE_FIELDS,
  VERSION_FIELDS,
  WQCAP_FIELDS,
} from './cap-fields';
import {
  DSA_COMP,
  DSA_OPCODE,
  DEVICE_STATE_NAMES,
  IDXD_CMD,
  IDXD_CMDSTS,
  IDXD_EMU_INJECT_OFFSET,
  RESET_TYPE_NAMES,
  SWERR_CODE,
  enumsOf,
} from './consts';
import { field, register, rsvd, type FieldSpec, type RegisterDef } from './regdef';

const H = 'drivers/dma/idxd/registers.h';

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
  field('reset_type', 3, 2, 'RO', 'Reset needed to leave HALT.', RESET_TYPE_NAMES),
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

/** See consts.ts EMU_INJECT: the emulator's fault injection, not a DSA register. */
export const EMU_INJECT_FIELDS: readonly FieldSpec[] = [
  field(
    'revoke_int_handles',
    0,
    0,
    'WO',
    'Write 1: the device revokes every interrupt handle (INTCAUSE.int_handle_revoked).',
  ),
  field('halt', 1, 1, 'WO', 'Write 1: the device halts (GENSTS.state = HALT).'),
  field('reset_type', 3, 2, 'WO', 'With halt: GENSTS.reset_type to report.', RESET_TYPE_NAMES),
  field('hw_error', 4, 4, 'WO', 'With halt: also record HW_ERR1 in SWERR.'),
  rsvd(31, 5),
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
      'EMU_INJECT',
      IDXD_EMU_INJECT_OFFSET,
      32,
      EMU_INJECT_FIELDS,
      'Fault injection of this emulator (not a DSA register; reads 0): revoke the interrupt ' +
        'handles, or halt the device, as host-side events the driver cannot cause.',
      'ims-debug (emulator only)',
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
