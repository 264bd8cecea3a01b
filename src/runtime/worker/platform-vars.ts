/**
 * The platform scopes of a stop — the device's registers with decoded fields, the IMS slots and
 * MSI-X entries in use, the IRTEs in use, and the CPU's local APIC — rendered as variables.
 *
 * Nothing is read until a scope is expanded, except what its size needs: the long lists (IMS
 * slots, MSI-X entries, IRTEs) report their rows as DAP's `indexedVariables`, and a page of them
 * (`filter: 'indexed', start, count`) is built from the indexes of one PlatformIndex per scopes
 * request (platform-index.ts) — each row's irq found in a map, its IRTE read and decoded then —
 * so that 8 DSAs × 2,048 slots and 64K IRTEs cost what the pages shown cost.
 *
 * Each register variable (and each of its fields) records the register behind it (see
 * reg-targets.ts), so setVariable writes it through the MMIO path and dataBreakpointInfo can
 * watch it; memory-backed ones carry their address as memoryReference.
 */
import type { Machine } from '../../platform/machine/machine';
import type { RegisterSnapshot } from '../../platform/idxd';
import { idxdSnapshot } from '../../platform/idxd/snapshot';
import { LocalApic } from '../../platform/apic/lapic';
import { vectorIrq } from '../../platform/snapshot/records';
import type { VectorIrq } from '../../platform/snapshot/types';
import type { FieldSpec, RegisterDef, TableLayout } from '../../platform/idxd/regdef';
import type { RuntimeScope, RuntimeVariable } from '../protocol';
import type { DebugVariables } from './debug-variables';
import {
  IRTE_REGISTER,
  isEditable,
  type DeviceLayout,
  type RegisterTarget,
  type VarTarget,
} from './reg-targets';
import { PlatformIndex, type DsaRows } from './platform-index';

const h32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const vec = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
const vlist = (vs: readonly number[]): string => (vs.length === 0 ? 'none' : vs.map(vec).join(' '));
const bits = (f: { hi: number; lo: number }): string =>
  f.hi === f.lo ? `${f.hi}` : `${f.hi}:${f.lo}`;

/** Builds a container whose children know its handle (for targets). */
function container(store: DebugVariables, build: (ref: number) => RuntimeVariable[]): number {
  const ref: number = store.add(() => build(ref));
  return ref;
}

/**
 * A variable with fixed children (built lazily). With `target`, it is the register (field)
 * behind child `name` of container `parent`.
 */
function node(
  store: DebugVariables,
  parent: number,
  name: string,
  value: string,
  children?: (ref: number) => RuntimeVariable[],
  target?: VarTarget,
  address?: number,
): RuntimeVariable {
  const v: RuntimeVariable = {
    name,
    value,
    register: true,
    variablesReference: children ? container(store, children) : 0,
  };
  if (target !== undefined) {
    store.setTarget(parent, name, target);
    if (isEditable(target)) v.editable = true;
  }
  if (address !== undefined) v.memoryReference = `0x${address.toString(16)}`;
  return v;
}

/** The editable shape of a register-table definition, named for messages. */
function mmio(label: string, device: string, address: number, def: RegisterDef): RegisterTarget {
  return {
    kind: 'mmio',
    label,
    device,
    address,
    reg: { name: label, width: def.width, fields: def.fields },
  };
}

function fieldOf(def: { fields: readonly FieldSpec[] }, name: string): FieldSpec | undefined {
  return def.fields.find((f) => f.name === name);
}

/** A DSA register from the snapshot, with its fields as children. */
function registerVar(
  store: DebugVariables,
  parent: number,
  r: RegisterSnapshot,
  dev: DeviceLayout | undefined,
): RuntimeVariable {
  const def = dev?.defAt(r.offset);
  const address = dev === undefined ? undefined : dev.bar0 + r.offset;
  const target =
    def === undefined || address === undefined ? undefined : mmio(r.name, dev!.bdf, address, def);
  return node(
    store,
    parent,
    `${r.name} @${vec(r.offset)}`,
    r.value,
    (ref) =>
      r.fields.map((f) => {
        const spec = def === undefined ? undefined : fieldOf(def, f.name);
        return node(
          store,
          ref,
          `${f.name} [${bits(f)}]`,
          f.text && f.text !== f.value ? `${f.value} (${f.text})` : f.value,
          undefined,
          target && spec ? { target, field: spec } : undefined,
          address,
        );
      }),
    target && { target },
    address,
  );
}

/** The register `name` of a 16-byte message slot (IMS or MSI-X) at `base`, e.g. `IMS slot 1 ctrl (bdf)`. */
function slotWord(
  layout: TableLayout | undefined,
  name: string,
  base: number | undefined,
  slot: string,
  bdf: string,
): { target: RegisterTarget; address: number } | undefined {
  const def = layout?.registers.find((r) => r.name === name);
  if (def === undefined || base === undefined) return undefined;
  const address = base + def.offset;
  return { target: mmio(`${slot} ${name}`, bdf, address, def), address };
}

/** A slot word with its value as a child of `parent`. */
function wordVar(
  store: DebugVariables,
  parent: number,
  name: string,
  value: number,
  w: { target: RegisterTarget; address: number } | undefined,
  children?: (ref: number) => RuntimeVariable[],
): RuntimeVariable {
  return node(store, parent, name, h32(value), children, w && { target: w.target }, w?.address);
}

/** A field child of a slot word. */
function bitVar(
  store: DebugVariables,
  parent: number,
  name: string,
  value: string,
  w: { target: RegisterTarget; address: number } | undefined,
): RuntimeVariable {
  const spec = w?.target.kind === 'mmio' ? fieldOf(w.target.reg, name) : undefined;
  const label = spec ? `${name} [${bits(spec)}]` : name;
  return node(
    store,
    parent,
    label,
    value,
    undefined,
    w && spec && { target: w.target, field: spec },
    w?.address,
  );
}

/** The number in a child's name `prefix N` (`slot 12`), or undefined. */
function numbered(name: string, prefix: string): number | undefined {
  const m = new RegExp(`^${prefix} (0|[1-9]\\d{0,9})$`).exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** IMS slot `slotNo` of `d`: its state and path as the value, its words as children. */
function imsSlotVar(
  store: DebugVariables,
  list: number,
  index: PlatformIndex,
  d: DsaRows,
  dev: DeviceLayout | undefined,
  slotNo: number,
): RuntimeVariable {
  const slot = index.imsSlot(d, slotNo);
  const irq = index.imsIrq(d, slotNo);
  const where = irq
    ? ` → IRTE ${irq.irte ?? '-'} → vector ${vec(irq.vector)} → CPU ${irq.cpu} (irq ${irq.irq})`
    : '';
  const base = dev && dev.bar0 + dev.imsOffset + slot.slot * dev.tables.ims.stride;
  const word = (n: string) => slotWord(dev?.tables.ims, n, base, `IMS slot ${slot.slot}`, d.bdf);
  const ctrl = word('ctrl');
  return node(
    store,
    list,
    `slot ${slot.slot}`,
    `${slot.mask ? 'masked' : 'unmasked'}${slot.pasid_en ? `, PASID ${slot.pasid}` : ''}${slot.pending ? ', PENDING' : ''}${where}`,
    (ref) => [
      wordVar(store, ref, 'address_lo', slot.address_lo, word('address_lo')),
      wordVar(store, ref, 'address_hi', slot.address_hi, word('address_hi')),
      wordVar(store, ref, 'data', slot.data, word('data')),
      wordVar(store, ref, 'ctrl', slot.ctrl, ctrl, (bitsRef) => [
        bitVar(store, bitsRef, 'mask', slot.mask ? '1 (masked)' : '0', ctrl),
        bitVar(store, bitsRef, 'pasid_en', slot.pasid_en ? '1' : '0', ctrl),
        bitVar(store, bitsRef, 'pasid', `0x${slot.pasid.toString(16)} (${slot.pasid})`, ctrl),
      ]),
      node(store, ref, 'pending', slot.pending ? `message #${slot.pendingId ?? '?'}` : 'no'),
      ...(irq
        ? [
            node(store, ref, 'irte', irq.irte === null ? 'none' : String(irq.irte)),
            node(store, ref, 'irq', String(irq.irq)),
          ]
        : []),
    ],
    undefined,
    base,
  );
}

/** MSI-X entry `i` of `d`: its state as the value, its words as children. */
function msixEntryVar(
  store: DebugVariables,
  list: number,
  d: DsaRows,
  dev: DeviceLayout | undefined,
  i: number,
): RuntimeVariable {
  const e = d.dev.msix.peek(i);
  const base = dev && dev.bar0 + dev.msixTableOffset + e.index * dev.tables.msix.stride;
  const word = (n: string) => slotWord(dev?.tables.msix, n, base, `MSI-X entry ${e.index}`, d.bdf);
  const ctrl = word('vector_ctrl');
  return node(
    store,
    list,
    `entry ${e.index}`,
    `${e.masked ? 'masked' : 'unmasked'} addr ${h32(e.address_lo)} data ${h32(e.data)}${e.pending ? ' PENDING' : ''}`,
    (ref) => [
      wordVar(store, ref, 'address_lo', e.address_lo, word('address_lo')),
      wordVar(store, ref, 'address_hi', e.address_hi, word('address_hi')),
      wordVar(store, ref, 'data', e.data, word('data')),
      wordVar(store, ref, 'vector_ctrl', e.vector_ctrl, ctrl, (bitsRef) => [
        bitVar(store, bitsRef, 'mask', (e.vector_ctrl & 1) !== 0 ? '1 (masked)' : '0', ctrl),
      ]),
      node(store, ref, 'pending', e.pending ? `message #${e.pendingId ?? '?'}` : 'no'),
    ],
    undefined,
    base,
  );
}

/**
 * IRTE row `row` of `index`: the raw entry as the value, its fields (decoded from the same raw
 * value when the row is expanded) as children.
 */
function irteVar(
  store: DebugVariables,
  list: number,
  index: PlatformIndex,
  row: number,
): RuntimeVariable {
  const r = index.irteRow(row);
  const e = index.irte(r);
  const label = `${r.unit} IRTE ${e.index}`;
  const target: RegisterTarget = {
    kind: 'irte',
    label,
    unit: r.seq,
    index: e.index,
    reg: IRTE_REGISTER,
  };
  const address = r.tableAddress + e.index * 16;
  return node(
    store,
    list,
    label,
    `${e.raw}${e.present ? '' : ' (not present)'}${e.irq === null ? '' : ` irq ${e.irq}`}`,
    (ref) =>
      e.fields.map((f) =>
        node(
          store,
          ref,
          `${f.name} [${bits(f)}]`,
          f.text,
          undefined,
          { target, field: fieldOf(IRTE_REGISTER, f.name) },
          address,
        ),
      ),
    { target },
    address,
  );
}

/** A scope whose children are rows paged as indexed variables. */
function rowsScope(
  store: DebugVariables,
  name: string,
  total: number,
  row: (ref: number, i: number) => RuntimeVariable,
  find: (name: string) => number | undefined,
): RuntimeScope {
  return {
    name,
    hint: 'registers',
    expensive: false,
    variablesReference: store.addRows(total, row, find),
    indexedVariables: total,
    namedVariables: 0,
  };
}

/**
 * The platform scopes for a frame running on `cpu`. `devices` gives each DSA's BAR0 address,
 * table offsets and register definitions (by BDF).
 */
export function platformScopes(
  store: DebugVariables,
  machine: Machine,
  cpu: number,
  devices: ReadonlyMap<string, DeviceLayout>,
): RuntimeScope[] {
  const index = new PlatformIndex(machine);
  const scopes: RuntimeScope[] = [];
  for (const d of index.dsas) {
    const dev = devices.get(d.bdf);
    scopes.push({
      name: `Registers ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: container(store, (top) => {
        // The device's registers, WQs and groups decoded (its IMS slots are the next scope's).
        const dsa = idxdSnapshot(d.dev, [], false);
        return [
          node(store, top, 'state', dsa.state),
          ...dsa.registers.map((r) => registerVar(store, top, r, dev)),
          node(
            store,
            top,
            'WQs',
            `${dsa.wqs.filter((w) => w.state !== 'disabled').length} enabled`,
            (wqs) =>
              dsa.wqs.map((w) =>
                node(
                  store,
                  wqs,
                  `wq${w.id}`,
                  `${w.state} ${w.mode} size ${w.size}${w.group === null ? '' : ` group ${w.group}`}`,
                  (ref) => w.wqcfg.map((r) => registerVar(store, ref, r, dev)),
                ),
              ),
          ),
          node(store, top, 'GRPCFG', `${dsa.groups.length} groups`, (groups) =>
            dsa.groups.map((g) =>
              node(
                store,
                groups,
                `group${g.id}`,
                `WQs [${g.wqs.join(',')}] engines [${g.engines.join(',')}]`,
                (ref) => g.grpcfg.map((r) => registerVar(store, ref, r, dev)),
              ),
            ),
          ),
        ];
      }),
    });
    scopes.push(
      rowsScope(
        store,
        `IMS slots ${d.bdf}`,
        d.imsSlots.length,
        (list, i) => imsSlotVar(store, list, index, d, dev, d.imsSlots[i]!),
        (name) => {
          const slot = numbered(name, 'slot');
          return slot === undefined ? undefined : index.imsRowOf(d, slot);
        },
      ),
    );
    scopes.push(
      rowsScope(
        store,
        `MSI-X ${d.bdf}`,
        d.dev.msix.size,
        (list, i) => msixEntryVar(store, list, d, dev, i),
        (name) => numbered(name, 'entry'),
      ),
    );
  }
  scopes.push(
    rowsScope(
      store,
      'IRTEs',
      index.irteCount,
      (list, row) => irteVar(store, list, index, row),
      (name) => {
        const m = /^(.+) IRTE (0|[1-9]\d{0,9})$/.exec(name);
        return m === null ? undefined : index.irteRowOf(m[1]!, Number(m[2]));
      },
    ),
  );
  const c = machine.cpus[cpu];
  if (c) {
    const apic = (reg: 'TPR' | 'IRR' | 'ISR'): VarTarget => ({
      target: { kind: 'apic', label: `CPU ${cpu} APIC ${reg}`, cpu, reg },
    });
    scopes.push({
      name: `CPU ${cpu} APIC`,
      hint: 'registers',
      expensive: false,
      variablesReference: container(store, (top) => {
        const a = c.apic;
        const vectors = index.lists
          .cpuVectors(c.id)
          .map((v) => vectorIrq(machine, c.id, v))
          .filter((x): x is VectorIrq => x !== undefined);
        return [
          node(
            store,
            top,
            'IF',
            c.irqsEnabled ? '1 (interrupts enabled)' : '0 (interrupts disabled)',
          ),
          node(store, top, 'APIC ID', String(a.apicId)),
          node(store, top, 'IRR', vlist(LocalApic.vectors(a.irr)), undefined, apic('IRR')),
          node(store, top, 'ISR', vlist(LocalApic.vectors(a.isr)), undefined, apic('ISR')),
          node(store, top, 'TMR', vlist(LocalApic.vectors(a.tmr))),
          node(store, top, 'TPR', vec(a.tpr), undefined, apic('TPR')),
          node(store, top, 'PPR', vec(a.ppr)),
          node(
            store,
            top,
            'in service',
            c.inService.length === 0
              ? 'none'
              : c.inService
                  .map((i) => `irq ${i.irq} vector ${vec(i.vector)} (${i.context})`)
                  .join(', '),
          ),
          node(store, top, 'vector_irq', `${vectors.length} vectors`, (ref) =>
            vectors.map((v) => node(store, ref, vec(v.vector), `irq ${v.irq}`)),
          ),
        ];
      }),
    });
  }
  return scopes;
}
