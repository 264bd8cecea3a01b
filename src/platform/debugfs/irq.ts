/**
 * /sys/kernel/debug/irq/irqs/<n>: irq_debug_show() of kernel/irq/debugfs.c, Linux v6.15, as an
 * x86-64 SMP kernel prints it (CONFIG_GENERIC_IRQ_EFFECTIVE_AFF_MASK and
 * CONFIG_GENERIC_PENDING_IRQ set, so `effectiv:` and `pending:` are there):
 *
 *   "handler:  %ps\n"   "device:   %s\n"
 *   "status:   0x%08x\n" + names      "istate:   0x%08x\n" + names
 *   "ddepth:   %u\n"    "wdepth:   %u\n"    "dstate:   0x%08x\n" + names
 *   "node:     %d\n"    "affinity: %*pbl\n" "effectiv: %*pbl\n"  "pending:  %*pbl\n"
 *
 * then irq_debug_show_data() per level from the top, each parent 4 deeper:
 *
 *   "%*sdomain:  %s\n"   ind        "%*shwirq:   0x%lx\n"  ind + 1
 *   "%*schip:    %s"     ind + 1    "\n%*sflags:   0x%lx\n" ind + 2, names at ind + 13
 *   domain->ops->debug_show(m, NULL, data, ind + 1)
 *   "%*sparent:\n"       ind + 1
 *
 * The per-level debug_show: the VECTOR domain's x86_vector_debug_show (Vector/Target…), and
 * for MSI domains msi_domain_debug_show (v6.15+), whose format starts with a newline — the
 * kernel really prints an empty line before `address_hi:`.
 */
import type { IrqCore } from '../irq/core';
import type { IrqData } from '../irq/irqdata';
import type { IrqDesc } from '../irq/irqdesc';
import type { IrqDomain } from '../irq/irqdomain';
import {
  DOMAIN_BUS_PCI_DEVICE_MSI,
  DOMAIN_BUS_PCI_DEVICE_MSIX,
  IRQF_ONESHOT,
  IRQ_DOMAIN_FLAG_MSI,
  IRQS_ONESHOT,
} from '../irq/types';
import { formatBitList } from '../bits';
import { debugfsDomainName } from './domain';
import {
  IRQCHIP_FLAGS,
  IRQDATA_STATES,
  IRQDESC_ISTATES,
  IRQDESC_STATES,
  IRQD_AFFINITY_ON_ACTIVATE,
  IRQD_HANDLE_ENFORCE_IRQCTX,
  IRQS_SYSFS,
  hex08,
  hexl,
  pad,
  showBits,
} from './descr';

/**
 * The text of `irqs/<n>` for `desc`. `vector` is the x86 VECTOR domain (its levels get the
 * state bits x86_vector_alloc_irqs sets). Ends with a newline.
 *
 * Fields the emulation does not model are printed as Linux prints them for a freshly
 * allocated or requested MSI irq on x86:
 * - status 0: x86 has no ARCH_IRQ_INIT_FLAGS, irq_domain_insert_irq() clears IRQ_NOREQUEST,
 *   and IRQ_MOVE_PCNTXT is gone since v6.13;
 * - istate has IRQS_SYSFS (0x4000, no name): irq_sysfs_add() sets it for every irq allocated
 *   after boot; IRQS_ONESHOT when the first action kept IRQF_ONESHOT (__setup_irq);
 * - dstate has IRQD_HANDLE_ENFORCE_IRQCTX and IRQD_AFFINITY_ON_ACTIVATE, which
 *   x86_vector_alloc_irqs() sets on every irq it allocates;
 * - wdepth 0 (no wakeup source); node 0 (the emulated machine is one NUMA node);
 * - affinity: irq_default_affinity (every possible CPU) until irq_set_affinity();
 *   pending: empty (no deferred move).
 */
export function irqDebugShow(core: IrqCore, desc: IrqDesc, vector: IrqDomain | null): string {
  const d = desc.irq_data;
  let istate = desc.istate | IRQS_SYSFS;
  if (desc.action !== null && (desc.action.flags & IRQF_ONESHOT) !== 0) istate |= IRQS_ONESHOT;
  let dstate = d.common.state;
  if (vector !== null && levels(d).some((l) => l.domain === vector))
    dstate |= IRQD_HANDLE_ENFORCE_IRQCTX | IRQD_AFFINITY_ON_ACTIVATE;
  const status = 0;
  const affinity =
    d.common.affinity.length > 0 ? d.common.affinity : core.cpus.map((_, cpu) => cpu);

  let s = `handler:  ${desc.handler}\n`;
  s += `device:   ${desc.dev ?? '(null)'}\n`;
  s += `status:   ${hex08(status)}\n`;
  s += showBits(0, status, IRQDESC_STATES);
  s += `istate:   ${hex08(istate)}\n`;
  s += showBits(0, istate, IRQDESC_ISTATES);
  s += `ddepth:   ${desc.depth}\n`;
  s += `wdepth:   0\n`;
  s += `dstate:   ${hex08(dstate)}\n`;
  s += showBits(0, dstate, IRQDATA_STATES);
  s += `node:     0\n`;
  s += `affinity: ${formatBitList(affinity)}\n`;
  s += `effectiv: ${formatBitList(d.common.effective_affinity)}\n`;
  s += `pending:  ${formatBitList(desc.pending_mask)}\n`;
  return s + showData(d, 0);
}

/** irq_debug_show_data(): one level and, 4 deeper, its parents. */
function showData(d: IrqData, ind: number): string {
  let s = `${pad(ind)}domain:  ${debugfsDomainName(d.domain)}\n`;
  s += `${pad(ind + 1)}hwirq:   ${hexl(d.hwirq)}\n`;
  s += showChip(d, ind + 1);
  s += levelDebugShow(d, ind + 1);
  if (d.parent_data === null) return s;
  s += `${pad(ind + 1)}parent:\n`;
  return s + showData(d.parent_data, ind + 4);
}

/** irq_debug_show_chip(). */
function showChip(d: IrqData, ind: number): string {
  const flags = d.chip.flags ?? 0;
  let s = `${pad(ind)}chip:    ${d.chip.name}\n`;
  s += `${pad(ind + 1)}flags:   ${hexl(flags)}\n`;
  return s + showBits(ind, flags, IRQCHIP_FLAGS);
}

/**
 * domain->ops->debug_show(m, NULL, data, ind). The platform's MSI domains have no debug_show
 * of their own, so msi_domain_debug_show is here: it prints the msi_desc's cached message.
 * Linux caches it only in the PCI write path (__pci_write_msi_msg: `entry->msg = *msg`); the
 * generic irq_chip_write_msi_msg() does not, so on an IMS domain the kernel prints zeros even
 * though the emulation keeps the last message written.
 */
function levelDebugShow(d: IrqData, ind: number): string {
  const dom = d.domain;
  if (dom.ops.debug_show) return dom.ops.debug_show(dom, d, ind);
  if ((dom.flags & IRQ_DOMAIN_FLAG_MSI) === 0) return '';
  const desc = d.common.msi_desc;
  if (desc === null) return '';
  const pci =
    dom.bus_token === DOMAIN_BUS_PCI_DEVICE_MSIX || dom.bus_token === DOMAIN_BUS_PCI_DEVICE_MSI;
  const msg = pci ? desc.msg : { address_hi: 0, address_lo: 0, data: 0 };
  return (
    `\n${pad(ind + 1)}address_hi: ${hex08(msg.address_hi)}` +
    `\n${pad(ind + 1)}address_lo: ${hex08(msg.address_lo)}` +
    `\n${pad(ind + 1)}msg_data:   ${hex08(msg.data)}\n`
  );
}

/** `d` and its parents, top first. */
function levels(d: IrqData): IrqData[] {
  const out: IrqData[] = [];
  for (let l: IrqData | null = d; l; l = l.parent_data) out.push(l);
  return out;
}
