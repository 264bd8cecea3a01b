/**
 * The VT-d interrupt entry cache and queued invalidation (VT-d §6.5.2, §11.4.9): translation
 * uses cached IRTEs, a changed IRTE is seen only after an invalidation; the invalidation queue's
 * registers (IQA/IQH/IQT, GCMD.QIE/GSTS.QIES), its descriptors (IEC invalidate 0x4 global and
 * index-selective with IM, wait 0x5 with status write / IF) and queue errors (FSTS.IQE); and
 * the kernel side writing descriptors through MMIO as dmar.c does (qi_submit_sync,
 * qi_flush_iec, qi_global_iec, qi_check_fault).
 */
import { strict as assert } from 'node:assert';
import { PhysMemory } from '../../../src/platform/memory';
import {
  DMAR_FSTS,
  DMAR_GCMD,
  DMAR_GSTS,
  DMAR_ICS,
  DMAR_IQA,
  DMAR_IQH,
  DMAR_IQT,
  DMAR_IRTA,
  FSTS_IQE,
  GCMD_IRE,
  GCMD_QIE,
  GCMD_SIRTP,
  GSTS_QIES,
  IrUnit,
  Xlate,
} from '../../../src/platform/remap/unit';
import { IntelIommu, QI_DONE } from '../../../src/platform/remap/dmar-qi';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { deviceFactories } from '../../../src/platform/machine/devices';
import { kernelFor } from '../../../src/runtime/kernel/index';
import { decodeIrte, encodeIrte } from '../../../src/platform/remap/irte';

const BASE = 0xfed90000;
const SID = 0x6a08;

/** A remapped IRTE (bit positions of the facts sheet §3.3, x2APIC DST). */
function irte(vector: number, dst = 0, extra = 0n): bigint {
  return (
    1n | (BigInt(vector) << 16n) | (BigInt(dst) << 32n) | (BigInt(SID) << 64n) | (1n << 82n) | extra
  );
}

/** Remappable address for `handle` with SHV (facts §3.2). */
function remappable(handle: number): number {
  return (0xfee00000 | ((handle & 0x7fff) << 5) | (1 << 4) | (1 << 3)) >>> 0;
}

interface Rig {
  mem: PhysMemory;
  unit: IrUnit;
  queue: number;
  status: number;
  log: string[];
  xl(index: number): Xlate;
  /** Writes descriptor `slot` of the queue. */
  desc(slot: number, lo: bigint, hi?: bigint): void;
  tail(slot: number): void;
}

/** A unit with a 16-entry table, IR and QI enabled (queue of 256 descriptors at `queue`). */
function rig(): Rig {
  const mem = new PhysMemory();
  const table = mem.allocate(4096);
  const queue = mem.allocate(4096);
  const status = mem.allocate(4096);
  const unit = new IrUnit(0, mem, () => 5);
  const log: string[] = [];
  unit.onAnomaly = (t) => log.push(t);
  mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
  mem.write64(BASE + DMAR_IRTA, BigInt(table) | (1n << 11n) | 3n);
  mem.write64(BASE + DMAR_IQA, BigInt(queue));
  mem.write32(BASE + DMAR_GCMD, GCMD_QIE);
  mem.write32(BASE + DMAR_GCMD, GCMD_QIE | GCMD_SIRTP);
  mem.write32(BASE + DMAR_GCMD, GCMD_QIE | GCMD_IRE);
  let id = 0;
  return {
    mem,
    unit,
    queue,
    status,
    log,
    xl: (index) => unit.translate(remappable(index), 0, 0, SID, ++id),
    desc: (slot, lo, hi = 0n) => {
      mem.write64(queue + slot * 16, lo);
      mem.write64(queue + slot * 16 + 8, hi);
    },
    tail: (slot) => {
      mem.write32(BASE + DMAR_IQT, slot << 4);
    },
  };
}

/** IEC invalidate descriptor: QI_IEC_TYPE | G | IM | IIDX (Linux QI_IEC_* macros). */
function iecDesc(index: number, im: number, selective = true): bigint {
  return 4n | (selective ? 1n << 4n : 0n) | (BigInt(im) << 27n) | (BigInt(index) << 32n);
}

/** Wait descriptor with status write of `data` (QI_IWD_TYPE | QI_IWD_STATUS_WRITE | data). */
function waitDesc(data: number): bigint {
  return 5n | (1n << 5n) | (BigInt(data) << 32n);
}

describe('VT-d interrupt entry cache', () => {
  it('translates from the cache: a changed IRTE is seen only after an invalidation', () => {
    const r = rig();
    r.unit.writeIrte(3, irte(0x41, 1));
    assert.equal(r.xl(3), Xlate.Remapped);
    assert.deepEqual([r.unit.out.vector, r.unit.out.cached], [0x41, false]);
    r.unit.writeIrte(3, irte(0x52, 2));
    assert.equal(r.xl(3), Xlate.Remapped);
    assert.deepEqual(
      [r.unit.out.vector, r.unit.out.dst, r.unit.out.cached, r.unit.out.stale],
      [0x41, 1, true, true],
      'the cached entry, which no longer matches memory',
    );
    r.desc(0, iecDesc(3, 0));
    r.desc(1, waitDesc(1), BigInt(r.status));
    r.tail(2);
    assert.equal(r.xl(3), Xlate.Remapped);
    assert.deepEqual([r.unit.out.vector, r.unit.out.dst, r.unit.out.cached], [0x52, 2, false]);
  });

  it('keeps using a cached entry after software clears Present (no fault until invalidated)', () => {
    const r = rig();
    r.unit.writeIrte(1, irte(0x41));
    r.xl(1);
    r.unit.writeIrte(1, 0n);
    assert.equal(r.xl(1), Xlate.Remapped);
    assert.equal(r.unit.faultLog.length, 0);
    r.unit.iec.invalidate(1, 0);
    assert.equal(r.xl(1), Xlate.Fault);
    assert.equal(r.unit.out.fault, 0x22);
  });

  it('does not cache a not-present or reserved-bit entry (CAP.CM = 0): a fix is seen at once', () => {
    const r = rig();
    r.unit.writeIrte(2, irte(0x41) & ~1n);
    assert.equal(r.xl(2), Xlate.Fault);
    r.unit.writeIrte(2, irte(0x41, 0, 1n << 13n));
    assert.equal(r.xl(2), Xlate.Fault);
    assert.equal(r.unit.out.fault, 0x24);
    assert.equal(r.unit.iec.size, 0);
    r.unit.writeIrte(2, irte(0x43));
    assert.equal(r.xl(2), Xlate.Remapped);
    assert.equal(r.unit.out.vector, 0x43);
  });

  it('checks the SID on a cached entry too, and takes FPD from it', () => {
    const r = rig();
    r.unit.writeIrte(4, irte(0x41) | 2n); // FPD
    r.xl(4);
    assert.equal(r.unit.translate(remappable(4), 0, 0, SID + 1, 99), Xlate.Fault);
    assert.deepEqual(
      [r.unit.out.fault, r.unit.out.recorded, r.unit.out.cached],
      [0x26, false, true],
    );
  });

  it('keeps the check order: 0x21 (index beyond the table) before any cache lookup', () => {
    const r = rig();
    assert.equal(r.xl(16), Xlate.Fault);
    assert.equal(r.unit.out.fault, 0x21);
    assert.equal(r.unit.iec.misses, 0);
  });

  it('reads the table on a miss only: a data breakpoint on the IRTE sees the fetch once', () => {
    const r = rig();
    r.unit.writeIrte(5, irte(0x41));
    const table = r.unit.tableAddress;
    const reads: number[] = [];
    r.mem.setWatches([{ base: table + 5 * 16, size: 16, read: true, write: false }], (hits) => {
      for (const h of hits) reads.push(h.address);
    });
    r.xl(5);
    assert.equal(reads.length, 4, 'the fetch: four dwords');
    r.xl(5);
    r.xl(5);
    r.unit.readIrte(5);
    assert.equal(reads.length, 4, 'hits, the stale check and views read nothing');
  });

  it('SIRTP does not invalidate the cache (CAP.ESIRTPS = 0)', () => {
    const r = rig();
    r.unit.writeIrte(1, irte(0x41));
    r.xl(1);
    r.mem.write32(BASE + DMAR_GCMD, GCMD_QIE | GCMD_IRE | GCMD_SIRTP);
    assert.equal(r.unit.iec.size, 1);
  });
});

describe('VT-d queued invalidation', () => {
  it('GCMD.QIE sets GSTS.QIES; IQH reads 0 while disabled and resets when QI is turned off', () => {
    const r = rig();
    assert.ok((r.mem.read32(BASE + DMAR_GSTS) & GSTS_QIES) !== 0);
    r.desc(0, waitDesc(1), BigInt(r.status));
    r.tail(1);
    assert.equal(r.mem.read64(BASE + DMAR_IQH), 0x10n);
    assert.equal(r.mem.read64(BASE + DMAR_IQT), 0x10n);
    r.mem.write32(BASE + DMAR_GCMD, GCMD_IRE);
    assert.equal(r.mem.read32(BASE + DMAR_GSTS) & GSTS_QIES, 0);
    assert.equal(r.mem.read64(BASE + DMAR_IQH), 0n);
    assert.deepEqual(r.log, []);
  });

  it('runs nothing while QI is disabled; enabling runs what the tail already covers', () => {
    const mem = new PhysMemory();
    const queue = mem.allocate(4096);
    const status = mem.allocate(4096);
    const unit = new IrUnit(0, mem, () => 0);
    mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
    mem.write64(BASE + DMAR_IQA, BigInt(queue));
    mem.write64(queue, waitDesc(7));
    mem.write64(queue + 8, BigInt(status));
    mem.write32(BASE + DMAR_IQT, 1 << 4);
    assert.equal(mem.read32(status), 0);
    mem.write32(BASE + DMAR_GCMD, GCMD_QIE);
    assert.equal(mem.read32(status), 7);
  });

  it('wait descriptor: status data written to the status address; IF sets ICS.IWC (RW1C)', () => {
    const r = rig();
    r.desc(0, waitDesc(0xabcd), BigInt(r.status + 8));
    r.desc(1, 5n | (1n << 4n));
    r.tail(2);
    assert.equal(r.mem.read32(r.status + 8), 0xabcd);
    assert.equal(r.mem.read32(BASE + DMAR_ICS), 1);
    r.mem.write32(BASE + DMAR_ICS, 1);
    assert.equal(r.mem.read32(BASE + DMAR_ICS), 0);
  });

  it('IEC invalidate: index-selective drops the 2^IM aligned block; global drops all', () => {
    const r = rig();
    for (let i = 0; i < 8; i++) {
      r.unit.writeIrte(i, irte(0x40 + i));
      r.xl(i);
    }
    r.desc(0, iecDesc(5, 2)); // IIDX 5, IM 2: entries 4..7
    r.tail(1);
    assert.deepEqual(r.unit.iec.indices(), [0, 1, 2, 3]);
    r.desc(1, iecDesc(0, 0, false)); // global
    r.tail(2);
    assert.deepEqual(r.unit.iec.indices(), []);
    assert.equal(r.unit.qi.log.length, 2);
  });

  it('an invalid descriptor sets FSTS.IQE and stops the queue at it until IQE is cleared', () => {
    const r = rig();
    r.desc(0, 0x9n); // type 9: not a 128-bit descriptor
    r.desc(1, waitDesc(1), BigInt(r.status));
    r.tail(2);
    assert.ok((r.mem.read32(BASE + DMAR_FSTS) & FSTS_IQE) !== 0);
    assert.equal(r.mem.read64(BASE + DMAR_IQH), 0n, 'IQH names the bad descriptor');
    assert.equal(r.mem.read32(r.status), 0, 'nothing after it ran');
    assert.match(r.log.join('\n'), /type 0x9/);
    r.desc(0, waitDesc(2), BigInt(r.status + 4));
    r.mem.write32(BASE + DMAR_FSTS, FSTS_IQE);
    r.tail(2);
    assert.equal(r.mem.read32(BASE + DMAR_FSTS) & FSTS_IQE, 0);
    assert.deepEqual([r.mem.read32(r.status + 4), r.mem.read32(r.status)], [2, 1]);
  });

  it('refuses reserved bits (QEMU masks): an IEC descriptor with bit 5 set, a wait with neither SW nor IF', () => {
    const r = rig();
    r.desc(0, iecDesc(1, 0) | (1n << 5n));
    r.tail(1);
    assert.ok((r.mem.read32(BASE + DMAR_FSTS) & FSTS_IQE) !== 0);
    const q = rig();
    q.desc(0, 5n);
    q.tail(1);
    assert.ok((q.mem.read32(BASE + DMAR_FSTS) & FSTS_IQE) !== 0);
  });

  it('context-cache, IOTLB and device-TLB descriptors are accepted with nothing to do', () => {
    const r = rig();
    r.desc(0, 1n | (1n << 4n)); // context-cache, global
    r.desc(1, 2n | (1n << 4n)); // IOTLB, global
    r.tail(2);
    assert.equal(r.mem.read32(BASE + DMAR_FSTS) & FSTS_IQE, 0);
    assert.equal(r.mem.read64(BASE + DMAR_IQH), 0x20n);
  });
});

describe('kernel side of QI (dmar.c / irq_remapping.c through MMIO)', () => {
  function kernelRig() {
    const mem = new PhysMemory();
    const unit = new IrUnit(0, mem, () => 0);
    mem.mapMmio(BASE, 0x1000, 'dmar0', unit);
    const log: string[] = [];
    const iommu = new IntelIommu(0, BASE, mem, (_l, t) => log.push(t));
    return { mem, unit, iommu, log };
  }

  it('dmar_enable_qi + iommu_set_irq_remapping + iommu_enable_irq_remapping: QIES, IRTPS, IRES, a global IEC flush', () => {
    const { mem, unit, iommu, log } = kernelRig();
    assert.equal(iommu.dmar_enable_qi(), 0);
    const table = mem.allocate(65536 * 16);
    iommu.iommu_set_irq_remapping(table, true, 0xf);
    iommu.iommu_enable_irq_remapping();
    const gsts = mem.read32(BASE + DMAR_GSTS);
    assert.equal(gsts & (GSTS_QIES | (1 << 24) | (1 << 25)), GSTS_QIES | (1 << 24) | (1 << 25));
    assert.equal(unit.tableSize, 65536);
    assert.deepEqual(
      unit.qi.log.map((e) => e.text.split(' (')[0]),
      [
        'IEC invalidate, global',
        `wait: status 0x2 written to ${unit.qi.log[1]!.text.split('to ')[1]}`,
      ],
    );
    assert.deepEqual(log, []);
  });

  it('qi_flush_iec writes QI_IEC_IIDEX | QI_IEC_TYPE | QI_IEC_IM | QI_IEC_SELECTIVE and a wait with QI_DONE', () => {
    const { mem, unit, iommu } = kernelRig();
    iommu.dmar_enable_qi();
    const iqa = Number(mem.read64(BASE + DMAR_IQA) & ~0xfffn);
    assert.equal(iommu.qi_flush_iec(0x123, 2), 0);
    assert.equal(mem.read64(iqa), (0x123n << 32n) | 4n | (2n << 27n) | (1n << 4n));
    const wait = mem.read64(iqa + 16);
    assert.equal(wait, (BigInt(QI_DONE) << 32n) | (1n << 5n) | 5n);
    assert.equal(mem.read32(Number(mem.read64(iqa + 24))), 0, 'desc_status reset to QI_FREE');
    assert.equal(mem.read64(BASE + DMAR_IQT), 2n << 4n);
    assert.equal(unit.qi.head, 2);
    assert.equal(iommu.flushes, 1);
  });

  it('qi_check_fault: an IQE at our descriptor is logged, replaced by the wait and cleared → -EINVAL', () => {
    const { mem, iommu, log } = kernelRig();
    iommu.dmar_enable_qi();
    assert.equal(iommu.qi_submit_sync([[0x9n, 0n]]), -22);
    assert.equal(mem.read32(BASE + DMAR_FSTS) & FSTS_IQE, 0);
    assert.match(log[0]!, /^DMAR: VT-d detected invalid descriptor: qw0 = 9, qw1 = 0$/);
    assert.equal(iommu.qi_flush_iec(1, 0), 0, 'the queue goes on');
  });

  it('without queued invalidation enabled nothing completes: -ETIMEDOUT, with the reason', () => {
    const { iommu, log } = kernelRig();
    assert.equal(iommu.qi_flush_iec(1, 0), -110);
    assert.match(log[0]!, /queued invalidation is not enabled/);
  });
});

describe('the machine and the kernel API', () => {
  it('boots every unit with QI enabled and a global IEC flush after SIRTP', () => {
    const m = new Machine({ ...defaultMachineConfig(), irUnits: 2 }, deviceFactories);
    for (const { unit, mmioBase } of m.ir) {
      assert.ok((m.memory.read32(mmioBase + DMAR_GSTS) & GSTS_QIES) !== 0);
      assert.match(unit.qi.log[0]!.text, /^IEC invalidate, global/);
    }
  });

  it('ims_debug.irte_write flushes by default; { flush: false } leaves a stale entry the unit uses', () => {
    const m = new Machine(defaultMachineConfig(), deviceFactories);
    const { api } = kernelFor(m);
    const dbg = api.ims_debug as {
      irte_write: (i: number, v: bigint, u?: unknown, o?: unknown) => number;
      iec_read: (i: number) => bigint | null;
      qi_flush_iec: (i: number, mask?: number) => number;
    };
    const unit = m.ir[0]!.unit;
    assert.equal(dbg.irte_write(7, encodeIrte({ p: 1, vector: 0x41, sid: SID, svt: 1 })), 0);
    unit.translate(remappable(7), 0, 0, SID, 1);
    assert.equal(decodeIrte(dbg.iec_read(7)!).vector, 0x41);
    assert.equal(
      dbg.irte_write(7, encodeIrte({ p: 1, vector: 0x42, sid: SID, svt: 1 }), { flush: false }),
      0,
    );
    assert.equal(decodeIrte(dbg.iec_read(7)!).vector, 0x41, 'still the old entry');
    unit.translate(remappable(7), 0, 0, SID, 2);
    assert.deepEqual([unit.out.vector, unit.out.stale], [0x41, true]);
    assert.equal(dbg.qi_flush_iec(7), 0);
    assert.equal(dbg.iec_read(7), null);
    dbg.irte_write(7, encodeIrte({ p: 1, vector: 0x43, sid: SID, svt: 1 }), 0, { flush: true });
    unit.translate(remappable(7), 0, 0, SID, 3);
    assert.equal(unit.out.vector, 0x43);
  });
});
