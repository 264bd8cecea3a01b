import { strict as assert } from 'node:assert';
import { devfn, formatBdf, parseBdf, requesterId } from '../../../src/platform/pci/bdf';

describe('PCI BDF', () => {
  it('parses and formats dddd:bb:dd.f', () => {
    const b = parseBdf('0000:6a:01.0');
    assert.deepEqual(b, { domain: 0, bus: 0x6a, device: 1, fn: 0 });
    assert.equal(formatBdf(b), '0000:6a:01.0');
    assert.equal(formatBdf(parseBdf('E7:1F.7')), '0000:e7:1f.7');
    assert.equal(formatBdf(parseBdf('0001:00:02.3')), '0001:00:02.3');
  });

  it('computes devfn and the requester id bus<<8|devfn', () => {
    const b = parseBdf('0000:6a:01.0');
    assert.equal(devfn(b), 0x08);
    assert.equal(requesterId(b), 0x6a08);
    assert.equal(requesterId(parseBdf('0000:f6:1f.7')), 0xf6ff);
  });

  it('rejects malformed addresses', () => {
    for (const s of ['6a:01', '0000:6a:20.0', '0000:6a:01.8', 'zz:01.0', '00000:6a:01.0']) {
      assert.throws(() => parseBdf(s), RangeError, s);
    }
  });
});
