/**
 * A DSA device's capabilities and BAR0 layout: everything that differs between devices.
 *
 * Defaults model a Sapphire Rapids DSA (PCI 8086:0b25). A real SPR/EMR DSA reports, through
 * `accel-config list` (dmaengine list, 2026-03): version 0x100, gen_cap 0x40915f0107 (max_xfer
 * 2 GiB, max_batch 1024, max_ims_mult 8 → 2048 IMS slots, config_en), 8 WQs of total size
 * 128, 4 engines, 4 groups, 96 read buffers, op_cap 0x1003f027d. Differences here, on purpose:
 *  - GENCAP.cmd_cap = 1 and CMDCAP lists REQUEST/RELEASE_INT_HANDLE (13/14): SPR silicon reports
 *    cmd_cap = 0, but interrupt handles are how descriptors name IMS slots, which this tool is
 *    about (the DSA 1.1+/2.0 behaviour Linux supports since 5.13).
 *  - GENCAP bit 38 (set on SPR, reserved in Linux's union gen_cap_reg) is left 0.
 *  - OPCAP lists exactly the operations emulated here (NOOP, BATCH, DRAIN, MEMMOVE, MEMFILL,
 *    COMPARE, COMPVAL, DUALCAST, CRCGEN, COPY_CRC); SPR's op_cap also lists the DIF operations
 *    and CFLUSH, and has bit 1 (BATCH) clear.
 * VERSION stays 0x100 (DSA 1.0, as SPR): with 0x200 Linux expects DSA 2.0 features this model
 * lacks (event log, 64-byte WQCFG with op_config, DSA 2.0 descriptor flags).
 */
import {
  DEVICE_VERSION_1,
  DSA_OPCODE,
  IDXD_CMD,
  IDXD_EMU_INJECT_OFFSET,
  IDXD_PORTAL_SIZE,
  IDXD_PORTALS_PER_WQ,
  IDXD_TABLE_MULT,
  GRPCFG_SIZE,
  IMS_MULT_SLOTS,
  IMS_SLOT_SIZE,
  MSIX_PERM_STRIDE,
} from './consts';
import { accessMask, encodeFields } from './regdef';
import {
  CMDCAP_FIELDS,
  ENGCAP_FIELDS,
  GENCAP_FIELDS,
  GRPCAP_FIELDS,
  OPCAP_FIELDS,
  TABLE_FIELDS,
  VERSION_FIELDS,
  WQCAP_FIELDS,
} from './cap-fields';
import type { TopResetValues } from './registers';

export interface GenCap {
  readonly block_on_fault: boolean;
  readonly overlap_copy: boolean;
  readonly cache_control_mem: boolean;
  readonly cache_control_cache: boolean;
  readonly cmd_cap: boolean;
  readonly dest_readback: boolean;
  readonly drain_readback: boolean;
  readonly max_xfer_shift: number;
  readonly max_batch_shift: number;
  readonly max_ims_mult: number;
  readonly config_en: boolean;
}

export interface WqCap {
  readonly total_wq_size: number;
  readonly num_wqs: number;
  /** WQCFG entry = 1 << (wqcfg_size + 5) bytes. */
  readonly wqcfg_size: number;
  readonly shared_mode: boolean;
  readonly dedicated_mode: boolean;
  readonly wq_ats_support: boolean;
  readonly priority: boolean;
  readonly occupancy: boolean;
  readonly occupancy_int: boolean;
  readonly op_config: boolean;
  readonly wq_prs_support: boolean;
}

export interface GrpCap {
  readonly num_groups: number;
  readonly total_rdbufs: number;
  readonly rdbuf_ctrl: boolean;
  readonly rdbuf_limit: boolean;
  readonly progress_limit: boolean;
}

export interface IdxdCaps {
  /** VERSION register: 0x100 (DSA 1.0) or 0x200 (DSA 2.0). */
  readonly version: number;
  readonly gencap: GenCap;
  readonly wqcap: WqCap;
  readonly grpcap: GrpCap;
  readonly num_engines: number;
  /** Opcodes advertised in OPCAP. */
  readonly opcap: readonly number[];
  /** Command codes advertised in CMDCAP (when gencap.cmd_cap). */
  readonly cmdcap: readonly number[];
  /** MSI-X table entries (entry 0: misc interrupt; 1..n: completions). */
  readonly msix_count: number;
  /** Entries of the interrupt-handle table (see handles.ts). */
  readonly int_handles: number;
}

/** Partial overrides, merged over the defaults one level deep. */
export interface IdxdCapsOptions {
  readonly version?: number;
  readonly gencap?: Partial<GenCap>;
  readonly wqcap?: Partial<WqCap>;
  readonly grpcap?: Partial<GrpCap>;
  readonly num_engines?: number;
  readonly opcap?: readonly number[];
  readonly cmdcap?: readonly number[];
  readonly msix_count?: number;
  readonly int_handles?: number;
}

/** Opcodes this model executes. */
export const EMULATED_OPCODES: readonly number[] = [
  DSA_OPCODE.NOOP,
  DSA_OPCODE.BATCH,
  DSA_OPCODE.DRAIN,
  DSA_OPCODE.MEMMOVE,
  DSA_OPCODE.MEMFILL,
  DSA_OPCODE.COMPARE,
  DSA_OPCODE.COMPVAL,
  DSA_OPCODE.DUALCAST,
  DSA_OPCODE.CRCGEN,
  DSA_OPCODE.COPY_CRC,
];

/** Sapphire Rapids DSA defaults (see the file comment for the deliberate differences). */
export const SPR_DSA_CAPS: IdxdCaps = {
  version: DEVICE_VERSION_1,
  gencap: {
    block_on_fault: true,
    overlap_copy: true,
    cache_control_mem: true,
    cache_control_cache: false,
    cmd_cap: true,
    dest_readback: true,
    drain_readback: false,
    max_xfer_shift: 31,
    max_batch_shift: 10,
    max_ims_mult: 8,
    config_en: true,
  },
  wqcap: {
    total_wq_size: 128,
    num_wqs: 8,
    wqcfg_size: 0,
    shared_mode: true,
    dedicated_mode: true,
    wq_ats_support: true,
    priority: true,
    occupancy: false,
    occupancy_int: false,
    op_config: false,
    wq_prs_support: false,
  },
  grpcap: {
    num_groups: 4,
    total_rdbufs: 96,
    rdbuf_ctrl: true,
    rdbuf_limit: true,
    progress_limit: false,
  },
  num_engines: 4,
  opcap: EMULATED_OPCODES,
  cmdcap: Object.values(IDXD_CMD),
  msix_count: 9,
  int_handles: 2048,
};

/** Merges `opts` over the SPR defaults. Throws RangeError for values the registers cannot hold. */
export function resolveCaps(opts: IdxdCapsOptions = {}): IdxdCaps {
  const c: IdxdCaps = {
    ...SPR_DSA_CAPS,
    ...opts,
    gencap: { ...SPR_DSA_CAPS.gencap, ...opts.gencap },
    wqcap: { ...SPR_DSA_CAPS.wqcap, ...opts.wqcap },
    grpcap: { ...SPR_DSA_CAPS.grpcap, ...opts.grpcap },
  };
  const bad = (what: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new RangeError(`IDXD caps: ${what} = ${v} is outside ${lo}..${hi}`);
    }
  };
  bad('wqcap.num_wqs', c.wqcap.num_wqs, 1, 255);
  bad('wqcap.total_wq_size', c.wqcap.total_wq_size, 1, 0xffff);
  bad('wqcap.wqcfg_size', c.wqcap.wqcfg_size, 0, 1);
  bad('grpcap.num_groups', c.grpcap.num_groups, 1, 255);
  bad('num_engines', c.num_engines, 1, 32);
  bad('msix_count', c.msix_count, 1, 2048);
  bad('gencap.max_ims_mult', c.gencap.max_ims_mult, 0, 63);
  bad('gencap.max_xfer_shift', c.gencap.max_xfer_shift, 0, 31);
  bad('gencap.max_batch_shift', c.gencap.max_batch_shift, 0, 15);
  bad('int_handles', c.int_handles, 1, 0x10000);
  bad('version', c.version, 0, 0xffff);
  return c;
}

/** Where the tables live in BAR0 and how big the BARs are (bytes). */
export interface IdxdLayout {
  readonly msixPermOffset: number;
  readonly grpcfgOffset: number;
  readonly wqcfgOffset: number;
  readonly perfmonOffset: number;
  readonly msixTableOffset: number;
  readonly msixPbaOffset: number;
  readonly imsOffset: number;
  readonly bar0Size: number;
  readonly bar2Size: number;
  /** WQCFG bytes per WQ. */
  readonly wqcfgStride: number;
  readonly imsSlots: number;
}

/**
 * Default table offsets. The real ones are not in Linux (it reads TABLE). Intel's VDCM
 * (virtual DSA, idxd mdev/vdev code) uses MSIX_PERM 0x300, GRPCFG 0x400, WQCFG 0x500, MSI-X
 * 0x600, PBA 0x700, IMS 0x1000 in an 8 KiB BAR0. We keep its MSIX_PERM/GRPCFG/WQCFG offsets;
 * put PERFCAP at 0x1000, the MSI-X table at 0x2000 and the PBA at 0x3000 (what lspci shows for
 * many Intel functions; UNCERTAIN for the DSA) and the 2048-slot IMS (32 KiB) at 0x8000 in a
 * 64 KiB BAR0. BAR2 is 16 KiB (4 portal pages) per WQ.
 */
export const IDXD_DEFAULT_LAYOUT = {
  msixPermOffset: 0x300,
  grpcfgOffset: 0x400,
  wqcfgOffset: 0x500,
  perfmonOffset: 0x1000,
  msixTableOffset: 0x2000,
  msixPbaOffset: 0x3000,
  imsOffset: 0x8000,
} as const;

export type IdxdLayoutOptions = Partial<
  Pick<IdxdLayout, keyof typeof IDXD_DEFAULT_LAYOUT | 'bar0Size'>
>;

/** Computes the layout; throws RangeError when regions overlap or are misaligned. */
export function computeLayout(caps: IdxdCaps, opts: IdxdLayoutOptions = {}): IdxdLayout {
  const o = { ...IDXD_DEFAULT_LAYOUT, ...opts };
  const wqcfgStride = 1 << (caps.wqcap.wqcfg_size + 5);
  const imsSlots = caps.gencap.max_ims_mult * IMS_MULT_SLOTS;
  const regions: [string, number, number, number][] = [
    ['registers', 0, 0x100, 1],
    ['EMU_INJECT', IDXD_EMU_INJECT_OFFSET, 4, 4],
    ['MSIX_PERM', o.msixPermOffset, caps.msix_count * MSIX_PERM_STRIDE, IDXD_TABLE_MULT],
    ['GRPCFG', o.grpcfgOffset, caps.grpcap.num_groups * GRPCFG_SIZE, IDXD_TABLE_MULT],
    ['WQCFG', o.wqcfgOffset, caps.wqcap.num_wqs * wqcfgStride, IDXD_TABLE_MULT],
    ['PERFMON', o.perfmonOffset, 8, IDXD_TABLE_MULT],
    ['MSI-X table', o.msixTableOffset, caps.msix_count * 16, 8],
    ['MSI-X PBA', o.msixPbaOffset, Math.ceil(caps.msix_count / 64) * 8, 8],
    ['IMS', o.imsOffset, imsSlots * IMS_SLOT_SIZE, IDXD_TABLE_MULT],
  ];
  let end = 0;
  for (const [name, at, size, align] of regions) {
    if (at % align !== 0)
      throw new RangeError(`IDXD layout: ${name} offset ${at} not ${align} aligned`);
    for (const [other, oat, osize] of regions) {
      if (other !== name && size > 0 && osize > 0 && at < oat + osize && oat < at + size) {
        throw new RangeError(`IDXD layout: ${name} overlaps ${other}`);
      }
    }
    end = Math.max(end, at + size);
  }
  const bar0Size = o.bar0Size ?? Math.max(0x10000, nextPow2(end));
  if (bar0Size < end || (bar0Size & (bar0Size - 1)) !== 0) {
    throw new RangeError(`IDXD layout: BAR0 size ${bar0Size} cannot hold ${end} bytes`);
  }
  const bar2Size = nextPow2(caps.wqcap.num_wqs * IDXD_PORTALS_PER_WQ * IDXD_PORTAL_SIZE);
  return { ...o, bar0Size, bar2Size, wqcfgStride, imsSlots };
}

/** Reset values of the capability registers and TABLE for `caps` and `layout`. */
export function capRegisterValues(caps: IdxdCaps, layout: IdxdLayout): TopResetValues {
  const bits = (codes: readonly number[]) => codes.reduce((v, c) => v | (1n << BigInt(c)), 0n);
  const t = (offset: number) => offset / IDXD_TABLE_MULT;
  return {
    VERSION: encodeFields(
      { name: 'VERSION', fields: VERSION_FIELDS },
      {
        major: (caps.version >> 8) & 0xff,
        minor: caps.version & 0xff,
      },
    ),
    GENCAP: encodeFields({ name: 'GENCAP', fields: GENCAP_FIELDS }, { ...caps.gencap }),
    WQCAP: encodeFields({ name: 'WQCAP', fields: WQCAP_FIELDS }, { ...caps.wqcap }),
    GRPCAP: encodeFields({ name: 'GRPCAP', fields: GRPCAP_FIELDS }, { ...caps.grpcap }),
    ENGCAP: encodeFields(
      { name: 'ENGCAP', fields: ENGCAP_FIELDS },
      { num_engines: caps.num_engines },
    ),
    OPCAP: bits(caps.opcap) & accessMask({ fields: OPCAP_FIELDS }, 'RO'),
    TABLE: encodeFields(
      { name: 'TABLE', fields: TABLE_FIELDS },
      {
        grpcfg: t(layout.grpcfgOffset),
        wqcfg: t(layout.wqcfgOffset),
        msix_perm: t(layout.msixPermOffset),
        ims: layout.imsSlots > 0 ? t(layout.imsOffset) : 0,
        perfmon: t(layout.perfmonOffset),
      },
    ),
    CMDCAP: caps.gencap.cmd_cap
      ? bits(caps.cmdcap) & accessMask({ fields: CMDCAP_FIELDS }, 'RO')
      : 0n,
    perfmonOffset: layout.perfmonOffset,
  };
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
