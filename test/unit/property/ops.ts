/**
 * The operations the property tests apply to the rig, as data: what a driver does through the
 * kernel API (MSI-X and IMS allocation, request/free, enable/disable, affinity, CPU hotplug,
 * local_irq_*), what software does through MMIO (entry and slot masks, commands, descriptor
 * submissions, random writes anywhere in BAR0, BAR2, the tables and the DMAR registers), what
 * corrupts state behind the kernel's back (IRTEs in memory, PCI COMMAND, MSI-X Message Control,
 * a function-level reset), what the device does by itself (signalling an entry or slot), and
 * time passing. Irqs, handles and IRTEs are named by position (`pick`, taken modulo what the rig
 * holds then), so shrinking keeps a sequence meaningful. `describe` gives a counterexample's
 * line.
 */
import { hex } from '../../../src/platform/bits';

/** A BAR0 area, the DMAR unit's registers, or BAR2; offsets are relative to the area. */
export type Area = 'regs' | 'msix' | 'ims' | 'bar0' | 'bar2' | 'dmar';

/** How a completion interrupt is named: a handle the driver got, or any 16-bit value. */
export type HandleRef = { pick: number } | { raw: number };

export type Op =
  | { k: 'msixAlloc'; nvec: number }
  | { k: 'msixFree'; freeActionsFirst: boolean }
  | { k: 'msixAllocAt'; index: number | 'any'; mask: number[] | null }
  | { k: 'msixFreeAt'; pick: number }
  | { k: 'imsAlloc'; pasid: number; mask: number[] | null }
  | { k: 'imsFree'; pick: number }
  | { k: 'request'; pick: number; kind: 'handled' | 'none' | 'thread' }
  | { k: 'free'; pick: number }
  | { k: 'disable' | 'enable'; pick: number }
  | { k: 'affinity'; pick: number; cpus: number[] }
  | { k: 'cpuDown' | 'cpuUp'; cpu: number }
  | { k: 'irte'; pick: number; value: bigint | 'clear-present'; flush: boolean }
  | { k: 'mask'; source: 'msix' | 'ims'; index: number; masked: boolean }
  | { k: 'mmio'; area: Area; offset: number; width: 32 | 64; value: bigint; read: boolean }
  | { k: 'pciCommand'; memory: boolean; master: boolean }
  | { k: 'msixControl'; enable: boolean; maskAll: boolean }
  | {
      k: 'submit';
      wq: number;
      limited: boolean;
      how: 'movdir64b' | 'enqcmd' | 'enqcmds';
      opcode: number;
      flags: number;
      pasid: number;
      handle: HandleRef;
      record: number;
    }
  | { k: 'burst'; wq: number; n: number; pick: number }
  | { k: 'command'; code: number; operand: number; intReq: boolean }
  | { k: 'intHandle'; source: 'msix' | 'ims'; index: number }
  | { k: 'releaseHandle'; pick: number }
  | { k: 'fire'; source: 'msix' | 'ims'; index: number; pasid: number | null }
  | { k: 'irqs'; on: boolean }
  | { k: 'dispatch' }
  | { k: 'advance'; ns: number; take: boolean }
  | { k: 'flr' };

const mask = (m: number[] | null): string => (m === null ? '' : `, [${m.join(',')}]`);
const ref = (h: HandleRef): string => ('pick' in h ? `handle#${h.pick}` : `raw ${hex(h.raw)}`);

/** One line naming `op` and its arguments, as a counterexample shows it. */
export function describe(op: Op): string {
  switch (op.k) {
    case 'msixAlloc':
      return `pci_alloc_irq_vectors(1, ${op.nvec})`;
    case 'msixFree':
      return `pci_free_irq_vectors(${op.freeActionsFirst ? 'after free_irq' : 'handlers left'})`;
    case 'msixAllocAt':
      return `pci_msix_alloc_irq_at(${op.index === 'any' ? 'MSI_ANY_INDEX' : op.index}${mask(op.mask)})`;
    case 'msixFreeAt':
      return `pci_msix_free_irq(dynamic#${op.pick})`;
    case 'imsAlloc':
      return `pci_ims_alloc_irq(pasid ${op.pasid}${mask(op.mask)})`;
    case 'imsFree':
      return `pci_ims_free_irq(ims#${op.pick})`;
    case 'request':
      return `request_irq(irq#${op.pick}, ${op.kind})`;
    case 'free':
    case 'disable':
    case 'enable':
      return `${op.k}_irq(irq#${op.pick})`;
    case 'affinity':
      return `irq_set_affinity(irq#${op.pick}, [${op.cpus.join(',')}])`;
    case 'cpuDown':
      return `remove_cpu(${op.cpu})`;
    case 'cpuUp':
      return `add_cpu(${op.cpu})`;
    case 'irte':
      return `IRTE of irte#${op.pick} := ${op.value === 'clear-present' ? 'P cleared' : hex(op.value)}${op.flush ? ', qi_flush_iec' : ''}`;
    case 'mask':
      return `${op.source === 'msix' ? 'MSI-X entry' : 'IMS slot'} ${op.index} ${op.masked ? 'mask' : 'unmask'} (MMIO)`;
    case 'mmio':
      return `${op.read ? 'read' : 'write'}${op.width} ${op.area}+${hex(op.offset)}${op.read ? '' : ` = ${hex(op.value)}`}`;
    case 'pciCommand':
      return `PCI COMMAND: memory ${+op.memory}, master ${+op.master}`;
    case 'msixControl':
      return `MSI-X Message Control: enable ${+op.enable}, mask-all ${+op.maskAll}`;
    case 'submit':
      return `${op.how} to WQ ${op.wq}${op.limited ? ' (limited)' : ''}: opcode ${hex(op.opcode)}, flags ${hex(op.flags)}, pasid ${op.pasid}, ${ref(op.handle)}, record#${op.record}`;
    case 'burst':
      return `${op.n} NOOPs with RCI to WQ ${op.wq} through handle#${op.pick}, then 10 µs`;
    case 'command':
      return `CMD ${op.code} operand ${hex(op.operand)}${op.intReq ? ' int_req' : ''}`;
    case 'intHandle':
      return `REQUEST_INT_HANDLE(${op.source} ${op.index})`;
    case 'releaseHandle':
      return `RELEASE_INT_HANDLE(handle#${op.pick})`;
    case 'fire':
      return `device signals ${op.source} ${op.index}${op.pasid === null ? '' : ` (pasid ${op.pasid})`}`;
    case 'irqs':
      return op.on ? 'local_irq_enable()' : 'local_irq_disable()';
    case 'dispatch':
      return 'take pending interrupts';
    case 'advance':
      return `advance ${op.ns} ns${op.take ? ' taking interrupts' : ''}`;
    case 'flr':
      return 'function-level reset';
  }
}
