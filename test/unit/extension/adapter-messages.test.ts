import { strict as assert } from 'node:assert';
import { onAdapterMessage, onClientMessage } from '../../../src/extension/adapter-messages';
import { SnapshotStore } from '../../../src/extension/snapshot-store';
import { exampleHandlerStops } from './stops';

const tick = () => new Promise((r) => setImmediate(r));

describe('adapter messages: what the views react to', function () {
  this.timeout(60_000);

  it('stopped fetches, resuming requests mark running, writes refresh, terminated ends', async () => {
    const { first, second } = exampleHandlerStops();
    const store = new SnapshotStore();
    let calls = 0;
    let next = first;
    const fetch = () => {
      calls++;
      return Promise.resolve({ snapshot: next });
    };
    onAdapterMessage(store, 's', { type: 'event', event: 'output', body: {} }, fetch);
    assert.equal(calls, 0);
    onAdapterMessage(
      store,
      's',
      { type: 'event', event: 'stopped', body: { reason: 'step' } },
      fetch,
    );
    await tick();
    assert.equal(calls, 1);
    assert.equal(store.get('s')?.phase, 'stopped');

    onAdapterMessage(store, 's', { type: 'response', command: 'variables', success: true }, fetch);
    onAdapterMessage(
      store,
      's',
      { type: 'response', command: 'setVariable', success: false },
      fetch,
    );
    assert.equal(calls, 1, 'reads and failed writes fetch nothing');
    onAdapterMessage(
      store,
      's',
      { type: 'response', command: 'setVariable', success: true },
      fetch,
    );
    await tick();
    assert.equal(calls, 2, 'a register write refreshes the stop');
    onAdapterMessage(store, 's', { type: 'event', event: 'invalidated', body: {} }, fetch);
    await tick();
    assert.equal(calls, 3);

    onClientMessage(store, 's', { type: 'request', command: 'next', seq: 9 });
    assert.equal(store.get('s')?.phase, 'running');
    onAdapterMessage(store, 's', { type: 'event', event: 'invalidated', body: {} }, fetch);
    await tick();
    assert.equal(calls, 3, 'no refresh while running');
    next = second;
    onAdapterMessage(
      store,
      's',
      { type: 'event', event: 'stopped', body: { reason: 'step' } },
      fetch,
    );
    await tick();
    assert.equal(store.get('s')?.previous, first);

    onAdapterMessage(store, 's', { type: 'event', event: 'continued', body: {} }, fetch);
    assert.equal(store.get('s')?.phase, 'running');
    onAdapterMessage(store, 's', { type: 'event', event: 'terminated' }, fetch);
    assert.equal(store.get('s'), undefined);
  });

  it('forgets the old run’s snapshots on restart (stop numbers start again)', async () => {
    const { first, second } = exampleHandlerStops();
    const store = new SnapshotStore();
    await store.stopped('s', () => Promise.resolve({ snapshot: second }));
    onClientMessage(store, 's', { type: 'request', command: 'restart' });
    assert.equal(store.get('s')?.snapshot, undefined);
    assert.equal(store.get('s')?.phase, 'running');
    await store.stopped('s', () => Promise.resolve({ snapshot: first }));
    assert.equal(store.get('s')?.snapshot, first, 'seq 1 after seq 2 is the new run’s first stop');
    assert.equal(store.get('s')?.previous, undefined);
  });

  it('ignores requests that do not resume', () => {
    const store = new SnapshotStore();
    store.started('s');
    onClientMessage(store, 's', { type: 'request', command: 'stackTrace' });
    onClientMessage(store, 's', { type: 'request', command: 'ims/snapshot' });
    assert.equal(store.get('s')?.phase, 'starting');
  });
});
