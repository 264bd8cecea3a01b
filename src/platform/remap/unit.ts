/**
 * One VT-d DMA-remapping hardware unit, as far as interrupt remapping goes: its registers, the IR
 * table it reads from memory at IRTA, the interrupt entry cache, the invalidation queue,
 * translation of interrupt requests and fault recording.
 *
 * Register offsets and bits: VT-d spec §11.4 (QEMU hw/i386/intel_iommu_internal.h): CAP 0x08,
 * ECAP 0x10, GCMD 0x18, GSTS 0x1c, FSTS 0x34, FECTL 0x38, FEDATA 0x3c, FEADDR 0x40, IQH 0x80,
 * IQT 0x88, IQA 0x90, ICS 0x9c, IECTL 0xa0, IRTA 0xb8, fault recording registers at CAP.FRO × 16
 * (0x220 here, as QEMU).
 *
 * Translation checks, in this order: address_hi ≠ 0 → 0x20; compatibility format → passed
 * through if GSTS.CFIS, else 0x25; data[31:16] ≠ 0 with SHV → 0x20; index beyond 2^(S+1) → 0x21;
 * P clear → 0x22; reserved bits (SVT = 3 among them) → 0x24; source-id check (SVT/SQ) → 0x26. A
 * fault whose IRTE has FPD set is not recorded (0x22, 0x24, 0x26: the faults found after reading
 * the IRTE). The order is the VT-d spec's: the request is decoded in its remappable format
 * (§5.1.2 — address and data fields, the interrupt index they form) before the IRTE it names is
 * fetched and checked (§5.1.4's fault conditions: the request's reserved fields, 0x20, and the
 * index, 0x21, are faults of the request; 0x22–0x26 of the entry), and SVT = 3 is a reserved
 * encoding of the IRTE (§9.10). QEMU's vtd_interrupt_remap_msi differs in two places: it checks
 * data[31:16] only after vtd_remap_irq_get has read and checked the IRTE, so a request with a
 * bad data field and a bad IRTE faults with the IRTE's reason there and with 0x20 here; and its
 * vtd_irte_get takes SVT = 3 as a source-id verification failure, 0x26, where this unit reports
 * a reserved field, 0x24 (UNCERTAIN which one hardware reports).
 *
 * Interrupt entry cache (iec.ts): the IRTE is taken from the cache when it holds the index,
 * else read from the table and — if present and free of reserved bits (CAP.CM = 0) — cached. A
 * change software makes to the table is therefore seen only after it invalidates the entry
 * through the invalidation queue (invalidation-queue.ts), as Linux's modify_irte() does with
 * qi_flush_iec(). SIRTP does not invalidate the cache (CAP.ESIRTPS = 0): software follows it
 * with a global invalidation (iommu_set_irq_remapping: qi_global_iec).
 *
 * Fault recording (VT-d Primary Fault Logging, §7.2.1 in the 3.x revisions; FSTS §11.4.9, FRCD
 * §11.4.14; QEMU vtd_report_frcd_fault): a fault goes to the next
 * fault recording register in turn; FSTS.PPF is the OR of the records' F bits; FSTS.FRI names
 * the record of the first pending fault (set when PPF was clear); a full next record sets
 * FSTS.PFO, and while PFO is set nothing is recorded until software clears it (RW1C).
 *
 * Fault event (VT-d "Non-Recoverable Fault Event" in the Address Translation Faults chapter, and
 * the Fault Event Control/Data/Address/Upper Address registers FECTL 0x38, FEDATA 0x3c, FEADDR
 * 0x40, FEUADDR 0x44, §11.4.10–§11.4.13; QEMU vtd_generate_fault_event): an interrupt condition
 * is FSTS.PPF set by a recorded fault, PFO set by an overflow, or IQE set by the invalidation
 * queue — but only when none of PPF, PFO and IQE was set before ("not treated as a new
 * interrupt condition"). The condition sets FECTL.IP; with FECTL.IM clear the unit sends the
 * message FEADDR/FEUADDR/FEDATA at once and clears IP, with IM set (its reset value) the message
 * is held until software clears IM, or dropped when software services every status bit (PPF,
 * PFO, IQE all clear) first, which also clears IP. The message is the unit's own: it goes
 * straight to the APIC in compatibility format, never through interrupt remapping (VT-d §5.1.6
 * "Remapping Hardware Event Interrupt Programming"), and is traced like any MSI with source
 * `dmar` (see `attachEventBus`). ICE and ITE are never set here (no device-TLB, no time-outs).
 */
import type { InterruptBus, MessageOrigin } from '../bus';
import { PAGE_SIZE, type MmioDevice, type PhysMemory } from '../memory';
import {
  FR_IR_ENTRY_P,
  FR_IR_INDEX_OVER,
  FR_IR_IRTE_RSVD,
  FR_IR_REQ_COMPAT,
  FR_IR_REQ_RSVD,
  FR_IR_SID_ERR,
  type IrFault,
} from './faults';
import { InterruptEntryCache } from './iec';
import { InvalidationQueue } from './invalidation-queue';
import { irteFromWords, irteReservedBits, SQ_MASK } from './irte';

export const DMAR_VER = 0x00;
export const DMAR_CAP = 0x08;
export const DMAR_ECAP = 0x10;
export const DMAR_GCMD = 0x18;
export const DMAR_GSTS = 0x1c;
export const DMAR_FSTS = 0x34;
export const DMAR_FECTL = 0x38;
export const DMAR_FEDATA = 0x3c;
export const DMAR_FEADDR = 0x40;
export const DMAR_FEUADDR = 0x44;
export const DMAR_IQH = 0x80;
export const DMAR_IQT = 0x88;
export const DMAR_IQA = 0x90;
export const DMAR_ICS = 0x9c;
export const DMAR_IECTL = 0xa0;
export const DMAR_IEDATA = 0xa4;
export const DMAR_IEADDR = 0xa8;
export const DMAR_IEUADDR = 0xac;
export const DMAR_IRTA = 0xb8;
export const DMAR_FRCD = 0x220;
export const DMAR_MMIO_SIZE = 0x1000;

export const GCMD_QIE = 1 << 26;
export const GCMD_IRE = 1 << 25;
export const GCMD_SIRTP = 1 << 24;
export const GCMD_CFI = 1 << 23;
/** GSTS bits have the same positions: QIES, IRES, IRTPS, CFIS. */
export const GSTS_QIES = GCMD_QIE;
export const GSTS_IRES = GCMD_IRE;
export const GSTS_IRTPS = GCMD_SIRTP;
export const GSTS_CFIS = GCMD_CFI;
export const IRTA_EIME = 1n << 11n;
export const FSTS_PFO = 1 << 0;
export const FSTS_PPF = 1 << 1;
/** FSTS.IQE: invalidation queue error (RW1C); ICE and ITE (completion / time-out errors). */
export const FSTS_IQE = 1 << 4;
export const FSTS_ICE = 1 << 5;
export const FSTS_ITE = 1 << 6;
/** CAP.PI (bit 59): Posted Interrupt Support. */
export const CAP_PI = 1n << 59n;
/** FSTS.PRO (bit 7): page request overflow; never set here (no page requests). */
export const FSTS_PRO = 1 << 7;
/** FECTL.IM (bit 31, RW, reset 1): the fault event message is masked. */
export const FECTL_IM = 0x80000000;
/** FECTL.IP (bit 30, RO): a fault event message is pending. */
export const FECTL_IP = 0x40000000;
/** The FSTS fields whose setting is a fault event's interrupt condition. */
const FSTS_EVENT = FSTS_PFO | FSTS_PPF | FSTS_IQE;

/** Number of fault recording registers (CAP.NFR + 1). */
export const NUM_FRCD = 8;

/** Result codes of `translate`. */
export const Xlate = {
  /** Translated: see `out`. */
  Remapped: 0,
  /** IR disabled or CFI: compatibility-format message passed through; decode it yourself. */
  PassThrough: 1,
  /** Blocked with a fault: see `out.fault`. */
  Fault: 2,
  /**
   * Posted-format IRTE (see `out`) on a unit with posted-interrupt support (`postedInterrupts`):
   * delivery through the posted-interrupt descriptor is not modelled. Without that support the
   * entry's IM bit is reserved and the request faults with 0x24 instead.
   */
  Posted: 3,
} as const;
export type Xlate = (typeof Xlate)[keyof typeof Xlate];

/** Reused output of `translate` (no allocation per request). */
export interface XlateOut {
  index: number;
  vector: number;
  dst: number;
  dm: number;
  dlm: number;
  tm: number;
  fault: number;
  recorded: boolean;
  /** The IRTE came from the interrupt entry cache. */
  cached: boolean;
  /** …and the table in memory holds something else (software changed it without invalidating). */
  stale: boolean;
}

export class IrUnit implements MmioDevice {
  private gsts = 0;
  private irta = 0n;
  /** The IR table latched by SIRTP, decoded once (translation reads these on every request). */
  private tableBase = 0;
  private tableEntries = 2;
  private x2apic = false;
  private fsts = 0;
  private fectl = FECTL_IM;
  private fedata = 0;
  private feaddr = 0;
  private feuaddr = 0;
  private readonly frcd = new BigUint64Array(NUM_FRCD * 2);
  /** The hardware's internal index of the next fault recording register to use. */
  private nextRecord = 0;
  /** Every fault seen, newest last (the debugger's fault log; FRCD holds what hardware keeps). */
  readonly faultLog: IrFault[] = [];
  readonly out: XlateOut = {
    index: -1,
    vector: 0,
    dst: 0,
    dm: 0,
    dlm: 0,
    tm: 0,
    fault: 0,
    recorded: false,
    cached: false,
    stale: false,
  };
  /** The interrupt entry cache. */
  readonly iec = new InterruptEntryCache();
  /** The queued invalidation interface. */
  readonly qi: InvalidationQueue;
  /** Reports what hardware handles silently (a bad invalidation descriptor…). */
  onAnomaly: ((text: string) => void) | undefined;
  /**
   * Called after a fault is recorded in FRCD. Not hardware: a machine without the fault-event
   * interrupt (`attachEventBus` not called) runs Linux's dmar_fault() from here directly.
   */
  onFault: ((f: IrFault) => void) | undefined;
  /** Where the fault event message goes (null: nowhere — the event only sets FECTL.IP). */
  private bus: InterruptBus | null = null;
  private origin: MessageOrigin | null = null;
  /** Trace id of the fault event message held while FECTL.IM is set, or 0. */
  private heldEvent = 0;

  /**
   * @param seq DMAR unit sequence id (the `n` of `INTEL-IR-n`)
   * @param memory where the IR table lives
   * @param now simulated time source, for the fault log
   * @param postedInterrupts CAP.PI (bit 59): the unit supports interrupt posting. Default false,
   *   as the machine builds its units: an IRTE in posted format (IM = 1) is then a reserved-field
   *   fault (0x24). With it, such an entry is decoded and checked, and the message is dropped as
   *   not modelled (no posted-interrupt descriptor is written).
   */
  constructor(
    readonly seq: number,
    private readonly memory: PhysMemory,
    private readonly now: () => number,
    readonly postedInterrupts = false,
  ) {
    this.qi = new InvalidationQueue(
      memory,
      this.iec,
      now,
      {
        set: () => {
          const before = this.fstsValue();
          this.fsts |= FSTS_IQE;
          this.faultEvent(before);
          this.sendDueEvent();
        },
        isSet: () => (this.fsts & FSTS_IQE) !== 0,
      },
      (text) => this.onAnomaly?.(`dmar${seq}: ${text}`),
    );
  }

  /** IR enabled (GSTS.IRES). */
  get enabled(): boolean {
    return (this.gsts & GSTS_IRES) !== 0;
  }

  /** Extended interrupt mode (x2APIC 32-bit destinations). */
  get eime(): boolean {
    return this.x2apic;
  }

  /** Physical address of the active IR table. */
  get tableAddress(): number {
    return this.tableBase;
  }

  /** Number of entries of the active IR table: 2^(S+1). */
  get tableSize(): number {
    return this.tableEntries;
  }

  /**
   * IRTE `index` of the table in memory as a 128-bit value, read without side effects (for views
   * and the debugger: no data breakpoint sees it).
   */
  readIrte(index: number): bigint {
    const a = this.tableAddress + index * 16;
    const m = this.memory;
    return irteFromWords(m.peek32(a), m.peek32(a + 4), m.peek32(a + 8), m.peek32(a + 12));
  }

  /**
   * Writes IRTE `index` in the table in memory (low qword first, as Linux modify_irte does). The
   * interrupt entry cache is not touched: invalidate through the queue for the unit to see it.
   */
  writeIrte(index: number, value: bigint): void {
    const a = this.tableAddress + index * 16;
    this.memory.write64(a, value & 0xffffffffffffffffn);
    this.memory.write64(a + 8, value >> 64n);
  }

  /**
   * Translates an interrupt request (a DMA write into the 0xFEEx_xxxx window) from requester
   * `sid`. Fills `this.out`; returns an `Xlate` code. Never throws.
   */
  translate(
    address_lo: number,
    address_hi: number,
    data: number,
    sid: number,
    messageId: number,
  ): Xlate {
    const out = this.out;
    out.index = -1;
    out.cached = false;
    out.stale = false;
    if (!this.enabled) return Xlate.PassThrough;
    const shv = (address_lo & 0x8) !== 0;
    const remappable = (address_lo & 0x10) !== 0;
    const handle = ((address_lo >>> 5) & 0x7fff) | (((address_lo >>> 2) & 1) << 15);
    const index = shv ? handle + (data & 0xffff) : handle;
    if (address_hi !== 0) {
      out.index = remappable ? index : -1;
      return this.fault(FR_IR_REQ_RSVD, sid, out.index, false, messageId);
    }
    if (!remappable) {
      if ((this.gsts & GSTS_CFIS) !== 0 && !this.eime) return Xlate.PassThrough;
      return this.fault(FR_IR_REQ_COMPAT, sid, -1, false, messageId);
    }
    out.index = index;
    if (shv && data >>> 16 !== 0) return this.fault(FR_IR_REQ_RSVD, sid, index, false, messageId);
    if (index >= this.tableSize) return this.fault(FR_IR_INDEX_OVER, sid, index, false, messageId);
    const a = this.tableAddress + index * 16;
    const m = this.memory;
    const c = this.iec.lookup(index);
    let w0: number, w1: number, w2: number, w3: number;
    if (c !== undefined) {
      w0 = c[0]!;
      w1 = c[1]!;
      w2 = c[2]!;
      w3 = c[3]!;
      out.cached = true;
      // Hardware does not read the table on a hit; the debugger peeks (no side effects, no data
      // breakpoint) to say when the cached entry is stale.
      out.stale = tableDiffers(m, a, w0, w1, w2, w3);
    } else {
      w0 = m.read32(a);
      w1 = m.read32(a + 4);
      w2 = m.read32(a + 8);
      w3 = m.read32(a + 12);
    }
    const fpd = (w0 & 2) !== 0;
    if ((w0 & 1) === 0) return this.fault(FR_IR_ENTRY_P, sid, index, fpd, messageId);
    if (irteReservedBits(w0, w1, w2, w3, this.eime, this.postedInterrupts))
      return this.fault(FR_IR_IRTE_RSVD, sid, index, fpd, messageId);
    // A present entry without reserved bits is cached (CAP.CM = 0: not the others).
    if (c === undefined) this.iec.fill(index, w0, w1, w2, w3);
    const svt = (w2 >>> 18) & 3;
    const irteSid = w2 & 0xffff;
    if (svt === 1) {
      const mask = SQ_MASK[(w2 >>> 16) & 3]!;
      if ((sid & mask) !== (irteSid & mask))
        return this.fault(FR_IR_SID_ERR, sid, index, fpd, messageId);
    } else if (svt === 2) {
      const bus = sid >>> 8;
      if (bus < irteSid >>> 8 || bus > (irteSid & 0xff))
        return this.fault(FR_IR_SID_ERR, sid, index, fpd, messageId);
    }
    if ((w0 & 0x8000) !== 0) return Xlate.Posted;
    out.vector = (w0 >>> 16) & 0xff;
    out.dst = this.eime ? w1 >>> 0 : (w1 >>> 8) & 0xff;
    out.dm = (w0 >>> 2) & 1;
    out.tm = (w0 >>> 4) & 1;
    out.dlm = (w0 >>> 5) & 7;
    return Xlate.Remapped;
  }

  private fault(
    reason: number,
    sid: number,
    index: number,
    fpd: boolean,
    messageId: number,
  ): Xlate {
    const out = this.out;
    out.fault = reason;
    const f: IrFault = { t: this.now(), reason, sid, index, recorded: false, messageId };
    const before = this.fstsValue();
    if (fpd) {
      f.note = 'not recorded: FPD is set in the IRTE';
    } else if ((this.fsts & FSTS_PFO) !== 0) {
      f.note = 'not recorded: FSTS.PFO is set (an overflow software has not cleared yet)';
    } else {
      const i = this.nextRecord;
      if (this.frcd[i * 2 + 1]! >> 63n !== 0n) {
        this.fsts |= FSTS_PFO;
        f.note = 'not recorded: fault recording register overflow (FSTS.PFO)';
        this.faultEvent(before);
      } else {
        // FRI names the first pending fault's record: set only when no fault was pending.
        if (!this.faultPending()) this.fsts = (this.fsts & ~0xff00) | (i << 8);
        // FRCD low: FI[63:12], interrupt index in bits 63:48 for IR faults; high: SID [15:0],
        // FR [39:32], T bit 62, F bit 63 (VT-d §11.4.14).
        this.frcd[i * 2] = BigInt(index < 0 ? 0 : index) << 48n;
        this.frcd[i * 2 + 1] = (1n << 63n) | (BigInt(reason) << 32n) | BigInt(sid & 0xffff);
        this.nextRecord = (i + 1) % NUM_FRCD;
        f.recorded = true;
      }
    }
    out.recorded = f.recorded;
    this.faultLog.push(f);
    if (f.recorded) {
      this.faultEvent(before);
      this.onFault?.(f);
    }
    return Xlate.Fault;
  }

  /** FSTS as software reads it (PPF computed from the records). */
  private fstsValue(): number {
    return this.fsts | (this.faultPending() ? FSTS_PPF : 0);
  }

  /**
   * Connects the unit's fault event to the message fabric: from now on an unmasked event sends
   * FEADDR/FEUADDR/FEDATA as a message from `origin` (the fabric's `eventOrigin`, source
   * `dmar`), a masked one is raised and held pending. Without it the event only sets FECTL.IP.
   */
  attachEventBus(bus: InterruptBus, origin: MessageOrigin): void {
    this.bus = bus;
    this.origin = origin;
  }

  /**
   * A new interrupt condition, given FSTS `before` it was set: nothing if PPF, PFO or IQE was
   * already set; else IP, and the message goes out now (IM clear) or is held (IM set). A fault
   * found by `translate` sends its event only at `sendDueEvent` (the fabric calls it after
   * recording the faulted request), so the trace shows the fault before its event.
   */
  private faultEvent(before: number): void {
    if ((before & FSTS_EVENT) !== 0) return;
    this.fectl |= FECTL_IP;
    if (this.bus === null) return;
    if (this.heldEvent === 0) {
      this.heldEvent = this.bus.raise(this.origin!, null);
      if ((this.fectl & FECTL_IM) !== 0) this.bus.pend(this.heldEvent);
    }
    if ((this.fectl & FECTL_IM) === 0) this.eventDue = true;
  }

  private eventDue = false;

  /** Trace id of the fault event message held pending (FECTL.IM set), or null. For views and audits. */
  get heldFaultEvent(): number | null {
    return this.heldEvent === 0 ? null : this.heldEvent;
  }

  /** FECTL.IM: the fault event message is masked. */
  get faultEventMasked(): boolean {
    return (this.fectl & FECTL_IM) !== 0;
  }

  /**
   * Sends the fault event message a condition made due while FECTL.IM was clear (see
   * `faultEvent`). Called by the fabric after it recorded the faulted request; the unit calls it
   * itself for conditions outside a translation (an invalidation queue error).
   */
  sendDueEvent(): void {
    if (!this.eventDue) return;
    this.eventDue = false;
    this.sendHeld();
  }

  /** Sends the held message with the current FEADDR/FEUADDR/FEDATA and clears IP. */
  private sendHeld(): void {
    const id = this.heldEvent;
    if (id === 0 || this.bus === null) return;
    this.heldEvent = 0;
    this.fectl &= ~FECTL_IP;
    // FEUADDR holds destination ID bits 31:8 in x2APIC mode (ECAP.EIM = 1, as here).
    this.bus.send(id, this.feaddr, this.feuaddr, this.fedata);
  }

  /** Software cleared FSTS bits: with no condition left, IP clears and a held message is gone. */
  private serviced(): void {
    if ((this.fstsValue() & FSTS_EVENT) !== 0 || (this.fectl & FECTL_IP) === 0) return;
    this.fectl &= ~FECTL_IP;
    this.eventDue = false;
    const id = this.heldEvent;
    this.heldEvent = 0;
    if (id !== 0)
      this.bus?.drop(
        id,
        `dmar${this.seq}: software serviced every fault status (FSTS PPF, PFO and IQE clear) ` +
          `while FECTL.IM masked the fault event; hardware clears FECTL.IP and sends nothing`,
      );
  }

  /** FSTS.PPF: some fault recording register has F set. */
  private faultPending(): boolean {
    for (let i = 0; i < NUM_FRCD; i++) if (this.frcd[i * 2 + 1]! >> 63n !== 0n) return true;
    return false;
  }

  /** Fault recording register `i` as [low, high] qwords. */
  faultRecord(i: number): [bigint, bigint] {
    return [this.frcd[i * 2]!, this.frcd[i * 2 + 1]!];
  }

  // ---- MMIO ----

  read32(offset: number): number {
    return this.peek32(offset);
  }

  peek32(offset: number): number {
    if (offset >= DMAR_FRCD && offset < DMAR_FRCD + NUM_FRCD * 16) {
      const q = this.frcd[(offset - DMAR_FRCD) >> 3]!;
      return Number((offset & 4 ? q >> 32n : q) & 0xffffffffn);
    }
    switch (offset) {
      case DMAR_VER:
        return 0x10;
      case DMAR_CAP:
      case DMAR_CAP + 4:
      case DMAR_ECAP:
      case DMAR_ECAP + 4:
      case DMAR_IRTA:
      case DMAR_IRTA + 4:
      case DMAR_IQH:
      case DMAR_IQH + 4:
      case DMAR_IQT:
      case DMAR_IQT + 4:
      case DMAR_IQA:
      case DMAR_IQA + 4: {
        const q = this.read64(offset & ~7);
        return Number((offset & 4 ? q >> 32n : q) & 0xffffffffn);
      }
      case DMAR_GSTS:
        return this.gsts >>> 0;
      case DMAR_FSTS:
        return this.fstsValue();
      case DMAR_FECTL:
        return this.fectl >>> 0;
      case DMAR_FEDATA:
        return this.fedata;
      case DMAR_FEADDR:
        return this.feaddr;
      case DMAR_FEUADDR:
        return this.feuaddr;
      case DMAR_ICS:
        return this.qi.ics;
      case DMAR_IECTL:
        return this.qi.iectl >>> 0;
      case DMAR_IEDATA:
        return this.qi.iedata;
      case DMAR_IEADDR:
        return this.qi.ieaddr;
      case DMAR_IEUADDR:
        return this.qi.ieuaddr;
      default:
        return 0;
    }
  }

  write32(offset: number, value: number): void {
    if (offset >= DMAR_FRCD && offset < DMAR_FRCD + NUM_FRCD * 16) {
      // F (bit 127) is RW1C: write 1 to the top dword's bit 31 to clear the record.
      if ((offset & 0xf) === 0xc && (value & 0x80000000) !== 0) {
        const i = (offset - DMAR_FRCD) >> 4;
        this.frcd[i * 2 + 1] = this.frcd[i * 2 + 1]! & ~(1n << 63n);
        this.serviced();
      }
      return;
    }
    switch (offset) {
      case DMAR_GCMD:
        this.command(value >>> 0);
        return;
      case DMAR_FSTS:
        // PFO, IQE, ICE and ITE are RW1C; PPF follows the F bits.
        this.fsts &= ~(value & (FSTS_PFO | FSTS_IQE | FSTS_ICE | FSTS_ITE));
        this.serviced();
        return;
      case DMAR_FECTL:
        // IM is RW, IP read-only: clearing IM with IP set sends the held message.
        this.fectl = (this.fectl & FECTL_IP) | (value & FECTL_IM);
        if ((this.fectl & (FECTL_IM | FECTL_IP)) === FECTL_IP) this.sendHeld();
        return;
      case DMAR_FEDATA:
        this.fedata = value >>> 0;
        return;
      case DMAR_FEADDR:
        this.feaddr = value >>> 0;
        return;
      case DMAR_FEUADDR:
        this.feuaddr = value >>> 0;
        return;
      case DMAR_IRTA:
        this.irta = (this.irta & 0xffffffff00000000n) | BigInt(value >>> 0);
        return;
      case DMAR_IRTA + 4:
        this.irta = (this.irta & 0xffffffffn) | (BigInt(value >>> 0) << 32n);
        return;
      case DMAR_IQT:
        this.qi.writeIqt(BigInt(value >>> 0));
        return;
      case DMAR_IQA:
        this.qi.writeIqa((this.qi.iqa & 0xffffffff00000000n) | BigInt(value >>> 0));
        return;
      case DMAR_IQA + 4:
        this.qi.writeIqa((this.qi.iqa & 0xffffffffn) | (BigInt(value >>> 0) << 32n));
        return;
      case DMAR_ICS:
        this.qi.writeIcs(value);
        return;
      case DMAR_IECTL:
        this.qi.iectl = (this.qi.iectl & ~0x80000000) | (value & 0x80000000);
        return;
      case DMAR_IEDATA:
        this.qi.iedata = value >>> 0;
        return;
      case DMAR_IEADDR:
        this.qi.ieaddr = value >>> 0;
        return;
      case DMAR_IEUADDR:
        this.qi.ieuaddr = value >>> 0;
        return;
      default:
        return;
    }
  }

  read64(offset: number): bigint {
    switch (offset) {
      case DMAR_CAP:
        // NFR [47:40] = NUM_FRCD-1; FRO [33:24] = 0x220 / 16; PI (bit 59) as constructed.
        return (
          (BigInt(NUM_FRCD - 1) << 40n) |
          (BigInt(DMAR_FRCD >> 4) << 24n) |
          (this.postedInterrupts ? CAP_PI : 0n)
        );
      case DMAR_ECAP:
        // QI (bit 1), IR (bit 3), EIM (bit 4).
        return 0x1an;
      case DMAR_IRTA:
        return this.irta;
      case DMAR_IQH:
        return this.qi.iqh;
      case DMAR_IQT:
        return this.qi.iqt;
      case DMAR_IQA:
        return this.qi.iqa;
      default:
        return BigInt(this.read32(offset)) | (BigInt(this.read32(offset + 4)) << 32n);
    }
  }

  write64(offset: number, value: bigint): void {
    this.write32(offset, Number(value & 0xffffffffn));
    this.write32(offset + 4, Number(value >> 32n));
  }

  /**
   * GCMD (VT-d §11.4.4): software writes the whole enable state each time (Linux keeps it in
   * iommu->gcmd) plus at most one one-shot command; status reflects at once. SIRTP latches IRTA
   * and leaves the interrupt entry cache alone (CAP.ESIRTPS = 0).
   */
  private command(v: number): void {
    if ((v & GCMD_SIRTP) !== 0) {
      this.tableBase = Number(this.irta & ~0xfffn);
      this.tableEntries = 2 ** (Number(this.irta & 0xfn) + 1);
      this.x2apic = (this.irta & IRTA_EIME) !== 0n;
      this.gsts |= GSTS_IRTPS;
    }
    const qies = this.qi.setEnabled((v & GCMD_QIE) !== 0) ? GSTS_QIES : 0;
    this.gsts =
      (this.gsts & ~(GSTS_IRES | GSTS_CFIS | GSTS_QIES)) | (v & (GCMD_IRE | GCMD_CFI)) | qies;
  }
}

/**
 * Whether the 16-byte IRTE at `a` in memory holds other words than `w0..w3`, read without side
 * effects (as `peek32` reads them: from its RAM page in one lookup when it has one).
 */
function tableDiffers(
  m: PhysMemory,
  a: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
): boolean {
  const page = m.peekRamPage(a, 16);
  if (page !== null) {
    const o = a % PAGE_SIZE;
    return (
      page.getUint32(o, true) !== w0 ||
      page.getUint32(o + 4, true) !== w1 ||
      page.getUint32(o + 8, true) !== w2 ||
      page.getUint32(o + 12, true) !== w3
    );
  }
  return (
    m.peek32(a) !== w0 ||
    m.peek32(a + 4) !== w1 ||
    m.peek32(a + 8) !== w2 ||
    m.peek32(a + 12) !== w3
  );
}
