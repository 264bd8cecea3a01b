/**
 * IDXD (Intel DSA) constants named as Linux names them: drivers/dma/idxd/registers.h and
 * include/uapi/linux/idxd.h. Offsets are BAR0 bytes.
 */

export const PCI_VENDOR_ID_INTEL = 0x8086;
export const PCI_DEVICE_ID_INTEL_DSA_SPR0 = 0x0b25;
export const DEVICE_VERSION_1 = 0x100;
export const DEVICE_VERSION_2 = 0x200;
export const IDXD_MMIO_BAR = 0;
export const IDXD_WQ_BAR = 2;
/** Portal page size and pages per WQ (idxd_get_wq_portal_full_offset). */
export const IDXD_PORTAL_SIZE = 0x1000;
export const IDXD_PORTALS_PER_WQ = 4;
export const IDXD_PORTAL_UNLIMITED = 0;
export const IDXD_PORTAL_LIMITED = 1;
/** TABLE offset fields are in units of 0x100 bytes. */
export const IDXD_TABLE_MULT = 0x100;

export const IDXD_VER_OFFSET = 0x00;
export const IDXD_GENCAP_OFFSET = 0x10;
export const IDXD_WQCAP_OFFSET = 0x20;
export const IDXD_GRPCAP_OFFSET = 0x30;
export const IDXD_ENGCAP_OFFSET = 0x38;
export const IDXD_OPCAP_OFFSET = 0x40;
export const IDXD_TABLE_OFFSET = 0x60;
export const IDXD_GENCFG_OFFSET = 0x80;
export const IDXD_GENCTRL_OFFSET = 0x88;
export const IDXD_GENSTS_OFFSET = 0x90;
export const IDXD_INTCAUSE_OFFSET = 0x98;
export const IDXD_CMD_OFFSET = 0xa0;
export const IDXD_CMDSTS_OFFSET = 0xa8;
export const IDXD_CMDCAP_OFFSET = 0xb0;
export const IDXD_SWERR_OFFSET = 0xc0;

export const GRPCFG_SIZE = 64;
export const GRPWQCFG_OFFSET = 0;
export const GRPENGCFG_OFFSET = 32;
export const GRPFLGCFG_OFFSET = 40;
export const MSIX_PERM_STRIDE = 8;
export const IMS_SLOT_SIZE = 16;
/** Slots per unit of GENCAP.max_ims_mult. */
export const IMS_MULT_SLOTS = 256;

// INTCAUSE bits.
export const IDXD_INTC_ERR = 0x01;
export const IDXD_INTC_CMD = 0x02;
export const IDXD_INTC_OCCUPY = 0x04;
export const IDXD_INTC_PERFMON_OVFL = 0x08;
export const IDXD_INTC_HALT_STATE = 0x10;
export const IDXD_INTC_EVL = 0x20;
export const IDXD_INTC_INT_HANDLE_REVOKED = 0x80000000;

// GENCTRL bits.
export const IDXD_GENCTRL_SOFTERR_INT_EN = 0x1;
export const IDXD_GENCTRL_HALT_INT_EN = 0x2;

/** GENSTS.state (enum idxd_device_status_state). */
export const IDXD_DEVICE_STATE_DISABLED = 0;
export const IDXD_DEVICE_STATE_ENABLED = 1;
export const IDXD_DEVICE_STATE_DRAIN = 2;
export const IDXD_DEVICE_STATE_HALT = 3;
/** GENSTS.reset_type: the reset that leaves HALT (enum idxd_device_reset_type). */
export const IDXD_DEVICE_RESET_SOFTWARE = 0;
export const IDXD_DEVICE_RESET_FLR = 1;
export const IDXD_DEVICE_RESET_WARM = 2;
export const IDXD_DEVICE_RESET_COLD = 3;
export const RESET_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'SOFTWARE',
  1: 'FLR',
  2: 'WARM',
  3: 'COLD',
};
export const DEVICE_STATE_NAMES: Readonly<Record<number, string>> = {
  0: 'DISABLED',
  1: 'ENABLED',
  2: 'DRAIN',
  3: 'HALT',
};

/** CMD.cmd codes (enum idxd_cmd). */
export const IDXD_CMD = {
  ENABLE_DEVICE: 1,
  DISABLE_DEVICE: 2,
  DRAIN_ALL: 3,
  ABORT_ALL: 4,
  RESET_DEVICE: 5,
  ENABLE_WQ: 6,
  DISABLE_WQ: 7,
  DRAIN_WQ: 8,
  ABORT_WQ: 9,
  RESET_WQ: 10,
  DRAIN_PASID: 11,
  ABORT_PASID: 12,
  REQUEST_INT_HANDLE: 13,
  RELEASE_INT_HANDLE: 14,
} as const;
export const CMD_INT_HANDLE_IMS = 0x10000;
export const IDXD_CMDSTS_ACTIVE = 0x80000000;
export const IDXD_CMDSTS_RES_SHIFT = 8;

/** CMDSTS.err codes (enum idxd_cmdsts_err). */
export const IDXD_CMDSTS = {
  SUCCESS: 0x00,
  INVAL_CMD: 0x01,
  INVAL_WQIDX: 0x02,
  HW_ERR: 0x03,
  ERR_DEV_ENABLED: 0x10,
  ERR_CONFIG: 0x11,
  ERR_BUSMASTER_EN: 0x12,
  ERR_PASID_INVAL: 0x13,
  ERR_WQ_SIZE_ERANGE: 0x14,
  ERR_GRP_CONFIG: 0x15,
  ERR_GRP_CONFIG2: 0x16,
  ERR_GRP_CONFIG3: 0x17,
  ERR_GRP_CONFIG4: 0x18,
  ERR_DEV_NOTEN: 0x20,
  ERR_WQ_ENABLED: 0x21,
  ERR_WQ_SIZE: 0x22,
  ERR_WQ_PRIOR: 0x23,
  ERR_WQ_MODE: 0x24,
  ERR_BOF_EN: 0x25,
  ERR_PASID_EN: 0x26,
  ERR_MAX_BATCH_SIZE: 0x27,
  ERR_MAX_XFER_SIZE: 0x28,
  ERR_DIS_DEV_EN: 0x31,
  ERR_DEV_NOT_EN: 0x32,
  ERR_INVAL_INT_IDX: 0x41,
  ERR_NO_HANDLE: 0x42,
  /**
   * RELEASE_INT_HANDLE of a handle that is not allocated. Not in mainline registers.h; Intel's
   * virtual DSA (the idxd mdev series' registers.h and vdev.c vidxd_release_int_handle) adds it
   * after ERR_NO_HANDLE — UNCERTAIN.
   */
  ERR_INVAL_INT_IDX_RELEASE: 0x43,
} as const;

/** Descriptor opcodes (enum dsa_opcode). */
export const DSA_OPCODE = {
  NOOP: 0x00,
  BATCH: 0x01,
  DRAIN: 0x02,
  MEMMOVE: 0x03,
  MEMFILL: 0x04,
  COMPARE: 0x05,
  COMPVAL: 0x06,
  CR_DELTA: 0x07,
  AP_DELTA: 0x08,
  DUALCAST: 0x09,
  CRCGEN: 0x10,
  COPY_CRC: 0x11,
  DIF_CHECK: 0x12,
  DIF_INS: 0x13,
  DIF_STRP: 0x14,
  DIF_UPDT: 0x15,
  CFLUSH: 0x20,
} as const;

/** Descriptor flags (IDXD_OP_FLAG_*). */
export const IDXD_OP_FLAG = {
  FENCE: 0x0001,
  BOF: 0x0002,
  CRAV: 0x0004,
  RCR: 0x0008,
  RCI: 0x0010,
  CRSTS: 0x0020,
  CR: 0x0080,
  CC: 0x0100,
  ADDR1_TCS: 0x0200,
  ADDR2_TCS: 0x0400,
  ADDR3_TCS: 0x0800,
  CR_TCS: 0x1000,
  STORD: 0x2000,
  DRDBK: 0x4000,
  DSTS: 0x8000,
} as const;

/** Completion record status codes (enum dsa_completion_status). */
export const DSA_COMP = {
  NONE: 0x00,
  SUCCESS: 0x01,
  SUCCESS_PRED: 0x02,
  PAGE_FAULT_NOBOF: 0x03,
  PAGE_FAULT_IR: 0x04,
  BATCH_FAIL: 0x05,
  BATCH_PAGE_FAULT: 0x06,
  DR_OFFSET_NOINC: 0x07,
  DR_OFFSET_ERANGE: 0x08,
  DIF_ERR: 0x09,
  BAD_OPCODE: 0x10,
  INVALID_FLAGS: 0x11,
  NOZERO_RESERVE: 0x12,
  XFER_ERANGE: 0x13,
  DESC_CNT_ERANGE: 0x14,
  DR_ERANGE: 0x15,
  OVERLAP_BUFFERS: 0x16,
  DCAST_ERR: 0x17,
  DESCLIST_ALIGN: 0x18,
  INT_HANDLE_INVAL: 0x19,
  CRA_XLAT: 0x1a,
  CRA_ALIGN: 0x1b,
  ADDR_ALIGN: 0x1c,
  PRIV_BAD: 0x1d,
  TRAFFIC_CLASS_CONF: 0x1e,
  PFAULT_RDBA: 0x1f,
  HW_ERR1: 0x20,
  HW_ERR_DRB: 0x21,
  TRANSLATION_FAIL: 0x22,
} as const;
export const DSA_COMP_STATUS_MASK = 0x7f;
export const DSA_COMP_STATUS_WRITE = 0x80;

/**
 * Operation-specific flags (descriptor flags bits 23:16) of CRCGEN and COPY_CRC, as
 * intel/idxd-config's test/dsa.h names them (READ_CRC_SEED, BYPASS_CRC_INV_REF,
 * BYPASS_DATA_REF); the uapi header does not define them.
 */
export const DSA_CRC_FLAG = {
  /** Read the 32-bit seed from seed_addr (bytes 48-55) instead of crc_seed (bytes 40-43). */
  READ_CRC_SEED: 1 << 16,
  /** No inversion and no bit reversal of the seed and the result. */
  BYPASS_CRC_INV_REF: 1 << 17,
  /** Each data byte is bit-reversed before it enters the CRC. */
  BYPASS_DATA_REF: 1 << 18,
} as const;

/**
 * Operation-specific flags (descriptor flags bits 23:16) of DRAIN. Neither Linux's uapi header
 * nor registers.h names them (IDXD_OP_FLAG_DRDBK, 0x4000, is the general *destination*
 * readback flag of writing operations, not a Drain flag); the names and bits follow Intel's DML
 * library (include/dml/detail/common/specific_flags.hpp, drain_specific_flag), which places
 * them in byte 6 of the descriptor. Readback Address 1/2 are the descriptor's bytes 16-23 and
 * 24-31 (uapi dsa_hw_desc rdback_addr / rdback_addr2). The device accepts them only when
 * GENCAP.drain_readback (bit 9) is set — our reading of that capability, UNCERTAIN.
 */
export const DSA_DRAIN_FLAG = {
  /** After the wait, read from Readback Address 1 (bytes 16-23). */
  READBACK_ADDR1_VALID: 1 << 16,
  /** After the wait, read from Readback Address 2 (bytes 24-31). */
  READBACK_ADDR2_VALID: 1 << 17,
  /** Suppress the implicit readback through traffic class A. */
  SUPPRESS_TC_A_READBACK: 1 << 18,
  /** Suppress the implicit readback through traffic class B. */
  SUPPRESS_TC_B_READBACK: 1 << 19,
} as const;

/**
 * SWERR error codes for errors that are not a descriptor's completion status. The DSA spec's
 * table of these codes is not in the Linux headers; 0x51/0x52 follow the out-of-tree VDCM
 * (vidxd) code (DSA_ERR_PCI_CFG, DSA_ERR_CMD_REG). The portal codes are our choice — UNCERTAIN.
 */
export const SWERR_CODE = {
  /** Descriptor written to the portal of a disabled WQ. */
  WQ_NOT_ENABLED: 0x30,
  /** MOVDIR64B to a dedicated WQ that already holds wq_size descriptors. */
  DWQ_FULL: 0x31,
  /** MOVDIR64B to a shared WQ (posted writes cannot be retried). */
  SWQ_MOVDIR64B: 0x32,
  PCI_CFG: 0x51,
  /** CMD written while CMDSTS.active. */
  CMD_REG: 0x52,
} as const;

/**
 * EMU_INJECT: a write-only register of this emulator, not of the DSA, at a BAR0 offset the
 * DSA leaves unused here (between the top-level registers and MSIX_PERM). Writing it injects
 * what a driver cannot cause: interrupt-handle revocation (as after a host-side FLR or a VM
 * migration) and a device halt. The debugger's register view and models use it.
 */
export const IDXD_EMU_INJECT_OFFSET = 0x2f0;
export const EMU_INJECT = {
  /** Bit 0: revoke every interrupt handle (INTCAUSE.int_handle_revoked, misc interrupt). */
  REVOKE_INT_HANDLES: 1 << 0,
  /** Bit 1: halt the device with GENSTS.reset_type = bits 3:2. */
  HALT: 1 << 1,
  RESET_TYPE_SHIFT: 2,
  /** Bit 4 (with HALT): a hardware error, also recorded in SWERR as HW_ERR1. */
  HW_ERROR: 1 << 4,
} as const;

/** name ← value for a constant table, e.g. nameOf(IDXD_CMDSTS, 0x21) === 'ERR_WQ_ENABLED'. */
export function nameOf(table: Readonly<Record<string, number>>, value: number): string | undefined {
  for (const [k, v] of Object.entries(table)) if (v === value) return k;
  return undefined;
}

/** `{value: name}` for enum decoding in the register table. */
export function enumsOf(table: Readonly<Record<string, number>>): Readonly<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const [k, v] of Object.entries(table)) out[v] = k;
  return out;
}
