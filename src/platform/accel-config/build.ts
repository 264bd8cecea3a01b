/**
 * Turns a checked device of the file into its normalized DeviceConfig: Linux's defaults for
 * absent keys and Linux's adjustments of present ones (defaults.ts), keys the device ignores
 * dropped. Run only on a file without errors, so every value here is in range.
 */
import type { Node } from 'jsonc-parser';
import type { DeviceCaps } from './caps';
import {
  effectiveTrafficClass,
  EVL_SIZE_MIN,
  roundUpPowerOfTwo,
  WQ_DEFAULT_MAX_BATCH,
  WQ_DEFAULT_MAX_XFER,
} from './defaults';
import { flagField, intField, stringField } from './fields';
import type { DeviceConfig, EngineConfig, GroupConfig, WqConfig, WqMode, WqType } from './model';
import { parseOpMask } from './opmask';
import type { DeviceRef, PartRef } from './structure';

/** The normalized configuration of one device. */
export function buildDevice(device: DeviceRef, caps: DeviceCaps): DeviceConfig {
  const limit = caps.rdbufLimit
    ? (intField(device.obj, 'read_buffer_limit', 'token_limit')?.value ?? 0)
    : 0;
  const wqs = [...device.wqs].sort(byId).map((w) => buildWq(w, caps));
  const engines = [...device.engines].sort(byId).map(buildEngine);
  const groups: GroupConfig[] = [];
  for (let id = 0; id < caps.maxGroups; id++) {
    const listed = device.groups.find((g) => g.id === id);
    groups.push(buildGroup(id, listed?.obj, wqs, engines, limit, caps));
  }
  const evl = intField(device.obj, 'event_log_size')?.value;
  return {
    name: device.name,
    index: device.index,
    read_buffer_limit: limit,
    event_log_size: caps.evlSupport ? (evl ?? EVL_SIZE_MIN) : null,
    groups,
    wqs,
    engines,
  };
}

function byId(a: PartRef, b: PartRef): number {
  return a.id - b.id;
}

function buildWq(wq: PartRef, caps: DeviceCaps): WqConfig {
  const obj = wq.obj;
  const mode = (stringField(obj, 'mode')?.value ?? 'shared') as WqMode;
  const prsDisable = caps.wqPrsSupport && flag(obj, 'prs_disable');
  const opConfig = stringField(obj, 'op_config')?.value;
  return {
    id: wq.id,
    group: wq.group,
    mode,
    size: intField(obj, 'size')?.value ?? 0,
    threshold: mode === 'dedicated' ? 0 : (intField(obj, 'threshold')?.value ?? 0),
    priority: intField(obj, 'priority')?.value ?? 0,
    block_on_fault: caps.blockOnFault && !prsDisable && flag(obj, 'block_on_fault'),
    max_transfer_size: roundUpPowerOfTwo(
      intField(obj, 'max_transfer_size')?.value ?? WQ_DEFAULT_MAX_XFER,
    ),
    max_batch_size: roundUpPowerOfTwo(
      intField(obj, 'max_batch_size')?.value ?? WQ_DEFAULT_MAX_BATCH,
    ),
    type: (stringField(obj, 'type')?.value ?? 'none') as WqType,
    name: stringField(obj, 'name')?.value ?? '',
    driver_name: stringField(obj, 'driver_name')?.value ?? '',
    ats_disable: caps.wqAtsSupport && flag(obj, 'ats_disable'),
    prs_disable: prsDisable,
    // Linux starts each WQ's op_config as the device's OPCAP (idxd_wq_disable_cleanup).
    op_config: caps.opConfig
      ? opConfig === undefined
        ? [...caps.opcap]
        : parseOpMask(opConfig)
      : null,
  };
}

function buildEngine(engine: PartRef): EngineConfig {
  return { id: engine.id, group: engine.group };
}

function buildGroup(
  id: number,
  obj: Node | undefined,
  wqs: readonly WqConfig[],
  engines: readonly EngineConfig[],
  readBufferLimit: number,
  caps: DeviceCaps,
): GroupConfig {
  const int = (...keys: string[]): number | undefined =>
    obj === undefined ? undefined : intField(obj, ...keys)?.value;
  const allowed = int('read_buffers_allowed', 'tokens_allowed') ?? 0;
  return {
    id,
    wqs: wqs.filter((w) => w.group === id).map((w) => w.id),
    engines: engines.filter((e) => e.group === id).map((e) => e.id),
    read_buffers_reserved: int('read_buffers_reserved', 'tokens_reserved') ?? 0,
    // idxd_group_flags_setup: 0 means "all of them".
    read_buffers_allowed: allowed === 0 ? caps.maxRdbufs : allowed,
    use_read_buffer_limit:
      readBufferLimit !== 0 &&
      obj !== undefined &&
      flag(obj, 'use_read_buffer_limit', 'use_token_limit'),
    traffic_class_a: effectiveTrafficClass('a', int('traffic_class_a'), caps),
    traffic_class_b: effectiveTrafficClass('b', int('traffic_class_b'), caps),
    desc_progress_limit: caps.progressLimit ? (int('desc_progress_limit') ?? 0) : 0,
    batch_progress_limit: caps.progressLimit ? (int('batch_progress_limit') ?? 0) : 0,
  };
}

function flag(obj: Node, ...keys: string[]): boolean {
  return flagField(obj, ...keys)?.value ?? false;
}
