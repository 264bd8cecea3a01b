/**
 * Builds the PlatformSnapshot of a machine (see types.ts): complete by default (the CLI, the
 * Variables view), or bounded by an inline limit for the views, whose long lists then come as
 * totals and are read with buildPage (pages.ts). Pure reads.
 */
import type { Machine } from '../machine/machine';
import type { DsaPlatformDevice } from '../machine/devices';
import { idxdSnapshot } from '../idxd/snapshot';
import { LocalApic } from '../apic/lapic';
import { faultReasonText } from '../remap/faults';
import { formatSid, hex } from '../bits';
import { MachineLists } from './lists';
import { NamedRecords } from './named';
import { heldEntry, iecEntry, irqSnapshot, qiSnapshot, unitIrte, vectorIrq } from './records';
import {
  SNAPSHOT_VERSION,
  type CpuSnapshot,
  type DeviceSnapshot,
  type DomainSnapshot,
  type IrUnitSnapshot,
  type PlatformSnapshot,
  type VectorIrq,
} from './types';

export { irteSnapshot } from './records';

/** Options: which stop, how much of long lists, the trace and the log to include. */
export interface SnapshotOptions {
  seq?: number;
  /** Changes the debugger made during this stop (see PlatformSnapshot.generation). */
  generation?: number;
  /**
   * Longest list carried whole; longer ones carry their total only. Undefined: complete (every
   * list whole, every irq).
   */
  inlineLimit?: number;
  /** The machine's list keys, when the caller keeps them to serve pages of the same state. */
  lists?: MachineLists;
  recentEvents?: number;
  logLines?: number;
}

export function buildSnapshot(m: Machine, opts: SnapshotOptions = {}): PlatformSnapshot {
  const lists = opts.lists ?? new MachineLists(m);
  const limit = opts.inlineLimit ?? Infinity;
  const complete = opts.inlineLimit === undefined;
  const named = new NamedRecords(lists, !complete);
  /** The keys to carry: all of them when they fit, none otherwise. */
  const inline = <T>(keys: readonly T[]): readonly T[] => (keys.length <= limit ? keys : []);

  const cpus = m.cpus.map((c): CpuSnapshot => {
    const keys = lists.cpuVectors(c.id);
    const irr = LocalApic.vectors(c.apic.irr);
    const isr = LocalApic.vectors(c.apic.isr);
    const tmr = LocalApic.vectors(c.apic.tmr);
    const activeVectors = new Set([...irr, ...isr, ...tmr, ...c.inService.map((s) => s.vector)]);
    const active = [...activeVectors]
      .sort((a, b) => a - b)
      .map((v) => vectorIrq(m, c.id, v))
      .filter((x): x is VectorIrq => x !== undefined);
    const vectors = inline(keys).map((v) => vectorIrq(m, c.id, v)!);
    if (!complete) {
      for (const v of [...active, ...vectors]) named.irq(v.irq);
      for (const s of c.inService) named.irq(s.irq);
    }
    return {
      id: c.id,
      apicId: c.apic.apicId,
      online: c.online,
      irqsEnabled: c.irqsEnabled,
      tpr: c.apic.tpr,
      ppr: c.apic.ppr,
      irr,
      isr,
      tmr,
      inService: c.inService.map((s) => ({
        irq: s.irq,
        vector: s.vector,
        context: s.context,
        messageId: s.messageId,
      })),
      vectors,
      vectorCount: keys.length,
      active,
    };
  });

  const domains = m.core.domains.map((d): DomainSnapshot => {
    const keys = lists.domainIrqs(d.name);
    const irqs = [...inline(keys)];
    if (!complete) for (const n of irqs) named.irq(n);
    return {
      name: d.name,
      parent: d.parent?.name ?? null,
      flags: d.flags,
      size: d.hwsize,
      mapped: d.mapcount,
      busToken: d.bus_token,
      dev: d.dev ?? null,
      irqs,
      irqCount: keys.length,
    };
  });

  const devices = m.devices.map((d): DeviceSnapshot => {
    if (d.kind !== 'dsa') return { kind: d.kind, bdf: d.fn.bdf, dsa: null, imsInUseCount: 0 };
    const dev = (d as DsaPlatformDevice).dsa;
    const keys = lists.slots(dev.bdf);
    // The views read a device's TABLE (where its IMS lives), not its WQs, groups or other
    // registers: a bounded snapshot leaves those out (eight DSAs' would be ~350 KB a stop).
    const dsa = idxdSnapshot(dev, inline(keys), !complete);
    if (!complete) {
      for (const s of dsa.ims.inUse) named.entry(dev.bdf, 'ims', s.slot, s);
      for (const e of dsa.msix) named.entry(dev.bdf, 'msix', e.index, e);
    }
    return { kind: d.kind, bdf: dev.bdf, dsa, imsInUseCount: keys.length };
  });

  const heldKeys = lists.held();
  const held = inline(heldKeys).map((k) => heldEntry(lists, k));
  if (!complete) for (const h of held) named.entry(h.bdf, h.table, h.index, h);

  const ir = m.ir.map((_, seq) => irSnapshot(lists, seq, limit, !complete));
  // Linked IRTEs: those in use that rows name and their unit's own list does not carry.
  for (const { unit, entry } of named.irtes()) {
    const u = ir.find((x) => x.name === unit);
    if (u !== undefined && u.irtes.length < u.irteCount && lists.irteInUse(u.seq, entry.index))
      u.linked.push(entry);
  }

  return {
    version: SNAPSHOT_VERSION,
    seq: opts.seq ?? 0,
    generation: opts.generation ?? 0,
    inlineLimit: complete ? null : limit,
    t: m.clock.now,
    cpus,
    domains,
    irqs: complete ? m.core.descs.all().map((x) => irqSnapshot(m, x)) : named.irqs(),
    irqCount: m.core.descs.size,
    ir,
    devices,
    held,
    heldCount: heldKeys.length,
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

function irSnapshot(
  lists: MachineLists,
  seq: number,
  limit: number,
  slim: boolean,
): IrUnitSnapshot {
  const inst = lists.m.ir[seq]!;
  const u = inst.unit;
  const count = lists.irteCount(seq);
  const iec = lists.iec(seq);
  return {
    seq,
    name: inst.domain.domain.name,
    enabled: u.enabled,
    eime: u.eime,
    tableAddress: hex(u.tableAddress),
    tableSize: u.enabled ? u.tableSize : 0,
    irtes: count <= limit ? lists.irtes(seq).map((i) => unitIrte(lists, seq, i, slim)) : [],
    irteCount: count,
    linked: [],
    iec: {
      count: u.iec.size,
      staleCount: iec.stale.size,
      hits: u.iec.hits,
      misses: u.iec.misses,
      invalidations: u.iec.invalidations,
      entries: iec.indices.length <= limit ? iec.indices.map((i) => iecEntry(lists, seq, i)) : [],
    },
    qi: qiSnapshot(lists.m, seq),
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
