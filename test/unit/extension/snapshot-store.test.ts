import { strict as assert } from 'node:assert';
import { parseSnapshotResponse, SnapshotStore } from '../../../src/extension/snapshot-store';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';
import { exampleHandlerStops } from './stops';

/** A fetch whose answers the test releases one by one, counting requests. */
function controlledFetch() {
  const waiting: ((body: unknown) => void)[] = [];
  let calls = 0;
  return {
    fetch: () => {
      calls++;
      return new Promise<unknown>((resolve) => waiting.push(resolve));
    },
    answer(snapshot: PlatformSnapshot) {
      waiting.shift()!({ snapshot });
    },
    get calls() {
      return calls;
    },
    get pending() {
      return waiting.length;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('snapshot store: one ims/snapshot request per stop', function () {
  this.timeout(60_000);
  let first: PlatformSnapshot;
  let second: PlatformSnapshot;
  before(() => {
    ({ first, second } = exampleHandlerStops());
  });

  it('fetches once per stop and keeps the previous stop’s snapshot', async () => {
    const store = new SnapshotStore();
    const changes: string[] = [];
    store.onDidChange((id) => changes.push(id));
    store.started('s');
    assert.equal(store.get('s')?.phase, 'starting');
    await store.stopped('s', () => Promise.resolve({ snapshot: first }));
    assert.equal(store.get('s')?.snapshot, first);
    assert.equal(store.get('s')?.previous, undefined);
    store.running('s');
    assert.equal(store.get('s')?.phase, 'running');
    assert.equal(store.get('s')?.snapshot, first, 'the last stop stays shown while running');
    await store.stopped('s', () => Promise.resolve({ snapshot: second }));
    assert.equal(store.get('s')?.snapshot, second);
    assert.equal(store.get('s')?.previous, first);
    assert.ok(changes.length >= 4);
  });

  it('a refresh at the same stop replaces the snapshot but keeps the previous one', async () => {
    const store = new SnapshotStore();
    await store.stopped('s', () => Promise.resolve({ snapshot: first }));
    await store.stopped('s', () => Promise.resolve({ snapshot: second }));
    const again = { ...second };
    await store.refresh('s', () => Promise.resolve({ snapshot: again }));
    assert.equal(store.get('s')?.snapshot, again);
    assert.equal(store.get('s')?.previous, first);
  });

  it('never overlaps requests: a stop during a fetch is fetched after it', async () => {
    const store = new SnapshotStore();
    const f = controlledFetch();
    void store.stopped('s', f.fetch);
    void store.stopped('s', f.fetch);
    void store.stopped('s', f.fetch);
    await tick();
    assert.equal(f.calls, 1, 'one request in flight');
    f.answer(first);
    await tick();
    assert.equal(f.calls, 2, 'the latest stop is fetched next, the one in between skipped');
    f.answer(second);
    await tick();
    assert.equal(f.calls, 2);
    assert.equal(store.get('s')?.snapshot, second);
    assert.equal(store.get('s')?.previous, first);
  });

  it('ignores an answer older than the snapshot shown', async () => {
    const store = new SnapshotStore();
    await store.stopped('s', () => Promise.resolve({ snapshot: second }));
    await store.stopped('s', () => Promise.resolve({ snapshot: first }));
    assert.equal(store.get('s')?.snapshot, second, `seq ${first.seq} < ${second.seq}`);
  });

  it('reports a failed or malformed answer and keeps the last snapshot', async () => {
    const store = new SnapshotStore();
    await store.stopped('s', () => Promise.resolve({ snapshot: first }));
    await store.stopped('s', () => Promise.reject(new Error('no model is running')));
    assert.equal(store.get('s')?.error, 'no model is running');
    assert.equal(store.get('s')?.snapshot, first);
    await store.stopped('s', () => Promise.resolve({ snapshot: { ...first, version: 99 } }));
    assert.match(store.get('s')?.error ?? '', /version 99.*renders version 2/);
    await store.stopped('s', () => Promise.resolve({ snapshot: second }));
    assert.equal(store.get('s')?.error, undefined);
  });

  it('forgets an ended session and drops its late answers', async () => {
    const store = new SnapshotStore();
    const f = controlledFetch();
    void store.stopped('s', f.fetch);
    store.ended('s');
    f.answer(first);
    await tick();
    assert.equal(store.get('s'), undefined);
  });

  it('keeps sessions apart', async () => {
    const store = new SnapshotStore();
    await store.stopped('a', () => Promise.resolve({ snapshot: first }));
    await store.stopped('b', () => Promise.resolve({ snapshot: second }));
    assert.equal(store.get('a')?.snapshot, first);
    assert.equal(store.get('b')?.snapshot, second);
  });

  it('parses the response body', () => {
    assert.equal(parseSnapshotResponse({ snapshot: first }), first);
    assert.throws(() => parseSnapshotResponse(undefined), /without a snapshot/);
    assert.throws(() => parseSnapshotResponse({}), /without a snapshot/);
  });
});
