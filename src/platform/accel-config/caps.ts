/**
 * What a DSA device can do, as far as configuring it goes: the values Linux reads from the
 * capability registers in `idxd_read_caps` (drivers/dma/idxd/init.c) and exposes in sysfs, which
 * decide what `accel-config load-config` and the idxd driver accept.
 *
 * The defaults describe a Sapphire Rapids / Emerald Rapids DSA 1.0 (VERSION 0x100). They come from
 * a real `accel-config list` of such a device (posted to the dmaengine list, 2025): GENCAP
 * 0x40915f0107, 4 groups, 8 WQs, 4 engines, WQ size 128, 96 read buffers, max batch 1024, PASID
 * enabled, `ats_disable` present, `prs_disable` and `op_config` absent. Decoding that GENCAP with
 * the field layout of registers.h: block_on_fault = 1, max_xfer_shift = 31 (2 GiB),
 * max_batch_shift = 10 (1024), max_ims_mult = 8, config_en = 1, evl_support = 0.
 */

/** Capabilities of one DSA device; all counts are plain numbers, sizes in bytes or entries. */
export interface DeviceCaps {
  /** VERSION register: 0x100 = DSA 1.0 (SPR/EMR), 0x200 = DSA 2.0 (GNR). */
  readonly version: number;
  /** GRPCAP.num_groups. */
  readonly maxGroups: number;
  /** WQCAP.num_wqs. */
  readonly maxWqs: number;
  /** ENGCAP.num_engines. */
  readonly maxEngines: number;
  /** WQCAP.total_wq_size: entries shared by all WQs. */
  readonly totalWqSize: number;
  /** `1 << GENCAP.max_xfer_shift`, bytes. */
  readonly maxXferBytes: number;
  /** `1 << GENCAP.max_batch_shift`, descriptors. */
  readonly maxBatchSize: number;
  /** GRPCAP.total_rdbufs (formerly "tokens"). */
  readonly maxRdbufs: number;
  /** GRPCAP.rdbuf_limit: GENCFG.rdbuf_limit (`read_buffer_limit`) may be set. */
  readonly rdbufLimit: boolean;
  /** GRPCAP.progress_limit: groups take `desc_progress_limit` / `batch_progress_limit`. */
  readonly progressLimit: boolean;
  /** GENCAP.block_on_fault: WQs may set `block_on_fault`. */
  readonly blockOnFault: boolean;
  /** GENCAP.evl_support != 0: the device has an event log (`event_log_size`). */
  readonly evlSupport: boolean;
  /** WQCAP.wq_ats_support: WQs take `ats_disable`. */
  readonly wqAtsSupport: boolean;
  /** WQCAP.wq_prs_support: WQs take `prs_disable`. */
  readonly wqPrsSupport: boolean;
  /** WQCAP.op_config: WQs take `op_config` (WQCFG is then 64 bytes). */
  readonly opConfig: boolean;
  /** OPCAP as 4 × u64, opcode N = bit N % 64 of word N / 64. */
  readonly opcap: readonly bigint[];
  /**
   * PASID (SVA) is enabled for the device, so shared WQs are allowed (Linux
   * `wq_shared_supported`); without it the driver refuses a shared WQ.
   */
  readonly pasidEnabled: boolean;
  /**
   * The idxd module parameter `tc_override`: without it Linux fixes both traffic classes of
   * every group at 1 on devices up to DSA 2.0 and refuses writes to them.
   */
  readonly tcOverride: boolean;
}

/**
 * OPCAP of the SPR/EMR DSA above, as `accel-config list` printed it:
 * `00000000,…,00000001,003f027d` — opcodes 0x00, 0x02–0x06, 0x09, 0x10–0x15 and 0x20.
 */
const SPR_OPCAP: readonly bigint[] = [0x00000001_003f027dn, 0n, 0n, 0n];

/** A Sapphire Rapids DSA 1.0 as Linux sees it; see the file comment for the source. */
export const SPR_DSA_CAPS: DeviceCaps = Object.freeze({
  version: 0x100,
  maxGroups: 4,
  maxWqs: 8,
  maxEngines: 4,
  totalWqSize: 128,
  maxXferBytes: 2 ** 31,
  maxBatchSize: 1024,
  maxRdbufs: 96,
  rdbufLimit: true,
  progressLimit: false,
  blockOnFault: true,
  evlSupport: false,
  wqAtsSupport: true,
  wqPrsSupport: false,
  opConfig: false,
  opcap: SPR_OPCAP,
  pasidEnabled: true,
  tcOverride: false,
});

/** `caps` completed with the SPR defaults for every field it leaves out. */
export function resolveCaps(caps: Partial<DeviceCaps> = {}): DeviceCaps {
  return { ...SPR_DSA_CAPS, ...caps };
}

/** Linux lets a group's traffic classes be written only past DSA 2.0 or with `tc_override`. */
export function trafficClassWritable(caps: DeviceCaps): boolean {
  return caps.version > 0x200 || caps.tcOverride;
}
