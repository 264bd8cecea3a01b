/**
 * debugfsCommand: which debug-console lines it takes (cat / ls of /sys/kernel/debug paths,
 * `debugfs <path>`), the shell's error wording, and that anything else is left to the model.
 */
import { strict as assert } from 'node:assert';
import { debugfsCommand, irqDomainDebugShow } from '../../../src/platform/debugfs';
import { BDF, boot } from './setup';

describe('debugfs: console commands', () => {
  const { m } = boot();
  const run = (line: string): string | undefined => debugfsCommand(m, line);
  const vector = irqDomainDebugShow(m.vector.domain).slice(0, -1);

  it('leaves model expressions alone', () => {
    for (const line of [
      '',
      'cat',
      'ls',
      'debugfs',
      'cat /proc/interrupts',
      'ls /sys/kernel/irq',
      'ls -l /sys/kernel/debug/irq',
      'cat(1)',
      'ls.length',
      'debugfs irqs/24 irqs/25',
      'x + 1',
    ])
      assert.equal(run(line), undefined, JSON.stringify(line));
  });

  it('lists the directories down from /sys/kernel/debug', () => {
    assert.equal(run('ls /sys/kernel/debug'), 'irq');
    assert.equal(run('ls /sys/kernel/debug/irq/'), 'domains\nirqs');
    assert.equal(run('debugfs /sys/kernel/debug/irq'), 'domains\nirqs');
    assert.equal(run('debugfs irq'), 'domains\nirqs');
    assert.equal(run('debugfs domains'), run('ls /sys/kernel/debug/irq/domains'));
  });

  it('debugfs takes paths relative to /sys/kernel/debug or /sys/kernel/debug/irq', () => {
    assert.equal(run('debugfs domains/VECTOR'), vector);
    assert.equal(run('debugfs irq/domains/VECTOR'), vector);
    assert.equal(run('  debugfs   /sys/kernel/debug/irq/domains/VECTOR  '), vector);
    assert.equal(run('debugfs irqs/24'), run('cat /sys/kernel/debug/irq/irqs/24'));
  });

  it('cat concatenates several files, as cat does', () => {
    const a = run('cat /sys/kernel/debug/irq/irqs/24')!;
    const b = run('cat /sys/kernel/debug/irq/irqs/25')!;
    assert.equal(
      run('cat /sys/kernel/debug/irq/irqs/24 /sys/kernel/debug/irq/irqs/25'),
      `${a}\n${b}`,
    );
  });

  it('words errors as cat and ls do, with the Linux name of a domain asked by its short name', () => {
    assert.equal(
      run('cat /sys/kernel/debug/irq/domains'),
      'cat: /sys/kernel/debug/irq/domains: Is a directory',
    );
    assert.equal(
      run('ls /sys/kernel/debug/irq/nothing'),
      "ls: cannot access '/sys/kernel/debug/irq/nothing': No such file or directory",
    );
    assert.equal(
      run('cat /sys/kernel/debug/irq/domains/INTEL-IR-0'),
      'cat: /sys/kernel/debug/irq/domains/INTEL-IR-0: No such file or directory\n' +
        "(Linux names this domain's file INTEL-IR-0-13: its name with the bus token appended)",
    );
    assert.equal(
      run(`debugfs domains/IR-PCI-MSIX-${BDF}`),
      `debugfs: /sys/kernel/debug/irq/domains/IR-PCI-MSIX-${BDF}: No such file or directory\n` +
        `(Linux names this domain's file IR-PCI-MSIX-${BDF}-12: its name with the bus token appended)`,
    );
  });

  it('ls of a file prints its name; of several directories, each under its path', () => {
    assert.equal(run('ls /sys/kernel/debug/irq/irqs/24'), '24');
    assert.equal(
      run('ls /sys/kernel/debug/irq /sys/kernel/debug'),
      '/sys/kernel/debug/irq:\ndomains\nirqs\n\n/sys/kernel/debug:\nirq',
    );
  });
});
