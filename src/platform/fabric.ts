/**
 * The interrupt message fabric: the platform's `InterruptBus`. A device's message is a DMA
 * write; a write into the interrupt window 0xFEE0_0000–0xFEEF_FFFF is an interrupt request,
 * which the IR unit whose scope holds the requester translates (or, with IR off, is decoded in
 * compatibility format) and the local APIC with the destination ID accepts. Every step is
 * recorded in the trace, so each message ends delivered, faulted or dropped (or stays pending).
 *
 * Modelled: fixed and lowest-priority delivery (both to the one destination, as Linux programs
 * physical single-CPU destinations). Not modelled, and dropped with that reason: logical
 * destination mode, SMI/NMI/INIT/ExtINT delivery, posted-format IRTEs on a unit that reports
 * posted-interrupt support (without it they fault, 0x24). A message for an offline
 * CPU is dropped: its APIC is software-disabled and accepts nothing. A remapped delivery that
 * used a stale interrupt-entry-cache entry says so in its reason.
 */
import type { DeviceMsiSource, InterruptBus, MessageOrigin, MsiOrigin } from './bus';
import type { Cpu } from './cpu';
import type { IrqCore } from './irq/core';
import type { PhysMemory } from './memory';
import { Accept } from './apic/lapic';
import { hex } from './bits';
import { faultReasonText } from './remap/faults';
import { Xlate, type IrUnit } from './remap/unit';
import type { InterruptTrace, TraceDetail } from './trace';
import { DELIVERY_MODE_NAMES } from './remap/irte';

/** APIC IDs below this are looked up in an array (the machine numbers its CPUs from 0). */
const LOW_APIC_IDS = 256;

export class MsiFabric implements InterruptBus {
  private readonly devOrigins = new Map<string, MsiOrigin>();
  private readonly eventOrigins = new Map<string, MessageOrigin>();
  /** CPUs by APIC ID: an array for the IDs below LOW_APIC_IDS, the map for the others. */
  private readonly byApicId = new Map<number, Cpu>();
  private readonly byLowApicId: (Cpu | undefined)[] = new Array<Cpu | undefined>(LOW_APIC_IDS).fill(
    undefined,
  );
  private readonly msg = { address_lo: 0, address_hi: 0, data: 0 };
  private readonly detail: TraceDetail = {};

  /**
   * @param trace where every step is recorded
   * @param memory for DMA writes outside the interrupt window
   * @param core the CPUs (by APIC ID) and the kernel log
   * @param irUnitFor the IR unit whose device scope holds a requester id (null: none)
   */
  constructor(
    private readonly trace: InterruptTrace,
    private readonly memory: PhysMemory,
    private readonly core: IrqCore,
    private readonly irUnitFor: (requesterId: number) => IrUnit | null,
  ) {
    for (const c of core.cpus) {
      this.byApicId.set(c.apic.apicId, c);
      if (c.apic.apicId < LOW_APIC_IDS) this.byLowApicId[c.apic.apicId] = c;
    }
  }

  /** The CPU whose APIC has ID `dest`, if any. */
  private cpuOf(dest: number): Cpu | undefined {
    return dest >= 0 && dest < LOW_APIC_IDS ? this.byLowApicId[dest] : this.byApicId.get(dest);
  }

  origin(bdf: string, requesterId: number, source: DeviceMsiSource, index: number): MsiOrigin {
    const k = `${bdf}/${source}/${index}`;
    let o = this.devOrigins.get(k);
    if (o === undefined) {
      o = this.trace.addOrigin((key): MsiOrigin => ({ key, bdf, source, index, requesterId }));
      this.devOrigins.set(k, o);
    }
    return o;
  }

  /**
   * The origin of VT-d unit `name`'s (`dmar<n>`) fault event messages (source `dmar`, index 0).
   * Interned like device origins.
   */
  eventOrigin(name: string): MessageOrigin {
    let o = this.eventOrigins.get(name);
    if (o === undefined) {
      o = this.trace.addOrigin((key): MessageOrigin => ({
        key,
        bdf: name,
        source: 'dmar',
        index: 0,
        requesterId: 0,
      }));
      this.eventOrigins.set(name, o);
    }
    return o;
  }

  raise(origin: MessageOrigin, pasid: number | null): number {
    return this.trace.open(origin, pasid);
  }

  pend(id: number): void {
    this.trace.record(id, 'pending');
  }

  drop(id: number, reason: string): void {
    this.trace.record(id, 'dropped', { reason });
  }

  send(id: number, address_lo: number, address_hi: number, data: number): void {
    const lo = address_lo >>> 0;
    const hi = address_hi >>> 0;
    const msg = this.msg;
    msg.address_lo = lo;
    msg.address_hi = hi;
    msg.data = data >>> 0;
    if (lo >>> 20 !== 0xfee) {
      this.dmaWrite(id, lo, hi, data);
      return;
    }
    // A VT-d unit's own fault event is not subject to remapping (VT-d §5.1.6): compatibility
    // format straight to the APIC.
    const own = this.trace.messageOriginOf(id)?.source === 'dmar';
    const sid = this.trace.requesterOf(id);
    const unit = own ? null : this.irUnitFor(sid);
    if (unit?.enabled) {
      const x = unit.translate(lo, hi, data, sid, id);
      const out = unit.out;
      if (x === Xlate.Remapped) {
        this.deliver(
          id,
          out.vector,
          out.dst,
          out.dm,
          out.dlm,
          out.tm === 1,
          out.index,
          out.stale
            ? `stale IRTE: INTEL-IR-${unit.seq} used IRTE ${out.index} from its interrupt entry cache, but the table in memory changed without an invalidation (qi_flush_iec)`
            : undefined,
        );
        return;
      }
      if (x === Xlate.Fault) {
        const f = unit.faultLog[unit.faultLog.length - 1];
        const note = f?.note ? ` (${f.note})` : '';
        this.trace.record(id, 'faulted', {
          msg,
          ...(out.index >= 0 ? { irte: out.index } : {}),
          fault: out.fault,
          reason: `INTEL-IR-${unit.seq}: ${faultReasonText(out.fault)}${note}`,
        });
        unit.sendDueEvent();
        return;
      }
      if (x === Xlate.Posted) {
        this.trace.record(id, 'dropped', {
          msg,
          irte: out.index,
          reason:
            `not modelled: IRTE ${out.index} is in posted format (IM = 1), which posts the ` +
            `interrupt to a posted-interrupt descriptor for a vCPU (VT-d §5.2.3); INTEL-IR-${unit.seq} ` +
            `reports posted-interrupt support (CAP.PI), but the emulator does not model posting, ` +
            `so the message is dropped`,
        });
        return;
      }
    }
    // Compatibility format (IR off, or CFI pass-through): x86_msi_addr_lo / x86_msi_data.
    const dest = ((lo >>> 12) & 0xff) | ((hi >>> 8) << 8);
    this.deliver(
      id,
      data & 0xff,
      dest,
      (lo >>> 2) & 1,
      (data >>> 8) & 7,
      ((data >>> 15) & 1) === 1,
      -1,
    );
  }

  private deliver(
    id: number,
    vector: number,
    dest: number,
    dm: number,
    dlm: number,
    level: boolean,
    irte: number,
    note?: string,
  ): void {
    // One reused detail object: delivery allocates nothing (the trace copies what it needs).
    const d = this.detail;
    d.msg = this.msg;
    d.irte = irte >= 0 ? irte : undefined;
    d.vector = vector;
    d.cpu = undefined;
    d.virq = undefined;
    d.reason = note;
    if (dm !== 0) return this.dropWith(id, 'logical destination mode is not modelled');
    if (dlm !== 0 && dlm !== 1)
      return this.dropWith(
        id,
        `delivery mode ${DELIVERY_MODE_NAMES[dlm] ?? `reserved (${dlm})`} is not modelled`,
      );
    const cpu = this.cpuOf(dest);
    if (cpu === undefined) return this.dropWith(id, `no CPU has APIC ID ${dest}`);
    if (!cpu.online) {
      d.cpu = cpu.id;
      return this.dropWith(
        id,
        `lost: CPU ${cpu.id} is offline — its local APIC is software-disabled ` +
          `(native_cpu_disable → apic_soft_disable) and accepts no interrupt`,
      );
    }
    const r = cpu.apic.accept(vector, level, id);
    d.cpu = cpu.id;
    d.virq = cpu.vector_irq[vector]?.irq;
    if (r === Accept.Illegal)
      return this.dropWith(
        id,
        `illegal vector ${hex(vector, 2)} (0–15): the APIC sets ESR bit 6 and ignores it`,
      );
    if (r === Accept.Coalesced) {
      const merged = `merged: IRR[${hex(vector, 2)}] was already set on CPU ${cpu.id}`;
      d.reason = note === undefined ? merged : `${note}; ${merged}`;
    }
    this.trace.record(id, 'delivered', d);
    this.core.updateAttention();
  }

  private dropWith(id: number, reason: string): void {
    const note = this.detail.reason;
    this.detail.reason = note === undefined ? reason : `${reason}; ${note}`;
    this.trace.record(id, 'dropped', this.detail);
  }

  private dmaWrite(id: number, lo: number, hi: number, data: number): void {
    const addr = hi * 0x1_0000_0000 + lo;
    let what = 'written to memory';
    try {
      this.memory.write32(addr, data);
    } catch (e) {
      what = `not carried out (${(e as Error).message})`;
    }
    this.trace.record(id, 'dropped', {
      msg: this.msg,
      reason: `not an interrupt: address ${hex(addr, 8)} is outside the interrupt window 0xfee00000–0xfeefffff; the DMA write of ${hex(data >>> 0, 8)} was ${what}`,
    });
  }
}
