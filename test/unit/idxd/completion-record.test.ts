import { strict as assert } from 'node:assert';
import { PhysMemory } from '../../../src/platform/memory';
import { writeCompletionRecord } from '../../../src/platform/idxd/completion';
import { outcome, type OpOutcome } from '../../../src/platform/idxd/ops';
import { C } from './helpers';

const D = C.DSA_COMP;

/** The 32 bytes `writeCompletionRecord` leaves over a record full of 0xee. */
function recordBytes(o: OpOutcome, watched: boolean): Uint8Array {
  const mem = new PhysMemory();
  const base = mem.allocate(0x2000);
  const comp = base + 0x1fe0; // the last record of a page
  mem.fill(comp, 32, 0xee);
  // Any watch makes every access go through the per-access path (and be reported).
  if (watched) mem.setWatches([{ base, size: 4, read: true, write: true }], () => undefined);
  writeCompletionRecord(mem, comp, o);
  return mem.peekRam(comp, 32);
}

describe('IDXD completion record', () => {
  const cases: [string, OpOutcome][] = [
    ['success', outcome(D.SUCCESS)],
    ['invalid flags', outcome(D.INVALID_FLAGS, 0xabcdef12)],
    [
      'every field',
      {
        ...outcome(D.SUCCESS_PRED),
        result: 0x1ff,
        bytes_completed: 0xfedc_ba98,
        fault_addr: 0x1_2345_6789_abc0,
        crc_val: 0x8765_4321,
      },
    ],
  ];
  for (const [name, o] of cases) {
    it(`is the same bytes with or without watches (${name})`, () => {
      assert.deepEqual(recordBytes(o, false), recordBytes(o, true));
    });
  }

  it('a record in MMIO is refused before any byte is written', () => {
    const mem = new PhysMemory();
    const regs = new Uint32Array(16);
    mem.mapMmio(0xfe00_0000, 0x1000, 'dev', {
      read32: (off) => regs[off >>> 2]!,
      write32: (off, v) => {
        regs[off >>> 2] = v;
      },
      read64: () => 0n,
      write64: () => undefined,
    });
    assert.throws(() => writeCompletionRecord(mem, 0xfe00_0000, outcome(D.SUCCESS)), /8-bit MMIO/);
    assert.deepEqual([...regs], new Array<number>(16).fill(0));
  });
});
