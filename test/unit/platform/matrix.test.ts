/**
 * The vector matrix (kernel/irq/matrix.c; facts §4.1, §4.3, §4.4): system vectors, the best-CPU
 * and lowest-vector policy, the counters and irq_matrix_debug_show's text.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IrqMatrix, EINVAL, ENOSPC } from '../../../src/platform/apic/matrix';

/**
 * Linux v6.15's system vectors (x86_64 distribution config on bare metal, see vectors.ts), as a
 * real machine prints them: `System: 38: 0-19,21,50,128,236,240-242,244,246-255` — the
 * exceptions with IDT entries, #CP, the PIC cascade 0x32, the syscall gate 0x80 and the APIC
 * system vectors.
 */
const SYSTEM = [
  ...Array.from({ length: 20 }, (_, i) => i),
  21,
  0x32,
  0x80,
  0xec,
  0xf0,
  0xf1,
  0xf2,
  0xf4,
  ...Array.from({ length: 0x100 - 0xf6 }, (_, i) => 0xf6 + i),
];
const SYSTEM_TEXT = 'System: 38: 0-19,21,50,128,236,240-242,244,246-255';
/** Allocatable device vectors: 0x20–0xeb without the system vectors among them (0x32, 0x80). */
const DEVICE = Array.from({ length: 0xec - 0x20 }, (_, i) => 0x20 + i).filter(
  (v) => !SYSTEM.includes(v),
);
/** Vectors available per CPU at online. */
const AVL = DEVICE.length;

/** A matrix set up as lapic_assign_system_vectors() does, with `online` CPUs online. */
function matrix(ncpus: number, online = ncpus): IrqMatrix {
  const m = new IrqMatrix(ncpus, 0x20, 0xec);
  for (const v of SYSTEM) m.assignSystem(v);
  for (let c = 0; c < online; c++) m.online(c);
  return m;
}

describe('vector matrix', () => {
  it('has 204 − 2 = 202 vectors available per CPU at online (0x32 and 0x80 are system vectors)', () => {
    assert.equal(AVL, 0xec - 0x20 - 2);
    const m = matrix(3);
    for (let c = 0; c < 3; c++) assert.equal(m.maps[c]!.available, AVL);
    assert.equal(m.global_available, 3 * AVL);
    assert.equal(m.online_maps, 3);
    assert.equal(m.systembits_inalloc, 2);
    assert.deepEqual(m.systemVectors(), SYSTEM);
  });

  it('hands out the lowest free vector from 0x20, skipping 0x32 and 0x80, and never a system vector', () => {
    const m = matrix(1);
    const got: number[] = [];
    for (;;) {
      const r = m.alloc([0], false);
      if (typeof r === 'number') {
        assert.equal(r, -ENOSPC);
        break;
      }
      assert.equal(r.cpu, 0);
      got.push(r.vector);
    }
    assert.deepEqual(got, DEVICE, 'in ascending order, exactly the device vectors');
    assert.equal(m.maps[0]!.available, 0);
  });

  it('reuses the lowest freed vector first', () => {
    const m = matrix(1);
    for (let i = 0; i < 4; i++) m.alloc([0], false);
    assert.equal(m.free(0, 0x21), true);
    assert.equal(m.free(0, 0x22), true);
    assert.deepEqual(m.alloc([0], false), { cpu: 0, vector: 0x21 });
    assert.deepEqual(m.alloc([0], false), { cpu: 0, vector: 0x22 });
    assert.deepEqual(m.alloc([0], false), { cpu: 0, vector: 0x24 });
  });

  it('picks the CPU with the most available vectors, ties to the lowest CPU', () => {
    const m = matrix(4);
    const cpus = [0, 1, 2, 3];
    const seq = Array.from({ length: 6 }, () => m.alloc(cpus, false));
    assert.deepEqual(seq, [
      { cpu: 0, vector: 0x20 },
      { cpu: 1, vector: 0x20 },
      { cpu: 2, vector: 0x20 },
      { cpu: 3, vector: 0x20 },
      { cpu: 0, vector: 0x21 },
      { cpu: 1, vector: 0x21 },
    ]);
    m.free(3, 0x20);
    assert.deepEqual(m.alloc(cpus, false), { cpu: 3, vector: 0x20 }, 'CPU 3 has the most now');
    assert.deepEqual(m.alloc([3, 2], false), { cpu: 2, vector: 0x21 }, 'only CPUs in the mask');
  });

  it('skips offline CPUs and returns -EINVAL / -ENOSPC for empty or offline masks', () => {
    const m = matrix(3, 2);
    assert.equal(m.alloc([], false), -EINVAL);
    assert.equal(m.alloc([2], false), -ENOSPC);
    assert.deepEqual(m.alloc([2, 1], false), { cpu: 1, vector: 0x20 });
    m.offline(1);
    assert.equal(m.global_available, AVL, 'CPU 1 no longer counts');
    assert.equal(m.online_maps, 1);
    assert.deepEqual(m.alloc([0, 1], false), { cpu: 0, vector: 0x20 });
  });

  it('a reserved allocation consumes a global reservation', () => {
    const m = matrix(2);
    m.reserve();
    m.reserve();
    assert.equal(m.global_reserved, 2);
    m.alloc([0], true);
    assert.equal(m.global_reserved, 1);
    m.alloc([0], false);
    assert.equal(m.global_reserved, 1);
    m.removeReserved();
    assert.equal(m.global_reserved, 0);
    assert.equal(m.total_allocated, 2);
  });

  it('ignores freeing a vector that is not allocated or outside the range', () => {
    const m = matrix(1);
    m.alloc([0], false);
    assert.equal(m.free(0, 0x21), false);
    assert.equal(m.free(0, 0xef), false);
    assert.equal(m.free(0, 0x10), false);
    assert.equal(m.total_allocated, 1);
    assert.equal(m.maps[0]!.available, AVL - 1);
  });

  it('keeps its counters and policy under random alloc / free / reserve sequences (property)', () => {
    type Op =
      | { op: 'alloc'; mask: number[]; reserved: boolean }
      | { op: 'free'; pick: number }
      | { op: 'reserve' }
      | { op: 'unreserve' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constant('alloc' as const),
        // A CPU list in any order: the policy must not depend on it.
        mask: fc.shuffledSubarray([0, 1, 2, 3]),
        reserved: fc.boolean(),
      }),
      fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('reserve' as const) }),
      fc.record({ op: fc.constant('unreserve' as const) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const m = matrix(4);
        // The reference model: allocated vectors per CPU and the reservation count.
        const held: Set<number>[] = [new Set(), new Set(), new Set(), new Set()];
        let reserved = 0;
        for (const o of ops) {
          if (o.op === 'reserve') {
            m.reserve();
            reserved++;
          } else if (o.op === 'unreserve') {
            if (reserved === 0) continue;
            m.removeReserved();
            reserved--;
          } else if (o.op === 'free') {
            const all = held.flatMap((s, cpu) => [...s].map((v) => [cpu, v] as const));
            if (all.length === 0) continue;
            const [cpu, v] = all[o.pick % all.length]!;
            assert.equal(m.free(cpu, v), true);
            held[cpu]!.delete(v);
          } else {
            const useReservation = o.reserved && reserved > 0;
            const mask = o.mask;
            const r = m.alloc(mask, useReservation);
            if (mask.length === 0) {
              assert.equal(r, -EINVAL);
              continue;
            }
            // Expected: the CPU of the mask with the fewest allocated (most available), ties
            // to the lowest; the lowest free device vector on it.
            let best = mask[0]!;
            for (const c of mask) {
              const fewer = held[c]!.size < held[best]!.size;
              if (fewer || (held[c]!.size === held[best]!.size && c < best)) best = c;
            }
            const vector = DEVICE.find((v) => !held[best]!.has(v));
            assert.notEqual(vector, undefined, 'the sequences are too short to fill a CPU');
            assert.deepEqual(r, { cpu: best, vector });
            held[best]!.add(vector!);
            if (useReservation) reserved--;
          }
        }
        const allocated = held.reduce((n, s) => n + s.size, 0);
        assert.equal(m.total_allocated, allocated);
        assert.equal(m.global_available, 4 * AVL - allocated);
        assert.equal(m.global_reserved, reserved);
        held.forEach((s, cpu) => {
          assert.equal(m.maps[cpu]!.allocated, s.size);
          assert.equal(m.maps[cpu]!.available, AVL - s.size);
          assert.deepEqual(
            m.allocatedVectors(cpu),
            [...s].sort((a, b) => a - b),
          );
          for (const v of SYSTEM) assert.equal(m.isAllocated(cpu, v), false);
        });
        assert.equal(m.available([0, 1, 2, 3]), m.global_available);
      }),
      { numRuns: 150 },
    );
  });

  describe('debugShow (irq_matrix_debug_show)', () => {
    it('prints the counters unindented and the CPU table in the kernel format', () => {
      const m = matrix(2);
      for (let i = 0; i < 4; i++) m.alloc([0], false);
      m.free(0, 0x22);
      m.reserve();
      assert.equal(
        m.debugShow(1),
        [
          'Online bitmaps:        2',
          `Global available:    ${2 * AVL - 3}`,
          'Global reserved:       1',
          'Total allocated:       3',
          SYSTEM_TEXT,
          ' | CPU | avl | man | mac | act | vectors',
          `     0   ${AVL - 3}     0     0    3  32-33,35`,
          `     1   ${AVL}     0     0    0  `,
          '',
        ].join('\n'),
      );
    });

    it('indents the table by `ind` (%*s of " ": at least one space) and lists online CPUs only', () => {
      const m = matrix(3, 2);
      m.alloc([1], false);
      const lines = m.debugShow(4).split('\n');
      assert.equal(lines[0], 'Online bitmaps:        2');
      assert.equal(lines[5], '    | CPU | avl | man | mac | act | vectors');
      assert.equal(lines[6], `        0   ${AVL}     0     0    0  `);
      assert.equal(lines[7], `        1   ${AVL - 1}     0     0    1  32`);
      assert.equal(lines.length, 9, 'no row for the offline CPU 2');
      assert.equal(m.debugShow(0).split('\n')[5], ' | CPU | avl | man | mac | act | vectors');
    });

    it('prints wide counters without truncating them', () => {
      const m = new IrqMatrix(64, 0x20, 0xec);
      for (let c = 0; c < 64; c++) m.online(c);
      assert.equal(m.debugShow(1).split('\n')[1], 'Global available:  13056');
    });
  });
});
