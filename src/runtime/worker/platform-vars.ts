/**
 * The platform scopes of a stop — the device's registers with decoded fields, the IMS slots and
 * MSI-X entries in use, the IRTEs in use, and the CPU's local APIC — rendered as variables from
 * the stop's PlatformSnapshot (one snapshot per stop; nothing is read per node).
 *
 * Each register variable (and each of its fields) records the register behind it (see
 * reg-targets.ts), so setVariable writes it through the MMIO path and dataBreakpointInfo can
 * watch it; memory-backed ones carry their address as memoryReference.
 */
import type { PlatformSnapshot } from '../../platform/snapshot/types';
import type { ImsSlotView, RegisterSnapshot } from '../../platform/idxd';
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

/**
 * The IMS slots to show: those in use (differing from reset or holding a message) and those an
 * irq owns — an allocated slot that still has its reset contents (masked, no message: it is not
 * in the snapshot's in-use list, which is exactly what reset looks like) shows, so its registers
 * can be watched before the irq is activated.
 */
function imsSlots(s: PlatformSnapshot, bdf: string, inUse: readonly ImsSlotView[]): ImsSlotView[] {
  const out = [...inUse];
  for (const i of s.irqs) {
    if (i.device !== bdf || i.source !== 'ims' || i.index === null) continue;
    const slot = i.index;
    if (out.some((x) => x.slot === slot)) continue;
    out.push({
      slot,
      address_lo: 0,
      address_hi: 0,
      data: 0,
      ctrl: 1,
      mask: true,
      pasid_en: false,
      pasid: 0,
      pending: false,
      pendingId: null,
    });
  }
  return out.sort((a, b) => a.slot - b.slot);
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

/**
 * The platform scopes for a frame running on `cpu`. `devices` gives each DSA's BAR0 address,
 * table offsets and register definitions (by BDF).
 */
export function platformScopes(
  store: DebugVariables,
  snap: () => PlatformSnapshot,
  cpu: number,
  devices: ReadonlyMap<string, DeviceLayout>,
): RuntimeScope[] {
  const s = snap();
  const scopes: RuntimeScope[] = [];
  for (const d of s.devices) {
    const dsa = d.dsa;
    if (dsa === null) continue;
    const dev = devices.get(d.bdf);
    scopes.push({
      name: `Registers ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: container(store, (top) => [
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
      ]),
    });
    scopes.push({
      name: `IMS slots ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: container(store, (list) =>
        imsSlots(s, d.bdf, dsa.ims.inUse).map((slot) => {
          const irq = s.irqs.find(
            (i) => i.device === d.bdf && i.source === 'ims' && i.index === slot.slot,
          );
          const where = irq
            ? ` → IRTE ${irq.irte ?? '-'} → vector ${vec(irq.vector)} → CPU ${irq.cpu} (irq ${irq.irq})`
            : '';
          const base = dev && dev.bar0 + dev.imsOffset + slot.slot * dev.tables.ims.stride;
          const word = (n: string) =>
            slotWord(dev?.tables.ims, n, base, `IMS slot ${slot.slot}`, d.bdf);
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
                bitVar(
                  store,
                  bitsRef,
                  'pasid',
                  `0x${slot.pasid.toString(16)} (${slot.pasid})`,
                  ctrl,
                ),
              ]),
              node(
                store,
                ref,
                'pending',
                slot.pending ? `message #${slot.pendingId ?? '?'}` : 'no',
              ),
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
        }),
      ),
    });
    scopes.push({
      name: `MSI-X ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: container(store, (list) =>
        dsa.msix.map((e) => {
          const base = dev && dev.bar0 + dev.msixTableOffset + e.index * dev.tables.msix.stride;
          const word = (n: string) =>
            slotWord(dev?.tables.msix, n, base, `MSI-X entry ${e.index}`, d.bdf);
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
                bitVar(
                  store,
                  bitsRef,
                  'mask',
                  (e.vector_ctrl & 1) !== 0 ? '1 (masked)' : '0',
                  ctrl,
                ),
              ]),
              node(store, ref, 'pending', e.pending ? `message #${e.pendingId ?? '?'}` : 'no'),
            ],
            undefined,
            base,
          );
        }),
      ),
    });
  }
  scopes.push({
    name: 'IRTEs',
    hint: 'registers',
    expensive: false,
    variablesReference: container(store, (list) =>
      s.ir.flatMap((u) =>
        u.irtes.map((e) => {
          const target: RegisterTarget = {
            kind: 'irte',
            label: `${u.name} IRTE ${e.index}`,
            unit: u.seq,
            index: e.index,
            reg: IRTE_REGISTER,
          };
          const address = Number(u.tableAddress) + e.index * 16;
          return node(
            store,
            list,
            `${u.name} IRTE ${e.index}`,
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
        }),
      ),
    ),
  });
  const c = s.cpus[cpu];
  if (c) {
    const apic = (reg: 'TPR' | 'IRR' | 'ISR'): VarTarget => ({
      target: { kind: 'apic', label: `CPU ${cpu} APIC ${reg}`, cpu, reg },
    });
    scopes.push({
      name: `CPU ${cpu} APIC`,
      hint: 'registers',
      expensive: false,
      variablesReference: container(store, (top) => [
        node(
          store,
          top,
          'IF',
          c.irqsEnabled ? '1 (interrupts enabled)' : '0 (interrupts disabled)',
        ),
        node(store, top, 'APIC ID', String(c.apicId)),
        node(store, top, 'IRR', vlist(c.irr), undefined, apic('IRR')),
        node(store, top, 'ISR', vlist(c.isr), undefined, apic('ISR')),
        node(store, top, 'TMR', vlist(c.tmr)),
        node(store, top, 'TPR', vec(c.tpr), undefined, apic('TPR')),
        node(store, top, 'PPR', vec(c.ppr)),
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
        node(store, top, 'vector_irq', `${c.vectors.length} vectors`, (ref) =>
          c.vectors.map((v) => node(store, ref, vec(v.vector), `irq ${v.irq}`)),
        ),
      ]),
    });
  }
  return scopes;
}
