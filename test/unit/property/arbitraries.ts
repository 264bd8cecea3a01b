/**
 * fast-check arbitraries for the operations of ops.ts, weighted so that a sequence of a few
 * dozen mixes setup (allocation, request, handles), traffic (submissions, device signals) and
 * disturbance (masks, hotplug, affinity, corrupted IRTEs, garbage MMIO) — and biased towards
 * the registers and entries that have side effects.
 */
import fc from 'fast-check';
import { IDXD_DEFAULT_LAYOUT } from '../../../src/platform/idxd/caps';
import * as C from '../../../src/platform/idxd/consts';
import {
  DMAR_FECTL,
  DMAR_FSTS,
  DMAR_GCMD,
  DMAR_IQA,
  DMAR_IQT,
  DMAR_IRTA,
  DMAR_FRCD,
} from '../../../src/platform/remap/unit';
import { CPUS } from './rig';
import type { Area, HandleRef, Op } from './ops';

const MSIX_ENTRIES = 9;
/** IMS slots the allocations reach in a short run (the first free index is taken). */
const IMS_NEAR = 12;
const L = IDXD_DEFAULT_LAYOUT;

const pick = fc.nat(31);
const u32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 0x80000000, 0xffffffff, 0xfee00000),
  fc.nat(0xff),
);
const cpuMask = fc.subarray(
  Array.from({ length: CPUS + 1 }, (_, i) => i),
  { minLength: 0 },
);
const affinity = fc.option(fc.subarray([0, 1, 2, 3], { minLength: 1 }), { nil: null });

/** Offsets within an area, biased to what has side effects. */
const areaOffset: Record<Area, fc.Arbitrary<number>> = {
  regs: fc.oneof(
    fc.constantFrom(
      C.IDXD_CMD_OFFSET,
      C.IDXD_INTCAUSE_OFFSET,
      C.IDXD_GENCTRL_OFFSET,
      C.IDXD_GENCFG_OFFSET,
      C.IDXD_SWERR_OFFSET,
      C.IDXD_EMU_INJECT_OFFSET,
      L.msixPermOffset,
      L.msixPermOffset + 8,
      L.grpcfgOffset,
      L.wqcfgOffset + 8,
    ),
    fc.integer({ min: 0, max: 0x7ff }),
  ),
  msix: fc.oneof(
    fc.integer({ min: L.msixTableOffset, max: L.msixTableOffset + MSIX_ENTRIES * 16 - 1 }),
    fc.integer({ min: L.msixPbaOffset, max: L.msixPbaOffset + 15 }),
  ),
  ims: fc.oneof(
    fc.integer({ min: L.imsOffset, max: L.imsOffset + IMS_NEAR * 16 - 1 }),
    fc.integer({ min: L.imsOffset, max: L.imsOffset + 0x7fff }),
  ),
  bar0: fc.integer({ min: 0, max: 0xffff }),
  bar2: fc.integer({ min: 0, max: 0x1ffff }),
  dmar: fc.oneof(
    fc.constantFrom(
      DMAR_GCMD,
      DMAR_IRTA,
      DMAR_IQT,
      DMAR_IQA,
      DMAR_FSTS,
      DMAR_FECTL,
      DMAR_FRCD + 12,
    ),
    fc.integer({ min: 0, max: 0xfff }),
  ),
};

const mmio: fc.Arbitrary<Op> = fc
  .constantFrom<Area>('regs', 'msix', 'ims', 'bar0', 'bar2', 'dmar')
  .chain((area) =>
    fc.record({
      k: fc.constant('mmio' as const),
      area: fc.constant(area),
      offset: fc.oneof(
        { weight: 4, arbitrary: areaOffset[area].map((o) => o & ~3) },
        areaOffset[area],
      ),
      width: fc.constantFrom<32 | 64>(32, 64),
      value: fc.oneof(u32.map(BigInt), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      read: fc.boolean(),
    }),
  );

const handle: fc.Arbitrary<HandleRef> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ pick }) },
  fc.record({ raw: fc.oneof(fc.nat(15), fc.integer({ min: 0, max: 0xffff })) }),
);

const submit: fc.Arbitrary<Op> = fc.record({
  k: fc.constant('submit' as const),
  wq: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 1) }, fc.nat(7)),
  limited: fc.boolean(),
  how: fc.constantFrom('movdir64b' as const, 'enqcmd' as const, 'enqcmds' as const),
  opcode: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(C.DSA_OPCODE.NOOP, C.DSA_OPCODE.MEMMOVE) },
    fc.nat(0xff),
  ),
  flags: fc.oneof(
    {
      weight: 5,
      arbitrary: fc.constant(C.IDXD_OP_FLAG.RCR | C.IDXD_OP_FLAG.RCI | C.IDXD_OP_FLAG.CRAV),
    },
    fc.integer({ min: 0, max: 0xffffff }),
  ),
  pasid: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, fc.nat(3)),
  handle,
  record: fc.nat(63),
});

/** Mostly on: a state that stops all traffic should not dominate a sequence. */
const on = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.boolean());

/** What ends all traffic until it is undone: rare. */
const rare: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('msixControl' as const),
      enable: on,
      maskAll: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('msixFree' as const), freeActionsFirst: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'flr' as const }) },
);

/** Every operation, weighted. */
export const opArbitraries: fc.WeightedArbitrary<Op>[] = [
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('msixAlloc' as const),
      nvec: fc.integer({ min: 1, max: 9 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('msixAllocAt' as const),
      index: fc.oneof(fc.constant('any' as const), fc.nat(MSIX_ENTRIES)),
      mask: affinity,
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('msixFreeAt' as const), pick }) },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('imsAlloc' as const), pasid: fc.nat(2), mask: affinity }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('imsFree' as const), pick }) },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('request' as const),
      pick,
      kind: fc.constantFrom('handled' as const, 'none' as const, 'thread' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('free' as const), pick }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constantFrom('disable' as const, 'enable' as const), pick }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('affinity' as const), pick, cpus: cpuMask }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom('cpuDown' as const, 'cpuUp' as const),
      cpu: fc.nat(CPUS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('irte' as const),
      pick,
      value: fc.oneof(
        fc.constant('clear-present' as const),
        fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
      ),
      flush: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.record({
        k: fc.constant('mask' as const),
        source: fc.constant('msix' as const),
        index: fc.nat(MSIX_ENTRIES - 1),
        masked: fc.boolean(),
      }),
      fc.record({
        k: fc.constant('mask' as const),
        source: fc.constant('ims' as const),
        index: fc.nat(IMS_NEAR - 1),
        masked: fc.boolean(),
      }),
    ),
  },
  { weight: 6, arbitrary: mmio },
  { weight: 8, arbitrary: submit },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('burst' as const),
      wq: fc.constantFrom(0, 1),
      n: fc.integer({ min: 1, max: 8 }),
      pick,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('command' as const),
      code: fc.oneof(fc.integer({ min: 1, max: 14 }), fc.nat(31)),
      operand: fc.oneof(fc.nat(3), fc.integer({ min: 0, max: 0xfffff })),
      intReq: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.record({
        k: fc.constant('intHandle' as const),
        source: fc.constant('msix' as const),
        index: fc.nat(MSIX_ENTRIES),
      }),
      fc.record({
        k: fc.constant('intHandle' as const),
        source: fc.constant('ims' as const),
        index: fc.nat(IMS_NEAR),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('releaseHandle' as const), pick }) },
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.record({
        k: fc.constant('fire' as const),
        source: fc.constant('msix' as const),
        index: fc.nat(MSIX_ENTRIES - 1),
        pasid: fc.constant(null),
      }),
      fc.record({
        k: fc.constant('fire' as const),
        source: fc.constant('ims' as const),
        index: fc.nat(IMS_NEAR - 1),
        pasid: fc.option(fc.nat(2), { nil: null }),
      }),
    ),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('irqs' as const), on: fc.boolean() }) },
  { weight: 3, arbitrary: fc.constant({ k: 'dispatch' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('advance' as const),
      ns: fc.oneof(fc.nat(2_000), fc.integer({ min: 0, max: 3_000_000 })),
      take: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: rare },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('pciCommand' as const),
      memory: on,
      master: fc.boolean(),
    }),
  },
];
