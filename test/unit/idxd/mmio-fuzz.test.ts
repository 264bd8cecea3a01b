/**
 * Whatever a model writes, the device never throws: random 32/64-bit accesses anywhere in BAR0
 * (commands, EMU_INJECT, SWERR, tables, MSI-X, IMS) and random 64-byte submissions to BAR2,
 * with the clock run in between. Every message still ends with exactly one outcome.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { C, enabledWq, rig } from './helpers';

const BAR0 = 0x3_0000_0000;
const BAR2 = 0x3_0010_0000;

type Op =
  | { kind: 'w32' | 'r32' | 'w64' | 'r64'; offset: number; value: number }
  | { kind: 'portal'; offset: number; bytes: Uint8Array; how: 'movdir64b' | 'enqcmd' | 'enqcmds' }
  | { kind: 'run'; ns: number };

/** Offsets biased towards the registers and tables that have side effects. */
const offset0 = fc.oneof(
  fc.constantFrom(
    C.IDXD_CMD_OFFSET,
    C.IDXD_EMU_INJECT_OFFSET,
    C.IDXD_SWERR_OFFSET,
    C.IDXD_INTCAUSE_OFFSET,
    C.IDXD_GENCTRL_OFFSET,
    C.IDXD_GENCFG_OFFSET,
  ),
  fc.integer({ min: 0x300, max: 0x5ff }),
  fc.integer({ min: 0x2000, max: 0x20ff }),
  fc.integer({ min: 0x8000, max: 0x80ff }),
  fc.integer({ min: 0, max: 0xffff }),
);

/** Descriptors: a real opcode most of the time, small sizes, addresses near RAM or MMIO. */
const descriptor = fc
  .record({
    head: fc.integer({ min: 0, max: 0xffffffff }),
    flags: fc.integer({ min: 0, max: 0xffffff }),
    opcode: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 9, 0x10, 0x11), fc.nat(255)),
    addrs: fc.array(
      fc.oneof(fc.integer({ min: 0x1000_0000, max: 0x1001_0000 }), fc.constant(BAR0 + 0x100)),
      { minLength: 4, maxLength: 4 },
    ),
    size: fc.nat(0x2000),
    handle: fc.nat(4),
    rest: fc.uint8Array({ minLength: 24, maxLength: 24 }),
  })
  .map((d) => {
    const b = new Uint8Array(64);
    const v = new DataView(b.buffer);
    v.setUint32(0, d.head, true);
    v.setUint32(4, (d.flags | (d.opcode << 24)) >>> 0, true);
    d.addrs.slice(0, 3).forEach((a, i) => {
      v.setBigUint64(8 + 8 * i, BigInt(a), true);
    });
    v.setUint32(32, d.size, true);
    v.setUint16(36, d.handle, true);
    b.set(d.rest, 40);
    if (d.opcode === 9) v.setBigUint64(40, BigInt(d.addrs[3]!), true);
    return b;
  });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('w32', 'r32', 'w64', 'r64'),
    offset: offset0,
    value: fc.integer({ min: 0, max: 0xffffffff }),
  }),
  fc.record({
    kind: fc.constant('portal'),
    offset: fc.oneof(fc.constantFrom(0, 0x1000, 0x4000, 0x5000), fc.nat(0x1ffff)),
    bytes: descriptor,
    how: fc.constantFrom('movdir64b', 'enqcmd', 'enqcmds'),
  }),
  fc.record({ kind: fc.constant('run'), ns: fc.nat(5000) }),
);

describe('IDXD MMIO: random input never throws', () => {
  it('random accesses and submissions on an enabled device', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const r = rig();
        enabledWq(r, { wq: 0, size: 4 });
        r.mem.allocate(0x20000);
        for (const o of ops) {
          switch (o.kind) {
            case 'w32':
              r.mem.write32(BAR0 + (o.offset & ~3), o.value);
              break;
            case 'r32':
              r.mem.read32(BAR0 + (o.offset & ~3));
              break;
            case 'w64':
              r.mem.write64(BAR0 + (o.offset & ~7), BigInt(o.value) * 0x1_0001n);
              break;
            case 'r64':
              r.mem.read64(BAR0 + (o.offset & ~7));
              break;
            case 'portal':
              r.mem.write64B(BAR2 + (o.offset & ~63), o.bytes, o.how);
              break;
            case 'run':
              while (r.clock.runNext(r.clock.now + o.ns));
              break;
          }
        }
        r.settle();
        assert.deepEqual(r.bus.violations, []);
        assert.deepEqual(r.bus.unfinished().length <= r.dev.msix.size + r.dev.ims.slots, true);
      }),
      { numRuns: 150, seed: 0x1dd0 },
    );
  });
});
