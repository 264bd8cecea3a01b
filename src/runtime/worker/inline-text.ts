/**
 * The texts shown beside the code: an MMIO access as register name, value and decoded fields
 * (`GENSTS = 0x1 (state=ENABLED)` for a read, `GENCTRL ← 0x3 (softerr_int_en, halt_int_en)` for
 * a write), and an irq's path through the platform (`irq 42: IMS slot 0 → IRTE 17 → vector 0x22
 * → CPU 1`). Fields come from the register tables: single-bit fields show by name when set, the
 * register's first enumerated field always shows its name (state=DISABLED, err=SUCCESS), other
 * fields show when non-zero, and a field that is the whole register adds nothing. VS Code cuts
 * an inline value at 150 characters: the field list is kept shorter.
 */
import { getBig } from '../../platform/bits';
import { isRemappable, remappableHandle } from '../../platform/remap/irte';
import type { IrqSnapshot } from '../../platform/snapshot/types';
import type { RegisterPiece } from './register-at';

/** The longest field list, in characters (the rest becomes `…`). */
export const MAX_FIELDS_TEXT = 90;

/** `0x1f`: hex without padding. */
export function hexOf(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

/**
 * The decoded fields of a piece: `state=ENABLED`, `cmd`, `pasid=0x1`, joined with `, `; '' when
 * no field shows (all zero, or no table describes the register).
 */
export function fieldsText(piece: RegisterPiece): string {
  const def = piece.def;
  if (def === undefined) return '';
  if (def.name === 'address_lo' && piece.lo === 0 && piece.hi === 31)
    return messageAddressText(Number(piece.value));
  const reg = piece.value << BigInt(piece.lo);
  const parts: string[] = [];
  const firstEnum = def.fields.find((f) => f.enums !== undefined);
  for (const f of def.fields) {
    if (f.access === 'RsvdZ' || f.access === 'RsvdP') continue;
    if (f.lo < piece.lo || f.hi > piece.hi) continue; // only partly covered by this access
    if (f.lo === 0 && f.hi === def.width - 1) continue; // the whole register: its value says it
    const v = getBig(reg, f.hi, f.lo);
    const name = f.enums?.[Number(v)];
    if (v === 0n && f !== firstEnum) continue;
    if (name !== undefined) parts.push(`${f.name}=${name}`);
    else if (v === 0n) continue;
    else if (f.hi === f.lo) parts.push(f.name);
    else parts.push(`${f.name}=${v < 10n ? v.toString() : hexOf(v)}`);
  }
  let text = '';
  for (const p of parts) {
    const next = text === '' ? p : `${text}, ${p}`;
    if (next.length > MAX_FIELDS_TEXT) return `${text}, …`;
    text = next;
  }
  return text;
}

/**
 * An MSI-X entry's or IMS slot's message address, decoded as the IR unit reads it (VT-d §5.1.2:
 * remappable `handle=9, SHV` — handle in bits 19:5 and bit 2 — or compatibility `destid=1`,
 * destination in bits 19:12); '' outside the 0xFEE interrupt window.
 */
export function messageAddressText(lo: number): string {
  if (lo >>> 20 !== 0xfee) return '';
  if (isRemappable(lo))
    return `remappable, handle=${remappableHandle(lo)}${(lo & 0x8) !== 0 ? ', SHV' : ''}`;
  return `compatibility, destid=${(lo >>> 12) & 0xff}${(lo & 0x4) !== 0 ? ', logical' : ''}`;
}

/**
 * One access: each register piece as `NAME = value (fields)` (read) or `NAME ← value (fields)`
 * (write), joined with `; `. `now` (same length as `pieces`) gives each piece's current value
 * when it differs from the access's: `· now 0x0`.
 */
export function accessText(
  pieces: readonly RegisterPiece[],
  write: boolean,
  now: readonly (bigint | undefined)[] = [],
): string {
  return pieces
    .map((p, i) => {
      const fields = fieldsText(p);
      const current = now[i];
      return (
        `${p.name} ${write ? '←' : '='} ${hexOf(p.value)}` +
        (fields ? ` (${fields})` : '') +
        (current !== undefined && current !== p.value ? ` · now ${hexOf(current)}` : '')
      );
    })
    .join('; ');
}

/** How often a line made its accesses: '', ` ×3`, or ` · last of 8 accesses to 8 registers`. */
export function repeatText(count: number, distinct: number, max: number): string {
  if (count <= 1) return '';
  if (distinct <= 1) return ` ×${count}`;
  return ` · last of ${count} accesses to ${distinct}${distinct >= max ? '+' : ''} registers`;
}

/**
 * An irq's path now: `irq 42: IMS slot 0 → IRTE 17 → vector 0x22 → CPU 1`, with the device when
 * the machine has several (`6f:01.0 IMS slot 0`), `not activated (vector reserved)` before
 * request_irq activates it, a move in progress, `masked`; `irq 42: freed` when it is gone.
 */
export function irqPathText(
  irq: number,
  snap: IrqSnapshot | undefined,
  withDevice: boolean,
): string {
  if (snap === undefined) return `irq ${irq}: freed`;
  const dev = withDevice && snap.device !== null ? `${snap.device.replace(/^0000:/, '')} ` : '';
  const hops: string[] = [];
  if (snap.source === 'ims' && snap.index !== null) hops.push(`${dev}IMS slot ${snap.index}`);
  else if (snap.source === 'msix' && snap.index !== null) hops.push(`${dev}MSI-X ${snap.index}`);
  else hops.push(`${snap.domain} hwirq ${snap.hwirq}`);
  if (snap.irte !== null) hops.push(`IRTE ${snap.irte}`);
  if (snap.reserved) hops.push('not activated (vector reserved)');
  else hops.push(`vector ${hexOf(snap.vector)}`, `CPU ${snap.cpu}`);
  let text = `irq ${irq}: ${hops.join(' → ')}`;
  if (snap.moveInProgress && snap.prevVector !== null)
    text += ` (moving from ${hexOf(snap.prevVector)} on CPU ${snap.prevCpu ?? '?'})`;
  if (snap.state.includes('IRQD_IRQ_MASKED') && !snap.reserved) text += ', masked';
  return text;
}

/** The text of a failed allocation: `pci_ims_alloc_irq failed: -28`. */
export function irqErrorText(fn: string, errno: number): string {
  return `${fn} failed: ${errno}`;
}
