/**
 * The command unit: CMD (0xa0) writes, CMDSTS (0xa8) and command completion.
 *
 * A CMD write sets CMDSTS.active at once; the command runs `commandNs` later on the clock.
 * Drains (DISABLE_DEVICE, DRAIN_ALL, DISABLE_WQ, DRAIN_WQ, DRAIN_PASID) then wait until the
 * descriptors submitted before them have retired. Completion writes CMDSTS = err | result << 8
 * (active clear) and, when the command had int_req, sets INTCAUSE.cmd and interrupts on MSI-X
 * entry 0. A CMD write while a command is active is ignored and recorded in SWERR (CMD_REG).
 * A code the device does not support (see `supported`), or no command at all, fails with
 * INVAL_CMD.
 *
 * Wrong-state results (Linux enum idxd_cmdsts_err groups each code with its command; the state
 * checks follow Intel's virtual DSA, the idxd mdev series' vdev.c vidxd_do_command):
 *   any command while GENSTS.state = HALT       HW_ERR (0x03), except RESET_DEVICE when
 *                                               GENSTS.reset_type = SOFTWARE, which recovers
 *   ENABLE_DEVICE, device enabled               ERR_DEV_ENABLED (0x10)
 *   ENABLE_DEVICE, no bus master                ERR_BUSMASTER_EN (0x12); config: config-check.ts
 *   DISABLE_DEVICE, device disabled             ERR_DIS_DEV_EN (0x31)
 *   ENABLE_WQ                                   see config-check.ts (0x02, 0x20, 0x21, ...)
 *   DISABLE/DRAIN/ABORT/RESET_WQ                INVAL_WQIDX (0x02) for an empty mask or a WQ
 *                                               the device lacks; ERR_DEV_NOT_EN (0x32, later
 *                                               named ERR_WQ_NOT_EN) when a selected WQ is not
 *                                               enabled
 *   REQUEST_INT_HANDLE                          ERR_INVAL_INT_IDX (0x41), ERR_NO_HANDLE (0x42)
 *   RELEASE_INT_HANDLE                          ERR_INVAL_INT_IDX_RELEASE (0x43)
 *   DRAIN_ALL, ABORT_ALL, DRAIN_PASID, ABORT_PASID, RESET_DEVICE: no error codes of their own;
 *   they succeed in any state but HALT (nothing to drain is a drain done).
 * A command still waiting for its drain when the device halts completes with HW_ERR.
 */
import { hex } from '../bits';
import type { Clock } from '../clock';
import type { IdxdCaps } from './caps';
import { checkDeviceConfig, checkWqConfig } from './config-check';
import type { ConfigView } from './config-view';
import {
  CMD_INT_HANDLE_IMS,
  IDXD_CMD,
  IDXD_CMDSTS,
  IDXD_CMDSTS_ACTIVE,
  IDXD_CMDSTS_OFFSET,
  IDXD_CMDSTS_RES_SHIFT,
  IDXD_DEVICE_RESET_SOFTWARE,
  IDXD_DEVICE_STATE_DISABLED,
  IDXD_DEVICE_STATE_ENABLED,
  IDXD_DEVICE_STATE_HALT,
  IDXD_INTC_CMD,
  SWERR_CODE,
  nameOf,
} from './consts';
import { WQ_DISABLED, WQ_ENABLED, type WorkEngine, type WorkFilter } from './engine';
import type { IntHandleTable } from './handles';
import type { IdxdInterrupts } from './interrupts';
import type { RegisterFile } from './regfile';
import type { SwErr } from './swerr';

const KNOWN_CMDS = new Set<number>(Object.values(IDXD_CMD));

/** What a command's execution decided. */
interface CmdResult {
  status: number;
  result?: number;
  /** Completion waits until no outstanding work matches. */
  drain?: WorkFilter;
  /** Runs when the drain is over (e.g. disable the WQs). */
  after?: () => void;
}

export interface CommandDeps {
  readonly clock: Clock;
  readonly regs: RegisterFile;
  readonly cfg: ConfigView;
  readonly engine: WorkEngine;
  readonly intr: IdxdInterrupts;
  readonly handles: IntHandleTable;
  readonly swerr: SwErr;
  readonly commandNs: number;
  readonly label: string;
  readonly busMasterEnabled: () => boolean;
  /** RESET_DEVICE: everything back to reset values. */
  readonly resetDevice: () => void;
  readonly onAnomaly: (text: string) => void;
}

export class CommandUnit {
  private active = false;
  private intReq = false;
  private code = 0;
  private operand = 0;
  private waiting: CmdResult | undefined;
  private event = 0;
  private readonly caps: IdxdCaps;
  /** Clock labels per command code and the bound event callback (no allocation per CMD). */
  private readonly labels: string[] = [];
  private readonly runBound: () => void;

  constructor(private readonly d: CommandDeps) {
    this.caps = d.cfg.caps;
    for (let code = 0; code < 32; code++) {
      this.labels.push(`${d.label} command ${nameOf(IDXD_CMD, code) ?? code}`);
    }
    this.runBound = () => {
      this.run(this.code, this.operand);
    };
  }

  /** True from the CMD write until CMDSTS shows the result. */
  get busy(): boolean {
    return this.active;
  }

  /** A CMD write of `value` (already stored in the register). */
  start(value: number): void {
    if (this.active) {
      this.d.onAnomaly(
        `${this.d.label}: CMD ${hex(value >>> 0, 8)} written while a command is active ` +
          `(CMDSTS.active): ignored and recorded in SWERR (CMD_REG)`,
      );
      this.d.swerr.record({ error: SWERR_CODE.CMD_REG });
      return;
    }
    this.active = true;
    this.intReq = value >>> 31 === 1;
    this.d.regs.setHw32(IDXD_CMDSTS_OFFSET, IDXD_CMDSTS_ACTIVE);
    this.code = (value >>> 20) & 0x1f;
    this.operand = value & 0xfffff;
    this.event = this.d.clock.schedule(this.d.commandNs, this.labels[this.code]!, this.runBound);
  }

  /** Called after each descriptor retires: completes a command waiting for its drain. */
  workRetired(): void {
    const w = this.waiting;
    if (w?.drain !== undefined && !this.d.engine.hasOutstanding(w.drain)) this.complete(w);
  }

  /** The device halted: a command waiting for its drain completes with HW_ERR. */
  halted(): void {
    if (this.waiting !== undefined) this.complete({ status: IDXD_CMDSTS.HW_ERR });
  }

  /** Device reset: forget any command in flight (its completion is never reported). */
  reset(): void {
    if (this.active) this.d.clock.cancel(this.event);
    this.active = false;
    this.waiting = undefined;
  }

  private run(code: number, operand: number): void {
    const r = this.execute(code, operand);
    if (r.drain !== undefined && this.d.engine.hasOutstanding(r.drain)) this.waiting = r;
    else this.complete(r);
  }

  private complete(r: CmdResult): void {
    this.waiting = undefined;
    r.after?.();
    this.active = false;
    const sts = (r.status & 0xff) | (((r.result ?? 0) & 0xffff) << IDXD_CMDSTS_RES_SHIFT);
    this.d.regs.setHw32(IDXD_CMDSTS_OFFSET, sts >>> 0);
    if (this.intReq) this.d.intr.cause(IDXD_INTC_CMD, true);
  }

  /**
   * With GENCAP.cmd_cap the commands CMDCAP lists; without it the DSA 1.0 set (codes 1-12):
   * interrupt handles came with CMDCAP (DSA 1.1+).
   */
  private supported(code: number): boolean {
    if (!KNOWN_CMDS.has(code)) return false;
    return this.caps.gencap.cmd_cap
      ? this.caps.cmdcap.includes(code)
      : code < IDXD_CMD.REQUEST_INT_HANDLE;
  }

  private execute(code: number, operand: number): CmdResult {
    const C = IDXD_CMD;
    if (!this.supported(code)) return { status: IDXD_CMDSTS.INVAL_CMD };
    const cfg = this.d.cfg;
    if (
      cfg.deviceState === IDXD_DEVICE_STATE_HALT &&
      !(code === C.RESET_DEVICE && cfg.resetType === IDXD_DEVICE_RESET_SOFTWARE)
    ) {
      return { status: IDXD_CMDSTS.HW_ERR };
    }
    switch (code) {
      case C.ENABLE_DEVICE:
        return this.enableDevice();
      case C.DISABLE_DEVICE:
        return this.disableDevice();
      case C.DRAIN_ALL:
        return this.drainOrAbort(() => true, false);
      case C.ABORT_ALL:
        return this.drainOrAbort(() => true, true);
      case C.RESET_DEVICE:
        this.d.resetDevice();
        return { status: IDXD_CMDSTS.SUCCESS };
      case C.ENABLE_WQ:
        return this.enableWq(operand);
      case C.DRAIN_PASID:
        return this.drainOrAbort((_wq, pasid) => pasid === operand, false);
      case C.ABORT_PASID:
        return this.drainOrAbort((_wq, pasid) => pasid === operand, true);
      case C.REQUEST_INT_HANDLE:
        return this.requestIntHandle(operand);
      case C.RELEASE_INT_HANDLE:
        return {
          status: this.d.handles.release(
            operand & 0xffff,
            (operand & CMD_INT_HANDLE_IMS) !== 0 ? 'ims' : 'msix',
          ),
        };
      default:
        return this.wqMaskCommand(code, operand);
    }
  }

  private enableDevice(): CmdResult {
    if (this.d.cfg.deviceState === IDXD_DEVICE_STATE_ENABLED)
      return { status: IDXD_CMDSTS.ERR_DEV_ENABLED };
    if (!this.d.busMasterEnabled()) return { status: IDXD_CMDSTS.ERR_BUSMASTER_EN };
    const status = checkDeviceConfig(this.d.cfg);
    if (status === IDXD_CMDSTS.SUCCESS) this.d.cfg.deviceState = IDXD_DEVICE_STATE_ENABLED;
    return { status };
  }

  private disableDevice(): CmdResult {
    if (this.d.cfg.deviceState !== IDXD_DEVICE_STATE_ENABLED)
      return { status: IDXD_CMDSTS.ERR_DIS_DEV_EN };
    const e = this.d.engine;
    for (let wq = 0; wq < this.d.cfg.numWqs; wq++) e.stopAccepting(wq);
    const mark = e.lastSeq;
    return {
      status: IDXD_CMDSTS.SUCCESS,
      drain: (_wq, _pasid, seq) => seq <= mark,
      after: () => {
        for (let wq = 0; wq < this.d.cfg.numWqs; wq++) e.disableWq(wq);
        this.d.cfg.deviceState = IDXD_DEVICE_STATE_DISABLED;
      },
    };
  }

  private drainOrAbort(f: WorkFilter, abort: boolean): CmdResult {
    if (abort) {
      this.d.engine.abort(f);
      return { status: IDXD_CMDSTS.SUCCESS };
    }
    const mark = this.d.engine.lastSeq;
    return {
      status: IDXD_CMDSTS.SUCCESS,
      drain: (wq, pasid, seq) => seq <= mark && f(wq, pasid, seq),
    };
  }

  private enableWq(wq: number): CmdResult {
    const status = checkWqConfig(this.d.cfg, this.d.engine, wq);
    if (status === IDXD_CMDSTS.SUCCESS) this.d.engine.enableWq(wq, this.d.cfg.wqSize(wq));
    return { status };
  }

  private requestIntHandle(operand: number): CmdResult {
    const ims = (operand & CMD_INT_HANDLE_IMS) !== 0;
    const index = operand & 0xffff;
    const limit = ims ? this.d.intr.ims.slots : this.d.intr.msix.size;
    if (index >= limit) return { status: IDXD_CMDSTS.ERR_INVAL_INT_IDX };
    const r = this.d.handles.request(ims ? 'ims' : 'msix', index);
    return { status: r.status, result: r.handle };
  }

  /**
   * DISABLE_WQ, DRAIN_WQ, ABORT_WQ, RESET_WQ with the operand BIT(wq % 16) | (wq / 16) << 16
   * (several WQs of one block of 16 at once). INVAL_WQIDX for an empty mask or a WQ the
   * device lacks; ERR_DEV_NOT_EN when a selected WQ is not enabled (nothing is done then).
   */
  private wqMaskCommand(code: number, operand: number): CmdResult {
    const C = IDXD_CMD;
    const wqs: number[] = [];
    const block = (operand >>> 16) & 0xf;
    for (let b = 0; b < 16; b++) if ((operand & (1 << b)) !== 0) wqs.push(block * 16 + b);
    if (wqs.length === 0 || wqs.some((wq) => wq >= this.d.cfg.numWqs)) {
      return { status: IDXD_CMDSTS.INVAL_WQIDX };
    }
    const e = this.d.engine;
    if (wqs.some((wq) => e.wqState[wq] !== WQ_ENABLED))
      return { status: IDXD_CMDSTS.ERR_DEV_NOT_EN };
    const selected: WorkFilter = (wq) => wqs.includes(wq);
    if (code === C.ABORT_WQ) return this.drainOrAbort(selected, true);
    if (code === C.DRAIN_WQ) return this.drainOrAbort(selected, false);
    if (code === C.RESET_WQ) {
      e.abort(selected);
      for (const wq of wqs) {
        e.disableWq(wq);
        this.d.cfg.resetWq(wq);
      }
      return { status: IDXD_CMDSTS.SUCCESS };
    }
    for (const wq of wqs) e.stopAccepting(wq);
    const mark = e.lastSeq;
    return {
      status: IDXD_CMDSTS.SUCCESS,
      drain: (wq, _pasid, seq) => seq <= mark && wqs.includes(wq),
      after: () => {
        for (const wq of wqs) if (e.wqState[wq] !== WQ_DISABLED) e.disableWq(wq);
      },
    };
  }
}
