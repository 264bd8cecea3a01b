/**
 * `--dmar-fault-irq`: the VT-d fault event interrupt as Linux sets it up at boot — the
 * DMAR-MSI domain below VECTOR with one irq per IR unit (dmar<n>, taking the first irq numbers),
 * and a remapping fault that sends the unit's fault event message to a CPU, where dmar_fault()
 * logs the fault. Without the flag the run is as it always was.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { EXAMPLE, FIXTURES, eventLines, jsonLines, runCli, treeLines } from './support';

const FAULT = path.join(FIXTURES, 'fault-and-mask.js');

describe('cli: --dmar-fault-irq', () => {
  it('adds the DMAR-MSI domain below VECTOR, one irq per IR unit, and shifts the others', () => {
    const r = runCli(['run', EXAMPLE, '--dmar-fault-irq', '--devices', '2', '--ir-units', '2']);
    assert.equal(r.status, 0, r.stderr);
    const tree = treeLines(r.stdout);
    assert.match(tree[0]!, /^VECTOR\s/);
    const dmar = tree.findIndex((l) => /^└── DMAR-MSI\s+2 mapped$/.test(l));
    assert.ok(dmar > 0, `DMAR-MSI is VECTOR's last child:\n${tree.join('\n')}`);
    assert.match(tree[dmar + 2]!, /^\s+24\s+0\s+dmar0\s+0x20 → CPU \d+\s+-\s+-\s+0$/);
    assert.match(tree[dmar + 3]!, /^\s+25\s+1\s+dmar1\s+0x20 → CPU \d+\s+-\s+-\s+0$/);
    assert.ok(
      tree.some((l) => /^│ {3}├── IR-PCI-MSIX-0000:6a:01\.0/.test(l)),
      'the IR units stay above it, their subtrees joined by │',
    );
    assert.ok(
      tree.some((l) => /^│\s+│?\s+26\s+0\s+idxd-misc\s/.test(l)),
      "dsa0's misc irq is 26",
    );
    assert.doesNotMatch(r.stdout, /still allocated/, 'the boot-time irqs are not the driver’s');
  });

  it('without it, there is no DMAR-MSI domain and the first irq is the driver’s', () => {
    const r = runCli(['run', EXAMPLE]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /DMAR-MSI|dmar0 →/);
    assert.ok(treeLines(r.stdout).some((l) => /\s24\s+0\s+idxd-misc\s/.test(l)));
  });

  it('delivers the fault event of a remapping fault, and dmar_fault() logs the fault', () => {
    const r = runCli(['run', FAULT, '--dmar-fault-irq']);
    assert.equal(r.status, 0, r.stderr);
    const events = eventLines(r.stdout);
    const fault = events.find((e) => e.kind === 'faulted')!;
    assert.match(fault.rest, /fault 0x22: INTEL-IR-0: Present field in the IRTE entry is clear/);
    const next = events[events.indexOf(fault) + 1]!;
    assert.equal(next.id, fault.id + 1);
    assert.equal(next.kind, 'delivered');
    assert.match(next.rest, /^fault event of dmar0 → vector 0x20 → CPU 0 \(irq 24\)$/);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('fault event of dmar0'));
    assert.match(lines[at + 1]!, /\] DRHD: handling fault status reg 2$/);
    assert.match(
      lines[at + 2]!,
      /\] DMAR: \[INTR-REMAP\] Request device \[6a:01\.0\] fault index 0x0 \[fault reason 0x22\] Present field in the IRTE entry is clear$/,
    );
    const dmar = treeLines(r.stdout).findIndex((l) => l.startsWith('└── DMAR-MSI'));
    assert.match(treeLines(r.stdout)[dmar + 2]!, /^\s+24\s+0\s+dmar0\s+0x20 → CPU 0\s+-\s+-\s+1$/);
  });

  it('--json: the fault event is a delivered message from dmar0, unremapped', () => {
    const r = runCli(['run', FAULT, '--dmar-fault-irq', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const ev = jsonLines(r.stdout).find((e) => e.source === 'dmar');
    assert.ok(ev, 'a fault event line');
    assert.equal(ev.kind, 'delivered');
    assert.equal(ev.bdf, 'dmar0');
    assert.equal(ev.irte, null);
    assert.equal(ev.virq, 24);
    assert.equal(ev.cpu, 0);
  });

  it('--dump: the DMAR-MSI domain file and its irq', () => {
    const r = runCli(['run', EXAMPLE, '--dmar-fault-irq', '--dump']);
    assert.equal(r.status, 0, r.stderr);
    const domain = r.stdout.split('==> /sys/kernel/debug/irq/domains/DMAR-MSI <==\n')[1];
    assert.ok(domain !== undefined, 'domains/DMAR-MSI');
    assert.match(domain, /^name:\s+DMAR-MSI\n size:\s+0\n mapped:\s+1\n/);
    assert.match(domain, /\n parent: VECTOR\n/);
    const irq = r.stdout.split('==> /sys/kernel/debug/irq/irqs/24 <==\n')[1]!.split('==>')[0]!;
    assert.match(irq, /\ndomain:\s+DMAR-MSI\n hwirq:\s+0x0\n chip:\s+DMAR-MSI\n/);
    assert.match(irq, /\n parent:\n\s+domain:\s+VECTOR\n/);
  });
});
