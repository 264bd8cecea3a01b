/**
 * The edge flow and event handling (kernel/irq/chip.c handle_edge_irq, handle.c
 * __handle_irq_event_percpu, spurious.c __report_bad_irq) and interrupt entry on the CPU that
 * took the vector.
 */
import { strict as assert } from 'node:assert';
import { request_threaded_irq } from '../../../src/platform/irq/manage';
import {
  IRQF_SHARED,
  IRQ_HANDLED,
  IRQ_NONE,
  IRQ_WAKE_THREAD,
} from '../../../src/platform/irq/types';
import { boot, type Rig } from './rig';

function targetCpu(r: Rig, irq: number): number {
  return r.m.vector.apicd(r.m.core.irq_to_desc(irq)!.irq_data)!.cpu;
}

describe('genirq: edge flow and handlers', () => {
  it('calls every action of a shared irq, in registration order, with its dev_id', () => {
    const r = boot();
    const irq = r.irq(0);
    const calls: [string, unknown, number][] = [];
    const a = { name: 'A' };
    const b = { name: 'B' };
    request_threaded_irq(
      r.m.core,
      irq,
      (n, id) => (calls.push(['a', id, n]), IRQ_NONE),
      null,
      IRQF_SHARED,
      'a',
      a,
    );
    request_threaded_irq(
      r.m.core,
      irq,
      (n, id) => (calls.push(['b', id, n]), IRQ_HANDLED),
      null,
      IRQF_SHARED,
      'b',
      b,
    );
    r.ring(0);
    assert.deepEqual(calls, [
      ['a', a, irq],
      ['b', b, irq],
    ]);
    const desc = r.m.core.irq_to_desc(irq)!;
    assert.equal(desc.tot_count, 1);
    assert.equal(desc.irqs_unhandled, 0, 'one action handled it');
  });

  it('runs the handler on the CPU that took the vector, after the ack EOI', () => {
    const r = boot({ cpus: 4 });
    const irqs = [0, 1, 2].map((i) => r.irq(i));
    const seen: [number, number, number][] = [];
    for (const irq of irqs) {
      request_threaded_irq(
        r.m.core,
        irq,
        () => {
          const cpu = r.m.core.currentCpu;
          seen.push([irq, cpu, r.m.cpus[cpu]!.apic.highestIsr()]);
          return IRQ_HANDLED;
        },
        null,
        0,
        'x',
        null,
      );
    }
    r.ring(2);
    assert.deepEqual(seen, [[irqs[2]!, targetCpu(r, irqs[2]!), -1]]);
    assert.equal(targetCpu(r, irqs[2]!), 2);
  });

  it('IRQ_WAKE_THREAD runs the thread function after the hardirq, on the same CPU', () => {
    const r = boot({ cpus: 4 });
    for (const i of [0, 1])
      request_threaded_irq(r.m.core, r.irq(i), () => IRQ_HANDLED, null, 0, 'o', i);
    const irq = r.irq(2);
    const order: string[] = [];
    const dev = { d: 1 };
    request_threaded_irq(
      r.m.core,
      irq,
      () => {
        const cpu = r.m.cpus[r.m.core.currentCpu]!;
        order.push(`hard cpu${cpu.id} ${cpu.inService.at(-1)!.context} IF=${cpu.irqsEnabled}`);
        return IRQ_WAKE_THREAD;
      },
      (n, id) => {
        const cpu = r.m.cpus[r.m.core.currentCpu]!;
        assert.equal(n, irq);
        assert.equal(id, dev);
        order.push(`thread cpu${cpu.id} ${cpu.inService.at(-1)!.context} IF=${cpu.irqsEnabled}`);
        return IRQ_HANDLED;
      },
      0,
      'threaded',
      dev,
    );
    r.ring(2);
    const cpu = targetCpu(r, irq);
    assert.deepEqual(order, [`hard cpu${cpu} hardirq IF=false`, `thread cpu${cpu} thread IF=true`]);
    assert.equal(r.m.core.irq_to_desc(irq)!.action!.thread_runs, 1);
  });

  it('a thread function alone is woken by the default primary handler', () => {
    const r = boot();
    let runs = 0;
    request_threaded_irq(r.m.core, r.irq(0), null, () => (runs++, IRQ_HANDLED), 0, 't', null);
    r.ring(0);
    assert.equal(runs, 1);
  });

  it('IRQ_HANDLED does not run the thread function', () => {
    const r = boot();
    let runs = 0;
    request_threaded_irq(
      r.m.core,
      r.irq(0),
      () => IRQ_HANDLED,
      () => (runs++, IRQ_HANDLED),
      0,
      't',
      null,
    );
    r.ring(0);
    assert.equal(runs, 0);
  });

  it('warns when IRQ_WAKE_THREAD is returned without a thread function', () => {
    const r = boot();
    const irq = r.irq(0);
    request_threaded_irq(r.m.core, irq, () => IRQ_WAKE_THREAD, null, 0, 'nothread', null);
    r.ring(0);
    assert.ok(
      r
        .log()
        .includes(
          `IRQ ${irq} device nothread returned IRQ_WAKE_THREAD but no thread function available.`,
        ),
    );
  });

  it('reports a bogus return value once', () => {
    const r = boot();
    const irq = r.irq(0);
    request_threaded_irq(r.m.core, irq, () => 42, null, 0, 'bogus', null);
    r.ring(0);
    r.ring(0);
    r.ring(0);
    const lines = r.log().filter((l) => l.startsWith(`irq event ${irq}: bogus return value 42`));
    assert.equal(lines.length, 1);
    assert.equal(r.m.core.irq_to_desc(irq)!.tot_count, 3);
  });

  it('reports a bogus return value even after unhandled (IRQ_NONE) interrupts', () => {
    const r = boot();
    const irq = r.irq(0);
    let n = 0;
    request_threaded_irq(r.m.core, irq, () => (n++ === 0 ? IRQ_NONE : 'oops'), null, 0, 'b', null);
    r.ring(0);
    assert.equal(r.m.core.irq_to_desc(irq)!.irqs_unhandled, 1);
    r.ring(0);
    assert.ok(
      r.log().some((l) => l.startsWith(`irq event ${irq}: bogus return value oops`)),
      r.log().join('\n'),
    );
  });

  it('counts unhandled interrupts (all actions returned IRQ_NONE)', () => {
    const r = boot();
    const irq = r.irq(0);
    request_threaded_irq(r.m.core, irq, () => IRQ_NONE, null, 0, 'none', null);
    r.ring(0);
    r.ring(0);
    assert.equal(r.m.core.irq_to_desc(irq)!.irqs_unhandled, 2);
  });

  it('logs a vector with no irq behind it as Linux does, and EOIs it', () => {
    const r = boot();
    const cpu = r.m.cpus[1]!;
    cpu.apic.accept(0x99, false, 0);
    r.m.core.updateAttention();
    r.m.dispatch();
    assert.ok(r.log().includes('common_interrupt: 1.153 No irq handler for vector'));
    assert.equal(cpu.apic.highestIsr(), -1);
  });
});
