/**
 * The register values the idxd driver writes for a configuration: WQCFG per WQ
 * (idxd_wq_config_write + the pasid/priv setup of drv_enable_wq) and GRPCFG per group
 * (idxd_wqs_setup, idxd_engines_setup, idxd_group_flags_setup), all in drivers/dma/idxd/device.c.
 * Bit positions are those of `union wqcfg` and `union group_flags` in
 * drivers/dma/idxd/registers.h (our facts sheet §1.2–1.3):
 *
 *   WQCFG dword 0  [15:0] wq_size
 *         dword 1  [15:0] wq_thresh
 *         dword 2  b0 mode (1 = dedicated), b1 bof, b2 wq_ats_disable, b3 wq_prs_disable,
 *                  [7:4] priority, [27:8] pasid, b28 pasid_en, b29 priv
 *         dword 3  [4:0] max_xfer_shift, [8:5] max_batch_shift
 *         dwords 8..15  op_config[4] (only with WQCAP.op_config; WQCFG is then 64 bytes)
 *   GRPCFG +0  GRPWQCFG 4 × u64 (WQ n = bit n % 64 of qword n / 64)
 *          +32 GRPENGCFG u64 (engine n = bit n)
 *          +40 GRPFLGCFG u64: [2:0] tc_a, [5:3] tc_b, b7 use_rdbuf_limit, [15:8] rdbufs_reserved,
 *                  [27:20] rdbufs_allowed, [33:32] desc_progress_limit, [37:36] batch_progress_limit
 */
import { set32, setBig } from '../bits';
import { SPR_DSA_CAPS, type DeviceCaps } from './caps';
import { log2 } from './defaults';
import type { GroupConfig, WqConfig } from './model';

/** The WQCFG fields Linux writes for a WQ; numbers are the raw field values. */
export interface WqcfgFields {
  readonly wq_size: number;
  readonly wq_thresh: number;
  /** 1 = dedicated, 0 = shared. */
  readonly mode: 0 | 1;
  readonly bof: 0 | 1;
  readonly wq_ats_disable: 0 | 1;
  readonly wq_prs_disable: 0 | 1;
  readonly priority: number;
  readonly pasid: number;
  readonly pasid_en: 0 | 1;
  readonly priv: 0 | 1;
  readonly max_xfer_shift: number;
  readonly max_batch_shift: number;
  /** 4 × u64 opcode enables, or null when the device has no op_config. */
  readonly op_config: readonly bigint[] | null;
}

/**
 * WQCFG for `wq`. PASID follows drv_enable_wq: with PASID enabled, a kernel WQ or a shared WQ
 * gets pasid_en = 1, with `systemPasid` for a dedicated kernel WQ and 0 for a shared one (a
 * dedicated user WQ gets its PASID later, when a process opens it); priv = 1 for kernel WQs.
 * `caps` only decides whether PASID is enabled (default: the SPR DSA, which has it).
 * Linux writes WQCFG only for WQs in a group; this computes it for any WQ.
 */
export function wqcfgFor(
  wq: WqConfig,
  caps: DeviceCaps = SPR_DSA_CAPS,
  systemPasid = 0,
): WqcfgFields {
  const dedicated = wq.mode === 'dedicated';
  const pasidEn = caps.pasidEnabled && (wq.type === 'kernel' || (wq.type === 'user' && !dedicated));
  return {
    wq_size: wq.size,
    wq_thresh: wq.threshold,
    mode: dedicated ? 1 : 0,
    bof: bit(wq.block_on_fault),
    wq_ats_disable: bit(wq.ats_disable),
    wq_prs_disable: bit(wq.prs_disable),
    priority: wq.priority,
    pasid: pasidEn && dedicated ? systemPasid : 0,
    pasid_en: bit(pasidEn),
    priv: bit(wq.type === 'kernel'),
    max_xfer_shift: log2(wq.max_transfer_size),
    max_batch_shift: log2(wq.max_batch_size),
    op_config: wq.op_config,
  };
}

/** WQCFG as the dwords Linux writes: 8 (32 bytes) or, with op_config, 16 (64 bytes). */
export function wqcfgDwords(f: WqcfgFields): Uint32Array {
  const dw = new Uint32Array(f.op_config === null ? 8 : 16);
  dw[0] = set32(0, 15, 0, f.wq_size);
  dw[1] = set32(0, 15, 0, f.wq_thresh);
  let d2 = set32(0, 0, 0, f.mode);
  d2 = set32(d2, 1, 1, f.bof);
  d2 = set32(d2, 2, 2, f.wq_ats_disable);
  d2 = set32(d2, 3, 3, f.wq_prs_disable);
  d2 = set32(d2, 7, 4, f.priority);
  d2 = set32(d2, 27, 8, f.pasid);
  d2 = set32(d2, 28, 28, f.pasid_en);
  dw[2] = set32(d2, 29, 29, f.priv);
  dw[3] = set32(set32(0, 4, 0, f.max_xfer_shift), 8, 5, f.max_batch_shift);
  f.op_config?.forEach((q, i) => {
    dw[8 + 2 * i] = Number(q & 0xffffffffn);
    dw[9 + 2 * i] = Number(q >> 32n);
  });
  return dw;
}

/**
 * GRPCFG for `group`. `flags` is a bigint because GRPFLGCFG is a 64-bit register (the progress
 * limits sit above bit 31) that Linux writes with iowrite64, like MmioDevice.write64 takes.
 */
export function grpcfgFor(group: GroupConfig): { wqs: bigint[]; engines: bigint; flags: bigint } {
  const wqs = [0n, 0n, 0n, 0n];
  for (const id of group.wqs) wqs[id >> 6]! |= 1n << BigInt(id & 63);
  let engines = 0n;
  for (const id of group.engines) engines |= 1n << BigInt(id);
  let flags = setBig(0n, 2, 0, BigInt(group.traffic_class_a));
  flags = setBig(flags, 5, 3, BigInt(group.traffic_class_b));
  flags = setBig(flags, 7, 7, group.use_read_buffer_limit ? 1n : 0n);
  flags = setBig(flags, 15, 8, BigInt(group.read_buffers_reserved));
  flags = setBig(flags, 27, 20, BigInt(group.read_buffers_allowed));
  flags = setBig(flags, 33, 32, BigInt(group.desc_progress_limit));
  flags = setBig(flags, 37, 36, BigInt(group.batch_progress_limit));
  return { wqs, engines, flags };
}

function bit(b: boolean): 0 | 1 {
  return b ? 1 : 0;
}
