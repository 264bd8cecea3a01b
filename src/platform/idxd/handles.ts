/**
 * Interrupt handles: what a descriptor's `int_handle` names when CMDCAP has
 * REQUEST_INT_HANDLE (13) / RELEASE_INT_HANDLE (14).
 *
 * How the hardware numbers handles is not public. Our scheme: the device keeps a table of
 * `size` entries; REQUEST_INT_HANDLE for (MSI-X or IMS, index) returns the number of the entry
 * that already maps that target, or else of the lowest free entry, which it fills; with none
 * free it fails with ERR_NO_HANDLE (0x42). RELEASE_INT_HANDLE frees the entry (a handle not
 * allocated fails with ERR_INVAL_INT_IDX_RELEASE, 0x43), so descriptors still carrying the
 * handle complete with INT_HANDLE_INVAL (0x19) until the number is handed out again.
 * RESET_DEVICE empties the table. Revocation (as after a host-side FLR or a migration) empties
 * it too but retires the revoked numbers: new requests get other numbers while free ones
 * remain, so a stale handle never aliases a new one and a driver sees its handles change (as
 * Linux's idxd_int_handle_revoke expects). Handles are therefore unrelated to
 * MSI-X indices: a driver that puts the MSI-X index in `int_handle` interrupts the wrong entry
 * (or gets 0x19), as it would on hardware that numbers handles differently.
 */
import { IDXD_CMDSTS } from './consts';

export type IntTable = 'msix' | 'ims';

/** A resolved handle. */
export interface IntTarget {
  readonly table: IntTable;
  readonly index: number;
}

const FREE = -1;
/** Revoked: not allocated, handed out again only when no FREE entry is left. */
const RETIRED = -2;
const IMS_BIT = 0x10000;

export class IntHandleTable {
  readonly size: number;
  /** Per entry: target index, | IMS_BIT for IMS, or FREE. */
  private readonly entries: Int32Array;

  constructor(size: number) {
    this.size = size;
    this.entries = new Int32Array(size).fill(FREE);
  }

  /**
   * Maps (table, index) to a handle. Returns `{ status: 0, handle }`, or status
   * ERR_NO_HANDLE when the table is full (the caller checks the index range).
   */
  request(table: IntTable, index: number): { status: number; handle: number } {
    const key = encode(table, index);
    let free = -1;
    let retired = -1;
    for (let h = 0; h < this.size; h++) {
      const e = this.entries[h]!;
      if (e === key) return { status: IDXD_CMDSTS.SUCCESS, handle: h };
      if (e === FREE && free < 0) free = h;
      if (e === RETIRED && retired < 0) retired = h;
    }
    const h = free >= 0 ? free : retired;
    if (h < 0) return { status: IDXD_CMDSTS.ERR_NO_HANDLE, handle: 0 };
    this.entries[h] = key;
    return { status: IDXD_CMDSTS.SUCCESS, handle: h };
  }

  /**
   * Frees `handle`, which must map into `table`. Returns SUCCESS or ERR_INVAL_INT_IDX_RELEASE
   * (handle not allocated, or allocated for the other table).
   */
  release(handle: number, table: IntTable): number {
    const e = handle < this.size ? this.entries[handle]! : FREE;
    if (e < 0 || (table === 'ims') !== ((e & IMS_BIT) !== 0)) {
      return IDXD_CMDSTS.ERR_INVAL_INT_IDX_RELEASE;
    }
    this.entries[handle] = FREE;
    return IDXD_CMDSTS.SUCCESS;
  }

  /** Allocation-free lookup: the target's index | 0x10000 for IMS, or -1 if unknown. */
  lookup(handle: number): number {
    const e = handle < this.size ? this.entries[handle]! : FREE;
    return e < 0 ? FREE : e;
  }

  /** The handle's target, or undefined when it is not allocated. */
  resolve(handle: number): IntTarget | undefined {
    const e = this.lookup(handle);
    if (e < 0) return undefined;
    return { table: (e & IMS_BIT) !== 0 ? 'ims' : 'msix', index: e & 0xffff };
  }

  /** Allocated handles in handle order, for views. */
  list(): (IntTarget & { handle: number })[] {
    const out: (IntTarget & { handle: number })[] = [];
    for (let h = 0; h < this.size; h++) {
      const t = this.resolve(h);
      if (t !== undefined) out.push({ handle: h, ...t });
    }
    return out;
  }

  /** Frees every handle (RESET_DEVICE, FLR); returns how many were allocated. */
  clear(): number {
    const n = this.count();
    this.entries.fill(FREE);
    return n;
  }

  /** Revokes every handle and retires their numbers (see the file comment); returns how many. */
  revoke(): number {
    const n = this.count();
    for (let h = 0; h < this.size; h++) if (this.entries[h]! >= 0) this.entries[h] = RETIRED;
    return n;
  }

  private count(): number {
    let n = 0;
    for (let h = 0; h < this.size; h++) if (this.entries[h]! >= 0) n++;
    return n;
  }
}

function encode(table: IntTable, index: number): number {
  return table === 'ims' ? index | IMS_BIT : index;
}

/** Decodes a `lookup` result's IMS flag. */
export function isImsTarget(entry: number): boolean {
  return (entry & IMS_BIT) !== 0;
}
