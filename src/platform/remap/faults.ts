/**
 * VT-d interrupt-remapping fault reasons (VT-d spec §7.1.3 / Table 7-x), with the strings Linux
 * prints (drivers/iommu/intel/dmar.c irq_remap_fault_reasons) and QEMU's names
 * (hw/i386/intel_iommu_internal.h VTD_FR_IR_*).
 */
export const FR_IR_REQ_RSVD = 0x20;
export const FR_IR_INDEX_OVER = 0x21;
export const FR_IR_ENTRY_P = 0x22;
export const FR_IR_ROOT_INVAL = 0x23;
export const FR_IR_IRTE_RSVD = 0x24;
export const FR_IR_REQ_COMPAT = 0x25;
export const FR_IR_SID_ERR = 0x26;

export const IR_FAULT_REASONS: Readonly<Record<number, string>> = {
  [FR_IR_REQ_RSVD]: 'Detected reserved fields in the decoded interrupt-remapped request',
  [FR_IR_INDEX_OVER]: 'Interrupt index exceeded the interrupt-remapping table size',
  [FR_IR_ENTRY_P]: 'Present field in the IRTE entry is clear',
  [FR_IR_ROOT_INVAL]: 'Error accessing interrupt-remapping table pointed by IRTA_REG',
  [FR_IR_IRTE_RSVD]: 'Detected reserved fields in the IRTE entry',
  [FR_IR_REQ_COMPAT]: 'Blocked a compatibility format interrupt request',
  [FR_IR_SID_ERR]: 'Blocked an interrupt request due to source-id verification failure',
};

/** Linux's text for a fault reason code ("Unknown" as dmar_get_fault_reason prints otherwise). */
export function faultReasonText(code: number): string {
  return IR_FAULT_REASONS[code] ?? 'Unknown';
}

/** One fault the unit saw, recorded in FRCD or suppressed by FPD. */
export interface IrFault {
  /** Simulated time, ns. */
  t: number;
  /** Fault reason code (0x20–0x26). */
  reason: number;
  /** Requester id of the request. */
  sid: number;
  /** Interrupt index (IRTE index) when known, else -1. */
  index: number;
  /** Recorded in a fault recording register (false: suppressed by FPD or lost to overflow). */
  recorded: boolean;
  /** Trace message id. */
  messageId: number;
  /** Why it was not recorded, if so. */
  note?: string;
}
