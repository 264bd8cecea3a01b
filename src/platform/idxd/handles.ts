/**
 * Interrupt handles: what a descriptor's `int_handle` names when CMDCAP has
 * REQUEST_INT_HANDLE (13) / RELEASE_INT_HANDLE (14).
 *
 * How the hardware numbers handles is not public. Our scheme: the device keeps a table of
 * `size` entries; REQUEST_INT_HANDLE for (MSI-X or IMS, index) returns the number of the entry
 * that already maps that target, or else of the lowest free entry, which it fills; with none
 * free it fails with ERR_NO_HANDLE (0x42). RELEASE_INT_HANDLE frees the entry, so descriptors
 * still carrying the handle complete with INT_HANDLE_INVAL (0x19) until the number is handed
 * out again. RESET_DEVICE and revocation empty the table. Handles are therefore unrelated to
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
    let free = FREE;
    for (let h = 0; h < this.size; h++) {
      const e = this.entries[h]!;
      if (e === key) return { status: IDXD_CMDSTS.SUCCESS, handle: h };
      if (e === FREE && free === FREE) free = h;
    }
    if (free === FREE) return { status: IDXD_CMDSTS.ERR_NO_HANDLE, handle: 0 };
    this.entries[free] = key;
    return { status: IDXD_CMDSTS.SUCCESS, handle: free };
  }

  /**
   * Frees `handle`, which must map into `table`. Returns SUCCESS or ERR_INVAL_INT_IDX (handle
   * not allocated, or allocated for the other table).
   */
  release(handle: number, table: IntTable): number {
    const e = handle < this.size ? this.entries[handle]! : FREE;
    if (e === FREE || (table === 'ims') !== ((e & IMS_BIT) !== 0)) {
      return IDXD_CMDSTS.ERR_INVAL_INT_IDX;
    }
    this.entries[handle] = FREE;
    return IDXD_CMDSTS.SUCCESS;
  }

  /** Allocation-free lookup: the target's index | 0x10000 for IMS, or -1 if unknown. */
  lookup(handle: number): number {
    return handle < this.size ? this.entries[handle]! : FREE;
  }

  /** The handle's target, or undefined when it is not allocated. */
  resolve(handle: number): IntTarget | undefined {
    const e = this.lookup(handle);
    if (e === FREE) return undefined;
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

  /** Frees every handle; returns how many were allocated. */
  clear(): number {
    let n = 0;
    for (let h = 0; h < this.size; h++) if (this.entries[h] !== FREE) n++;
    this.entries.fill(FREE);
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
