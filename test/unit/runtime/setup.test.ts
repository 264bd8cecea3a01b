import { strict as assert } from 'node:assert';
import { buildMachine, OptionError } from '../../../src/runtime/setup';

describe('runtime: the machine a launch asks for', () => {
  it('dmarFaultInterrupt: off by default, on gives one DMAR-MSI irq per IR unit', () => {
    assert.equal(buildMachine({}).machine.dmarMsi.irqs.size, 0);
    assert.equal(buildMachine({ dmarFaultInterrupt: false }).machine.dmarMsi.irqs.size, 0);
    const { machine } = buildMachine({ dmarFaultInterrupt: true, devices: 2, irUnits: 2 });
    assert.deepEqual(
      [...machine.dmarMsi.irqs],
      [
        [0, 24],
        [1, 25],
      ],
    );
  });

  it('refuses a dmarFaultInterrupt that is not a boolean, naming it', () => {
    assert.throws(
      () => buildMachine({ dmarFaultInterrupt: 'yes' as unknown as boolean }),
      (e: unknown) =>
        e instanceof OptionError &&
        e.field === 'dmarFaultInterrupt' &&
        e.message === 'dmarFaultInterrupt: must be true or false, got "yes"',
    );
  });
});
