import { strict as assert } from 'node:assert';
import { buildMachine } from '../../../../src/runtime/setup';
import { deviceLayouts } from '../../../../src/runtime/worker/reg-targets';
import { registersOf } from '../../../../src/runtime/worker/register-at';

describe('runtime/worker: registersOf (MMIO address → register pieces)', () => {
  const { machine: m } = buildMachine({});
  const devices = deviceLayouts(m);
  const dev = [...devices.values()][0]!;
  const at = (offset: number, bytes: number, value: bigint) =>
    registersOf(devices, m.memory, dev.bar0 + offset, bytes, value);

  it('names a whole top-level register with its definition', () => {
    const [p, ...rest] = at(0x90, 4, 1n);
    assert.deepEqual(rest, []);
    assert.equal(p!.name, 'GENSTS');
    assert.equal(p!.def?.name, 'GENSTS');
    assert.deepEqual([p!.lo, p!.hi, p!.value, p!.bytes], [0, 31, 1n, 4]);
    assert.equal(p!.device, dev.bdf);
  });

  it('gives the bit range of a 32-bit access to half of a 64-bit register', () => {
    const [p] = at(0x14, 4, 0x1234n);
    assert.equal(p!.name, 'GENCAP[63:32]');
    assert.deepEqual([p!.lo, p!.hi, p!.value], [32, 63, 0x1234n]);
  });

  it('splits a 64-bit access over two 32-bit registers (WQCFG size and thresh)', () => {
    const ps = at(wqcfg(), 8, 0x0000_0005_0000_0010n);
    assert.deepEqual(
      ps.map((p) => [p.name, p.value, p.address - dev.bar0]),
      [
        ['WQCFG[0].size', 0x10n, wqcfg()],
        ['WQCFG[0].thresh', 0x5n, wqcfg() + 4],
      ],
    );
  });

  it('names IMS slot words and MSI-X entry words by table, entry and word', () => {
    const stride = dev.tables.ims.stride;
    assert.equal(at(dev.imsOffset + 3 * stride + 12, 4, 1n)[0]!.name, 'IMS[3].ctrl');
    assert.equal(at(dev.imsOffset + 3 * stride, 4, 0xfee00000n)[0]!.name, 'IMS[3].address_lo');
    assert.equal(at(dev.msixTableOffset + 16 + 8, 4, 0x20n)[0]!.name, 'MSIX[1].data');
  });

  it('names an address no table describes by its MMIO range and offset, RAM by its address', () => {
    // Between the register file (GENCAP … PERFCAP) and the MSI-X table nothing is defined.
    const gap = dev.msixTableOffset - 4;
    assert.equal(dev.instanceAt(gap), undefined);
    const r = m.memory.mmioAt(dev.bar0)!;
    const [p, ...rest] = at(gap, 8, 0x1_0000_0002n);
    assert.equal(p!.name, `${r.name} +0x${gap.toString(16)}`);
    assert.equal(p!.def, undefined);
    // The rest of the access is the MSI-X table's first word.
    assert.deepEqual(
      rest.map((x) => [x.name, x.value]),
      [['MSIX[0].address_lo', 1n]],
    );
    const [ram] = registersOf(devices, m.memory, 0x1000, 4, 0n);
    assert.equal(ram!.name, '0x1000');
  });

  /** BAR0 offset of WQCFG[0]. */
  function wqcfg(): number {
    for (let o = 0; o < 0x8000; o += 4) if (dev.instanceAt(o)?.name === 'WQCFG[0].size') return o;
    throw new Error('no WQCFG[0].size');
  }
});
