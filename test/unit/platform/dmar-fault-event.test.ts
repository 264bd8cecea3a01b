/**
 * The VT-d fault event: FECTL.IM/IP, FEDATA/FEADDR/FEUADDR and the message a new interrupt
 * condition (PPF, PFO, IQE) sends or holds; and Linux's side with `dmarFaultInterrupt` — the
 * DMAR-MSI irq (enable_drhd_fault_handling, dmar_set_interrupt) whose handler dmar_fault logs
 * the faults when a CPU takes the interrupt.
 */
import { strict as assert } from 'node:assert';
import { PhysMemory } from '../../../src/platform/memory';
import {
  DMAR_FECTL,
  DMAR_FEDATA,
  DMAR_FEADDR,
  DMAR_FEUADDR,
  DMAR_FRCD,
  DMAR_FSTS,
  DMAR_GCMD,
  DMAR_IRTA,
  FECTL_IM,
  FECTL_IP,
  FSTS_PFO,
  FSTS_PPF,
  GCMD_IRE,
  GCMD_SIRTP,
  IrUnit,
  NUM_FRCD,
} from '../../../src/platform/remap/unit';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQ_HANDLED } from '../../../src/platform/irq/types';
import { PCI_IRQ_MSIX } from '../../../src/platform/pci-msi/msix';
import { irqDebugShow } from '../../../src/platform/debugfs/irq';
import { MachineAudit } from '../../../src/platform/audit';
import { FakeBus } from '../pci/fake-bus';
import { DOORBELL_BAR0, doorbellFactory } from '../support/doorbell-device';

const BASE = 0xfed90000;
const SID = 0x6a08;

/** A unit with IR enabled, its fault event on a FakeBus, and a not-present IRTE 5. */
function unitRig() {
  const mem = new PhysMemory();
  const table = mem.allocate(16 * 16);
  const unit = new IrUnit(0, mem, () => 0);
  mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
  mem.write64(BASE + DMAR_IRTA, BigInt(table) | (1n << 11n) | 3n);
  mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
  mem.write32(BASE + DMAR_GCMD, GCMD_IRE);
  const bus = new FakeBus();
  unit.attachEventBus(bus, { key: 99, bdf: 'dmar0', source: 'dmar', index: 0, requesterId: 0 });
  let id = 100;
  const fault = (): void => {
    // Handle 5, SHV clear: IRTE 5 is zero, so not present (0x22).
    unit.translate((0xfee00000 | (5 << 5) | (1 << 4)) >>> 0, 0, 0, SID, ++id);
    unit.sendDueEvent();
  };
  const r32 = (off: number) => mem.read32(BASE + off);
  const w32 = (off: number, v: number) => {
    mem.write32(BASE + off, v);
  };
  const clearRecords = (): void => {
    for (let i = 0; i < NUM_FRCD; i++) w32(DMAR_FRCD + i * 16 + 12, 0x80000000);
  };
  return { unit, bus, fault, r32, w32, clearRecords };
}

describe('VT-d fault event (hardware)', () => {
  it('FECTL resets with IM set; FEDATA/FEADDR/FEUADDR read back', () => {
    const r = unitRig();
    assert.equal(r.r32(DMAR_FECTL), FECTL_IM);
    r.w32(DMAR_FEDATA, 0x41);
    r.w32(DMAR_FEADDR, 0xfee01000);
    r.w32(DMAR_FEUADDR, 0x100);
    assert.deepEqual(
      [r.r32(DMAR_FEDATA), r.r32(DMAR_FEADDR), r.r32(DMAR_FEUADDR)],
      [0x41, 0xfee01000, 0x100],
    );
    r.w32(DMAR_FECTL, 0xffffffff);
    assert.equal(r.r32(DMAR_FECTL), FECTL_IM, 'IP is read-only');
  });

  it('masked: a recorded fault sets IP and holds the message; clearing IM sends it with the registers then', () => {
    const r = unitRig();
    r.fault();
    assert.equal(r.r32(DMAR_FECTL), (FECTL_IM | FECTL_IP) >>> 0);
    assert.deepEqual(
      r.bus.calls.map((c) => c.op),
      ['raise', 'pend'],
    );
    assert.equal(r.bus.calls[0]!.op === 'raise' && r.bus.calls[0]!.source, 'dmar');
    r.w32(DMAR_FEDATA, 0x42);
    r.w32(DMAR_FEADDR, 0xfee02000);
    r.w32(DMAR_FEUADDR, 0x300);
    r.w32(DMAR_FECTL, 0);
    assert.equal(r.r32(DMAR_FECTL), 0, 'IP cleared when the message goes');
    assert.deepEqual(r.bus.calls.at(-1), {
      op: 'send',
      id: 1,
      address_lo: 0xfee02000,
      address_hi: 0x300,
      data: 0x42,
    });
    assert.deepEqual(r.bus.violations, []);
  });

  it('unmasked: the message goes at once; no new condition while PPF is still set', () => {
    const r = unitRig();
    r.w32(DMAR_FECTL, 0);
    r.fault();
    assert.deepEqual(
      r.bus.calls.map((c) => c.op),
      ['raise', 'send'],
    );
    r.fault();
    assert.equal(r.bus.calls.length, 2, 'PPF was set: not a new interrupt condition');
    assert.equal(r.r32(DMAR_FSTS) & FSTS_PPF, FSTS_PPF);
    r.clearRecords();
    r.fault();
    assert.deepEqual(
      r.bus.calls.map((c) => c.op),
      ['raise', 'send', 'raise', 'send'],
    );
  });

  it('software services every status while masked: IP clears and the held message is dropped', () => {
    const r = unitRig();
    r.fault();
    r.clearRecords();
    assert.equal(r.r32(DMAR_FSTS) & (FSTS_PPF | FSTS_PFO), 0);
    assert.equal(r.r32(DMAR_FECTL), FECTL_IM, 'IP cleared');
    const drops = r.bus.calls.flatMap((c) => (c.op === 'drop' ? [c.reason] : []));
    assert.equal(drops.length, 1);
    assert.match(drops[0]!, /FECTL\.IM masked the fault event/);
    r.w32(DMAR_FECTL, 0);
    assert.equal(r.bus.calls.filter((c) => c.op === 'send').length, 0, 'nothing left to send');
    assert.deepEqual(r.bus.unfinished(), []);
  });

  it('an overflow (PFO) is a new condition only when nothing was pending before', () => {
    const r = unitRig();
    r.w32(DMAR_FECTL, 0);
    for (let i = 0; i < NUM_FRCD; i++) r.fault();
    assert.equal(r.bus.calls.filter((c) => c.op === 'send').length, 1, 'the first fault only');
    r.fault(); // the ninth: every record full → PFO, but PPF was set
    assert.equal(r.r32(DMAR_FSTS) & FSTS_PFO, FSTS_PFO);
    assert.equal(r.bus.calls.filter((c) => c.op === 'send').length, 1);
  });
});

/** The default machine with a doorbell device and the fault interrupt on. */
function machine(dmarFaultInterrupt: boolean): Machine {
  return new Machine(
    {
      ...defaultMachineConfig(),
      cpus: 2,
      dmarFaultInterrupt,
      devices: [{ kind: 'doorbell' as 'dsa', bdf: '0000:6a:01.0', irUnit: 0 }],
    },
    { doorbell: doorbellFactory },
  );
}

/** A faulting message: MSI-X entry 3 whose IRTE was cleared. */
function faultingMessage(m: Machine): void {
  const pdev = m.pdev(0)!;
  m.msix.pci_alloc_irq_vectors(pdev, 1, 8, PCI_IRQ_MSIX);
  const irq = m.msix.pci_irq_vector(pdev, 3);
  request_threaded_irq(m.core, irq, () => IRQ_HANDLED, null, 0, 'test', null);
  m.ir[0]!.unit.writeIrte(3, 0n);
  m.memory.write32(DOORBELL_BAR0, 3);
}

const FAULT_LINE =
  'DMAR: [INTR-REMAP] Request device [6a:01.0] fault index 0x3 [fault reason 0x22] Present field in the IRTE entry is clear';

describe('VT-d fault event interrupt (Linux: DMAR-MSI, dmar_fault)', () => {
  it('boot: a DMAR-MSI irq "dmar0" below VECTOR, its message in FEDATA/FEADDR, FECTL unmasked', () => {
    const m = machine(true);
    const irq = m.dmarMsi.irqs.get(0)!;
    assert.ok(irq > 0);
    const desc = m.core.irq_to_desc(irq)!;
    assert.equal(desc.action?.name, 'dmar0');
    assert.deepEqual(
      desc.irq_data.domain.chain().map((d) => d.name),
      ['DMAR-MSI', 'VECTOR'],
    );
    assert.equal(desc.irq_data.hwirq, 0);
    const base = m.ir[0]!.mmioBase;
    assert.equal(m.memory.read32(base + DMAR_FECTL), 0, 'unmasked, nothing pending');
    const vector = m.vector.apicd(desc.irq_data)!;
    assert.equal(m.memory.read32(base + DMAR_FEDATA), vector.vector);
    assert.equal(m.memory.read32(base + DMAR_FEADDR) >>> 20, 0xfee);
    assert.match(irqDebugShow(m.core, desc, m.vector.domain), /DMAR-MSI/);
  });

  it('a fault: the faulted message, then the fault event delivered; the log lines come from the handler on a CPU', () => {
    const m = machine(true);
    const lines = m.log.lines.length;
    m.core.cpus[0]!.irqsEnabled = false;
    m.core.cpus[1]!.irqsEnabled = false;
    faultingMessage(m);
    const evs = m.trace.events();
    const faulted = evs.findIndex((e) => e.kind === 'faulted');
    assert.ok(faulted >= 0);
    const event = evs.slice(faulted + 1).find((e) => e.source === 'dmar');
    assert.ok(event, 'the fault event message follows the fault');
    assert.equal(event.kind, 'delivered');
    assert.equal(event.bdf, 'dmar0');
    assert.equal(event.irte, null, 'not remapped');
    assert.equal(event.virq, m.dmarMsi.irqs.get(0));
    assert.ok(
      !m.log.lines.slice(lines).some((l) => l.text === FAULT_LINE),
      'no CPU has taken it yet',
    );
    for (const c of m.core.cpus) c.irqsEnabled = true;
    m.core.updateAttention();
    m.dispatch();
    const text = m.log.lines.slice(lines).map((l) => l.text);
    assert.deepEqual(text.slice(-2), ['DRHD: handling fault status reg 2', FAULT_LINE]);
    assert.equal(m.memory.read32(m.ir[0]!.mmioBase + DMAR_FSTS), 0, 'FSTS cleared by the handler');
    assert.deepEqual(m.trace.check(), []);
  });

  it('masked by software: the event waits at the unit (the audit agrees), unmasking delivers it', () => {
    const m = machine(true);
    const audit = new MachineAudit(m);
    const fectl = m.ir[0]!.mmioBase + DMAR_FECTL;
    m.memory.write32(fectl, FECTL_IM);
    faultingMessage(m);
    m.dispatch();
    const held = m.ir[0]!.unit.heldFaultEvent;
    assert.ok(held !== null);
    assert.equal(m.trace.lastEventOf(held)?.kind, 'pending');
    assert.ok(!m.log.lines.some((l) => l.text === FAULT_LINE), 'masked: the handler has not run');
    assert.deepEqual(audit.check(true), []);
    m.memory.write32(fectl, 0);
    m.dispatch();
    assert.equal(m.trace.lastEventOf(held)?.kind, 'delivered');
    assert.ok(m.log.lines.some((l) => l.text === FAULT_LINE));
    assert.deepEqual(audit.check(true), []);
  });

  it('without dmarFaultInterrupt: no DMAR-MSI irq, dmar_fault runs at the fault, no event message', () => {
    const m = machine(false);
    assert.equal(m.dmarMsi.irqs.size, 0);
    assert.ok(!m.core.domains.some((d) => d.name === 'DMAR-MSI'));
    faultingMessage(m);
    assert.ok(m.log.lines.some((l) => l.text === FAULT_LINE));
    assert.ok(!m.trace.events().some((e) => e.source === 'dmar'));
  });
});
