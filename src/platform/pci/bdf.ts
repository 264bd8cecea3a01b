/**
 * PCI addresses: the BDF (`dddd:bb:dd.f`) Linux prints with `pci_name()`, and the 16-bit
 * requester id (bus << 8 | devfn) a function's memory writes carry — the source id (SID) an
 * interrupt-remapping unit checks.
 */

/** A parsed PCI address. */
export interface Bdf {
  /** PCI segment (domain), 0..0xffff. */
  readonly domain: number;
  /** Bus number, 0..0xff. */
  readonly bus: number;
  /** Device number, 0..0x1f. */
  readonly device: number;
  /** Function number, 0..7. */
  readonly fn: number;
}

const BDF_RE = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;

/**
 * Parses `dddd:bb:dd.f` (or `bb:dd.f`, domain 0) in hex, as lspci and sysfs write it.
 * Throws RangeError for anything else, including a device number above 0x1f.
 */
export function parseBdf(text: string): Bdf {
  const m = BDF_RE.exec(text.trim());
  if (m === null) throw new RangeError(`'${text}' is not a PCI address of the form dddd:bb:dd.f`);
  const device = parseInt(m[3]!, 16);
  if (device > 0x1f) throw new RangeError(`'${text}': device number 0x${m[3]} is above 0x1f`);
  return {
    domain: m[1] === undefined ? 0 : parseInt(m[1], 16),
    bus: parseInt(m[2]!, 16),
    device,
    fn: parseInt(m[4]!, 10),
  };
}

/** Formats a BDF as Linux's `pci_name()` does: `0000:6a:01.0` (lower-case hex). */
export function formatBdf(b: Bdf): string {
  const h = (v: number, n: number) => v.toString(16).padStart(n, '0');
  return `${h(b.domain, 4)}:${h(b.bus, 2)}:${h(b.device, 2)}.${b.fn}`;
}

/** devfn as Linux packs it: device << 3 | function. */
export function devfn(b: Bdf): number {
  return ((b.device & 0x1f) << 3) | (b.fn & 7);
}

/** The 16-bit requester id (bus << 8 | devfn): 0000:6a:01.0 → 0x6a08. */
export function requesterId(b: Bdf): number {
  return ((b.bus & 0xff) << 8) | devfn(b);
}
