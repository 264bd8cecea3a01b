/**
 * The platform scopes of a stop — the device's registers with decoded fields, the IMS slots and
 * MSI-X entries in use, the IRTEs in use, and the CPU's local APIC — rendered as variables from
 * the stop's PlatformSnapshot (one snapshot per stop; nothing is read per node).
 */
import type { PlatformSnapshot } from '../../platform/snapshot/types';
import type { RegisterSnapshot } from '../../platform/idxd';
import type { RuntimeScope, RuntimeVariable } from '../protocol';
import type { VariableStore } from './values';

const h32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const vec = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
const vlist = (vs: readonly number[]): string => (vs.length === 0 ? 'none' : vs.map(vec).join(' '));

/** A variable with fixed children (built lazily). */
function node(
  store: VariableStore,
  name: string,
  value: string,
  children?: () => RuntimeVariable[],
): RuntimeVariable {
  return {
    name,
    value,
    register: true,
    variablesReference: children ? store.add(() => children()) : 0,
  };
}

function registerVar(store: VariableStore, r: RegisterSnapshot): RuntimeVariable {
  return node(store, `${r.name} @${vec(r.offset)}`, r.value, () =>
    r.fields.map((f) =>
      node(
        store,
        `${f.name} [${f.hi === f.lo ? f.hi : `${f.hi}:${f.lo}`}]`,
        f.text && f.text !== f.value ? `${f.value} (${f.text})` : f.value,
      ),
    ),
  );
}

/** The platform scopes for a frame running on `cpu`. */
export function platformScopes(
  store: VariableStore,
  snap: () => PlatformSnapshot,
  cpu: number,
): RuntimeScope[] {
  const s = snap();
  const scopes: RuntimeScope[] = [];
  for (const d of s.devices) {
    const dsa = d.dsa;
    if (dsa === null) continue;
    scopes.push({
      name: `Registers ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: store.add(() => [
        node(store, 'state', dsa.state),
        ...dsa.registers.map((r) => registerVar(store, r)),
        node(store, 'WQs', `${dsa.wqs.filter((w) => w.state !== 'disabled').length} enabled`, () =>
          dsa.wqs.map((w) =>
            node(
              store,
              `wq${w.id}`,
              `${w.state} ${w.mode} size ${w.size}${w.group === null ? '' : ` group ${w.group}`}`,
              () => w.wqcfg.map((r) => registerVar(store, r)),
            ),
          ),
        ),
        node(store, 'GRPCFG', `${dsa.groups.length} groups`, () =>
          dsa.groups.map((g) =>
            node(
              store,
              `group${g.id}`,
              `WQs [${g.wqs.join(',')}] engines [${g.engines.join(',')}]`,
              () => g.grpcfg.map((r) => registerVar(store, r)),
            ),
          ),
        ),
      ]),
    });
    scopes.push({
      name: `IMS slots ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: store.add(() =>
        dsa.ims.inUse.map((slot) => {
          const irq = s.irqs.find(
            (i) => i.device === d.bdf && i.source === 'ims' && i.index === slot.slot,
          );
          const where = irq
            ? ` → IRTE ${irq.irte ?? '-'} → vector ${vec(irq.vector)} → CPU ${irq.cpu} (irq ${irq.irq})`
            : '';
          return node(
            store,
            `slot ${slot.slot}`,
            `${slot.mask ? 'masked' : 'unmasked'}${slot.pasid_en ? `, PASID ${slot.pasid}` : ''}${slot.pending ? ', PENDING' : ''}${where}`,
            () => [
              node(store, 'address_lo', h32(slot.address_lo)),
              node(store, 'address_hi', h32(slot.address_hi)),
              node(store, 'data', h32(slot.data)),
              node(store, 'ctrl', h32(slot.ctrl), () => [
                node(store, 'mask [0]', slot.mask ? '1 (masked)' : '0'),
                node(store, 'pasid_en [3]', slot.pasid_en ? '1' : '0'),
                node(store, 'pasid [31:12]', `0x${slot.pasid.toString(16)} (${slot.pasid})`),
              ]),
              node(store, 'pending', slot.pending ? `message #${slot.pendingId ?? '?'}` : 'no'),
              ...(irq
                ? [
                    node(store, 'irte', irq.irte === null ? 'none' : String(irq.irte)),
                    node(store, 'irq', String(irq.irq)),
                  ]
                : []),
            ],
          );
        }),
      ),
    });
    scopes.push({
      name: `MSI-X ${d.bdf}`,
      hint: 'registers',
      expensive: false,
      variablesReference: store.add(() =>
        dsa.msix.map((e) =>
          node(
            store,
            `entry ${e.index}`,
            `${e.masked ? 'masked' : 'unmasked'} addr ${h32(e.address_lo)} data ${h32(e.data)}${e.pending ? ' PENDING' : ''}`,
            () => [
              node(store, 'address_lo', h32(e.address_lo)),
              node(store, 'address_hi', h32(e.address_hi)),
              node(store, 'data', h32(e.data)),
              node(store, 'vector_ctrl', h32(e.vector_ctrl)),
              node(store, 'pending', e.pending ? `message #${e.pendingId ?? '?'}` : 'no'),
            ],
          ),
        ),
      ),
    });
  }
  scopes.push({
    name: 'IRTEs',
    hint: 'registers',
    expensive: false,
    variablesReference: store.add(() =>
      s.ir.flatMap((u) =>
        u.irtes.map((e) =>
          node(
            store,
            `${u.name} IRTE ${e.index}`,
            `${e.raw}${e.present ? '' : ' (not present)'}${e.irq === null ? '' : ` irq ${e.irq}`}`,
            () =>
              e.fields.map((f) =>
                node(store, `${f.name} [${f.hi === f.lo ? f.hi : `${f.hi}:${f.lo}`}]`, f.text),
              ),
          ),
        ),
      ),
    ),
  });
  const c = s.cpus[cpu];
  if (c) {
    scopes.push({
      name: `CPU ${cpu} APIC`,
      hint: 'registers',
      expensive: false,
      variablesReference: store.add(() => [
        node(store, 'IF', c.irqsEnabled ? '1 (interrupts enabled)' : '0 (interrupts disabled)'),
        node(store, 'APIC ID', String(c.apicId)),
        node(store, 'IRR', vlist(c.irr)),
        node(store, 'ISR', vlist(c.isr)),
        node(store, 'TMR', vlist(c.tmr)),
        node(store, 'TPR', vec(c.tpr)),
        node(store, 'PPR', vec(c.ppr)),
        node(
          store,
          'in service',
          c.inService.length === 0
            ? 'none'
            : c.inService
                .map((i) => `irq ${i.irq} vector ${vec(i.vector)} (${i.context})`)
                .join(', '),
        ),
        node(store, 'vector_irq', `${c.vectors.length} vectors`, () =>
          c.vectors.map((v) => node(store, vec(v.vector), `irq ${v.irq}`)),
        ),
      ]),
    });
  }
  return scopes;
}
