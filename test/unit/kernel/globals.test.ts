import { strict as assert } from 'node:assert';
import kernelNames from '../../../src/runtime/kernel/globals.json';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { deviceFactories } from '../../../src/platform/machine/devices';
import { kernelFor } from '../../../src/runtime/kernel/index';

/** The API as a model sees it, on the default machine. */
function realApi(): Record<string, unknown> {
  return kernelFor(new Machine(defaultMachineConfig(), deviceFactories)).api;
}

describe('kernel: globals.json', () => {
  it('lists exactly the names of the API a model gets (Object.keys of kernelFor().api)', () => {
    const names = Object.keys(realApi()).sort();
    const json = [...kernelNames].sort();
    const missing = names.filter((n) => !json.includes(n));
    const extra = json.filter((n) => !names.includes(n));
    assert.deepEqual(
      { missing, extra },
      { missing: [], extra: [] },
      'globals.json must list every global the kernel API defines, and nothing else',
    );
  });

  it('is sorted and has no duplicates', () => {
    assert.deepEqual(kernelNames, [...new Set(kernelNames)].sort());
  });
});
