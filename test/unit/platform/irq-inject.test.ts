/**
 * Interrupt injection (kernel/irq/resend.c irq_inject_interrupt): a requested irq is retriggered
 * through the hierarchy (the vector level's apic_retrigger_irq: its vector in the target CPU's
 * IRR) and then handled; an irq that is not activated, or one whose replay is still pending,
 * cannot be; and `echo trigger > /sys/kernel/debug/irq/irqs/<n>` does the same from the console.
 */
import { strict as assert } from 'node:assert';
import { debugfsCommand } from '../../../src/platform/debugfs';
import { irq_inject_interrupt } from '../../../src/platform/irq/resend';
import { EBUSY, EINVAL, IRQS_REPLAY } from '../../../src/platform/irq/types';
import { LocalApic } from '../../../src/platform/apic/lapic';
import { boot } from '../debugfs/setup';

describe('irq_inject_interrupt', () => {
  it('sets the irq’s vector in its CPU’s IRR; the CPU then runs the handler once', () => {
    const { m, irq } = boot();
    const n = irq(0);
    const desc = m.core.irq_to_desc(n)!;
    const a = m.vector.apicd(desc.irq_data)!;
    const apic = m.cpus[a.cpu]!.apic;
    assert.equal(LocalApic.vectors(apic.irr).includes(a.vector), false);
    assert.equal(irq_inject_interrupt(m.core, n), 0);
    assert.ok(LocalApic.vectors(apic.irr).includes(a.vector), 'vector pending in IRR');
    assert.notEqual(desc.istate & IRQS_REPLAY, 0, 'IRQS_REPLAY set');
    assert.equal(irq_inject_interrupt(m.core, n), -EBUSY, 'a second one while replaying');
    const before = desc.tot_count;
    m.dispatch();
    assert.equal(desc.tot_count, before + 1, 'handled once');
    assert.equal(desc.istate & IRQS_REPLAY, 0, 'handle_edge_irq clears IRQS_REPLAY');
    assert.equal(irq_inject_interrupt(m.core, n), 0, 'and it can be injected again');
  });

  it('refuses an irq that is not activated (allocated, not requested) and one that does not exist', () => {
    const { m, irq } = boot();
    assert.equal(irq_inject_interrupt(m.core, irq(5)), -EINVAL);
    assert.equal(irq_inject_interrupt(m.core, 9999), -EINVAL);
  });

  it('echo trigger > /sys/kernel/debug/irq/irqs/<n> injects, with the shell’s errors', () => {
    const { m, irq } = boot();
    const n = irq(1);
    const path = `/sys/kernel/debug/irq/irqs/${n}`;
    const desc = m.core.irq_to_desc(n)!;
    assert.equal(debugfsCommand(m, `echo trigger > ${path}`), '');
    assert.notEqual(desc.istate & IRQS_REPLAY, 0);
    assert.equal(
      debugfsCommand(m, `echo trigger >${path}`),
      'bash: echo: write error: Device or resource busy',
    );
    m.dispatch();
    // irq_debug_write compares min(7, count) bytes: "trig" with -n matches, "nothing" is ignored.
    assert.equal(debugfsCommand(m, `echo -n trig > ${path}`), '');
    assert.notEqual(desc.istate & IRQS_REPLAY, 0);
    m.dispatch();
    assert.equal(debugfsCommand(m, `echo nothing > ${path}`), '');
    assert.equal(desc.istate & IRQS_REPLAY, 0, 'other text is accepted and ignored');
    assert.equal(
      debugfsCommand(m, `echo trigger > /sys/kernel/debug/irq/irqs/${irq(5)}`),
      'bash: echo: write error: Invalid argument',
    );
    assert.equal(
      debugfsCommand(m, 'echo trigger > /sys/kernel/debug/irq/domains/VECTOR'),
      'bash: /sys/kernel/debug/irq/domains/VECTOR: Permission denied',
    );
    assert.equal(
      debugfsCommand(m, 'echo trigger > /sys/kernel/debug/irq/irqs'),
      'bash: /sys/kernel/debug/irq/irqs: Is a directory',
    );
    assert.equal(
      debugfsCommand(m, 'echo trigger > /sys/kernel/debug/irq/irqs/4242'),
      'bash: /sys/kernel/debug/irq/irqs/4242: No such file or directory',
    );
    assert.equal(debugfsCommand(m, 'echo trigger > /tmp/x'), undefined, 'not debugfs');
  });
});
