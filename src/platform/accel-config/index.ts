/**
 * Device configuration from accel-config JSON files (`accel-config save-config` /
 * `load-config`): parse, validate against a DSA's capabilities, normalize with Linux's
 * defaults, and compute the WQCFG / GRPCFG values the idxd driver writes.
 */
export { resolveCaps, SPR_DSA_CAPS, type DeviceCaps } from './caps';
export { AccelConfigError, formatDiagnostic, type Diagnostic, type Severity } from './diagnostics';
export { grpcfgFor, wqcfgDwords, wqcfgFor, type WqcfgFields } from './encode';
export type { DeviceConfig, EngineConfig, GroupConfig, WqConfig, WqMode, WqType } from './model';
export { formatOpMask, parseOpMask } from './opmask';
export {
  checkAccelConfig,
  parseAccelConfig,
  type AccelConfigCheck,
  type AccelConfigResult,
} from './parse';
export { summarizeDevices, type DeviceSummary, type GroupSummary, type WqSummary } from './summary';
