/**
 * kernel/irq/manage.c as modelled: request_threaded_irq's argument checks and sharing rules,
 * free_irq, and the nesting of disable_irq / enable_irq (facts §2.3; Linux __setup_irq,
 * __free_irq, __enable_irq).
 */
import { strict as assert } from 'node:assert';
import {
  disable_irq,
  enable_irq,
  free_irq,
  request_threaded_irq,
} from '../../../src/platform/irq/manage';
import {
  EBUSY,
  EINVAL,
  IRQD_IRQ_DISABLED,
  IRQF_SHARED,
  IRQ_HANDLED,
} from '../../../src/platform/irq/types';
import { boot } from './rig';

const handled = (): number => IRQ_HANDLED;

describe('genirq: request_threaded_irq / free_irq / disable_irq / enable_irq', () => {
  describe('request_threaded_irq', () => {
    it('returns -EINVAL without a handler and without a thread function', () => {
      const r = boot();
      const irq = r.irq(0);
      assert.equal(request_threaded_irq(r.m.core, irq, null, null, 0, 'none', 'id'), -EINVAL);
      assert.equal(r.m.core.irq_to_desc(irq)!.action, null);
      assert.ok(r.log().some((l) => l.includes(`irq ${irq}`) && l.includes('-EINVAL')));
    });

    it('returns -EINVAL for IRQF_SHARED without a dev_id', () => {
      const r = boot();
      for (const devId of [null, undefined]) {
        assert.equal(
          request_threaded_irq(r.m.core, r.irq(0), handled, null, IRQF_SHARED, 'x', devId),
          -EINVAL,
        );
      }
      assert.equal(r.m.core.irq_to_desc(r.irq(0))!.action, null);
    });

    it('returns -EINVAL for an irq that does not exist', () => {
      const r = boot();
      assert.equal(request_threaded_irq(r.m.core, 999, handled, null, 0, 'x', null), -EINVAL);
    });

    it('returns -EBUSY for a second non-shared action, with the kernel\'s "Flags mismatch"', () => {
      const r = boot();
      const irq = r.irq(1);
      assert.equal(request_threaded_irq(r.m.core, irq, handled, null, 0, 'first', 'a'), 0);
      assert.equal(request_threaded_irq(r.m.core, irq, handled, null, 0, 'second', 'b'), -EBUSY);
      assert.ok(
        r
          .log()
          .includes(`genirq: Flags mismatch irq ${irq}. 00000000 (second) vs. 00000000 (first)`),
        r.log().join('\n'),
      );
      // Shared after non-shared, and non-shared after shared, mismatch as well.
      assert.equal(
        request_threaded_irq(r.m.core, irq, handled, null, IRQF_SHARED, 'third', 'c'),
        -EBUSY,
      );
      assert.ok(
        r
          .log()
          .includes(`genirq: Flags mismatch irq ${irq}. 00000080 (third) vs. 00000000 (first)`),
      );
      const other = r.irq(2);
      request_threaded_irq(r.m.core, other, handled, null, IRQF_SHARED, 's', 'a');
      assert.equal(request_threaded_irq(r.m.core, other, handled, null, 0, 'n', 'b'), -EBUSY);
      assert.equal(r.m.core.irq_to_desc(other)!.action!.next, null);
    });

    it('allows a second action when both are IRQF_SHARED', () => {
      const r = boot();
      const irq = r.irq(0);
      assert.equal(request_threaded_irq(r.m.core, irq, handled, null, IRQF_SHARED, 'a', 1), 0);
      assert.equal(request_threaded_irq(r.m.core, irq, handled, null, IRQF_SHARED, 'b', 2), 0);
      const desc = r.m.core.irq_to_desc(irq)!;
      assert.deepEqual([desc.action!.name, desc.action!.next!.name], ['a', 'b']);
    });

    it('accepts a thread function alone on a ONESHOT_SAFE chip (the MSI-X chip)', () => {
      const r = boot();
      assert.equal(request_threaded_irq(r.m.core, r.irq(0), null, handled, 0, 't', null), 0);
    });

    it('starts the irq: enabled and unmasked', () => {
      const r = boot();
      const irq = r.irq(0);
      const desc = r.m.core.irq_to_desc(irq)!;
      assert.equal(desc.irq_data.has(IRQD_IRQ_DISABLED), true, 'disabled until requested');
      request_threaded_irq(r.m.core, irq, handled, null, 0, 'x', null);
      assert.equal(desc.depth, 0);
      assert.equal(desc.irq_data.has(IRQD_IRQ_DISABLED), false);
    });
  });

  describe('free_irq', () => {
    it('returns the devname of the action registered with dev_id', () => {
      const r = boot();
      const irq = r.irq(0);
      request_threaded_irq(r.m.core, irq, handled, null, IRQF_SHARED, 'a', 'A');
      request_threaded_irq(r.m.core, irq, handled, null, IRQF_SHARED, 'b', 'B');
      assert.equal(free_irq(r.m.core, irq, 'B'), 'b');
      assert.equal(r.m.core.irq_to_desc(irq)!.action!.name, 'a');
      assert.equal(r.m.core.irq_to_desc(irq)!.action!.next, null);
    });

    it('warns "Trying to free already-free IRQ n" for an action that does not exist', () => {
      const r = boot();
      const irq = r.irq(3);
      assert.equal(free_irq(r.m.core, irq, 'nobody'), null);
      request_threaded_irq(r.m.core, irq, handled, null, 0, 'x', 'X');
      assert.equal(free_irq(r.m.core, irq, 'Y'), null);
      assert.equal(r.log().filter((l) => l === `Trying to free already-free IRQ ${irq}`).length, 2);
      assert.equal(r.m.core.irq_to_desc(irq)!.action!.name, 'x', 'the other action stays');
      assert.equal(free_irq(r.m.core, 999, null), null);
      assert.ok(r.log().includes('Trying to free already-free IRQ 999'));
    });

    it('stops delivering to the freed action; the last one shuts the irq down', () => {
      const r = boot();
      const irq = r.irq(0);
      const calls: string[] = [];
      request_threaded_irq(
        r.m.core,
        irq,
        () => (calls.push('a'), IRQ_HANDLED),
        null,
        IRQF_SHARED,
        'a',
        'A',
      );
      request_threaded_irq(
        r.m.core,
        irq,
        () => (calls.push('b'), IRQ_HANDLED),
        null,
        IRQF_SHARED,
        'b',
        'B',
      );
      free_irq(r.m.core, irq, 'A');
      r.ring(0);
      assert.deepEqual(calls, ['b']);
      free_irq(r.m.core, irq, 'B');
      assert.equal(r.m.core.irq_to_desc(irq)!.irq_data.has(IRQD_IRQ_DISABLED), true);
      // The action can be requested again.
      assert.equal(request_threaded_irq(r.m.core, irq, handled, null, 0, 'again', null), 0);
    });
  });

  describe('disable_irq / enable_irq', () => {
    it('nests: the irq runs again only after as many enables as disables', () => {
      const r = boot();
      const irq = r.irq(0);
      let runs = 0;
      request_threaded_irq(r.m.core, irq, () => (runs++, IRQ_HANDLED), null, 0, 'x', null);
      const desc = r.m.core.irq_to_desc(irq)!;
      disable_irq(r.m.core, irq);
      disable_irq(r.m.core, irq);
      assert.equal(desc.depth, 2);
      r.ring(0);
      assert.equal(runs, 0);
      enable_irq(r.m.core, irq);
      r.m.dispatch();
      assert.equal(desc.depth, 1);
      assert.equal(runs, 0, 'still disabled once');
      assert.equal(desc.irq_data.has(IRQD_IRQ_DISABLED), true);
      enable_irq(r.m.core, irq);
      r.m.dispatch();
      assert.equal(desc.depth, 0);
      assert.equal(runs, 1, 'the interrupt that came while disabled is replayed');
      r.ring(0);
      assert.equal(runs, 2);
    });

    it('warns "Unbalanced enable for IRQ n" for an enable without a disable', () => {
      const r = boot();
      const irq = r.irq(0);
      request_threaded_irq(r.m.core, irq, handled, null, 0, 'x', null);
      assert.equal(enable_irq(r.m.core, irq), false);
      assert.ok(r.log().includes(`Unbalanced enable for IRQ ${irq}`));
      assert.equal(r.m.core.irq_to_desc(irq)!.depth, 0, 'depth does not go negative');
      disable_irq(r.m.core, irq);
      assert.equal(enable_irq(r.m.core, irq), true);
      assert.equal(enable_irq(r.m.core, irq), false);
      assert.equal(r.log().filter((l) => l === `Unbalanced enable for IRQ ${irq}`).length, 2);
    });

    it('returns false for an irq that does not exist', () => {
      const r = boot();
      assert.equal(disable_irq(r.m.core, 999), false);
      assert.equal(enable_irq(r.m.core, 999), false);
    });
  });
});
