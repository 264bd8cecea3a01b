/**
 * A JSON-able summary of loaded devices for views and snapshots: the normalized settings plus
 * the GRPCFG / WQCFG values Linux would write, as hex strings (no bigints, no typed arrays).
 */
import { hex } from '../bits';
import type { DeviceCaps } from './caps';
import { grpcfgFor, wqcfgDwords, wqcfgFor } from './encode';
import type { DeviceConfig, GroupConfig, WqConfig } from './model';
import { partName } from './names';
import { formatOpMask } from './opmask';

export interface WqSummary extends Omit<WqConfig, 'op_config'> {
  readonly dev: string;
  /** `%*pb` bitmap, or null. */
  readonly op_config: string | null;
  /** WQCFG dwords, hex. */
  readonly wqcfg: readonly string[];
}

export interface GroupSummary extends GroupConfig {
  readonly dev: string;
  readonly grpcfg: {
    readonly wqs: readonly string[];
    readonly engines: string;
    readonly flags: string;
  };
}

export interface DeviceSummary {
  readonly dev: string;
  readonly read_buffer_limit: number;
  readonly event_log_size: number | null;
  readonly groups: readonly GroupSummary[];
  readonly wqs: readonly WqSummary[];
  readonly engines: readonly { readonly dev: string; readonly group: number | null }[];
}

/** Summaries of `devices`, encoded for a device with `caps`. */
export function summarizeDevices(
  devices: readonly DeviceConfig[],
  caps: DeviceCaps,
): DeviceSummary[] {
  return devices.map((d) => ({
    dev: d.name,
    read_buffer_limit: d.read_buffer_limit,
    event_log_size: d.event_log_size,
    groups: d.groups.map((g) => summarizeGroup(d.index, g)),
    wqs: d.wqs.map((w) => summarizeWq(d.index, w, caps)),
    engines: d.engines.map((e) => ({ dev: partName('engine', d.index, e.id), group: e.group })),
  }));
}

function summarizeGroup(device: number, g: GroupConfig): GroupSummary {
  const r = grpcfgFor(g);
  return {
    dev: partName('group', device, g.id),
    ...g,
    grpcfg: {
      wqs: r.wqs.map((q) => hex(q, 16)),
      engines: hex(r.engines, 16),
      flags: hex(r.flags, 16),
    },
  };
}

function summarizeWq(device: number, w: WqConfig, caps: DeviceCaps): WqSummary {
  const dwords = wqcfgDwords(wqcfgFor(w, caps));
  return {
    dev: partName('wq', device, w.id),
    ...w,
    op_config: w.op_config === null ? null : formatOpMask(w.op_config),
    wqcfg: Array.from(dwords, (d) => hex(d, 8)),
  };
}
