/**
 * The normalized device configuration an accel-config file describes: what the idxd driver holds
 * in its `idxd_device` / `idxd_group` / `idxd_wq` / `idxd_engine` structures after
 * `accel-config load-config`, with Linux's defaults filled in for every key the file leaves out
 * and the values Linux would adjust already adjusted (see defaults.ts).
 *
 * Field names are the accel-config / sysfs attribute names, so a reader can match them to the
 * file and to `/sys/bus/dsa/devices/…`.
 */

/** WQ mode, the sysfs `mode` attribute (WQCFG.mode: 1 = dedicated). */
export type WqMode = 'shared' | 'dedicated';

/** WQ type, the sysfs `type` attribute (`enum idxd_wq_type`). */
export type WqType = 'none' | 'kernel' | 'user';

/** One work queue, `wq<device>.<id>`. */
export interface WqConfig {
  readonly id: number;
  /** The group it belongs to, or null when it has none (Linux then leaves its WQCFG alone). */
  readonly group: number | null;
  readonly mode: WqMode;
  /** Entries (WQCFG.wq_size). */
  readonly size: number;
  /** Shared-WQ threshold in entries (WQCFG.wq_thresh); 0 for a dedicated WQ. */
  readonly threshold: number;
  /** 0..15; Linux's default 0 is outside the DSA's 1..15. */
  readonly priority: number;
  readonly block_on_fault: boolean;
  /** Bytes, a power of two (Linux rounds the written value up). */
  readonly max_transfer_size: number;
  /** Descriptors, a power of two (Linux rounds the written value up). */
  readonly max_batch_size: number;
  readonly type: WqType;
  /** '' when unset. */
  readonly name: string;
  /** '' when unset. */
  readonly driver_name: string;
  readonly ats_disable: boolean;
  readonly prs_disable: boolean;
  /** Enabled opcodes as 4 × u64 (bit N = opcode N), or null when the device has no op_config. */
  readonly op_config: readonly bigint[] | null;
}

/** One engine, `engine<device>.<id>`. */
export interface EngineConfig {
  readonly id: number;
  readonly group: number | null;
}

/** One group, `group<device>.<id>`, with the effective GRPFLGCFG settings. */
export interface GroupConfig {
  readonly id: number;
  /** Ids of the WQs in the group, ascending. */
  readonly wqs: readonly number[];
  /** Ids of the engines in the group, ascending. */
  readonly engines: readonly number[];
  readonly read_buffers_reserved: number;
  /** Effective value: the device's total read buffers when the file gives 0 or nothing. */
  readonly read_buffers_allowed: number;
  readonly use_read_buffer_limit: boolean;
  /** Effective traffic class A (0..7). */
  readonly traffic_class_a: number;
  /** Effective traffic class B (0..7). */
  readonly traffic_class_b: number;
  readonly desc_progress_limit: number;
  readonly batch_progress_limit: number;
}

/** One device, `dsa<index>`. */
export interface DeviceConfig {
  /** `dsa<index>`. */
  readonly name: string;
  readonly index: number;
  /** GENCFG.rdbuf_limit; 0 = no limit. */
  readonly read_buffer_limit: number;
  /** Event-log entries, or null when the file sets none (or the device has no event log). */
  readonly event_log_size: number | null;
  /** Every group the device has (0..maxGroups-1), as Linux always has them all. */
  readonly groups: readonly GroupConfig[];
  /** The WQs the file names, ascending by id. */
  readonly wqs: readonly WqConfig[];
  /** The engines the file names, ascending by id. */
  readonly engines: readonly EngineConfig[];
}
