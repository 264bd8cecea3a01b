import { strict as assert } from 'node:assert';
import { parseAccelConfig } from '../../../src/platform/accel-config';
import { diagnose, fixture, marked } from './helpers';

describe('accel-config: JSON syntax', () => {
  it('accepts trailing commas and comments, as json-c does', () => {
    const { devices, warnings } = parseAccelConfig(
      fixture('trailing-commas.conf'),
      'trailing-commas.conf',
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      devices[0]!.wqs.map((w) => [w.id, w.mode, w.size, w.priority, w.type]),
      [[0, 'dedicated', 16, 5, 'kernel']],
    );
  });

  it('points at the line of a missing comma', () => {
    assert.deepEqual(diagnose(fixture('missing-comma.conf'), 'missing-comma.conf'), [
      'missing-comma.conf:7:9: invalid JSON: expected a comma',
    ]);
  });

  it('points at an unterminated string', () => {
    const { text, at } = marked('[{"dev":⟨"dsa0}]\n');
    assert.deepEqual(diagnose(text), [`t.conf:${at[0]}: invalid JSON: unterminated string`]);
  });

  it('points at content after the end', () => {
    const { text, at } = marked('[{"dev":"dsa0"}]\n⟨]\n');
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: invalid JSON: unexpected content after the end`,
    ]);
  });

  it('says so for an empty file', () => {
    assert.deepEqual(diagnose('  \n'), [
      't.conf:1:1: the file is empty; expected a JSON array of devices',
    ]);
  });

  it('wants an array at the top level', () => {
    const { text, at } = marked('\n⟨{"dev":"dsa0"}\n');
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: the file must be a JSON array of devices, as save-config writes it; found an object`,
    ]);
    assert.deepEqual(diagnose('"dsa0"'), [
      't.conf:1:1: the file must be a JSON array of devices, as save-config writes it; found a string ("dsa0")',
    ]);
  });

  it('wants at least one device, as load-config does', () => {
    assert.deepEqual(diagnose('[]'), [
      't.conf:1:1: the file lists no devices (accel-config load-config rejects an empty array)',
    ]);
  });

  it('throws an AccelConfigError whose message lists every error', () => {
    assert.throws(
      () => parseAccelConfig('[{"dev":"dsa0",]', 'x.conf'),
      (e: unknown) =>
        e instanceof Error &&
        e.name === 'AccelConfigError' &&
        e.message === 'x.conf:1:16: invalid JSON: expected a property name in double quotes',
    );
  });
});
