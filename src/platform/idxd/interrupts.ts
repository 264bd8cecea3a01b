/**
 * Where the device's interrupts go: the misc interrupt (INTCAUSE, MSI-X entry 0) and
 * descriptor completion interrupts named by `int_handle` (an MSI-X entry or an IMS slot).
 */
import { hex } from '../bits';
import type { MsixTable } from '../pci/msix';
import type { ConfigView } from './config-view';
import { IDXD_CMD, IDXD_INTCAUSE_OFFSET } from './consts';
import { isImsTarget, type IntHandleTable } from './handles';
import type { ImsStore } from './ims';
import type { RegisterFile } from './regfile';

const MSIX_PERM_IGNORE = 1 << 2;
const MSIX_PERM_PASID_EN = 1 << 3;
const MSIX_PERM_PASID_SHIFT = 12;
/** `resolve` result for an unknown handle. */
export const NO_TARGET = -1;

export class IdxdInterrupts {
  /** Descriptors carry handles from REQUEST_INT_HANDLE (else: the MSI-X index). */
  readonly useHandles: boolean;

  constructor(
    private readonly regs: RegisterFile,
    private readonly cfg: ConfigView,
    readonly msix: MsixTable,
    readonly ims: ImsStore,
    readonly handles: IntHandleTable,
  ) {
    const c = cfg.caps;
    this.useHandles = c.gencap.cmd_cap && c.cmdcap.includes(IDXD_CMD.REQUEST_INT_HANDLE);
  }

  /**
   * Sets `bits` in INTCAUSE and, when `interrupt`, generates the misc interrupt on MSI-X
   * entry 0 (one message per event; MSI-X masking merges them).
   */
  cause(bits: number, interrupt: boolean): void {
    this.regs.setHw32(IDXD_INTCAUSE_OFFSET, (this.regs.hw32(IDXD_INTCAUSE_OFFSET) | bits) >>> 0);
    if (interrupt) this.msix.signal(0, null);
  }

  /**
   * What a descriptor's `int_handle` names: the MSI-X index, or the IMS slot | 0x10000, or
   * NO_TARGET when the handle was never requested / was released (or, without handles, when
   * the index is outside the MSI-X table). Allocation-free.
   */
  resolve(handle: number): number {
    if (this.useHandles) return this.handles.lookup(handle);
    return handle < this.msix.size ? handle : NO_TARGET;
  }

  /** Sends the completion interrupt of a descriptor with PASID `pasid` to a resolved target. */
  completion(target: number, pasid: number | null): void {
    if (isImsTarget(target)) {
      this.ims.signal(target & 0xffff, pasid);
      return;
    }
    const perm = this.cfg.msixPerm(target);
    const permPasid = perm >>> MSIX_PERM_PASID_SHIFT;
    if ((perm & MSIX_PERM_IGNORE) !== 0) {
      this.msix.reject(
        target,
        null,
        `MSIX_PERM[${target}].ignore is set: completion interrupt suppressed`,
      );
    } else if ((perm & MSIX_PERM_PASID_EN) !== 0 && pasid !== permPasid) {
      this.msix.reject(
        target,
        permPasid,
        `MSIX_PERM[${target}] allows PASID ${hex(permPasid)} only but the descriptor ` +
          `${pasid === null ? 'has no PASID' : `has PASID ${hex(pasid)}`} (our reading of the ` +
          `DSA MSI-X permission table — UNCERTAIN)`,
      );
    } else {
      this.msix.signal(target, (perm & MSIX_PERM_PASID_EN) !== 0 ? permPasid : null);
    }
  }
}
