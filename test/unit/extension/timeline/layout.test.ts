/**
 * The timeline webview's model of a Chrome trace (src/extension/timeline/layout.ts): tracks in
 * the file's order (devices, IR units, CPUs), items with their nesting, flows bound as the file
 * says, and the viewport arithmetic behind zoom, pan, hover and the keyboard.
 */
import { strict as assert } from 'node:assert';
import { machineChromeTrace, toChromeTrace } from '../../../../src/platform/chrome-trace';
import { disable_irq, enable_irq, request_threaded_irq } from '../../../../src/platform/irq/manage';
import { IRQ_HANDLED, IRQ_WAKE_THREAD } from '../../../../src/platform/irq/types';
import {
  buildModel,
  describe as describeItem,
  findByKey,
  fit,
  formatNs,
  hitTest,
  moveSelection,
  pan,
  reveal,
  rowAt,
  ticks,
  toX,
  zoomAt,
  type TimelineModel,
} from '../../../../src/extension/timeline/layout';
import { boot } from '../../platform/rig';

/** A machine run with a threaded handler on entry 0 and a plain one on entry 1, one held message. */
function sampleModel(): TimelineModel {
  const r = boot({ cpus: 2 });
  const [a, b] = [r.irq(0), r.irq(1)];
  request_threaded_irq(
    r.m.core,
    a,
    () => (r.m.advance(100, false), IRQ_WAKE_THREAD),
    () => (r.m.advance(900, false), IRQ_HANDLED),
    0,
    'threaded',
    {},
  );
  request_threaded_irq(
    r.m.core,
    b,
    () => (r.m.advance(300, false), IRQ_HANDLED),
    null,
    0,
    'plain',
    {},
  );
  r.ring(0);
  r.m.advance(2000, false);
  r.ring(1);
  disable_irq(r.m.core, b);
  r.m.advance(1000, false);
  r.ring(1);
  r.m.advance(1000, false);
  r.ring(1);
  r.m.advance(1000, false);
  enable_irq(r.m.core, b);
  r.m.dispatch();
  return buildModel(machineChromeTrace(r.m));
}

describe('timeline webview: the model of a trace', () => {
  const model = sampleModel();

  it('has a header row per process and a row per track, devices first and CPUs last', () => {
    assert.deepEqual(
      model.rows.map((r) => `${r.kind}:${r.label}`),
      [
        'process:doorbell0 0000:6a:01.0',
        'track:MSI-X entry 0',
        'track:MSI-X entry 1',
        'process:CPUs',
        ...model.tracks.filter((t) => t.process === 'CPUs').map((t) => `track:${t.name}`),
      ],
    );
    let y = 0;
    for (const r of model.rows) {
      assert.equal(r.y, y, 'rows are stacked');
      y += r.h;
    }
    assert.equal(model.height, y);
  });

  it('keeps each track in time order and nests the hardirq inside nothing, the thread after it', () => {
    for (const t of model.tracks) {
      for (let i = 1; i < t.items.length; i++)
        assert.ok(t.items[i]!.start >= t.items[i - 1]!.start);
      t.items.forEach((it, i) => assert.equal(it.index, i));
    }
    const classes = model.tracks.flatMap((t) => t.items.map((i) => i.cls));
    for (const cls of ['delivered', 'held', 'hardirq', 'thread', 'notrun'])
      assert.ok(classes.includes(cls as never), `an item of class ${cls}`);
    assert.equal(
      model.count,
      model.tracks.reduce((n, t) => n + t.items.length, 0),
    );
  });

  it('links each delivered message to the hardirq that took it', () => {
    assert.equal(model.flows.length, 4);
    for (const f of model.flows) {
      assert.equal(f.from.cat, 'message');
      assert.equal(f.to.cat, 'handler');
      assert.equal(f.to.args.context, 'hardirq');
      assert.equal(f.to.args.message, f.from.args.message);
      assert.equal(f.id, f.from.args.message);
    }
  });

  it('nests a span inside the one that encloses it on the same track, and only then', () => {
    const run = {
      cpu: 0,
      irq: 26,
      vector: 0x22,
      messageId: 0,
      action: 'z',
      ran: true,
    } as const;
    const trace = toChromeTrace({
      events: [],
      handlers: [
        {
          seq: 0,
          cpu: 0,
          irq: 24,
          vector: 0x20,
          messageId: 0,
          context: 'thread',
          action: 'x',
          begin: 1000,
          end: 5000,
          ran: true,
        },
        {
          seq: 1,
          cpu: 0,
          irq: 25,
          vector: 0x21,
          messageId: 0,
          context: 'hardirq',
          action: 'y',
          begin: 2000,
          end: 2500,
          ran: true,
        },
        {
          seq: 2,
          cpu: 0,
          irq: 25,
          vector: 0x21,
          messageId: 0,
          context: 'hardirq',
          action: 'y',
          begin: 6000,
          end: 6500,
          ran: true,
        },
        // A hardirq that took no time, then the thread it woke, from the same instant.
        { ...run, seq: 3, context: 'hardirq', begin: 7000, end: 7000 },
        { ...run, seq: 4, context: 'thread', begin: 7000, end: 7400 },
      ],
      now: 8000,
      cpus: 1,
      irUnits: 1,
      devices: [],
      recordedEvents: 0,
      eventCapacity: 16,
      recordedHandlers: 3,
      handlerCapacity: 16,
      messages: 0,
    });
    const m = buildModel(trace);
    assert.deepEqual(
      m.tracks[0]!.items.map((i) => [i.name, i.depth]),
      [
        ['irq/24-x', 0],
        ['irq 25 y', 1],
        ['irq 25 y', 0],
        ['irq 26 z', 0],
        ['irq/26-z', 0],
      ],
    );
    assert.equal(m.tracks[0]!.maxDepth, 1);
    assert.ok(m.rows[1]!.h > 24, 'a track with nesting is taller');
    assert.equal(m.end, 8000, "the trace's now ends the time range");
  });
});

describe('timeline webview: the viewport', () => {
  const model = sampleModel();

  it('fits the whole trace into the width', () => {
    const v = fit(model, 1000);
    assert.ok(toX(v, model.start) > 0 && toX(v, model.start) < 30);
    assert.ok(toX(v, model.end) > 970 && toX(v, model.end) <= 1000);
  });

  it('zooms about the pointer and pans by pixels', () => {
    const v = fit(model, 1000);
    const t = v.t0 + 300 * v.nsPerPx;
    const z = zoomAt(v, 4, 300);
    assert.equal(z.nsPerPx, v.nsPerPx / 4);
    assert.ok(Math.abs(toX(z, t) - 300) < 1e-6, 'the time under the pointer stays there');
    const p = pan(z, 50);
    assert.ok(Math.abs(toX(p, t) - 350) < 1e-6);
    assert.equal(zoomAt(v, 1e-12, 0).nsPerPx, 1e7, 'zoom out stops at 10 ms per pixel');
    assert.equal(zoomAt(v, 1e12, 0).nsPerPx, 0.01, 'zoom in stops at 0.01 ns per pixel');
  });

  it('finds the item under the pointer, an instant-sized margin around short ones', () => {
    const v = fit(model, 1000);
    const track = model.tracks.findIndex((t) => t.name === 'MSI-X entry 1');
    const row = model.rows.find((r) => r.track === track)!;
    assert.equal(rowAt(model, row.y + 2), row);
    const held = model.tracks[track]!.items.find((i) => i.cls === 'held')!;
    const x = toX(v, held.start + held.dur / 2);
    assert.equal(hitTest(model, v, x, row.y + row.h / 2), held);
    assert.equal(hitTest(model, v, x, -5), undefined, 'above the rows');
    const far = toX(v, model.end) + 200;
    assert.equal(hitTest(model, v, far, row.y + row.h / 2), undefined);
    const first = model.tracks[track]!.items[0]!;
    assert.equal(hitTest(model, v, toX(v, first.start) + 2, row.y + row.h / 2), first);
  });

  it('moves the selection with the keys and reveals an item out of view', () => {
    const first = moveSelection(model, undefined, 'right')!;
    assert.equal(first, model.tracks[0]!.items[0], 'nothing selected: the first item');
    const down = moveSelection(model, first, 'down')!;
    assert.equal(down.track, 1);
    assert.equal(down.index, 0, 'the nearest in time on the next track');
    assert.equal(moveSelection(model, down, 'up'), first);
    const next = moveSelection(model, down, 'right')!;
    assert.deepEqual([next.track, next.index], [1, 1]);
    assert.equal(moveSelection(model, next, 'left'), down);
    assert.equal(moveSelection(model, down, 'left'), down, 'stays at the first');
    const end = moveSelection(model, down, 'end')!;
    assert.equal(end.index, model.tracks[1]!.items.length - 1);
    assert.equal(moveSelection(model, end, 'home'), down);
    const v = zoomAt(fit(model, 1000), 1000, 0);
    const r = reveal(v, end, 1000);
    const x = toX(r, end.start);
    assert.ok(x >= 0 && x <= 1000, 'the item is in view');
    assert.equal(r.nsPerPx, v.nsPerPx, 'at the same zoom');
    assert.equal(reveal(r, end, 1000), r, 'an item in view does not move the view');
  });

  it('finds the same item in the next trace of the session by its key', () => {
    const again = sampleModel();
    const it = model.tracks[1]!.items[2]!;
    assert.equal(findByKey(again, it.key)?.name, it.name);
    assert.equal(findByKey(again, 'nothing|0|message'), undefined);
  });

  it('formats times and puts ticks at round steps', () => {
    assert.equal(formatNs(420), '420 ns');
    assert.equal(formatNs(13240), '13.24 µs');
    assert.equal(formatNs(2_001_040), '2.001 ms');
    assert.equal(formatNs(1.5e9), '1.5 s');
    const ts = ticks({ t0: 0, nsPerPx: 10 }, 1000);
    assert.deepEqual(
      ts.map((t) => t.t),
      [0, 2000, 4000, 6000, 8000, 10000],
    );
    assert.equal(ts[1]!.x, 200);
  });

  it('describes an item with its track, time and args', () => {
    const held = model.tracks.flatMap((t) => t.items).find((i) => i.cls === 'held')!;
    const d = describeItem(model, held);
    assert.equal(d.title, held.name);
    const rows = new Map(d.rows);
    assert.equal(rows.get('track'), 'doorbell0 0000:6a:01.0 › MSI-X entry 1');
    assert.equal(rows.get('outcome'), 'delivered');
    assert.match(rows.get('path') ?? '', /^MSI-X entry 1 of 0000:6a:01\.0 → IRTE \d+ → vector/);
    assert.equal(rows.get('waited'), '1 µs');
  });
});
