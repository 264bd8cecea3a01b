/**
 * Conservation, proven by random sequences: a DSA set up like the idxd-ims example takes a
 * random sequence of driver calls, MMIO writes, corruptions, hotplug and time (ops.ts), and
 * after every step:
 *  - every message the trace opened has an outcome, none has two terminal ones, drops and
 *    faults say why, totals match the events (MessageLedger);
 *  - each pending message sits in its MSI-X entry or IMS slot, which cannot send it (held.ts);
 *  - the vector matrix's counters match its bitmaps, every allocated vector belongs to exactly
 *    one irq and every irq's vectors are allocated and routed (matrix.ts, vectors.ts);
 *  - calls that Linux refuses return an errno, and nothing throws (apply.ts).
 * At the end the machine runs until idle and the whole-run checks pass; then, with every entry
 * and slot unmasked, MSI-X enabled and bus mastering on, no message is left pending.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as R from '../../../src/platform/pci/regs';
import { opArbitraries } from './arbitraries';
import { apply } from './apply';
import { describe as describeOp, type Op } from './ops';
import { params } from './params';
import { boot, type Rig } from './rig';

/**
 * A Linux errno value: 1–133 (include/uapi/asm-generic/errno-base.h and errno.h, up to
 * EHWPOISON) or a kernel-internal one, 512–530 (include/linux/errno.h, e.g. ENOTSUPP 524).
 */
function isErrno(e: number): boolean {
  return Number.isInteger(e) && ((e >= 1 && e <= 133) || (e >= 512 && e <= 530));
}

/** One operation as a fast-check command: applied, then the machine audited. */
class Step implements fc.Command<object, Rig> {
  constructor(readonly op: Op) {}

  check(): boolean {
    return true;
  }

  run(_model: object, r: Rig): void {
    const ret = apply(r, this.op);
    if (ret !== null && ret < 0 && !isErrno(-ret))
      assert.fail(`${this.toString()} returned ${ret}, which is not an errno`);
    const problems = r.audit.check();
    if (problems.length > 0) assert.fail(`after ${this.toString()}:\n  ${problems.join('\n  ')}`);
  }

  toString(): string {
    return describeOp(this.op);
  }
}

const steps = fc.commands([fc.oneof(...opArbitraries).map((op) => new Step(op))], {
  maxCommands: 60,
  size: 'max',
});

/** Unmasks every entry and slot, enables MSI-X and bus mastering, and runs until idle. */
function releaseEverything(r: Rig): void {
  const { m, dev, bar0 } = r;
  const dsa = dev.dsa;
  dsa.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY | R.PCI_COMMAND_MASTER);
  dsa.pci.writeConfig16(dsa.pci.msixCap + R.PCI_MSIX_FLAGS, R.PCI_MSIX_FLAGS_ENABLE);
  for (let i = 0; i < dsa.msix.size; i++)
    m.memory.write32(bar0 + dsa.layout.msixTableOffset + i * 16 + 12, 0);
  for (const s of dsa.ims.inUse()) {
    const ctrl = bar0 + dsa.layout.imsOffset + s * 16 + 12;
    m.memory.write32(ctrl, m.memory.read32(ctrl) & ~1);
  }
  m.runUntilIdle(1e9);
}

describe('conservation (property)', function () {
  this.timeout(60_000);

  it('every message ends once, nothing throws, and the vectors stay consistent', () => {
    fc.assert(
      fc.property(steps, (cmds) => {
        const r = boot();
        fc.modelRun(() => ({ model: {}, real: r }), cmds);
        r.m.core.cpu.irqsEnabled = true;
        r.m.core.updateAttention();
        r.m.runUntilIdle(1e9);
        assert.deepEqual(r.audit.check(true), [], 'after running until idle');
        releaseEverything(r);
        assert.deepEqual(r.audit.check(true), [], 'after releasing every entry and slot');
        assert.deepEqual(
          [...r.audit.ledger.pending],
          [],
          'messages still pending with every entry and slot unmasked',
        );
      }),
      params(120),
    );
  });
});
