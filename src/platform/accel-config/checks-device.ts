/**
 * Device-wide checks: device keys, the totals shared by all WQs and groups, and whether the
 * WQs have engines — each as Linux decides it (drivers/dma/idxd/sysfs.c, device.c).
 */
import type { DeviceCaps } from './caps';
import { checkGroup } from './checks-group';
import { checkWq } from './checks-wq';
import { EVL_SIZE_MAX, EVL_SIZE_MIN } from './defaults';
import { anchorOf, intField } from './fields';
import { partName } from './names';
import type { Reporter } from './source';
import type { DeviceRef } from './structure';

/** Reports every semantic finding for one device. */
export function checkDevice(device: DeviceRef, caps: DeviceCaps, report: Reporter): void {
  const limit = checkDeviceKeys(device, caps, report);
  checkReadBuffers(device, caps, report, limit);
  for (const wq of device.wqs) checkWq(wq, caps, report);
  checkWqSizes(device, caps, report);
  checkEngines(device, report);
}

/** read_buffer_limit_store and event_log_size_store. Returns the effective read_buffer_limit. */
function checkDeviceKeys(device: DeviceRef, caps: DeviceCaps, report: Reporter): number {
  const limit = intField(device.obj, 'read_buffer_limit', 'token_limit');
  let effective = 0;
  if (limit !== undefined && limit.value > 0 && !caps.rdbufLimit) {
    report.error(
      limit.node,
      `${limit.value}, but the device cannot limit read buffers (GRPCAP.rdbuf_limit)`,
    );
  } else if (limit !== undefined && limit.value > caps.maxRdbufs) {
    report.error(limit.node, `${limit.value} exceeds the device's ${caps.maxRdbufs} read buffers`);
  } else {
    effective = limit?.value ?? 0;
  }
  const evl = intField(device.obj, 'event_log_size');
  if (evl !== undefined && !caps.evlSupport) {
    report.error(
      evl.node,
      'given, but the device has no event log (GENCAP.evl_support), so load-config fails writing it',
    );
  } else if (evl !== undefined && (evl.value < EVL_SIZE_MIN || evl.value > EVL_SIZE_MAX)) {
    report.error(evl.node, `${evl.value} is outside ${EVL_SIZE_MIN} to ${EVL_SIZE_MAX}`);
  }
  return effective;
}

/** group_read_buffers_reserved_store: the groups' reservations share the device's read buffers. */
function checkReadBuffers(
  device: DeviceRef,
  caps: DeviceCaps,
  report: Reporter,
  limit: number,
): void {
  const reserved = new Map<number, number>();
  let total = 0;
  for (const group of device.groups) {
    const f = intField(group.obj, 'read_buffers_reserved', 'tokens_reserved');
    if (f === undefined) continue;
    if (total + f.value > caps.maxRdbufs) {
      report.error(
        f.node,
        `${f.value} brings the read buffers reserved on ${device.name} to ${total + f.value}, ` +
          `over its ${caps.maxRdbufs}`,
      );
      continue;
    }
    total += f.value;
    reserved.set(group.id, f.value);
  }
  for (const group of device.groups) {
    const reservedByOthers = total - (reserved.get(group.id) ?? 0);
    checkGroup(group, caps, report, { limit, reservedByOthers });
  }
}

/**
 * wq_size_store refuses a size that takes the WQs' total past WQCAP.total_wq_size; like sysfs,
 * a refused size does not count towards the total seen by the WQs after it.
 */
function checkWqSizes(device: DeviceRef, caps: DeviceCaps, report: Reporter): void {
  let total = 0;
  for (const wq of device.wqs) {
    const size = intField(wq.obj, 'size');
    if (size === undefined) continue;
    if (size.value > caps.totalWqSize) {
      report.error(
        size.node,
        `${size.value} exceeds the device's total WQ size ${caps.totalWqSize}`,
      );
    } else if (total + size.value > caps.totalWqSize) {
      report.error(
        size.node,
        `${size.value} brings the WQ sizes of ${device.name} to ${total + size.value}, over the ` +
          `device's total WQ size ${caps.totalWqSize}`,
      );
    } else {
      total += size.value;
    }
  }
}

/**
 * A WQ with entries needs an engine in its group to be served. Linux itself only refuses to
 * enable a device with no engine in any group (idxd_engines_setup returns -EINVAL): that is an
 * error; an engineless group beside others with engines is enabled, so it is a warning.
 */
function checkEngines(device: DeviceRef, report: Reporter): void {
  const served = new Set(device.engines.flatMap((e) => (e.group === null ? [] : [e.group])));
  for (const wq of device.wqs) {
    if (wq.group === null || served.has(wq.group)) continue;
    if ((intField(wq.obj, 'size')?.value ?? 0) === 0) continue;
    const group = partName('group', device.index, wq.group);
    if (served.size === 0) {
      report.error(
        anchorOf(wq.obj),
        `${group} has no engine, nor has any other group of ${device.name}: Linux refuses to ` +
          'enable the device (idxd_engines_setup)',
        null,
      );
    } else {
      report.warn(
        anchorOf(wq.obj),
        `${group} has no engine: Linux enables the device (it needs an engine in some group), ` +
          'but nothing processes this WQ',
        null,
      );
    }
  }
}
