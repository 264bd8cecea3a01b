/**
 * Configuration checks of ENABLE_DEVICE and ENABLE_WQ.
 *
 * The status codes are Linux's enum idxd_cmdsts_err; which condition maps to which of the
 * generic ERR_CONFIG / ERR_GRP_CONFIG..4 codes is not documented publicly, so the mapping
 * below is our choice (UNCERTAIN), stated once here and shown in the debugger:
 *
 * ENABLE_DEVICE, in order:
 *   ERR_WQ_SIZE_ERANGE (0x14)  sum of WQCFG.wq_size > WQCAP.total_wq_size
 *   ERR_GRP_CONFIG (0x15)      a WQ with wq_size > 0 is in no group
 *   ERR_GRP_CONFIG2 (0x16)     a WQ is in more than one group
 *   ERR_GRP_CONFIG3 (0x17)     a group has WQs but no engine
 *   ERR_GRP_CONFIG4 (0x18)     an engine is in more than one group
 *   ERR_CONFIG (0x11)          read buffers: GENCFG.rdbuf_limit, a group's rdbufs_allowed or
 *                              the sum of rdbufs_reserved exceed GRPCAP.total_rdbufs
 * (ERR_DEV_ENABLED and ERR_BUSMASTER_EN are checked by the command itself.)
 *
 * ENABLE_WQ (operand = WQ index), in order:
 *   INVAL_WQIDX (0x02), ERR_DEV_NOTEN (0x20), ERR_WQ_ENABLED (0x21),
 *   ERR_WQ_SIZE (0x22)         wq_size is 0, or a shared WQ's wq_thresh is 0 or > wq_size
 *   ERR_WQ_SIZE_ERANGE (0x14)  enabled WQs plus this one exceed total_wq_size
 *   ERR_GRP_CONFIG (0x15) / ERR_GRP_CONFIG3 (0x17)  not in a group / group without engines
 *   ERR_WQ_MODE (0x24)         mode not in WQCAP (shared_mode / dedicated_mode)
 *   ERR_WQ_PRIOR (0x23)        priority set but WQCAP.priority = 0
 *   ERR_BOF_EN (0x25)          bof set but GENCAP.block_on_fault = 0
 *   ERR_MAX_BATCH_SIZE (0x27) / ERR_MAX_XFER_SIZE (0x28)  shift above GENCAP's
 */
import { get32 } from '../bits';
import type { ConfigView } from './config-view';
import { IDXD_CMDSTS, IDXD_DEVICE_STATE_ENABLED } from './consts';
import { WQ_DISABLED, type WorkEngine } from './engine';

const S = IDXD_CMDSTS;

/** ENABLE_DEVICE's configuration check: SUCCESS or the first error above. */
export function checkDeviceConfig(cfg: ConfigView): number {
  const { caps } = cfg;
  let total = 0;
  for (let wq = 0; wq < cfg.numWqs; wq++) total += cfg.wqSize(wq);
  if (total > caps.wqcap.total_wq_size) return S.ERR_WQ_SIZE_ERANGE;
  for (let wq = 0; wq < cfg.numWqs; wq++) {
    const g = cfg.groupOfWq(wq);
    if (g === -2) return S.ERR_GRP_CONFIG2;
    if (g === -1 && cfg.wqSize(wq) > 0) return S.ERR_GRP_CONFIG;
  }
  let seen = 0;
  let reserved = 0;
  for (let g = 0; g < cfg.numGroups; g++) {
    const engines = cfg.groupEngines(g);
    if (cfg.groupHasWqs(g) && engines === 0) return S.ERR_GRP_CONFIG3;
    if ((seen & engines) !== 0) return S.ERR_GRP_CONFIG4;
    seen |= engines;
    const flags = cfg.groupFlags(g);
    reserved += get32(flags, 15, 8);
    if (get32(flags, 27, 20) > caps.grpcap.total_rdbufs) return S.ERR_CONFIG;
  }
  if (reserved > caps.grpcap.total_rdbufs) return S.ERR_CONFIG;
  if (get32(cfg.gencfg, 7, 0) > caps.grpcap.total_rdbufs) return S.ERR_CONFIG;
  return S.SUCCESS;
}

/** ENABLE_WQ's checks for `wq`: SUCCESS or the first error above. */
export function checkWqConfig(cfg: ConfigView, engine: WorkEngine, wq: number): number {
  const { caps } = cfg;
  if (wq >= cfg.numWqs) return S.INVAL_WQIDX;
  if (cfg.deviceState !== IDXD_DEVICE_STATE_ENABLED) return S.ERR_DEV_NOTEN;
  if (engine.wqState[wq] !== WQ_DISABLED) return S.ERR_WQ_ENABLED;
  const size = cfg.wqSize(wq);
  const dedicated = cfg.wqDedicated(wq);
  if (size === 0) return S.ERR_WQ_SIZE;
  if (!dedicated && (cfg.wqThresh(wq) === 0 || cfg.wqThresh(wq) > size)) return S.ERR_WQ_SIZE;
  let used = size;
  for (let w = 0; w < cfg.numWqs; w++) if (engine.wqState[w] !== WQ_DISABLED) used += cfg.wqSize(w);
  if (used > caps.wqcap.total_wq_size) return S.ERR_WQ_SIZE_ERANGE;
  const g = cfg.groupOfWq(wq);
  if (g < 0) return S.ERR_GRP_CONFIG;
  if (cfg.groupEngines(g) === 0) return S.ERR_GRP_CONFIG3;
  if (dedicated ? !caps.wqcap.dedicated_mode : !caps.wqcap.shared_mode) return S.ERR_WQ_MODE;
  if (cfg.wqPriority(wq) !== 0 && !caps.wqcap.priority) return S.ERR_WQ_PRIOR;
  if (cfg.wqBof(wq) && !caps.gencap.block_on_fault) return S.ERR_BOF_EN;
  if (cfg.wqMaxBatchShift(wq) > caps.gencap.max_batch_shift) return S.ERR_MAX_BATCH_SIZE;
  if (cfg.wqMaxXferShift(wq) > caps.gencap.max_xfer_shift) return S.ERR_MAX_XFER_SIZE;
  return S.SUCCESS;
}
