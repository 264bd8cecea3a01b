/** Types of schema-validator.generated.js: ajv's standalone validator of ACCEL_CONFIG_SCHEMA. */
import type { ValidateFunction } from 'ajv';

declare const validate: ValidateFunction;
export default validate;
