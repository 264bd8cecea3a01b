/**
 * JSON schema of the accel-config file format (what `accel-config save-config` writes and
 * `load-config` reads; intel/idxd-config accfg/config.c and util/json.c, release 4.1.6).
 *
 * It checks shapes and types only; ranges that depend on the device are checked in checks-*.ts.
 * Keys fall in three sets per object:
 * - settable keys, which load-config applies (its device/group/wq/engine set tables);
 * - read-only keys that `accel-config list` / older save-config versions emit (max_groups,
 *   state, clients, …): accepted and ignored, as load-config ignores them;
 * - anything else: load-config skips unknown keys silently (`*_attribute_filter` returns 0);
 *   here `additionalProperties: false` turns them into warnings so that a typo is seen.
 */

/** 0/1 flags; json-c's `json_object_get_int` also reads booleans as 0/1. */
const FLAG = { type: ['integer', 'boolean'], minimum: 0, maximum: 1 } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const STRING = { type: 'string' } as const;
const ANY = {} as const;

/** Read-only keys per object kind: accepted, ignored. */
export const IGNORED_KEYS = {
  device: [
    'max_groups',
    'max_work_queues',
    'max_engines',
    'work_queue_size',
    'max_work_queues_size',
    'numa_node',
    'errors',
    'op_cap',
    'iaa_cap',
    'gen_cap',
    'version',
    'state',
    'max_read_buffers',
    'max_tokens',
    'max_batch_size',
    'max_transfer_size',
    'ims_size',
    'configurable',
    'pasid_enabled',
    'cdev_major',
    'clients',
    'mdevs',
  ],
  group: ['work_queues', 'engines'],
  wq: ['cdev_minor', 'state', 'clients', 'occupancy', 'enqcmds_retries'],
  engine: [] as string[],
} as const;

function ignored(keys: readonly string[]): Record<string, typeof ANY> {
  return Object.fromEntries(keys.map((k) => [k, ANY]));
}

const ENGINE = {
  type: 'object',
  required: ['dev'],
  additionalProperties: false,
  properties: {
    dev: STRING,
    group_id: { type: 'integer', minimum: -1 },
    ...ignored(IGNORED_KEYS.engine),
  },
} as const;

const WQ = {
  type: 'object',
  required: ['dev'],
  additionalProperties: false,
  properties: {
    dev: STRING,
    mode: { type: 'string', enum: ['shared', 'dedicated'] },
    size: COUNT,
    group_id: { type: 'integer', minimum: -1 },
    priority: COUNT,
    block_on_fault: FLAG,
    type: { type: 'string', enum: ['none', 'kernel', 'user'] },
    /** WQ_NAME_SIZE is 1024 in drivers/dma/idxd/idxd.h. */
    name: { type: 'string', maxLength: 1024 },
    driver_name: STRING,
    threshold: COUNT,
    max_batch_size: { type: 'integer', minimum: 1 },
    max_transfer_size: { type: 'integer', minimum: 1 },
    ats_disable: FLAG,
    prs_disable: FLAG,
    /** Kernel `%*pb` bitmap: up to eight 32-bit hex words, most significant first. */
    op_config: { type: 'string', pattern: '^\\s*[0-9a-fA-F]{1,8}([, ][0-9a-fA-F]{1,8}){0,7}\\s*$' },
    ...ignored(IGNORED_KEYS.wq),
  },
} as const;

const GROUP = {
  type: 'object',
  required: ['dev'],
  additionalProperties: false,
  properties: {
    dev: STRING,
    read_buffers_reserved: COUNT,
    tokens_reserved: COUNT,
    read_buffers_allowed: COUNT,
    tokens_allowed: COUNT,
    use_read_buffer_limit: FLAG,
    use_token_limit: FLAG,
    /** -1 is the kernel's "not set" (sysfs shows it); 0..7 otherwise. */
    traffic_class_a: { type: 'integer', minimum: -1, maximum: 7 },
    traffic_class_b: { type: 'integer', minimum: -1, maximum: 7 },
    desc_progress_limit: { type: 'integer', minimum: 0, maximum: 3 },
    batch_progress_limit: { type: 'integer', minimum: 0, maximum: 3 },
    grouped_workqueues: { type: 'array', items: WQ },
    grouped_engines: { type: 'array', items: ENGINE },
    ...ignored(IGNORED_KEYS.group),
  },
} as const;

const DEVICE = {
  type: 'object',
  required: ['dev'],
  additionalProperties: false,
  properties: {
    dev: STRING,
    read_buffer_limit: COUNT,
    token_limit: COUNT,
    event_log_size: COUNT,
    groups: { type: 'array', items: GROUP },
    ungrouped_workqueues: { type: 'array', items: WQ },
    ungrouped_engines: { type: 'array', items: ENGINE },
    ...ignored(IGNORED_KEYS.device),
  },
} as const;

/** The whole file: a non-empty array of devices (load-config fails on an empty array). */
export const ACCEL_CONFIG_SCHEMA = {
  type: 'array',
  minItems: 1,
  items: DEVICE,
} as const;

/** Deprecated key → current key (accel-config warns that "token" attributes are deprecated). */
export const KEY_ALIASES: Readonly<Record<string, string>> = {
  token_limit: 'read_buffer_limit',
  tokens_reserved: 'read_buffers_reserved',
  tokens_allowed: 'read_buffers_allowed',
  use_token_limit: 'use_read_buffer_limit',
};
