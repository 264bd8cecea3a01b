/**
 * First pass over a schema-valid file: finds each device and its groups, WQs and engines, and
 * checks what ties them together — names consistent with their device (`wq0.3` under `dsa0`),
 * ids within the device's counts, no part listed twice, and `group_id` agreeing with the group a
 * WQ or engine is listed in. Load-config would fail on each of these (unknown device or id:
 * -ENOENT; group_id out of range: -EINVAL from sysfs).
 */
import type { Node } from 'jsonc-parser';
import type { DeviceCaps } from './caps';
import { anchorOf, intField, objectsAt } from './fields';
import { checkKeys } from './keys';
import { KIND_NOUN, parseDeviceName, parsePartName, partName, type PartKind } from './names';
import type { Reporter } from './source';
import { devOf, show } from './tree';

/** A group, WQ or engine of the file, with its id and the group it belongs to. */
export interface PartRef {
  readonly kind: PartKind;
  readonly obj: Node;
  readonly id: number;
  /** For a group its own id; for a WQ or engine its group, or null for none. */
  readonly group: number | null;
}

/** A device of the file and its parts, in file order. */
export interface DeviceRef {
  readonly obj: Node;
  readonly name: string;
  readonly index: number;
  readonly groups: readonly PartRef[];
  readonly wqs: readonly PartRef[];
  readonly engines: readonly PartRef[];
}

const LIMIT: Record<PartKind, (caps: DeviceCaps) => number> = {
  group: (c) => c.maxGroups,
  wq: (c) => c.maxWqs,
  engine: (c) => c.maxEngines,
};

/** Walks the devices of a schema-valid tree; reports structural errors and key warnings. */
export function collectDevices(root: Node, caps: DeviceCaps, report: Reporter): DeviceRef[] {
  const devices: DeviceRef[] = [];
  const names = new Map<string, Node>();
  for (const obj of root.children ?? []) {
    checkKeys(obj, report);
    const name = devOf(obj) ?? '';
    const index = parseDeviceName(name);
    if (index === undefined) {
      report.error(anchorOf(obj), `${show(anchorOf(obj))} is not a DSA device name (dsa<N>)`);
      continue;
    }
    if (!firstUse(names, name, obj, report)) continue;
    devices.push(new DeviceWalker(obj, name, index, caps, report).walk());
  }
  return devices;
}

/** Records `obj` under `key`; reports and returns false if the key was used before. */
function firstUse<K>(seen: Map<K, Node>, key: K, obj: Node, report: Reporter): boolean {
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, obj);
    return true;
  }
  const { line } = report.source.position(first.offset);
  report.error(anchorOf(obj), `${show(anchorOf(obj))} is listed twice (first on line ${line})`);
  return false;
}

class DeviceWalker {
  private readonly groups: PartRef[] = [];
  private readonly wqs: PartRef[] = [];
  private readonly engines: PartRef[] = [];
  private readonly seen: Record<PartKind, Map<number, Node>> = {
    group: new Map(),
    wq: new Map(),
    engine: new Map(),
  };

  constructor(
    private readonly obj: Node,
    private readonly name: string,
    private readonly index: number,
    private readonly caps: DeviceCaps,
    private readonly report: Reporter,
  ) {}

  walk(): DeviceRef {
    for (const g of objectsAt(this.obj, 'groups')) {
      const id = this.part('group', g);
      if (id !== undefined) this.groups.push({ kind: 'group', obj: g, id, group: id });
      this.members(g, 'grouped_workqueues', 'wq', this.wqs, id);
      this.members(g, 'grouped_engines', 'engine', this.engines, id);
    }
    this.members(this.obj, 'ungrouped_workqueues', 'wq', this.wqs, null);
    this.members(this.obj, 'ungrouped_engines', 'engine', this.engines, null);
    const { obj, name, index, groups, wqs, engines } = this;
    return { obj, name, index, groups, wqs, engines };
  }

  /**
   * Adds the WQs or engines listed under `key` of `holder`. `container` is the id of the group
   * they are listed in, null under ungrouped_*, undefined when that group's name was bad.
   */
  private members(
    holder: Node,
    key: string,
    kind: PartKind,
    into: PartRef[],
    container: number | null | undefined,
  ): void {
    for (const obj of objectsAt(holder, key)) {
      const id = this.part(kind, obj);
      const group = this.groupOf(obj, key, container);
      if (id !== undefined) into.push({ kind, obj, id, group });
    }
  }

  /** Checks a part's name and id; returns the id if it is usable. */
  private part(kind: PartKind, obj: Node): number | undefined {
    checkKeys(obj, this.report);
    const anchor = anchorOf(obj);
    const parsed = parsePartName(kind, devOf(obj) ?? '');
    const expected = `${kind}${this.index}.<id>`;
    if (parsed === undefined) {
      this.report.error(anchor, `${show(anchor)} is not a ${KIND_NOUN[kind]} name (${expected})`);
      return undefined;
    }
    if (parsed.device !== this.index) {
      this.report.error(anchor, `${show(anchor)} belongs to dsa${parsed.device}, not ${this.name}`);
      return undefined;
    }
    const limit = LIMIT[kind](this.caps);
    if (parsed.id >= limit) {
      this.report.error(
        anchor,
        `${show(anchor)} does not exist: ${this.name} has ${limit} ${KIND_NOUN[kind]}s ` +
          `(${partName(kind, this.index, 0)} to ${partName(kind, this.index, limit - 1)})`,
      );
      return undefined;
    }
    return firstUse(this.seen[kind], parsed.id, obj, this.report) ? parsed.id : undefined;
  }

  /** The group a WQ or engine belongs to, checking its group_id against where it is listed. */
  private groupOf(obj: Node, key: string, container: number | null | undefined): number | null {
    const gid = intField(obj, 'group_id');
    if (gid !== undefined && gid.value >= this.caps.maxGroups) {
      this.report.error(
        gid.node,
        `${gid.value}: ${this.name} has no group ${gid.value} (its groups are 0 to ${this.caps.maxGroups - 1})`,
      );
      return container ?? null;
    }
    if (container === null) {
      if (gid !== undefined && gid.value >= 0) {
        this.report.error(
          gid.node,
          `${gid.value}, but it is listed under "${key}"; list it in ` +
            `${partName('group', this.index, gid.value)} instead`,
        );
      }
      return null;
    }
    if (container === undefined) return null;
    if (gid !== undefined && gid.value !== container) {
      this.report.error(
        gid.node,
        `${gid.value} does not match ${partName('group', this.index, container)}, the group it is listed in`,
      );
    }
    return container;
  }
}
