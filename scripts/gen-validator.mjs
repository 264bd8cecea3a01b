// Writes src/platform/accel-config/schema-validator.generated.js from the schema
// (`npm run gen:validator`, which runs this with tsx's loader to import the TypeScript source).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { accelConfigValidatorSource } from '../src/platform/accel-config/validator-source.ts';

const out = fileURLToPath(
  new URL('../src/platform/accel-config/schema-validator.generated.js', import.meta.url),
);
writeFileSync(out, accelConfigValidatorSource());
console.log('wrote src/platform/accel-config/schema-validator.generated.js');
