import { strict as assert } from 'node:assert';
import {
  cpuOf,
  threadOf,
  toBreakpoint,
  toOutputEvent,
  toScope,
  toStackFrame,
  toStoppedEvent,
  toVariable,
} from '../../../src/adapter/mapping';
import type { RuntimeFrame } from '../../../src/runtime/protocol';

const frame = (kind: RuntimeFrame['kind'], extra: Partial<RuntimeFrame> = {}): RuntimeFrame => ({
  id: 7,
  name: kind === 'model' ? 'idxd_probe' : 'readl',
  line: 12,
  column: 3,
  kind,
  ...extra,
});

describe('adapter: runtime shapes to DAP', () => {
  it('maps CPU n to thread n + 1 and back', () => {
    assert.equal(threadOf(0), 1);
    assert.equal(threadOf(63), 64);
    assert.equal(cpuOf(1), 0);
    for (const cpu of [0, 1, 5]) assert.equal(cpuOf(threadOf(cpu)), cpu);
  });

  it('maps a model frame with its source and position, without a hint', () => {
    const sf = toStackFrame(
      frame('model', { source: { name: 'driver.js', path: '/m/driver.js' } }),
    );
    assert.equal(sf.id, 7);
    assert.equal(sf.name, 'idxd_probe');
    assert.deepEqual([sf.line, sf.column], [12, 3]);
    assert.deepEqual([sf.source?.name, sf.source?.path], ['driver.js', '/m/driver.js']);
    assert.equal(sf.presentationHint, undefined);
  });

  it('shows kernel frames subtle and irq and idle frames as labels', () => {
    assert.equal(toStackFrame(frame('kernel')).presentationHint, 'subtle');
    assert.equal(toStackFrame(frame('irq')).presentationHint, 'label');
    assert.equal(toStackFrame(frame('idle')).presentationHint, 'label');
    assert.equal(toStackFrame(frame('kernel')).source, undefined);
  });

  it('maps scopes with their hint and expense', () => {
    const s = toScope({
      name: 'Registers',
      variablesReference: 4,
      expensive: true,
      hint: 'registers',
    });
    assert.deepEqual(
      [s.name, s.variablesReference, s.expensive, s.presentationHint],
      ['Registers', 4, true, 'registers'],
    );
    assert.equal(
      toScope({ name: 'Local', variablesReference: 1, expensive: false }).presentationHint,
      undefined,
    );
  });

  it('maps variables, marking registers read-only properties', () => {
    assert.deepEqual(toVariable({ name: 'x', value: '1', variablesReference: 0 }), {
      name: 'x',
      value: '1',
      variablesReference: 0,
    });
    assert.deepEqual(
      toVariable({
        name: 'buf',
        value: 'Uint8Array(4096)',
        type: 'Uint8Array',
        variablesReference: 3,
        indexedVariables: 4096,
        namedVariables: 0,
        evaluateName: 'buf',
      }),
      {
        name: 'buf',
        value: 'Uint8Array(4096)',
        type: 'Uint8Array',
        variablesReference: 3,
        indexedVariables: 4096,
        namedVariables: 0,
        evaluateName: 'buf',
      },
    );
    assert.deepEqual(
      toVariable({ name: 'GENCAP', value: '0x1', variablesReference: 0, register: true })
        .presentationHint,
      { kind: 'property', attributes: ['readOnly'] },
    );
  });

  it('maps breakpoint results, leaving out what the runtime did not say', () => {
    assert.deepEqual(toBreakpoint({ id: 1, verified: true, line: 3, column: 5 }), {
      id: 1,
      verified: true,
      line: 3,
      column: 5,
    });
    assert.deepEqual(toBreakpoint({ id: 2, verified: false, message: 'not loaded' }), {
      id: 2,
      verified: false,
      message: 'not loaded',
    });
  });

  it('makes a stopped event for the CPU’s thread, all threads stopped', () => {
    const ev = toStoppedEvent({ reason: 'breakpoint', cpu: 2, hitBreakpointIds: [4, 5] });
    assert.equal(ev.event, 'stopped');
    assert.deepEqual(ev.body, {
      reason: 'breakpoint',
      threadId: 3,
      allThreadsStopped: true,
      hitBreakpointIds: [4, 5],
    });
  });

  it('carries an exception stop’s text and description', () => {
    const ev = toStoppedEvent({
      reason: 'exception',
      cpu: 0,
      text: 'Interrupt taken',
      description: 'vector 0x41 → CPU 0',
    });
    assert.deepEqual(ev.body, {
      reason: 'exception',
      threadId: 1,
      text: 'Interrupt taken',
      allThreadsStopped: true,
      description: 'vector 0x41 → CPU 0',
    });
  });

  it('makes output events, with the source when the runtime gives path and line', () => {
    const plain = toOutputEvent({ type: 'output', category: 'stdout', text: 'hi\n' });
    assert.deepEqual(plain.body, { category: 'stdout', output: 'hi\n' });
    const at = toOutputEvent({
      type: 'output',
      category: 'stderr',
      text: 'x\n',
      path: 'C:\\models\\driver.js',
      line: 9,
    });
    assert.deepEqual(
      [at.body.source?.name, at.body.source?.path],
      ['driver.js', 'C:\\models\\driver.js'],
    );
    assert.equal(at.body.line, 9);
    const posix = toOutputEvent({
      type: 'output',
      category: 'stdout',
      text: '',
      path: '/m/a.ts',
      line: 1,
    });
    assert.equal(posix.body.source?.name, 'a.ts');
  });
});
