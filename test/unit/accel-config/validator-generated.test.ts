import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { accelConfigValidatorSource } from '../../../src/platform/accel-config/validator-source';

describe('accel-config: the generated schema validator', () => {
  it('is what the schema generates now (run `npm run gen:validator` after changing schema.ts)', () => {
    const file = path.join(
      __dirname,
      '../../../src/platform/accel-config/schema-validator.generated.js',
    );
    assert.equal(readFileSync(file, 'utf8'), accelConfigValidatorSource());
  });
});
