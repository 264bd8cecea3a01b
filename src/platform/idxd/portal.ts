/**
 * BAR2: the WQ portals. Each WQ has 4 pages: ((wq_id * 4) << 12) + prot * 0x1000, prot 0 =
 * unlimited, 1 = limited (drivers/dma/idxd/idxd.h idxd_get_wq_portal_full_offset); pages 2-3
 * are not modelled. A descriptor is one 64-byte write anywhere in the page:
 *  - dedicated WQ: MOVDIR64B only (posted). A full WQ drops the descriptor and records SWERR
 *    (DWQ_FULL); ENQCMD(S) is answered with retry.
 *  - shared WQ: ENQCMD/ENQCMDS; retry when the WQ's occupancy has reached its limit: wq_thresh
 *    for ENQCMD and for anything through the limited portal, wq_size for ENQCMDS through the
 *    unlimited portal (the DSA's threshold keeps room for privileged submitters; Linux maps only
 *    the limited portal to user space, so user ENQCMDs always meet the threshold — our reading,
 *    UNCERTAIN for an ENQCMD through the unlimited portal). A retried ENQCMDS succeeds once the
 *    engine retires a descriptor. MOVDIR64B cannot be retried: dropped, SWERR (SWQ_MOVDIR64B).
 *  - disabled WQ: SWERR (WQ_NOT_ENABLED); ENQCMD(S) also gets retry.
 *  - halted device (GENSTS.state = HALT): nothing is accepted and nothing recorded (reported as
 *    an anomaly); ENQCMD(S) gets retry.
 * The descriptor's PASID is WQCFG.pasid (if pasid_en) for a dedicated WQ and the descriptor's
 * own for a shared one; ENQCMD (user) submissions are unprivileged, ENQCMDS keep the
 * descriptor's priv bit.
 */
import { hex } from '../bits';
import type { MmioDevice, PortalWriteKind } from '../memory';
import type { ConfigView } from './config-view';
import {
  IDXD_DEVICE_STATE_HALT,
  IDXD_PORTAL_LIMITED,
  IDXD_PORTAL_SIZE,
  IDXD_PORTALS_PER_WQ,
  SWERR_CODE,
} from './consts';
import { DESCRIPTOR_SIZE } from './descriptor';
import { WQ_ENABLED, type WorkEngine } from './engine';
import type { SwErr } from './swerr';

const WQ_SHIFT = Math.log2(IDXD_PORTAL_SIZE * IDXD_PORTALS_PER_WQ);

export class IdxdPortals implements MmioDevice {
  constructor(
    private readonly cfg: ConfigView,
    private readonly engine: WorkEngine,
    private readonly swerr: SwErr,
    private readonly decoding: () => boolean,
    private readonly label: string,
    private readonly onAnomaly: (text: string) => void,
  ) {}

  read32(offset: number): number {
    this.onAnomaly(`${this.label} BAR2 +${hex(offset)}: portals are write-only; read returns 0`);
    return 0;
  }

  write32(offset: number, value: number): void {
    this.onAnomaly(
      `${this.label} BAR2 +${hex(offset)}: 32-bit write of ${hex(value >>> 0, 8)} ignored ` +
        `(portals take 64-byte MOVDIR64B/ENQCMD/ENQCMDS writes)`,
    );
  }

  read64(offset: number): bigint {
    return BigInt(this.read32(offset));
  }

  write64(offset: number, _value: bigint): void {
    this.write32(offset, 0);
  }

  peek32(): number {
    return 0;
  }

  /** A 64-byte submission; returns false for "retry" (ENQCMD's ZF=1). */
  write64B(offset: number, bytes: Uint8Array, kind: PortalWriteKind): boolean {
    const posted = kind === 'movdir64b';
    const wq = offset >>> WQ_SHIFT;
    const page = (offset >>> 12) & (IDXD_PORTALS_PER_WQ - 1);
    if (!this.decoding() || bytes.length !== DESCRIPTOR_SIZE || wq >= this.cfg.numWqs || page > 1) {
      this.onAnomaly(
        `${this.label} BAR2 +${hex(offset)}: ${kind} of ${bytes.length} bytes not accepted ` +
          `(${!this.decoding() ? 'memory space decoding is off' : 'no WQ portal there'})`,
      );
      return posted;
    }
    if (this.cfg.deviceState === IDXD_DEVICE_STATE_HALT) {
      this.onAnomaly(`${this.label}: ${kind} to WQ ${wq} while the device is halted: not accepted`);
      return posted;
    }
    if (this.engine.wqState[wq] !== WQ_ENABLED) {
      this.refuse(SWERR_CODE.WQ_NOT_ENABLED, wq, bytes);
      return posted;
    }
    const occ = this.engine.occupancyOf(wq);
    if (this.cfg.wqDedicated(wq)) {
      if (!posted) {
        this.onAnomaly(
          `${this.label}: ${kind} to dedicated WQ ${wq} is not accepted (retry); use MOVDIR64B`,
        );
        return false;
      }
      if (occ >= this.cfg.wqSize(wq)) {
        this.refuse(SWERR_CODE.DWQ_FULL, wq, bytes);
        return true;
      }
      this.engine.submit(wq, bytes, this.cfg.wqPasid(wq), this.cfg.wqPriv(wq));
      return true;
    }
    if (posted) {
      this.refuse(SWERR_CODE.SWQ_MOVDIR64B, wq, bytes);
      return true;
    }
    const limited = page === IDXD_PORTAL_LIMITED || kind === 'enqcmd';
    const limit = limited ? this.cfg.wqThresh(wq) : this.cfg.wqSize(wq);
    if (occ >= limit) return false;
    this.engine.submit(wq, bytes, descPasid(bytes), kind === 'enqcmds' && descPriv(bytes));
    return true;
  }

  /** A submission the WQ cannot take: recorded in SWERR with the descriptor's identity. */
  private refuse(error: number, wq: number, bytes: Uint8Array): void {
    this.swerr.record({
      error,
      wq,
      desc: { opcode: bytes[7]!, pasid: descPasid(bytes), priv: descPriv(bytes) },
    });
  }
}

/** Descriptor bits 19:0. */
function descPasid(b: Uint8Array): number {
  return b[0]! | (b[1]! << 8) | ((b[2]! & 0xf) << 16);
}

/** Descriptor bit 31. */
function descPriv(b: Uint8Array): boolean {
  return (b[3]! & 0x80) !== 0;
}
