/**
 * `ims-debug run` on examples/starter, the folder "Create Driver Model from Example" offers
 * first: the misc interrupt takes the command's completion, and the driver sees its status.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { eventLines, repoRoot, runCli, summary } from './support';

describe('ims-debug run: examples/starter', () => {
  it('takes the command completion interrupt on MSI-X entry 0 and reads CMDSTS', () => {
    const run = runCli(['run', path.join(repoRoot, 'examples', 'starter', 'driver.js')]);
    assert.equal(run.status, 0, run.stderr);
    const delivered = eventLines(run.stdout).filter((e) => e.kind === 'delivered');
    assert.equal(delivered.length, 1);
    const irq = /\(irq (\d+)\)$/.exec(delivered[0]!.rest)?.[1];
    assert.match(
      delivered[0]!.rest,
      /^MSI-X entry 0 of 0000:6a:01\.0 → IRTE \d+ → vector 0x[0-9a-f]+ → CPU \d+/,
    );
    // CMDSTS 0: RESET_DEVICE succeeded; the handler ran on the irq the trace names.
    assert.match(
      run.stdout,
      new RegExp(`RESET_DEVICE: CMDSTS 0x0, completion interrupt on irq ${irq}\\n`),
    );
    assert.equal(summary(run.stdout)?.delivered, 1);
  });
});
