/**
 * The timeline's feed (src/extension/timeline/feed.ts): one `ims/trace` request per new
 * snapshot of the followed session while a panel is open, never two at once, a late answer for
 * a session no longer followed ignored, and the phase the status line shows.
 */
import { strict as assert } from 'node:assert';
import {
  TimelineFeed,
  parseTraceResponse,
  type FeedState,
} from '../../../../src/extension/timeline/feed';
import type { SessionView } from '../../../../src/extension/snapshot-store';
import type { ChromeTrace } from '../../../../src/platform/chrome-trace';
import type { PlatformSnapshot } from '../../../../src/platform/snapshot/types';

const trace = (n: number): ChromeTrace => ({
  traceEvents: [],
  displayTimeUnit: 'ns',
  otherData: { producer: 'ims-debug', now_ns: n },
});
const snap = (seq: number) => ({ seq }) as unknown as PlatformSnapshot;
const view = (phase: SessionView['phase'], s?: PlatformSnapshot): SessionView => ({
  phase,
  snapshot: s,
  previous: undefined,
  error: undefined,
});

/** A session whose `ims/trace` answers are released by the test. */
function session(id: string) {
  const asked: ((body: unknown) => void)[] = [];
  return {
    id,
    name: `session ${id}`,
    asked,
    fetch: () => new Promise<unknown>((resolve) => asked.push(resolve)),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('timeline feed', () => {
  let states: FeedState[];
  let open: boolean;
  let feed: TimelineFeed;
  /** The `now` of the trace the feed shows. */
  const shown = () => feed.state.trace?.otherData.now_ns;
  const followed = () => feed.state.session?.id;
  beforeEach(() => {
    states = [];
    open = true;
    feed = new TimelineFeed(
      (s) => states.push(s),
      () => open,
    );
  });

  it('asks once per new snapshot while stopped, and shows the answer', async () => {
    const s = session('a');
    feed.follow(s, view('starting'));
    assert.equal(s.asked.length, 0);
    const one = snap(1);
    feed.changed('a', view('stopped', undefined)); // the stop, before its snapshot arrives
    feed.changed('a', view('stopped', one));
    feed.changed('a', view('stopped', one)); // the same snapshot again: no new request
    assert.equal(s.asked.length, 1);
    s.asked[0]!({ trace: trace(100) });
    await tick();
    assert.equal(shown(), 100);
    assert.equal(feed.state.phase, 'stopped');
    feed.changed('a', view('running', one));
    assert.equal(feed.state.phase, 'running');
    assert.equal(shown(), 100, 'the last stop stays');
    assert.equal(s.asked.length, 1);
  });

  it('never sends two requests at once: a newer stop is fetched after the answer', async () => {
    const s = session('a');
    feed.follow(s, view('stopped', snap(1)));
    feed.changed('a', view('stopped', snap(2)));
    assert.equal(s.asked.length, 1);
    s.asked[0]!({ trace: trace(1) });
    await tick();
    assert.equal(s.asked.length, 2, 'then the newer one');
    s.asked[1]!({ trace: trace(2) });
    await tick();
    assert.equal(shown(), 2);
  });

  it('does not fetch while no panel is open; fetches when one opens', async () => {
    open = false;
    const s = session('a');
    feed.follow(s, view('stopped', snap(1)));
    assert.equal(s.asked.length, 0);
    open = true;
    feed.ensure();
    assert.equal(s.asked.length, 1);
    s.asked[0]!({ trace: trace(1) });
    await tick();
    feed.ensure();
    assert.equal(s.asked.length, 1, 'the trace of this stop is here already');
  });

  it('follows a new session, ignores the old one’s late answer, and says when one ends', async () => {
    const a = session('a');
    const b = session('b');
    feed.follow(a, view('stopped', snap(1)));
    feed.follow(b, view('stopped', snap(1)));
    assert.equal(followed(), 'b');
    a.asked[0]!({ trace: trace(111) });
    b.asked[0]!({ trace: trace(222) });
    await tick();
    assert.equal(shown(), 222);
    feed.follow(undefined, undefined);
    assert.equal(followed(), 'b', 'no active ims session: keep the last one shown');
    feed.changed('a', undefined);
    assert.equal(feed.state.phase, 'stopped', 'another session ending does not matter');
    feed.changed('b', undefined);
    assert.equal(feed.state.phase, 'ended');
    assert.equal(shown(), 222);
  });

  it('reports a failed request, and a malformed answer', async () => {
    const s = session('a');
    feed.follow(s, view('stopped', snap(1)));
    s.asked[0]!({ nothing: true });
    await tick();
    assert.equal(feed.state.error, 'the debug adapter answered ims/trace without a trace');
    assert.throws(() => parseTraceResponse(undefined), /without a trace/);
    assert.equal(parseTraceResponse({ trace: trace(5) }).otherData.now_ns, 5);
  });
});
