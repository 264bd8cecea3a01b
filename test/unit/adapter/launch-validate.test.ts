import { strict as assert } from 'node:assert';
import { LAUNCH_SCHEMA, launchArgsProblem } from '../../../src/adapter/launch-validate';

describe('adapter: launch arguments against package.json’s schema', () => {
  it('finds the ims launch schema', () => {
    assert.ok(LAUNCH_SCHEMA !== undefined);
  });

  it('accepts valid arguments', () => {
    assert.equal(launchArgsProblem({ program: 'driver.js' }), null);
    assert.equal(
      launchArgsProblem({
        program: 'driver.ts',
        config: 'accel-config.conf',
        cpus: 64,
        stopOnEntry: true,
        noDebug: false,
        traceOutput: false,
        dmarFaultInterrupt: true,
      }),
      null,
    );
    assert.equal(launchArgsProblem({ program: 'driver.js', cpus: 1 }), null);
  });

  it('rejects a CPU count out of range or not a whole number, naming launch.cpus', () => {
    assert.equal(launchArgsProblem({ program: 'd.js', cpus: 0 }), 'launch.cpus: must be >= 1');
    assert.equal(launchArgsProblem({ program: 'd.js', cpus: 65 }), 'launch.cpus: must be <= 64');
    assert.equal(launchArgsProblem({ program: 'd.js', cpus: 1.5 }), 'launch.cpus: must be integer');
    assert.equal(launchArgsProblem({ program: 'd.js', cpus: '2' }), 'launch.cpus: must be integer');
  });

  it('rejects a missing or mistyped program, naming it', () => {
    const missing = launchArgsProblem({ cpus: 2 });
    assert.match(missing!, /^launch: must have required property 'program'$/);
    assert.equal(launchArgsProblem({ program: 5 }), 'launch.program: must be string');
  });

  it('rejects wrong types of the other attributes', () => {
    assert.equal(
      launchArgsProblem({ program: 'd.js', stopOnEntry: 'yes' }),
      'launch.stopOnEntry: must be boolean',
    );
  });

  it('takes dmarFaultInterrupt as a boolean only, naming it otherwise', () => {
    assert.equal(launchArgsProblem({ program: 'd.js', dmarFaultInterrupt: false }), null);
    for (const bad of ['true', 1, null, {}])
      assert.equal(
        launchArgsProblem({ program: 'd.js', dmarFaultInterrupt: bad }),
        'launch.dmarFaultInterrupt: must be boolean',
        JSON.stringify(bad),
      );
  });

  it('reports every problem, separated by semicolons', () => {
    assert.equal(
      launchArgsProblem({ cpus: 0, traceOutput: 1 }),
      "launch: must have required property 'program'; launch.cpus: must be >= 1; launch.traceOutput: must be boolean",
    );
  });
});

describe('adapter: launch attributes the schema does not know', () => {
  it('rejects an unknown attribute, naming it (VS Code flags it in launch.json too)', () => {
    assert.equal(
      launchArgsProblem({ program: 'd.js', cpu: 4 }),
      "launch: must NOT have additional properties 'cpu'",
    );
  });

  it('lets VS Code’s private __ keys through', () => {
    assert.equal(
      launchArgsProblem({ program: 'd.js', __sessionId: 'x', __configurationTarget: 5 }),
      null,
    );
  });
});
