/**
 * A JSON schema of the Chrome/Perfetto trace files ims-debug writes (the subset of the Trace
 * Event Format in src/platform/chrome-trace/format.ts), and a validator for the tests: the
 * unit tests of the conversion, the CLI's `--trace` file and the DAP `ims/trace` answer.
 */
import Ajv from 'ajv';

const int = { type: 'integer', minimum: 0 } as const;
const time = { type: 'number', minimum: 0 } as const;
const argValue = { type: ['string', 'number', 'boolean', 'null'] } as const;
const args = { type: 'object', additionalProperties: argValue } as const;
const common = {
  name: { type: 'string', minLength: 1 },
  cat: { type: 'string', minLength: 1 },
  pid: int,
  tid: int,
  ts: time,
} as const;

export const CHROME_TRACE_SCHEMA = {
  $id: 'ims-debug/chrome-trace',
  type: 'object',
  required: ['traceEvents', 'displayTimeUnit', 'otherData'],
  additionalProperties: false,
  properties: {
    traceEvents: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ph'],
        properties: { ph: { enum: ['M', 'X', 'i', 's', 'f'] } },
        oneOf: [
          {
            required: ['ph', 'name', 'pid', 'tid', 'args'],
            additionalProperties: false,
            properties: {
              ph: { const: 'M' },
              name: { enum: ['process_name', 'thread_name'] },
              pid: int,
              tid: int,
              args: {
                type: 'object',
                required: ['name'],
                additionalProperties: false,
                properties: { name: { type: 'string', minLength: 1 } },
              },
            },
          },
          {
            required: ['ph', 'name', 'pid', 'tid', 'args'],
            additionalProperties: false,
            properties: {
              ph: { const: 'M' },
              name: { enum: ['process_sort_index', 'thread_sort_index'] },
              pid: int,
              tid: int,
              args: {
                type: 'object',
                required: ['sort_index'],
                additionalProperties: false,
                properties: { sort_index: { type: 'integer' } },
              },
            },
          },
          {
            required: ['ph', 'name', 'cat', 'pid', 'tid', 'ts', 'dur', 'args'],
            additionalProperties: false,
            properties: { ...common, ph: { const: 'X' }, dur: time, args },
          },
          {
            required: ['ph', 'name', 'cat', 'pid', 'tid', 'ts', 's', 'args'],
            additionalProperties: false,
            properties: { ...common, ph: { const: 'i' }, s: { const: 't' }, args },
          },
          {
            required: ['ph', 'name', 'cat', 'id', 'pid', 'tid', 'ts'],
            additionalProperties: false,
            properties: { ...common, ph: { const: 's' }, id: int },
          },
          {
            required: ['ph', 'name', 'cat', 'id', 'pid', 'tid', 'ts', 'bp'],
            additionalProperties: false,
            properties: { ...common, ph: { const: 'f' }, id: int, bp: { const: 'e' } },
          },
        ],
      },
    },
    displayTimeUnit: { const: 'ns' },
    otherData: {
      type: 'object',
      required: ['producer', 'now_ns', 'trace_events', 'trace_events_overwritten'],
      properties: {
        producer: { const: 'ims-debug' },
        now_ns: time,
        trace_events: int,
        trace_events_overwritten: int,
      },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(CHROME_TRACE_SCHEMA);

/** Throws an Error listing every way `value` is not a trace file as ims-debug writes them. */
export function assertChromeTrace(value: unknown): void {
  if (validate(value)) return;
  const errors = (validate.errors ?? [])
    .slice(0, 20)
    .map((e) => `  ${e.instancePath || '/'} ${e.message ?? ''}`)
    .join('\n');
  throw new Error(`not a trace file as ims-debug writes them:\n${errors}`);
}

/** Does the schema reject `value`? (to check that the schema can fail) */
export function rejects(value: unknown): boolean {
  return !validate(value);
}
