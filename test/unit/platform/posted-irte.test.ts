/**
 * Posted-format IRTEs (IM = 1). The emulated unit reports no posted-interrupt support (CAP.PI,
 * bit 59, clear), so IM is a reserved bit and such an entry faults with 0x24 (VT-d §9.10); a
 * unit built with posted-interrupt support decodes the entry and drops the message as not
 * modelled. URG, PDA_L and PDA_H are decoded and listed in the field table the views use.
 */
import { strict as assert } from 'node:assert';
import { PhysMemory } from '../../../src/platform/memory';
import { Cpu } from '../../../src/platform/cpu';
import { IrqCore } from '../../../src/platform/irq/core';
import { MsiFabric } from '../../../src/platform/fabric';
import { InterruptTrace } from '../../../src/platform/trace';
import {
  CAP_PI,
  DMAR_CAP,
  DMAR_GCMD,
  DMAR_IRTA,
  GCMD_IRE,
  GCMD_SIRTP,
  IrUnit,
  Xlate,
} from '../../../src/platform/remap/unit';
import {
  IRTE_FIELDS,
  composeRemappable,
  decodeIrte,
  encodeIrte,
} from '../../../src/platform/remap/irte';

const BASE = 0xfed90000;
const SID = 0x6a08;
const PDA = 0x1_2345_6780n;

function unit(pi: boolean): { mem: PhysMemory; unit: IrUnit } {
  const mem = new PhysMemory();
  const table = mem.allocate(16 * 16);
  const u = new IrUnit(0, mem, () => 0, pi);
  mem.mapMmio(BASE, 0x1000, 'dmar0', u);
  mem.write64(BASE + DMAR_IRTA, BigInt(table) | (1n << 11n) | 3n);
  mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
  mem.write32(BASE + DMAR_GCMD, GCMD_IRE);
  return { mem, unit: u };
}

const posted = (extra: Parameters<typeof encodeIrte>[0] = {}): bigint =>
  encodeIrte({ p: 1, pst: 1, urg: 1, vector: 0x41, pda: PDA, sid: SID, svt: 1, ...extra });

const xlate = (u: IrUnit, index: number): Xlate => {
  const m = composeRemappable(index);
  return u.translate(m.address_lo, m.address_hi, m.data, SID, 1);
};

describe('posted-format IRTEs', () => {
  it('the emulated unit reports no posted-interrupt support: CAP.PI (bit 59) is 0', () => {
    const { mem } = unit(false);
    assert.equal(mem.read64(BASE + DMAR_CAP) & CAP_PI, 0n);
    assert.equal(unit(true).mem.read64(BASE + DMAR_CAP) & CAP_PI, CAP_PI);
  });

  it('without CAP.PI, IM = 1 is a reserved field: fault 0x24, recorded; not with FPD', () => {
    const { unit: u } = unit(false);
    u.writeIrte(2, posted());
    assert.equal(xlate(u, 2), Xlate.Fault);
    assert.equal(u.out.fault, 0x24);
    assert.equal(u.out.recorded, true);
    assert.equal(u.iec.lookup(2), undefined, 'an entry with reserved bits is not cached');
    u.writeIrte(3, posted({ fpd: 1 }));
    assert.equal(xlate(u, 3), Xlate.Fault);
    assert.equal(u.out.fault, 0x24);
    assert.equal(u.out.recorded, false, 'FPD suppresses the recording');
  });

  it('with CAP.PI: the entry is checked (posted reserved bits still fault) and reported as Posted', () => {
    const { unit: u } = unit(true);
    u.writeIrte(2, posted());
    assert.equal(xlate(u, 2), Xlate.Posted);
    u.writeIrte(4, posted() | (1n << 12n));
    assert.equal(xlate(u, 4), Xlate.Fault);
    assert.equal(u.out.fault, 0x24);
  });

  it('the fabric drops a message through a posted entry of a unit with CAP.PI, naming why', () => {
    const trace = new InterruptTrace(() => 0);
    const mem = new PhysMemory();
    const core = new IrqCore([new Cpu(0, 0)], () => undefined);
    const u = new IrUnit(0, mem, () => 0, true);
    const table = mem.allocate(16 * 16);
    mem.mapMmio(BASE, 0x1000, 'dmar0', u);
    mem.write64(BASE + DMAR_IRTA, BigInt(table) | (1n << 11n) | 3n);
    mem.write32(BASE + DMAR_GCMD, GCMD_SIRTP);
    mem.write32(BASE + DMAR_GCMD, GCMD_IRE);
    u.writeIrte(2, posted());
    const fabric = new MsiFabric(trace, mem, core, () => u);
    const id = fabric.raise(fabric.origin('0000:6a:01.0', SID, 'msix', 0), null);
    const m = composeRemappable(2);
    fabric.send(id, m.address_lo, m.address_hi, m.data);
    const ev = trace.lastEventOf(id)!;
    assert.equal(ev.kind, 'dropped');
    assert.equal(ev.irte, 2);
    assert.match(ev.reason!, /^not modelled: IRTE 2 is in posted format \(IM = 1\)/);
    assert.match(ev.reason!, /reports posted-interrupt support \(CAP\.PI\)/);
  });

  it('decodes URG, PDA_L and PDA_H and lists them in the field table', () => {
    const d = decodeIrte(posted());
    assert.equal(d.urg, 1);
    assert.equal(d.pdal, Number((PDA >> 6n) & 0x3ffffffn));
    assert.equal(d.pdah, Number(PDA >> 32n));
    assert.equal(d.pda, PDA);
    const remapped = decodeIrte(encodeIrte({ p: 1, vector: 0x41, dst: 0xffffffff }));
    assert.deepEqual([remapped.urg, remapped.pdal, remapped.pdah], [0, 0, 0]);
    const byName = new Map(IRTE_FIELDS.map(([n, hi, lo]) => [n, [hi, lo]]));
    assert.deepEqual(byName.get('urg'), [14, 14]);
    assert.deepEqual(byName.get('pdal'), [63, 38]);
    assert.deepEqual(byName.get('pdah'), [127, 96]);
  });
});
