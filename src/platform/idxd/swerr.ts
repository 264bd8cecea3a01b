/**
 * SWERR (0xc0, 4 qwords): the first error that could not be reported in a completion record.
 * A second error while `valid` is set only sets `overflow`. Each recorded error sets
 * INTCAUSE.err and, with GENCTRL.softerr_int_en, interrupts on MSI-X entry 0.
 * Layout: drivers/dma/idxd/registers.h union sw_err_reg.
 */
import type { ConfigView } from './config-view';
import { IDXD_GENCTRL_SOFTERR_INT_EN, IDXD_INTC_ERR, IDXD_SWERR_OFFSET } from './consts';
import type { IdxdInterrupts } from './interrupts';
import type { RegisterFile } from './regfile';

export interface SwErrInfo {
  /** Completion status or SWERR_CODE value. */
  readonly error: number;
  readonly wq?: number;
  /** The failing descriptor, when there is one. */
  readonly desc?: { readonly opcode: number; readonly pasid: number; readonly priv: boolean };
  readonly batchIdx?: number;
  readonly invalidFlags?: number;
  readonly faultAddr?: number;
}

const VALID = 1;
const OVERFLOW = 2;

export class SwErr {
  constructor(
    private readonly regs: RegisterFile,
    private readonly cfg: ConfigView,
    private readonly intr: IdxdInterrupts,
  ) {}

  /** True while an error is recorded and not yet acknowledged. */
  get valid(): boolean {
    return (this.regs.hw32(IDXD_SWERR_OFFSET) & VALID) !== 0;
  }

  /**
   * Records `e` (or the overflow bit) and raises the error interrupt cause: INTCAUSE.err and,
   * with GENCTRL.softerr_int_en and `signal`, a message on MSI-X entry 0 (a caller that sends
   * one message for several causes passes `signal` false).
   */
  record(e: SwErrInfo, signal = true): void {
    const q0 = this.regs.hw32(IDXD_SWERR_OFFSET);
    if ((q0 & VALID) !== 0) {
      this.regs.setHw32(IDXD_SWERR_OFFSET, q0 | OVERFLOW);
    } else {
      const d = e.desc;
      let lo = VALID | ((e.error & 0xff) << 8);
      let hi = 0;
      if (e.wq !== undefined) lo |= (1 << 3) | ((e.wq & 0xff) << 16);
      if (e.batchIdx !== undefined) lo |= 1 << 4;
      if (d !== undefined) {
        lo |= (1 << 2) | (d.priv ? 1 << 6 : 0);
        hi = (d.opcode & 0xff) | ((d.pasid & 0xfffff) << 8);
      }
      const fault = e.faultAddr ?? 0;
      this.write(0, lo, hi);
      this.write(1, e.batchIdx ?? 0, e.invalidFlags ?? 0);
      this.write(2, fault % 0x1_0000_0000, Math.floor(fault / 0x1_0000_0000));
      this.write(3, 0, 0);
    }
    this.intr.cause(IDXD_INTC_ERR, signal && this.interruptEnabled);
  }

  /** GENCTRL.softerr_int_en. */
  get interruptEnabled(): boolean {
    return (this.cfg.genctrl & IDXD_GENCTRL_SOFTERR_INT_EN) !== 0;
  }

  private write(qword: number, lo: number, hi: number): void {
    this.regs.setHw32(IDXD_SWERR_OFFSET + qword * 8, lo >>> 0);
    this.regs.setHw32(IDXD_SWERR_OFFSET + qword * 8 + 4, hi >>> 0);
  }
}
