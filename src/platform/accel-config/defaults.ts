/**
 * Linux's defaults for what a config file leaves out, and the adjustments it makes to what a
 * file sets. Sources (drivers/dma/idxd/): init.c idxd_setup_wqs / idxd_setup_groups,
 * device.c idxd_wq_disable_cleanup / idxd_groups_clear_state / idxd_group_flags_setup,
 * sysfs.c *_store.
 */
import type { DeviceCaps } from './caps';
import { trafficClassWritable } from './caps';

/** WQ_DEFAULT_MAX_XFER (SZ_2M), drivers/dma/idxd/idxd.h. */
export const WQ_DEFAULT_MAX_XFER = 2 * 1024 * 1024;

/** WQ_DEFAULT_MAX_BATCH, drivers/dma/idxd/idxd.h. */
export const WQ_DEFAULT_MAX_BATCH = 32;

/** IDXD_MAX_PRIORITY; the DSA takes priorities 1..15 (accel-config config-wq documents 1..15). */
export const WQ_PRIORITY_MIN = 1;
export const WQ_PRIORITY_MAX = 15;

/** IDXD_EVL_SIZE_MIN / _MAX; the event log starts at the minimum (idxd_init_evl). */
export const EVL_SIZE_MIN = 0x40;
export const EVL_SIZE_MAX = 0xffff;

/** roundup_pow_of_two, as sysfs applies to max_transfer_size and max_batch_size (n ≥ 1). */
export function roundUpPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** log2 of a power of two (ilog2 in idxd_wq_config_write). */
export function log2(powerOfTwo: number): number {
  return Math.round(Math.log2(powerOfTwo));
}

/**
 * Effective traffic class written to GRPFLGCFG (idxd_group_flags_setup): fixed at 1 when Linux
 * does not let them be set (DSA ≤ 2.0 without tc_override); otherwise the file's value, with -1
 * or nothing meaning the defaults TC-A 0 / TC-B 1.
 */
export function effectiveTrafficClass(
  which: 'a' | 'b',
  value: number | undefined,
  caps: DeviceCaps,
): number {
  if (!trafficClassWritable(caps)) return 1;
  if (value === undefined || value === -1) return which === 'a' ? 0 : 1;
  return value;
}
