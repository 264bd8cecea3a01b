/**
 * Field layouts of the DSA capability registers (VERSION, GENCAP, WQCAP, GRPCAP, ENGCAP,
 * OPCAP, TABLE, CMDCAP, PERFCAP): read-only, their values set by the device's capabilities.
 * Source: drivers/dma/idxd/registers.h (the unions named in registers.ts).
 */
import { DSA_OPCODE, IDXD_CMD } from './consts';
import { field, rsvd, type FieldSpec } from './regdef';

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

/** One RO bit per command code (bit N = command N supported). */
export const CMDCAP_FIELDS: readonly FieldSpec[] = bitPerCode(
  IDXD_CMD,
  32,
  (name) => `Command ${name} is supported.`,
);

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
