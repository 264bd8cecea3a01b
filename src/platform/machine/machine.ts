/**
 * A whole platform: clock, memory, CPUs with local APICs, the kernel's irq core with the VECTOR
 * domain, VT-d IR units with their INTEL-IR domains, the message fabric and the PCI devices.
 * Building it also does what the kernel does at boot for interrupts: allocates each IR table,
 * programs IRTA (x2APIC mode, 64K entries), sets the table pointer and enables remapping
 * (intel_setup_irq_remapping / intel_enable_irq_remapping, "DMAR-IR: Enabled IRQ remapping in
 * x2apic mode"), and assigns each device the IR domain of its unit as MSI parent.
 *
 * Time moves only through `advance` and `waitFor`; events run in time order and, after each,
 * CPUs with interrupts enabled take what is deliverable (so handlers see the clock of their
 * interrupt).
 */
import { Clock } from '../clock';
import { Cpu } from '../cpu';
import { PhysMemory } from '../memory';
import { InterruptTrace } from '../trace';
import { IrqCore, type LogLevel } from '../irq/core';
import { dispatchInterrupts } from '../irq/entry';
import { HandlerLog } from '../irq/handler-log';
import { VectorDomain } from '../apic/vector-domain';
import { IrUnit, DMAR_MMIO_SIZE } from '../remap/unit';
import { IrDomain, INTR_REMAP_TABLE_ENTRIES } from '../remap/ir-domain';
import { IntelIommu } from '../remap/dmar-qi';
import { MsiFabric } from '../fabric';
import { DmarMsi, dmar_fault } from '../remap/dmar-fault';
import { PciMsix } from '../pci-msi/msix';
import { PciDev } from '../pci-msi/pcidev';
import type { PciFunction } from '../pci';
import type { MmioDevice } from '../memory';
import { KernelLog } from './kernel-log';
import { validateMachineConfig, type DeviceSpec, type MachineConfig } from './config';

/** QEMU's default DMAR unit base; unit n is at +n × 4 KiB. */
export const DMAR_BASE = 0xfed90000;

/** An emulated PCI device in the machine. */
export interface PlatformDevice {
  readonly kind: string;
  readonly fn: PciFunction;
  /** MMIO windows to map: BARs at the addresses the factory chose. */
  readonly mmio: readonly { base: number; size: number; name: string; device: MmioDevice }[];
  /** JSON-able state for the views; must have no side effects. */
  snapshot(): unknown;
}

/** What a device factory gets to build a device. */
export interface DeviceContext {
  readonly machine: Machine;
  /** Device number in the machine (0-based). */
  readonly index: number;
  /** Report of something hardware ignores silently (a write to a reserved bit…). */
  readonly anomaly: (text: string) => void;
}

export type DeviceFactory = (spec: DeviceSpec, ctx: DeviceContext) => PlatformDevice;

export interface IrUnitInstance {
  readonly unit: IrUnit;
  readonly domain: IrDomain;
  readonly mmioBase: number;
  /** The kernel's side of the unit's registers (GCMD shadow, queued invalidation). */
  readonly iommu: IntelIommu;
}

export class Machine {
  readonly clock = new Clock();
  readonly memory = new PhysMemory();
  readonly trace: InterruptTrace;
  readonly log = new KernelLog();
  readonly cpus: Cpu[];
  readonly core: IrqCore;
  readonly vector: VectorDomain;
  readonly ir: IrUnitInstance[] = [];
  readonly fabric: MsiFabric;
  readonly msix: PciMsix;
  /** The DMAR-MSI domain and the units' fault irqs (with `config.dmarFaultInterrupt`). */
  readonly dmarMsi: DmarMsi;
  readonly devices: PlatformDevice[] = [];
  readonly pdevs: PciDev[] = [];
  /** Things hardware ignored that a developer should know about (with time). */
  readonly anomalies: { t: number; text: string }[] = [];
  private readonly anomalyListeners: ((a: { t: number; text: string }) => void)[] = [];
  private readonly scope = new Map<number, IrUnit>();

  /**
   * Builds and boots the platform. Throws an Error naming the field for an invalid config.
   * @param factories device builders by `DeviceSpec.kind`
   */
  constructor(
    readonly config: MachineConfig,
    factories: Readonly<Record<string, DeviceFactory>>,
  ) {
    validateMachineConfig(config);
    this.trace = new InterruptTrace(() => this.clock.now, config.traceCapacity);
    this.cpus = Array.from({ length: config.cpus }, (_, i) => new Cpu(i, i));
    this.core = new IrqCore(this.cpus, (level, text) => {
      this.printk(level, text);
    });
    this.core.handlerLog = new HandlerLog(() => this.clock.now, config.traceCapacity);
    this.core.timers = {
      now: () => this.clock.now,
      schedule: (delay, label, fn) => this.clock.schedule(delay, label, fn),
      cancel: (id) => {
        this.clock.cancel(id);
      },
    };
    this.vector = new VectorDomain(this.core);
    for (let n = 0; n < config.irUnits; n++) this.ir.push(this.bootIrUnit(n));
    this.fabric = new MsiFabric(
      this.trace,
      this.memory,
      this.core,
      (rid) => this.scope.get(rid) ?? null,
    );
    this.msix = new PciMsix(this.core, this.memory);
    this.dmarMsi = new DmarMsi(this.core, this.vector, this.memory);
    if (config.dmarFaultInterrupt === true) {
      for (const u of this.ir)
        u.unit.attachEventBus(this.fabric, this.fabric.eventOrigin(`dmar${u.unit.seq}`));
      this.dmarMsi.enable_drhd_fault_handling(
        this.ir.map((u) => ({ seq: u.unit.seq, reg: u.mmioBase })),
      );
    }
    config.devices.forEach((spec, index) => {
      const make = factories[spec.kind];
      if (make === undefined)
        throw new Error(`devices[${index}].kind: no device model '${spec.kind}'`);
      const dev = make(spec, {
        machine: this,
        index,
        anomaly: (text) => {
          this.reportAnomaly(text);
        },
      });
      for (const m of dev.mmio) this.memory.mapMmio(m.base, m.size, m.name, m.device);
      const unit = this.ir[spec.irUnit]!;
      if (config.interruptRemapping) this.scope.set(dev.fn.requesterId, unit.unit);
      this.devices.push(dev);
      this.pdevs.push(
        new PciDev(dev.fn, config.interruptRemapping ? unit.domain.domain : this.vector.domain),
      );
    });
  }

  /**
   * Records something the hardware did silently that a developer should see (a write to
   * reserved bits, to an undefined offset, a command in the wrong state…).
   */
  reportAnomaly(text: string): void {
    const a = { t: this.clock.now, text };
    if (this.anomalies.length < 10_000) this.anomalies.push(a);
    for (const l of this.anomalyListeners) l(a);
  }

  /** Calls `fn` for each anomaly from now on. */
  onAnomaly(fn: (a: { t: number; text: string }) => void): void {
    this.anomalyListeners.push(fn);
  }

  /** printk(): adds a line to the kernel log at the current time. */
  printk(level: LogLevel, text: string): void {
    this.log.add({ t: this.clock.now, level, text, cpu: this.core.currentCpu });
  }

  /**
   * One DMAR unit: the hardware mapped at DMAR_BASE + n × 4 KiB, its INTEL-IR-n domain, and —
   * with interrupt remapping — Linux's bring-up: intel_setup_irq_remapping() allocates the
   * 64K-entry table and enables queued invalidation (dmar_enable_qi), iommu_set_irq_remapping()
   * programs IRTA (x2APIC mode, S = 0xf) with SIRTP and flushes the interrupt entry cache
   * (qi_global_iec), iommu_enable_irq_remapping() sets IRE and keeps CFI clear.
   */
  private bootIrUnit(n: number): IrUnitInstance {
    const mmioBase = DMAR_BASE + n * DMAR_MMIO_SIZE;
    const unit = new IrUnit(n, this.memory, () => this.clock.now);
    unit.onAnomaly = (text) => {
      this.reportAnomaly(text);
    };
    this.memory.mapMmio(mmioBase, DMAR_MMIO_SIZE, `dmar${n}`, unit);
    const iommu = new IntelIommu(n, mmioBase, this.memory, (level, text) => {
      this.printk(level, text);
    });
    const domain = new IrDomain(this.core, unit, this.vector, iommu);
    if (this.config.dmarFaultInterrupt !== true) {
      // Without the modelled fault interrupt: dmar_fault() at the moment a fault is recorded.
      const regs = { seq: n, reg: mmioBase };
      unit.onFault = () => {
        dmar_fault(regs, this.memory, (level, text) => {
          this.core.printk(level, text);
        });
      };
    }
    if (this.config.interruptRemapping) {
      const table = this.memory.allocate(INTR_REMAP_TABLE_ENTRIES * 16);
      if (iommu.dmar_enable_qi() !== 0)
        this.printk('err', `DMAR-IR: dmar${n}: Failed to enable queued invalidation`);
      iommu.iommu_set_irq_remapping(table, true, 0xf);
      iommu.iommu_enable_irq_remapping();
      this.printk(
        'info',
        `DMAR-IR: IRQ remapping was enabled on dmar${n} (INTEL-IR-${n}), table at 0x${table.toString(16)}`,
      );
      if (n === this.config.irUnits - 1)
        this.printk('info', 'DMAR-IR: Enabled IRQ remapping in x2apic mode');
    }
    return { unit, domain, mmioBase, iommu };
  }

  /** The PciDev (kernel view) of device `i`, or of BDF `bdf`. */
  pdev(which: number | string): PciDev | undefined {
    return typeof which === 'number'
      ? this.pdevs[which]
      : this.pdevs.find((p) => p.name === which.toLowerCase());
  }

  /**
   * Lets CPUs with interrupts enabled take what is deliverable now. Returns interrupts taken.
   * `dispatchInterrupts` returns only after a pass over every CPU in which none could take an
   * interrupt (and nothing ran), so the attention word is then 0: what `updateAttention` would
   * compute, without a second pass.
   */
  dispatch(): number {
    if (this.core.attention[0] === 0) return 0;
    const n = dispatchInterrupts(this.core);
    this.core.attention[0] = 0;
    return n;
  }

  /**
   * Advances the clock by `ns`, running due events in order. With `takeInterrupts`, CPUs take
   * interrupts after each event (a CPU spinning or idle with interrupts enabled).
   */
  advance(ns: number, takeInterrupts: boolean): void {
    const target = this.clock.now + ns;
    while (this.clock.runNext(target)) {
      if (takeInterrupts) this.dispatch();
    }
    this.clock.advanceTo(target);
  }

  /**
   * Idles (interrupts enabled) until `cond()` holds, running events and taking interrupts, for
   * at most `timeoutNs`. Returns true if the condition held, false on timeout or when nothing
   * is left to happen (no event scheduled: waiting longer cannot help).
   */
  waitFor(cond: () => boolean, timeoutNs: number): boolean {
    const deadline = this.clock.now + timeoutNs;
    for (;;) {
      this.dispatch();
      if (cond()) return true;
      const next = this.clock.nextEventTime();
      if (next === undefined) return false;
      if (next > deadline) {
        this.clock.advanceTo(deadline);
        return false;
      }
      this.clock.runNext(deadline);
    }
  }

  /** Runs every scheduled event (taking interrupts) until the queue is empty or `limitNs` passes. */
  runUntilIdle(limitNs = 10e9): void {
    const deadline = this.clock.now + limitNs;
    this.dispatch();
    while (this.clock.runNext(deadline)) this.dispatch();
  }
}
