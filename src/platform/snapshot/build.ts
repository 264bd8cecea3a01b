/** Builds the PlatformSnapshot of a machine (see types.ts). Pure reads. */
import type { Machine } from '../machine/machine';
import type { DsaPlatformDevice } from '../machine/devices';
import type { IrqData } from '../irq/irqdata';
import type { IrqDesc } from '../irq/irqdesc';
import type { IntelIrData } from '../remap/ir-domain';
import { IRQD_NAMES } from '../irq/types';
import { LocalApic } from '../apic/lapic';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../apic/vectors';
import { decodeIrte, IRTE_FIELDS, DELIVERY_MODE_NAMES } from '../remap/irte';
import { faultReasonText } from '../remap/faults';
import { formatSid, hex } from '../bits';
import {
  SNAPSHOT_VERSION,
  type CpuSnapshot,
  type DomainSnapshot,
  type IrqSnapshot,
  type IrteSnapshot,
  type IrUnitSnapshot,
  type PlatformSnapshot,
} from './types';

/** Options: how much of the trace and log to include. */
export interface SnapshotOptions {
  seq?: number;
  recentEvents?: number;
  logLines?: number;
}

export function buildSnapshot(m: Machine, opts: SnapshotOptions = {}): PlatformSnapshot {
  const descs = m.core.descs.all();
  return {
    version: SNAPSHOT_VERSION,
    seq: opts.seq ?? 0,
    t: m.clock.now,
    cpus: m.cpus.map((c): CpuSnapshot => {
      const vectors: { vector: number; irq: number }[] = [];
      c.vector_irq.forEach((d, v) => {
        if (d) vectors.push({ vector: v, irq: d.irq });
      });
      return {
        id: c.id,
        apicId: c.apic.apicId,
        online: c.online,
        irqsEnabled: c.irqsEnabled,
        tpr: c.apic.tpr,
        ppr: c.apic.ppr,
        irr: LocalApic.vectors(c.apic.irr),
        isr: LocalApic.vectors(c.apic.isr),
        tmr: LocalApic.vectors(c.apic.tmr),
        inService: c.inService.map((s) => ({
          irq: s.irq,
          vector: s.vector,
          context: s.context,
          messageId: s.messageId,
        })),
        vectors,
      };
    }),
    domains: m.core.domains.map((d): DomainSnapshot => ({
      name: d.name,
      parent: d.parent?.name ?? null,
      flags: d.flags,
      size: d.hwsize,
      mapped: d.mapcount,
      busToken: d.bus_token,
      dev: d.dev ?? null,
      irqs: descs.filter((x) => x.irq_data.domain === d).map((x) => x.irq),
    })),
    irqs: descs.map((x) => irqSnapshot(m, x)),
    ir: m.ir.map((u) => irSnapshot(m, u.unit.seq)),
    devices: m.devices.map((d) => ({
      kind: d.kind,
      bdf: d.fn.bdf,
      dsa: d.kind === 'dsa' ? (d as DsaPlatformDevice).dsa.snapshot() : null,
    })),
    trace: {
      totals: m.trace.totals,
      messages: m.trace.messageCount,
      pendingIds: m.trace.pendingIds(),
      recent: m.trace.events(Math.max(0, m.trace.length - (opts.recentEvents ?? 200))),
      problems: m.trace.check(),
    },
    events: m.clock.list().map((e) => ({ t: e.t, label: e.label })),
    log: m.log.lines.slice(-(opts.logLines ?? 200)),
    anomalies: m.anomalies.slice(-200),
  };
}

function levels(d: IrqData): IrqData[] {
  const out: IrqData[] = [];
  for (let p: IrqData | null = d; p; p = p.parent_data) out.push(p);
  return out;
}

function irqSnapshot(m: Machine, desc: IrqDesc): IrqSnapshot {
  const top = desc.irq_data;
  const ls = levels(top);
  const ir = ls.find((l) => l.domain.name.startsWith('INTEL-IR-'));
  const ird = ir?.chip_data as IntelIrData | undefined;
  const a = m.vector.apicd(top);
  const msi = top.common.msi_desc;
  const source = msi === null ? null : top.domain.name.includes('PCI-MSIX-') ? 'msix' : 'ims';
  return {
    irq: desc.irq,
    domain: top.domain.name,
    hwirq: top.hwirq,
    chip: top.chip.name,
    action: desc.actionName,
    device: desc.dev ?? null,
    source,
    index: msi?.msi_index ?? null,
    msg: msi ? { ...msi.msg } : null,
    irte: ird ? ird.irte_index + ird.sub_handle : null,
    ir: ir?.domain.name ?? null,
    vector: a?.hw_irq_cfg.vector ?? 0,
    cpu: top.common.effective_affinity[0] ?? 0,
    reserved: (a?.has_reserved ?? false) || a?.hw_irq_cfg.vector === MANAGED_IRQ_SHUTDOWN_VECTOR,
    prevVector: a?.prev_vector ? a.prev_vector : null,
    prevCpu: a?.prev_vector ? a.prev_cpu : null,
    moveInProgress: a?.move_in_progress ?? false,
    state: IRQD_NAMES.filter(([bit]) => (top.common.state & bit) !== 0).map(([, n]) => n),
    count: desc.tot_count,
    perCpu: m.cpus.map((c) => desc.kstat[c.id] ?? 0),
    unhandled: desc.irqs_unhandled,
    icookie: msi && source === 'ims' ? hex(BigInt(msi.data.icookie.value)) : null,
  };
}

function irSnapshot(m: Machine, seq: number): IrUnitSnapshot {
  const inst = m.ir[seq]!;
  const u = inst.unit;
  const indices = u.enabled ? inst.domain.allocated() : [];
  return {
    seq,
    name: inst.domain.domain.name,
    enabled: u.enabled,
    eime: u.eime,
    tableAddress: hex(u.tableAddress),
    tableSize: u.enabled ? u.tableSize : 0,
    irtes: indices.map((i) => irteSnapshot(u.readIrte(i), i, inst.domain.irqOfIrte(i) ?? null)),
    faults: u.faultLog.slice(-200).map((f) => ({
      t: f.t,
      reason: f.reason,
      text: faultReasonText(f.reason),
      sid: formatSid(f.sid),
      index: f.index,
      recorded: f.recorded,
      messageId: f.messageId,
      note: f.note ?? null,
    })),
  };
}

/** One IRTE decoded for the views. */
export function irteSnapshot(raw: bigint, index: number, irq: number | null): IrteSnapshot {
  const e = decodeIrte(raw);
  const text = (name: string, v: number): string => {
    if (name === 'dlm') return DELIVERY_MODE_NAMES[v] ?? 'reserved';
    if (name === 'vector') return hex(v, 2);
    if (name === 'sid') return formatSid(v);
    if (name === 'svt') return ['none', 'verify SID/SQ', 'verify bus range', 'reserved'][v] ?? '';
    if (name === 'sq')
      return ['all 16 bits', 'ignore bit 2', 'ignore bits 2:1', 'ignore bits 2:0'][v] ?? '';
    return String(v);
  };
  return {
    index,
    raw: hex(raw, 32),
    present: e.p === 1,
    posted: e.pst === 1,
    fields: IRTE_FIELDS.map(([name, hi, lo, desc]) => {
      const v = Number(e[name]);
      return { name: name.toUpperCase(), hi, lo, value: v, text: `${text(name, v)} — ${desc}` };
    }),
    irq,
  };
}
