import { strict as assert } from 'node:assert';
import { accessValue, IoLog, MAX_DISTINCT } from '../../../../src/runtime/worker/io-log';

/** A stand-in kernel API: MMIO on a map of dwords, and the irq calls' shapes. */
function api() {
  const regs = new Map<number, number>();
  const calls: string[] = [];
  const a: Record<string, unknown> = {
    readl: (addr: number) => regs.get(addr) ?? 0,
    writel: (v: number, addr: number) => {
      regs.set(addr, v);
    },
    readq: (addr: number) => BigInt(regs.get(addr) ?? 0),
    writeq: (v: bigint, addr: number) => {
      regs.set(addr, Number(v & 0xffffffffn));
    },
    request_irq: (irq: number) => {
      calls.push(`request_irq ${irq}`);
      return 0;
    },
    pci_ims_alloc_irq: (_pdev: unknown, cookie: { value: number }) =>
      cookie.value < 0 ? { index: -28, virq: 0 } : { index: 3, virq: 42 },
    pci_irq_vector: () => 24,
    udelay: () => undefined,
  };
  return { a, regs, calls };
}

describe('runtime/worker: IoLog (what kernel calls did, by statement site)', () => {
  it('records the last MMIO access of each site with its value, width and direction', () => {
    let site = 5;
    const log = new IoLog(() => site);
    const { a } = api();
    log.instrument(a);
    (a.writel as (v: number, x: number) => void)(0x1009, 0x1000c);
    (a.readl as (x: number) => number)(0x1000c);
    const r5 = log.mmio.get(5)!;
    assert.deepEqual(
      [r5.address, r5.bytes, r5.value, r5.write, r5.fn, r5.count],
      [0x1000c, 4, 0x1009, false, 'readl', 2],
    );
    assert.equal(r5.addresses.size, 1);
    site = 7;
    (a.writeq as (v: bigint, x: number) => void)(-1n, 0x10010);
    const r7 = log.mmio.get(7)!;
    assert.equal(r7.write, true);
    assert.equal(accessValue(r7), 0xffff_ffff_ffff_ffffn);
    assert.ok(r7.seq > r5.seq, 'the later access has the later sequence number');
  });

  it('keeps the functions working and named, and leaves other API entries alone', () => {
    const log = new IoLog(() => 1);
    const { a, regs } = api();
    const udelay = a.udelay;
    log.instrument(a);
    (a.writel as (v: number, x: number) => void)(7, 0x20);
    assert.equal(regs.get(0x20), 7);
    assert.equal((a.readl as (x: number) => number)(0x20), 7);
    assert.equal((a.readl as { name: string }).name, 'readl');
    assert.equal(a.udelay, udelay);
  });

  it('records nothing when no model statement is running (site -1)', () => {
    const log = new IoLog(() => -1);
    const { a } = api();
    log.instrument(a);
    (a.readl as (x: number) => number)(0x10);
    (a.request_irq as (i: number) => number)(33);
    assert.equal(log.mmio.size, 0);
    assert.equal(log.irqs.size, 0);
  });

  it('records the irq a call names: its argument, its result or an msi_map virq', () => {
    let site = 1;
    const log = new IoLog(() => site);
    const { a, calls } = api();
    log.instrument(a);
    (a.request_irq as (i: number) => number)(33);
    assert.deepEqual(calls, ['request_irq 33']);
    assert.equal(log.irqs.get(1)!.irq, 33);
    site = 2;
    (a.pci_ims_alloc_irq as (p: unknown, c: { value: number }) => unknown)({}, { value: 1 });
    assert.deepEqual([log.irqs.get(2)!.irq, log.irqs.get(2)!.fn], [42, 'pci_ims_alloc_irq']);
    site = 3;
    (a.pci_irq_vector as () => number)();
    assert.equal(log.irqs.get(3)!.irq, 24);
    site = 4;
    (a.pci_ims_alloc_irq as (p: unknown, c: { value: number }) => unknown)({}, { value: -1 });
    assert.equal(log.irqs.get(4)!.irq, -28, 'a failed allocation records its errno');
  });

  it('counts distinct addresses of a site up to a bound', () => {
    const log = new IoLog(() => 0);
    const { a } = api();
    log.instrument(a);
    for (let i = 0; i < MAX_DISTINCT + 10; i++) (a.readl as (x: number) => number)(i * 4);
    const r = log.mmio.get(0)!;
    assert.equal(r.count, MAX_DISTINCT + 10);
    assert.equal(r.addresses.size, MAX_DISTINCT);
    assert.equal(r.address, (MAX_DISTINCT + 9) * 4);
  });
});
