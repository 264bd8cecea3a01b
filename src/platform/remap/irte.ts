/**
 * VT-d Interrupt Remapping Table Entry (IRTE), 128 bits, and the remappable MSI format.
 *
 * Sources: Intel VT-d spec §9.10 (IRTE, remapped and posted formats) and §5.1.2 (remappable
 * interrupt request format); include/linux/dmar.h `struct irte`; QEMU
 * include/hw/i386/intel_iommu.h `VTD_IR_TableEntry` / `VTD_IR_MSIAddress`.
 *
 * Views use `decodeIrte(bigint)`; the delivery path works on the four little-endian 32-bit
 * words as read from the table (w0 = bits 31:0 … w3 = bits 127:96) and allocates nothing.
 */
import { getBig, setBig } from '../bits';

/** Decoded IRTE. Remapped-format fields are meaningful when `pst === 0`, posted ones when 1. */
export interface Irte {
  p: number;
  fpd: number;
  /** Destination mode: 0 physical, 1 logical. */
  dm: number;
  rh: number;
  /** Trigger mode: 0 edge, 1 level. */
  tm: number;
  /** Delivery mode: 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 7 ExtINT. */
  dlm: number;
  avail: number;
  /** IRTE mode (IM / PST): 0 remapped, 1 posted. */
  pst: number;
  /** Vector (remapped) or virtual vector VV (posted). */
  vector: number;
  /** Destination ID, bits 63:32 (x2APIC: the APIC ID; xAPIC: APIC ID in bits 47:40). */
  dst: number;
  /** Source id (requester id) to verify. */
  sid: number;
  /** Source-id qualifier. */
  sq: number;
  /** Source validation type: 0 none, 1 SID+SQ, 2 bus range, 3 reserved. */
  svt: number;
  /** Posted: urgent bit (bit 14). */
  urg: number;
  /** Posted: PDA_L, posted-interrupt descriptor address bits 31:6 (IRTE bits 63:38). */
  pdal: number;
  /** Posted: PDA_H, posted-interrupt descriptor address bits 63:32 (IRTE bits 127:96). */
  pdah: number;
  /** Posted: the posted-interrupt descriptor address (64-byte aligned) PDA_H:PDA_L << 6. */
  pda: bigint;
}

/**
 * Field table of the IRTE: [name, hi, lo, description], the remapped-format fields and then the
 * posted-format ones that overlay them (URG on reserved bit 14, PDA_L on DST's bits, PDA_H on
 * reserved bits 127:96: VT-d §9.10; Linux `struct irte` p_urgent, pda_l, pda_h). A field of the
 * other format decodes as 0. Drives decode and the views.
 */
export const IRTE_FIELDS: readonly (readonly [keyof Irte, number, number, string])[] = [
  ['p', 0, 0, 'Present'],
  ['fpd', 1, 1, 'Fault Processing Disable'],
  ['dm', 2, 2, 'Destination Mode (0 physical, 1 logical)'],
  ['rh', 3, 3, 'Redirection Hint'],
  ['tm', 4, 4, 'Trigger Mode (0 edge, 1 level)'],
  ['dlm', 7, 5, 'Delivery Mode'],
  ['avail', 11, 8, 'Available to software'],
  ['pst', 15, 15, 'IRTE Mode (0 remapped, 1 posted)'],
  ['vector', 23, 16, 'Vector'],
  ['dst', 63, 32, 'Destination ID'],
  ['sid', 79, 64, 'Source Identifier'],
  ['sq', 81, 80, 'Source-id Qualifier'],
  ['svt', 83, 82, 'Source Validation Type'],
  ['urg', 14, 14, 'Urgent (posted format)'],
  ['pdal', 63, 38, 'Posted Descriptor Address bits 31:6 (posted format)'],
  ['pdah', 127, 96, 'Posted Descriptor Address bits 63:32 (posted format)'],
];

/** SQ masks applied to SIDs when SVT = 1 (QEMU vtd_svt_mask; VT-d Table 9-x). */
export const SQ_MASK = [0xffff, 0xfffb, 0xfff9, 0xfff8] as const;

export const DELIVERY_MODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Fixed',
  1: 'Lowest Priority',
  2: 'SMI',
  4: 'NMI',
  5: 'INIT',
  7: 'ExtINT',
};

/** Decodes a 128-bit IRTE value. */
export function decodeIrte(v: bigint): Irte {
  const f = (hi: number, lo: number): number => Number(getBig(v, hi, lo));
  const pst = f(15, 15);
  return {
    p: f(0, 0),
    fpd: f(1, 1),
    dm: pst ? 0 : f(2, 2),
    rh: pst ? 0 : f(3, 3),
    tm: pst ? 0 : f(4, 4),
    dlm: pst ? 0 : f(7, 5),
    avail: f(11, 8),
    pst,
    vector: f(23, 16),
    dst: pst ? 0 : f(63, 32),
    sid: f(79, 64),
    sq: f(81, 80),
    svt: f(83, 82),
    urg: pst ? f(14, 14) : 0,
    pdal: pst ? f(63, 38) : 0,
    pdah: pst ? f(127, 96) : 0,
    pda: pst ? (getBig(v, 63, 38) << 6n) | (getBig(v, 127, 96) << 32n) : 0n,
  };
}

/** Encodes a remapped-format IRTE (posted fields are ignored unless `pst` is 1). */
export function encodeIrte(e: Partial<Irte>): bigint {
  let v = 0n;
  const put = (hi: number, lo: number, x: number | bigint | undefined): void => {
    if (x !== undefined) v = setBig(v, hi, lo, BigInt(x));
  };
  put(0, 0, e.p);
  put(1, 1, e.fpd);
  put(11, 8, e.avail);
  put(15, 15, e.pst);
  put(23, 16, e.vector);
  put(79, 64, e.sid);
  put(81, 80, e.sq);
  put(83, 82, e.svt);
  if (e.pst === 1) {
    put(14, 14, e.urg);
    if (e.pda !== undefined) {
      put(63, 38, (e.pda >> 6n) & ((1n << 26n) - 1n));
      put(127, 96, e.pda >> 32n);
    }
  } else {
    put(2, 2, e.dm);
    put(3, 3, e.rh);
    put(4, 4, e.tm);
    put(7, 5, e.dlm);
    put(63, 32, e.dst);
  }
  return v;
}

/** The four 32-bit words of a 128-bit value, little-endian order (w0 = bits 31:0). */
export function irteWords(v: bigint): [number, number, number, number] {
  const w = (i: number): number => Number((v >> BigInt(32 * i)) & 0xffffffffn);
  return [w(0), w(1), w(2), w(3)];
}

/** The 128-bit value of four little-endian 32-bit words. */
export function irteFromWords(w0: number, w1: number, w2: number, w3: number): bigint {
  return (
    BigInt(w0 >>> 0) |
    (BigInt(w1 >>> 0) << 32n) |
    (BigInt(w2 >>> 0) << 64n) |
    (BigInt(w3 >>> 0) << 96n)
  );
}

/**
 * Reserved-bit check of an IRTE (fault 0x24 when non-zero), on the words, for a unit with
 * (`pi`) or without posted-interrupt support (CAP.PI, bit 59). Remapped: bits 14:12, 31:24,
 * 127:84; and with `eime` clear (xAPIC) DST bits 39:32 and 63:48. SVT = 3 is a reserved encoding
 * (both formats). IM (bit 15) is Reserved(0) without posted-interrupt support (VT-d §9.10), so
 * such a unit finds an entry in posted format reserved. Posted format (with `pi`): bits 7:2,
 * 13:12, 37:24, 95:84.
 */
export function irteReservedBits(
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  eime: boolean,
  pi: boolean,
): boolean {
  // SVT (bits 83:82) = 3 is a reserved encoding in both formats.
  if (((w2 >>> 18) & 3) === 3) return true;
  if ((w0 & 0x8000) !== 0) {
    if (!pi) return true;
    return (
      (w0 & 0x30fc) !== 0 || (w0 & 0xff000000) !== 0 || (w1 & 0x3f) !== 0 || (w2 & 0xfff00000) !== 0
    );
  }
  if ((w0 & 0x7000) !== 0 || (w0 & 0xff000000) !== 0 || (w2 & 0xfff00000) !== 0 || w3 !== 0)
    return true;
  return !eime && (w1 & 0xffff00ff) !== 0;
}

/** Remappable-format MSI address fields (VT-d §5.1.2.2; Linux fill_msi_msg). */
export interface RemappableMsi {
  handle: number;
  shv: number;
  subhandle: number;
}

/** address_lo and data of a remappable-format message for IRTE `handle` (Linux: SHV=1, subhandle 0). */
export function composeRemappable(
  handle: number,
  subhandle = 0,
): { address_lo: number; address_hi: number; data: number } {
  const lo =
    (0xfee << 20) | ((handle & 0x7fff) << 5) | (1 << 4) | (1 << 3) | (((handle >> 15) & 1) << 2);
  return { address_lo: lo >>> 0, address_hi: 0, data: subhandle & 0xffff };
}

/** Whether address_lo selects the remappable format (bit 4, Interrupt Format). */
export function isRemappable(address_lo: number): boolean {
  return (address_lo & 0x10) !== 0;
}

/** Handle (IRTE index base) of a remappable-format address. */
export function remappableHandle(address_lo: number): number {
  return ((address_lo >>> 5) & 0x7fff) | (((address_lo >>> 2) & 1) << 15);
}
