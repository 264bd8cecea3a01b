/**
 * The handler log: one span per hardirq and irq thread run on the CPU that ran it, with the
 * message that raised it, on the machine's clock; the ring of the last `capacity` spans.
 */
import { strict as assert } from 'node:assert';
import { HandlerLog } from '../../../src/platform/irq/handler-log';
import { disable_irq, enable_irq, request_threaded_irq } from '../../../src/platform/irq/manage';
import { IRQ_HANDLED, IRQ_WAKE_THREAD } from '../../../src/platform/irq/types';
import { boot } from './rig';

describe('handler log', () => {
  it('records the time each hardirq and irq thread ran, on the CPU that took the vector', () => {
    const r = boot({ cpus: 2 });
    const irq = r.irq(0);
    request_threaded_irq(
      r.m.core,
      irq,
      () => (r.m.advance(300, false), IRQ_WAKE_THREAD),
      () => (r.m.advance(1000, false), IRQ_HANDLED),
      0,
      'dev',
      {},
    );
    r.m.advance(5000, false);
    r.ring(0);
    const [ev] = r.m.trace.events();
    assert.equal(ev?.kind, 'delivered');
    const spans = r.m.core.handlerLog!.spans();
    assert.deepEqual(
      spans.map((s) => [s.context, s.cpu, s.irq, s.messageId, s.action, s.begin, s.end, s.ran]),
      [
        ['hardirq', ev.cpu, irq, ev.id, 'dev', 5000, 5300, true],
        ['thread', ev.cpu, irq, ev.id, 'dev', 5300, 6300, true],
      ],
    );
    assert.equal(spans[0]!.vector, ev.vector);
  });

  it('says when the flow handler did not run the actions (a lazily disabled irq)', () => {
    const r = boot();
    const irq = r.irq(0);
    let calls = 0;
    request_threaded_irq(r.m.core, irq, () => (calls++, IRQ_HANDLED), null, 0, 'dev', {});
    disable_irq(r.m.core, irq);
    r.ring(0); // delivered; handle_edge_irq marks it pending and masks the entry
    enable_irq(r.m.core, irq);
    r.m.dispatch();
    const spans = r.m.core.handlerLog!.spans();
    assert.equal(spans[0]?.ran, false);
    assert.equal(calls, spans.filter((s) => s.ran === true).length);
    assert.ok(calls >= 1, 'enable_irq replays it');
  });

  it('leaves a span open while its handler runs', () => {
    const r = boot();
    const irq = r.irq(0);
    let open: ReturnType<HandlerLog['spans']> = [];
    request_threaded_irq(
      r.m.core,
      irq,
      () => {
        open = r.m.core.handlerLog!.spans();
        return IRQ_HANDLED;
      },
      null,
      0,
      'dev',
      {},
    );
    r.ring(0);
    assert.deepEqual(
      open.map((s) => [s.end, s.ran]),
      [[null, null]],
    );
  });

  it('keeps the last `capacity` spans', () => {
    let now = 0;
    const log = new HandlerLog(() => now, 4);
    for (let i = 0; i < 6; i++) {
      now = i * 10;
      log.end(log.begin(0, 24, 0x20, i + 1, 'hardirq', 'x'));
    }
    assert.equal(log.length, 6);
    assert.deepEqual(
      log.spans().map((s) => [s.seq, s.messageId, s.begin]),
      [
        [2, 3, 20],
        [3, 4, 30],
        [4, 5, 40],
        [5, 6, 50],
      ],
    );
    assert.equal(log.span(1), undefined);
    log.end(0); // long gone: ignored
    assert.equal(log.span(2)?.end, 20);
  });
});
