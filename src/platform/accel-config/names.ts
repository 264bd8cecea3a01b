/**
 * The `dev` names accel-config and sysfs use: `dsa<N>` for a device, and
 * `group<N>.<i>`, `wq<N>.<i>`, `engine<N>.<i>` for its parts (Linux names them with
 * "%s%d.%d" in idxd_setup_internals, drivers/dma/idxd/init.c). Numbers are decimal without
 * leading zeros, as Linux prints them.
 */

/** The kinds of sub-devices a DSA has. */
export type PartKind = 'group' | 'wq' | 'engine';

const NUMBER = '(0|[1-9][0-9]*)';
const DEVICE_RE = new RegExp(`^dsa${NUMBER}$`);
const PART_RE: Record<PartKind, RegExp> = {
  group: new RegExp(`^group${NUMBER}\\.${NUMBER}$`),
  wq: new RegExp(`^wq${NUMBER}\\.${NUMBER}$`),
  engine: new RegExp(`^engine${NUMBER}\\.${NUMBER}$`),
};

/** Index N of `dsa<N>`, or undefined if `name` is not a device name. */
export function parseDeviceName(name: string): number | undefined {
  const m = DEVICE_RE.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** `{device, id}` of `group<N>.<i>` / `wq<N>.<i>` / `engine<N>.<i>`, or undefined. */
export function parsePartName(
  kind: PartKind,
  name: string,
): { device: number; id: number } | undefined {
  const m = PART_RE[kind].exec(name);
  return m === null ? undefined : { device: Number(m[1]), id: Number(m[2]) };
}

/** `wq0.3` for (wq, 0, 3). */
export function partName(kind: PartKind, device: number, id: number): string {
  return `${kind}${device}.${id}`;
}

/** How messages call each kind. */
export const KIND_NOUN: Record<PartKind, string> = {
  group: 'group',
  wq: 'WQ',
  engine: 'engine',
};
