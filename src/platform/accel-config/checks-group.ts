/**
 * Checks of one group's settings (drivers/dma/idxd/sysfs.c group_*_store, and the writability
 * tests of accfg/config.c): read-buffer accounting is an error when sysfs would refuse it; keys
 * the device or Linux does not let be set are warnings, as load-config skips them.
 */
import { trafficClassWritable, type DeviceCaps } from './caps';
import { flagField, intField } from './fields';
import type { Reporter } from './source';
import type { PartRef } from './structure';

/** Read-buffer state of the device a group is checked against. */
export interface ReadBufferState {
  /** The device's read_buffer_limit (0 = none). */
  readonly limit: number;
  /** Read buffers reserved by the device's other groups. */
  readonly reservedByOthers: number;
}

/** Reports the findings about one group's own settings. */
export function checkGroup(
  group: PartRef,
  caps: DeviceCaps,
  report: Reporter,
  rdbufs: ReadBufferState,
): void {
  const obj = group.obj;
  const use = flagField(obj, 'use_read_buffer_limit', 'use_token_limit');
  if (use?.value === true && rdbufs.limit === 0) {
    report.warn(
      use.node,
      'ignored while the device\'s "read_buffer_limit" is 0, as load-config skips it',
    );
  }
  const allowed = intField(obj, 'read_buffers_allowed', 'tokens_allowed');
  const available = caps.maxRdbufs - rdbufs.reservedByOthers;
  if (allowed !== undefined && allowed.value > available) {
    report.error(
      allowed.node,
      `${allowed.value} exceeds the ${available} read buffers left to this group ` +
        `(${caps.maxRdbufs} in all, ${rdbufs.reservedByOthers} reserved by other groups)`,
    );
  }
  if (!trafficClassWritable(caps)) {
    for (const key of ['traffic_class_a', 'traffic_class_b']) {
      const tc = intField(obj, key);
      if (tc !== undefined && tc.value !== -1) {
        report.warn(
          tc.node,
          'ignored: Linux fixes both traffic classes at 1 on DSA 1.0 and 2.0 unless the idxd ' +
            'module parameter tc_override is set',
        );
      }
    }
  }
  if (!caps.progressLimit) {
    for (const key of ['desc_progress_limit', 'batch_progress_limit']) {
      const f = intField(obj, key);
      if (f !== undefined) {
        report.warn(f.node, 'ignored: the device has no progress limits (GRPCAP.progress_limit)');
      }
    }
  }
}
