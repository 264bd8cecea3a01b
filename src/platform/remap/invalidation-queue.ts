/**
 * The queued invalidation interface of a VT-d unit, the hardware side (VT-d spec §6.5.2; the
 * Invalidation Queue registers, by name since revisions number them differently: IQH 0x80,
 * IQT 0x88, IQA 0x90, ICS 0x9c, IECTL 0xa0).
 *
 * Software writes 128-bit descriptors into a queue in memory (IQA: base [63:12], DW bit 11,
 * QS [2:0] → 2^(QS+8) descriptors) and moves the tail (IQT [18:4]); hardware fetches from the
 * head (IQH [18:4]) up to the tail and executes each descriptor in order. The head advances past
 * a descriptor only when it was fetched and found valid; an invalid one sets FSTS.IQE and stops
 * the queue with IQH pointing at it until software clears IQE (RW1C) and writes the tail again.
 * IQH reads 0 whenever queued invalidation is disabled (GSTS.QIES clear).
 *
 * Descriptors (type = bits 3:0 | bits 11:9 << 4), with QEMU's reserved-bit masks
 * (hw/i386/intel_iommu_internal.h):
 * - 0x4 Interrupt Entry Cache Invalidate: G bit 4 (0 global, 1 index-selective), IM [31:27],
 *   IIDX [47:32]; reserved 0xffff_0000_07ff_f1e0, high qword all reserved;
 * - 0x5 Invalidation Wait: IF bit 4, SW bit 5, FN bit 6, status data [63:32], status address
 *   in the high qword (bits 1:0 reserved); reserved low 0xffff_f180. SW writes the status dword;
 *   IF sets ICS.IWC (the completion event message itself is not modelled). A wait with
 *   neither is refused, as QEMU refuses it;
 * - 0x1 context-cache, 0x2 IOTLB, 0x3 device-TLB: checked for reserved bits and accepted; the
 *   unit models interrupt remapping only, so they have nothing to invalidate;
 * - anything else (the PASID-based descriptors need 256-bit descriptors, DW = 1, which a unit
 *   without scalable mode does not support): invalid → IQE.
 *
 * Processing is synchronous with the tail write (QEMU vtd_handle_iqt_write does the same): by
 * the time the write returns, every descriptor up to the tail has run.
 */
import { hex } from '../bits';
import type { PhysMemory } from '../memory';
import type { InterruptEntryCache } from './iec';

export const QI_TYPE_CC = 0x1;
export const QI_TYPE_IOTLB = 0x2;
export const QI_TYPE_DEV_IOTLB = 0x3;
export const QI_TYPE_IEC = 0x4;
export const QI_TYPE_WAIT = 0x5;

/** QI_IEC_SELECTIVE: index-selective granularity (bit 4). */
export const QI_IEC_SELECTIVE = 1n << 4n;
/** QI_IWD_STATUS_WRITE (bit 5) and QI_IWD_INTERRUPT (IF, bit 4) of a wait descriptor. */
export const QI_IWD_STATUS_WRITE = 1n << 5n;
export const QI_IWD_INTERRUPT = 1n << 4n;

/** QEMU's VTD_INV_DESC_*_RSVD masks, [low, high]. */
const RSVD: Readonly<Record<number, readonly [bigint, bigint]>> = {
  [QI_TYPE_CC]: [0xfffc_0000_0000_f1c0n, 0xffff_ffff_ffff_ffffn],
  [QI_TYPE_IOTLB]: [0xffff_ffff_0000_f100n, 0xf80n],
  [QI_TYPE_DEV_IOTLB]: [0xffff_0000_ffe0_f1f0n, 0xffen],
  [QI_TYPE_IEC]: [0xffff_0000_07ff_f1e0n, 0xffff_ffff_ffff_ffffn],
  [QI_TYPE_WAIT]: [0xffff_f180n, 0x3n],
};

const DESC_NAMES: Readonly<Record<number, string>> = {
  [QI_TYPE_CC]: 'context-cache invalidate',
  [QI_TYPE_IOTLB]: 'IOTLB invalidate',
  [QI_TYPE_DEV_IOTLB]: 'device-TLB invalidate',
  [QI_TYPE_IEC]: 'interrupt entry cache invalidate',
  [QI_TYPE_WAIT]: 'invalidation wait',
};

/** ICS.IWC: invalidation wait descriptor complete (RW1C). */
export const ICS_IWC = 1;
/** IECTL.IM (bit 31, mask) and IP (bit 30, pending). */
export const IECTL_IM = 0x80000000;
export const IECTL_IP = 0x40000000;

/** The descriptor type of a low qword: bits 3:0, and bits 11:9 as bits 6:4. */
export function qiDescType(lo: bigint): number {
  return Number((lo & 0xfn) | ((lo >> 5n) & 0x70n));
}

/** One executed descriptor, for the views' log. */
export interface QiLogEntry {
  t: number;
  index: number;
  lo: bigint;
  hi: bigint;
  /** What it did, e.g. `IEC invalidate index 0x5 (1 entry, 1 cached dropped)`. */
  text: string;
}

export class InvalidationQueue {
  /** IQA as written (base, DW, QS). */
  iqa = 0n;
  /** Queue latched at enable: base address and number of 128-bit descriptors. */
  private base = 0;
  private size = 256;
  /** Head and tail as descriptor indices. */
  head = 0;
  tail = 0;
  enabled = false;
  ics = 0;
  iectl = IECTL_IM;
  iedata = 0;
  ieaddr = 0;
  ieuaddr = 0;
  /** The last descriptors executed, newest last (at most 64). */
  readonly log: QiLogEntry[] = [];

  /**
   * @param memory where the queue and status addresses live
   * @param iec the unit's interrupt entry cache
   * @param now simulated time, for the log
   * @param iqe sets and tests FSTS.IQE (the unit owns FSTS)
   * @param anomaly reports a software error hardware handles silently
   */
  constructor(
    private readonly memory: PhysMemory,
    private readonly iec: InterruptEntryCache,
    private readonly now: () => number,
    private readonly iqe: { set: () => void; isSet: () => boolean },
    private readonly anomaly: (text: string) => void,
  ) {}

  /** IQH as software reads it: QH in bits 18:4, 0 while disabled. */
  get iqh(): bigint {
    return this.enabled ? BigInt(this.head) << 4n : 0n;
  }

  /** Queue length in 128-bit descriptors, as latched when queued invalidation was enabled. */
  get length(): number {
    return this.size;
  }

  /** IQT as software reads it. */
  get iqt(): bigint {
    return BigInt(this.tail) << 4n;
  }

  /** IQA write (64-bit). DW (bit 11) needs scalable mode, which the unit lacks: it reads 0. */
  writeIqa(v: bigint): void {
    this.iqa = v & ~0xff8n;
  }

  /** GCMD.QIE: 1 latches IQA and enables; 0 disables (only with an empty queue) and resets IQH. */
  setEnabled(on: boolean): boolean {
    if (on === this.enabled) return on;
    if (on) {
      this.base = Number(this.iqa & ~0xfffn);
      this.size = 2 ** (Number(this.iqa & 7n) + 8);
      this.enabled = true;
      if (this.tail !== this.head) this.process();
      return true;
    }
    if (this.head !== this.tail) {
      this.anomaly(
        `queued invalidation disabled with descriptors pending (IQH ${this.head}, IQT ${this.tail}): ` +
          `software must wait until the queue is empty (VT-d §6.5.2)`,
      );
    }
    this.enabled = false;
    this.head = 0;
    return false;
  }

  /** IQT write: the new tail; with QI enabled and IQE clear, the queue runs up to it. */
  writeIqt(v: bigint): void {
    this.tail = Number((v >> 4n) & 0x7fffn);
    if (this.enabled && !this.iqe.isSet()) this.process();
  }

  /** ICS write: IWC is RW1C; clearing it clears IECTL.IP. */
  writeIcs(v: number): void {
    if ((v & ICS_IWC) !== 0) this.ics &= ~ICS_IWC;
    if ((this.ics & ICS_IWC) === 0) this.iectl &= ~IECTL_IP;
  }

  private process(): void {
    if (this.tail >= this.size) {
      this.anomaly(`IQT ${this.tail} is beyond the queue of ${this.size} descriptors: IQE`);
      this.iqe.set();
      return;
    }
    while (this.head !== this.tail) {
      const a = this.base + this.head * 16;
      const lo = this.memory.read64(a);
      const hi = this.memory.read64(a + 8);
      const text = this.execute(lo, hi);
      if (text === null) {
        this.iqe.set();
        return;
      }
      this.log.push({ t: this.now(), index: this.head, lo, hi, text });
      if (this.log.length > 64) this.log.shift();
      this.head = (this.head + 1) % this.size;
    }
  }

  /** Runs one descriptor; returns what it did, or null when it is invalid (IQE). */
  private execute(lo: bigint, hi: bigint): string | null {
    const type = qiDescType(lo);
    const rsvd = RSVD[type];
    const name = DESC_NAMES[type];
    if (rsvd === undefined || name === undefined) {
      this.anomaly(
        `invalidation queue: descriptor ${this.head} has type ${hex(type)}, which a unit with ` +
          `128-bit descriptors does not support (lo ${hex(lo, 16)}): IQE`,
      );
      return null;
    }
    if ((lo & rsvd[0]) !== 0n || (hi & rsvd[1]) !== 0n) {
      this.anomaly(
        `invalidation queue: ${name} descriptor ${this.head} sets reserved bits ` +
          `(lo ${hex(lo, 16)}, hi ${hex(hi, 16)}): IQE`,
      );
      return null;
    }
    switch (type) {
      case QI_TYPE_IEC: {
        if ((lo & QI_IEC_SELECTIVE) === 0n) {
          const n = this.iec.invalidateAll();
          return `IEC invalidate, global (${n} cached dropped)`;
        }
        const index = Number((lo >> 32n) & 0xffffn);
        const im = Number((lo >> 27n) & 0x1fn);
        const n = this.iec.invalidate(index, im);
        return `IEC invalidate index ${hex(index)} (${2 ** im} entr${im ? 'ies' : 'y'}, ${n} cached dropped)`;
      }
      case QI_TYPE_WAIT: {
        const sw = (lo & QI_IWD_STATUS_WRITE) !== 0n;
        const iflag = (lo & QI_IWD_INTERRUPT) !== 0n;
        if (!sw && !iflag) {
          this.anomaly(
            `invalidation queue: wait descriptor ${this.head} has neither SW nor IF set: IQE`,
          );
          return null;
        }
        const parts: string[] = [];
        if (sw) {
          const data = Number(lo >> 32n);
          const addr = Number(hi & ~3n);
          try {
            this.memory.write32(addr, data);
          } catch (e) {
            this.anomaly(
              `invalidation wait: status write to ${hex(addr)} failed (${(e as Error).message})`,
            );
          }
          parts.push(`status ${hex(data)} written to ${hex(addr)}`);
        }
        if (iflag) {
          // IWC set; the completion event is held pending (IP) while IECTL.IM masks it, and its
          // message (IEADDR/IEDATA) is not modelled when unmasked.
          this.ics |= ICS_IWC;
          if ((this.iectl & IECTL_IM) !== 0) this.iectl |= IECTL_IP;
          parts.push('ICS.IWC set (the invalidation completion event message is not modelled)');
        }
        return `wait: ${parts.join('; ')}`;
      }
      default:
        return `${name} (no DMA remapping is modelled: nothing cached)`;
    }
  }
}
