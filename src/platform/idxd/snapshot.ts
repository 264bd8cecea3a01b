/**
 * A plain-JSON picture of one DSA device for the views (IMS Slots, register trees, pending
 * interrupts): decoded top-level registers, WQs, groups, MSI-X entries, IMS slots in use and
 * interrupt handles. Built from reads without side effects; 64-bit and wider values are hex
 * strings, 32-bit ones numbers.
 */
import { hex } from '../bits';
import {
  DEVICE_STATE_NAMES,
  IDXD_PORTAL_LIMITED,
  IDXD_PORTAL_SIZE,
  IDXD_PORTALS_PER_WQ,
} from './consts';
import type { IdxdDevice } from './device';
import { WQ_DISABLED, WQ_DISABLING } from './engine';
import type { ImsSlotView } from './ims';
import { decodeRegister } from './regdef';
import type { RegisterInstance } from './regfile';

export interface FieldSnapshot {
  readonly name: string;
  readonly hi: number;
  readonly lo: number;
  readonly access: string;
  /** Hex, e.g. `0x1f`. */
  readonly value: string;
  readonly text: string;
}

export interface RegisterSnapshot {
  readonly name: string;
  /** BAR0 byte offset. */
  readonly offset: number;
  readonly width: number;
  /** Hex, zero-padded to the width. */
  readonly value: string;
  readonly fields: readonly FieldSnapshot[];
}

export interface WqSnapshot {
  readonly id: number;
  readonly state: 'disabled' | 'enabled' | 'disabling';
  readonly mode: 'dedicated' | 'shared';
  readonly size: number;
  readonly threshold: number;
  readonly priority: number;
  /** Group holding the WQ; null when none (or several). */
  readonly group: number | null;
  readonly pasid: number | null;
  readonly priv: boolean;
  readonly occupancy: number;
  readonly max_xfer_bytes: number;
  readonly max_batch_size: number;
  /** Physical addresses of the unlimited and limited portals (hex). */
  readonly portals: { readonly unlimited: string; readonly limited: string };
  readonly wqcfg: readonly RegisterSnapshot[];
}

export interface GroupSnapshot {
  readonly id: number;
  readonly wqs: readonly number[];
  readonly engines: readonly number[];
  readonly grpcfg: readonly RegisterSnapshot[];
}

export interface MsixEntrySnapshot {
  readonly index: number;
  readonly address_lo: number;
  readonly address_hi: number;
  readonly data: number;
  readonly vector_ctrl: number;
  readonly masked: boolean;
  readonly pending: boolean;
  readonly pendingId: number | null;
  /** MSIX_PERM entry, decoded. */
  readonly perm: { readonly ignore: boolean; readonly pasid_en: boolean; readonly pasid: number };
}

export interface IdxdSnapshot {
  readonly bdf: string;
  readonly requesterId: number;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly bar0: string;
  readonly bar2: string;
  /** GENSTS.state name. */
  readonly state: string;
  readonly version: string;
  readonly pci: {
    readonly command: number;
    readonly memorySpace: boolean;
    readonly busMaster: boolean;
    readonly msixEnabled: boolean;
    readonly msixFunctionMasked: boolean;
  };
  readonly commandActive: boolean;
  readonly registers: readonly RegisterSnapshot[];
  readonly wqs: readonly WqSnapshot[];
  readonly groups: readonly GroupSnapshot[];
  readonly msix: readonly MsixEntrySnapshot[];
  readonly ims: { readonly slots: number; readonly inUse: readonly ImsSlotView[] };
  readonly handles: readonly { handle: number; table: 'msix' | 'ims'; index: number }[];
}

/**
 * Builds the snapshot of `dev`. `imsSlots` picks the IMS slots listed in `ims.inUse` (default:
 * every slot in use), so that a caller showing a few of thousands does not decode them all;
 * `lean` leaves out the WQs and groups and keeps only the TABLE register (what views of the
 * interrupt path read).
 */
export function idxdSnapshot(
  dev: IdxdDevice,
  imsSlots?: readonly number[],
  lean = false,
): IdxdSnapshot {
  const regs = dev.registers;
  const cfg = dev.config;
  const reg = (inst: RegisterInstance): RegisterSnapshot => {
    const v = regs.value(inst);
    return {
      name: inst.name,
      offset: inst.offset,
      width: inst.def.width,
      value: hex(v, inst.def.width / 4),
      fields: decodeRegister(inst.def, v).map((f) => ({
        name: f.field,
        hi: f.hi,
        lo: f.lo,
        access: f.access,
        value: hex(f.value),
        text: f.text,
      })),
    };
  };
  const entryRegs = (table: string, entry: number) =>
    regs.instances.filter((i) => i.table === table && i.entry === entry).map(reg);
  const bar2 = dev.pci.barAddress(2);
  const wqs: WqSnapshot[] = [];
  for (let id = 0; id < (lean ? 0 : cfg.numWqs); id++) {
    const st = dev.engine.wqState[id];
    const portal = bar2 + id * IDXD_PORTALS_PER_WQ * IDXD_PORTAL_SIZE;
    const g = cfg.groupOfWq(id);
    wqs.push({
      id,
      state: st === WQ_DISABLED ? 'disabled' : st === WQ_DISABLING ? 'disabling' : 'enabled',
      mode: cfg.wqDedicated(id) ? 'dedicated' : 'shared',
      size: cfg.wqSize(id),
      threshold: cfg.wqThresh(id),
      priority: cfg.wqPriority(id),
      group: g >= 0 ? g : null,
      pasid: cfg.wqPasid(id),
      priv: cfg.wqPriv(id),
      occupancy: dev.engine.occupancyOf(id),
      max_xfer_bytes: 2 ** cfg.wqMaxXferShift(id),
      max_batch_size: 2 ** cfg.wqMaxBatchShift(id),
      portals: {
        unlimited: hex(portal),
        limited: hex(portal + IDXD_PORTAL_LIMITED * IDXD_PORTAL_SIZE),
      },
      wqcfg: entryRegs('WQCFG', id),
    });
  }
  const groups: GroupSnapshot[] = [];
  for (let id = 0; id < (lean ? 0 : cfg.numGroups); id++) {
    const engines = cfg.groupEngines(id);
    groups.push({
      id,
      wqs: wqs.filter((w) => cfg.wqInGroup(id, w.id)).map((w) => w.id),
      engines: [...Array(dev.caps.num_engines).keys()].filter((e) => (engines & (1 << e)) !== 0),
      grpcfg: entryRegs('GRPCFG', id),
    });
  }
  const msix: MsixEntrySnapshot[] = [];
  for (let i = 0; i < dev.msix.size; i++) {
    const perm = cfg.msixPerm(i);
    msix.push({
      ...dev.msix.peek(i),
      perm: { ignore: (perm & 4) !== 0, pasid_en: (perm & 8) !== 0, pasid: perm >>> 12 },
    });
  }
  return {
    bdf: dev.bdf,
    requesterId: dev.requesterId,
    vendorId: dev.pci.readConfig16(0),
    deviceId: dev.pci.readConfig16(2),
    bar0: hex(dev.pci.barAddress(0)),
    bar2: hex(bar2),
    state: DEVICE_STATE_NAMES[cfg.deviceState] ?? 'UNKNOWN',
    version: hex(dev.caps.version, 3),
    pci: {
      command: dev.pci.readConfig16(4),
      memorySpace: dev.pci.memorySpaceEnabled,
      busMaster: dev.pci.busMasterEnabled,
      msixEnabled: dev.pci.msixEnabled,
      msixFunctionMasked: dev.pci.msixFunctionMasked,
    },
    commandActive: dev.commands.busy,
    registers: regs.instances
      .filter((i) => i.table === undefined && (!lean || i.name === 'TABLE'))
      .map(reg),
    wqs,
    groups,
    msix,
    ims: { slots: dev.ims.slots, inUse: (imsSlots ?? dev.ims.inUse()).map((s) => dev.ims.peek(s)) },
    handles: dev.handles.list(),
  };
}
