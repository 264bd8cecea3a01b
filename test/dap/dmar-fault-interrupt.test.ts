/**
 * The launch attribute `dmarFaultInterrupt`: the VT-d fault event interrupt as Linux sets it up
 * at boot. `ims/snapshot` then carries the DMAR-MSI domain below VECTOR with the unit's irq
 * (dmar0, the first irq), and a remapping fault is delivered as the unit's fault event message,
 * whose handler (dmar_fault) logs the fault. A value that is not a boolean is refused, named.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { PlatformSnapshot } from '../../src/platform/snapshot/types';
import { FIXTURES, launch, lineOf, startClient, stopInHandler } from './harness';

async function snapshotOf(dc: DebugClient): Promise<PlatformSnapshot> {
  return ((await dc.customRequest('ims/snapshot')).body as { snapshot: PlatformSnapshot }).snapshot;
}

describe('DAP: launch attribute dmarFaultInterrupt', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('puts the DMAR-MSI domain and its irq below VECTOR in ims/snapshot', async () => {
    await stopInHandler(dc, { dmarFaultInterrupt: true });
    const snap = await snapshotOf(dc);
    const dmar = snap.domains.find((d) => d.name === 'DMAR-MSI');
    assert.ok(dmar, `domains: ${snap.domains.map((d) => d.name).join(', ')}`);
    assert.equal(dmar.parent, 'VECTOR');
    assert.deepEqual(dmar.irqs, [24]);
    const irq = snap.irqs.find((q) => q.irq === 24)!;
    assert.equal(irq.domain, 'DMAR-MSI');
    assert.equal(irq.chip, 'DMAR-MSI');
    assert.equal(irq.action, 'dmar0');
    assert.equal(irq.irte, null, 'the fault event is not remapped');
    const misc = snap.irqs.find((q) => q.action === 'idxd-misc')!;
    assert.equal(misc.irq, 25, "the driver's irqs come after it");
  });

  it('is off by default: no DMAR-MSI domain', async () => {
    await stopInHandler(dc);
    const snap = await snapshotOf(dc);
    assert.equal(
      snap.domains.find((d) => d.name === 'DMAR-MSI'),
      undefined,
    );
    assert.equal(snap.irqs.find((q) => q.action === 'idxd-misc')!.irq, 24);
  });

  it('delivers a remapping fault’s fault event to a CPU, where dmar_fault logs it', async () => {
    const program = path.join(FIXTURES, 'bad-irte.js');
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program, dmarFaultInterrupt: true }, () =>
      dc.setBreakpointsRequest({
        source: { path: program },
        breakpoints: [{ line: lineOf(program, "pr_info('after the fault\\n');") }],
      }),
    );
    await stopped;
    const snap = await snapshotOf(dc);
    const fault = snap.trace.recent.find((e) => e.kind === 'faulted')!;
    assert.equal(fault.fault, 0x22);
    const event = snap.trace.recent.find((e) => e.source === 'dmar')!;
    assert.equal(event.kind, 'delivered');
    assert.equal(event.virq, 24);
    assert.equal(event.id, fault.id + 1);
    assert.equal(snap.irqs.find((q) => q.irq === 24)!.count, 1);
    const log = snap.log.map((l) => l.text);
    assert.ok(log.includes('DRHD: handling fault status reg 2'), log.join('\n'));
    assert.ok(
      log.some((l) =>
        l.startsWith(
          'DMAR: [INTR-REMAP] Request device [6a:01.0] fault index 0x0 [fault reason 0x22]',
        ),
      ),
    );
  });

  it('is refused when it is not a boolean, naming it', async () => {
    await dc.initializeRequest();
    await assert.rejects(
      dc.launch({ program: path.join(FIXTURES, 'bad-irte.js'), dmarFaultInterrupt: 'yes' }),
      /launch\.dmarFaultInterrupt: must be boolean/,
    );
  });
});
