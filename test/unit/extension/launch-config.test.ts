import { strict as assert } from 'node:assert';
import path from 'node:path';
import {
  checkProgram,
  initialConfigurations,
  isModelFile,
  resolveLaunchConfig,
  UNTRUSTED_MESSAGE,
} from '../../../src/extension/launch-config';
import { EXAMPLE } from './stops';

const trusted = { trusted: true, activeFile: undefined };

describe('launch configurations', () => {
  it('F5 on a model with no launch.json launches that file', () => {
    const r = resolveLaunchConfig({}, { trusted: true, activeFile: EXAMPLE });
    assert.deepEqual(r, {
      ok: true,
      config: {
        type: 'ims',
        request: 'launch',
        name: 'Debug driver.js',
        program: EXAMPLE,
        stopOnEntry: false,
      },
    });
  });

  it('F5 with no launch.json and no model open says what to do', () => {
    const r = resolveLaunchConfig({}, { trusted: true, activeFile: '/w/README.md' });
    assert.ok(!r.ok);
    assert.match(r.message, /Open a driver model/);
    assert.equal(r.openLaunchJson, true);
  });

  it('refuses every configuration in an untrusted workspace, offering Workspace Trust', () => {
    for (const cfg of [{}, { type: 'ims', request: 'launch', name: 'x', program: EXAMPLE }]) {
      const r = resolveLaunchConfig(cfg, { trusted: false, activeFile: EXAMPLE });
      assert.deepEqual(r, { ok: false, message: UNTRUSTED_MESSAGE, trust: true });
    }
  });

  it('passes a good launch.json configuration through (config beside the model is the adapter’s)', () => {
    const cfg = { type: 'ims', request: 'launch', name: 'x', program: '${file}', cpus: 8 };
    const r = resolveLaunchConfig(cfg, trusted);
    assert.deepEqual(r, { ok: true, config: cfg });
  });

  it('names the attribute that is wrong', () => {
    const base = { type: 'ims', request: 'launch', name: 'x', program: EXAMPLE };
    const msg = (extra: Record<string, unknown>) => {
      const r = resolveLaunchConfig({ ...base, ...extra }, trusted);
      return r.ok ? '' : r.message;
    };
    assert.match(msg({ program: undefined }), /"program" is required/);
    assert.match(msg({ cpus: 65 }), /"cpus" must be from 1 to 64, got 65/);
    assert.match(msg({ cpus: 1.5 }), /"cpus" must be a whole number/);
    assert.match(msg({ stopOnEntry: 'yes' }), /"stopOnEntry" must be a boolean/);
    assert.match(msg({ config: 3 }), /"config" must be a string/);
    assert.match(msg({ request: 'attach' }), /only launches/);
  });

  it('checks the substituted program', () => {
    const dir = path.dirname(EXAMPLE);
    assert.equal(
      checkProgram(EXAMPLE, () => true),
      undefined,
    );
    assert.match(
      checkProgram(path.join(dir, 'launch.json'), () => true) ?? '',
      /must be a driver model/,
    );
    assert.match(checkProgram(path.join(dir, 'gone.ts'), () => false) ?? '', /no such file/);
  });

  it('knows model files by extension', () => {
    for (const f of ['a.js', 'a.mjs', 'a.cjs', 'a.ts', 'a.mts', 'a.cts'])
      assert.ok(isModelFile(f), f);
    for (const f of ['a.json', 'a.conf', 'a']) assert.ok(!isModelFile(f), f);
  });

  it('offers an initial launch.json entry for the file in the editor', () => {
    assert.deepEqual(initialConfigurations(), [
      {
        type: 'ims',
        request: 'launch',
        name: 'Debug driver model',
        program: '${file}',
        stopOnEntry: true,
      },
    ]);
  });
});
