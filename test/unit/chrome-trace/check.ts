/**
 * Checks of a Chrome trace beyond its schema: what a viewer needs to draw it as intended —
 * every track named, the events in time order, each flow starting at a slice on its source
 * track and ending at a slice on its target track.
 */
import { strict as assert } from 'node:assert';
import type {
  ChromeTrace,
  ChromeTraceEvent,
  CompleteEvent,
  FlowEvent,
  InstantEvent,
} from '../../../src/platform/chrome-trace';

export type Slice = CompleteEvent | InstantEvent;

export const slices = (t: ChromeTrace): Slice[] =>
  t.traceEvents.filter((e): e is Slice => e.ph === 'X' || e.ph === 'i');
export const flows = (t: ChromeTrace, ph: 's' | 'f'): FlowEvent[] =>
  t.traceEvents.filter((e): e is FlowEvent => e.ph === ph);

/** The process and thread names: `process/thread` per track key `pid:tid`. */
export function trackNames(t: ChromeTrace): Map<string, string> {
  const procs = new Map<number, string>();
  const names = new Map<string, string>();
  for (const e of t.traceEvents)
    if (e.ph === 'M' && e.name === 'process_name' && 'name' in e.args)
      procs.set(e.pid, e.args.name);
  for (const e of t.traceEvents)
    if (e.ph === 'M' && e.name === 'thread_name' && 'name' in e.args)
      names.set(`${e.pid}:${e.tid}`, `${procs.get(e.pid) ?? '?'}/${e.args.name}`);
  return names;
}

/** The track (`process/thread`) of an event. */
export function trackOf(t: ChromeTrace, e: ChromeTraceEvent): string {
  return trackNames(t).get(`${e.pid}:${e.tid}`) ?? `unnamed ${e.pid}:${e.tid}`;
}

/** Asserts the structure every trace ims-debug writes has. */
export function assertWellFormed(t: ChromeTrace): void {
  const names = trackNames(t);
  let last = -Infinity;
  let metaDone = false;
  for (const e of t.traceEvents) {
    if (e.ph === 'M') {
      assert.equal(metaDone, false, 'metadata comes first');
      continue;
    }
    metaDone = true;
    assert.ok(names.has(`${e.pid}:${e.tid}`), `track ${e.pid}:${e.tid} of ${e.ph} has a name`);
    assert.ok(e.ts >= last, `events in time order (${e.ts} after ${last})`);
    last = e.ts;
  }
  const starts = flows(t, 's');
  const ends = flows(t, 'f');
  assert.equal(new Set(starts.map((f) => f.id)).size, starts.length, 'flow ids are unique');
  assert.deepEqual(
    ends.map((f) => f.id).sort((a, b) => a - b),
    starts.map((f) => f.id).sort((a, b) => a - b),
    'every flow that starts ends',
  );
  for (const s of starts) {
    const f = ends.find((x) => x.id === s.id)!;
    assert.equal(f.name, s.name);
    assert.equal(f.cat, s.cat);
    assert.ok(f.ts >= s.ts, `flow ${s.id} goes forward in time`);
    // A viewer binds each end to the slice that starts just before it on its track.
    for (const [end, where] of [
      [s, 'start'],
      [f, 'end'],
    ] as const) {
      const i = t.traceEvents.indexOf(end);
      const before = t.traceEvents[i - 1];
      assert.ok(
        before?.ph === 'X' &&
          before.pid === end.pid &&
          before.tid === end.tid &&
          before.ts === end.ts,
        `flow ${s.id}'s ${where} follows the slice it binds to`,
      );
    }
  }
}
