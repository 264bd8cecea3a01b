import { strict as assert } from 'node:assert';
import { Clock } from '../../../src/platform/clock';
import { PhysMemory } from '../../../src/platform/memory';
import { IdxdDevice } from '../../../src/platform/idxd/device';
import { computeLayout, resolveCaps } from '../../../src/platform/idxd/caps';
import { FakeBus } from '../pci/fake-bus';
import { C, imsSlot, rig } from './helpers';

describe('IDXD device parameters', () => {
  it('several devices coexist with their own BDF, BARs and messages', () => {
    const mem = new PhysMemory();
    const clock = new Clock();
    const bus = new FakeBus();
    const mk = (bdf: string, base: number) =>
      new IdxdDevice({
        bus,
        memory: mem,
        clock,
        bdf,
        bar0Address: base,
        bar2Address: base + 0x100000,
      });
    const a = mk('0000:6a:01.0', 0xe000_0000);
    const b = mk('0000:6f:01.0', 0xe100_0000);
    a.mapBars();
    b.mapBars();
    assert.equal(b.requesterId, 0x6f08);
    for (const d of [a, b]) {
      d.pci.writeConfig16(4, 6);
      d.pci.writeConfig16(d.pci.msixCap + 2, 0x8000);
    }
    mem.write32(0xe100_0000 + 0x2000 + 12, 0);
    mem.write32(0xe100_0000 + C.IDXD_CMD_OFFSET, 0x80000000 | (C.IDXD_CMD.ENABLE_DEVICE << 20));
    while (clock.runNext(Infinity));
    assert.equal(mem.read32(0xe100_0000 + C.IDXD_GENSTS_OFFSET), 1);
    assert.equal(mem.read32(0xe000_0000 + C.IDXD_GENSTS_OFFSET), 0);
    assert.deepEqual(
      bus.raised().map((c) => c.bdf),
      ['0000:6f:01.0'],
    );
    b.unmapBars();
    assert.equal(mem.mmioAt(0xe100_0000), undefined);
  });

  it('capabilities and layout are parameters; bad ones are refused', () => {
    const r = rig({
      caps: {
        wqcap: { num_wqs: 4, total_wq_size: 64 },
        msix_count: 5,
        gencap: { max_ims_mult: 1 },
      },
    });
    assert.equal(r.dev.layout.imsSlots, 256);
    assert.equal(r.dev.layout.bar2Size, 0x10000);
    assert.equal(r.dev.pci.readConfig16(r.dev.pci.msixCap + 2) & 0x7ff, 4);
    assert.equal(r.dev.snapshot().wqs.length, 4);
    assert.throws(() => resolveCaps({ wqcap: { num_wqs: 0 } }), RangeError);
    assert.throws(() => resolveCaps({ version: 0x10000 }), RangeError);
    assert.throws(() => computeLayout(resolveCaps(), { imsOffset: 0x2000 }), /overlaps/);
    assert.throws(() => computeLayout(resolveCaps(), { wqcfgOffset: 0x510 }), /aligned/);
    const big = computeLayout(resolveCaps({ gencap: { max_ims_mult: 16 } }));
    assert.equal(big.bar0Size, 0x20000, 'BAR0 grows to hold 4096 IMS slots');
  });

  it('IMS: reserved control bits are ignored and reported; a live slot message change is reported', () => {
    const r = rig();
    const base = r.dev.layout.imsOffset + 16 * 4;
    r.w32(base + 12, 0x0000_0ffe);
    assert.equal(r.r32(base + 12), 0x8);
    assert.match(r.anomalies[0]!, /IMS slot 4: control 0x00000ffe sets reserved bits 0x00000ff6/);
    r.w32(base + 8, 0x41);
    assert.match(r.anomalies[1]!, /IMS slot 4: message data changed while the entry is unmasked/);
    imsSlot(r, 5, 0, 0, 1);
    assert.equal(r.anomalies.length, 2);
  });

  it('power-on reset puts config space and the tables back', () => {
    const r = rig();
    imsSlot(r, 3, 0xfee0_0000, 1, 0);
    r.cmd(C.IDXD_CMD.ENABLE_DEVICE);
    r.dev.reset();
    assert.equal(r.dev.pci.readConfig16(4), 0);
    assert.equal(r.dev.bar0.peek32(C.IDXD_GENSTS_OFFSET), 0);
    assert.equal(r.dev.bar0.peek32(r.dev.layout.imsOffset + 3 * 16 + 12), 1);
    assert.deepEqual(r.dev.ims.inUse(), []);
  });
});
