import { strict as assert } from 'node:assert';
import { parseAccelConfig } from '../../../src/platform/accel-config';
import { diagnose, fixture, marked, oneDevice } from './helpers';

const ENGINE = '"grouped_engines":[{"dev":"engine0.0"}]';

describe('accel-config: structure and types', () => {
  it('says which type was expected and what it found', () => {
    assert.deepEqual(diagnose(fixture('wrong-types.conf'), 'wrong-types.conf'), [
      'wrong-types.conf:4:25: dsa0: "read_buffer_limit": expected an integer, found a string ("0")',
      'wrong-types.conf:11:20: dsa0 › group0.0 › wq0.0: "mode": "exclusive" is not one of "shared", "dedicated"',
      'wrong-types.conf:12:20: dsa0 › group0.0 › wq0.0: "size": expected an integer, found 16.5',
      'wrong-types.conf:13:30: dsa0 › group0.0 › wq0.0: "block_on_fault": expected an integer or a boolean, found a string ("no")',
      'wrong-types.conf:14:24: dsa0 › group0.0 › wq0.0: "priority": expected an integer, found null',
      'wrong-types.conf:15:25: dsa0 › group0.0 › wq0.0: "threshold": -1 is below the minimum 0',
      'wrong-types.conf:19:27: dsa0 › group0.0: "grouped_engines": expected an array, found an object',
    ]);
  });

  it('names an object without "dev" by its array and index', () => {
    const { text, at } = marked(oneDevice('⟨{"grouped_workqueues":[⟨{"size":1}]}'));
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: dsa0 › groups[0]: missing the "dev" key`,
      `t.conf:${at[1]}: dsa0 › groups[0] › grouped_workqueues[0]: missing the "dev" key`,
    ]);
  });

  it('names misplaced values by their key and index', () => {
    const { text, at } = marked('[{"dev":⟨5,"groups":[⟨1],"read_buffer_limit":⟨1e400}]');
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: devices[0]: "dev": expected a string, found 5`,
      `t.conf:${at[1]}: devices[0]: "groups[0]": expected an object, found 1`,
      `t.conf:${at[2]}: devices[0]: "read_buffer_limit": expected an integer, found Infinity`,
    ]);
  });

  it('warns about unknown keys, as load-config ignores them', () => {
    const { text, at } = marked(
      oneDevice(`{"dev":"group0.0",⟨"colour":"red",${ENGINE}}`, '⟨"turbo":1,'),
    );
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: warning: dsa0: "turbo": unknown key, ignored (accel-config load-config skips keys it does not know)`,
      `t.conf:${at[1]}: warning: dsa0 › group0.0: "colour": unknown key, ignored (accel-config load-config skips keys it does not know)`,
    ]);
  });

  it('accepts and ignores the read-only keys of `accel-config list`', () => {
    const text = `[{"dev":"dsa0","read_buffer_limit":0,"max_groups":4,"max_work_queues":8,
      "max_engines":4,"work_queue_size":128,"numa_node":0,
      "op_cap":"00000000,00000000,00000000,00000000,00000000,00000000,00000001,003f027d",
      "gen_cap":"0x40915f0107","version":"0x100","state":"enabled","max_read_buffers":96,
      "max_batch_size":1024,"configurable":1,"pasid_enabled":1,"cdev_major":235,"clients":0,
      "groups":[{"dev":"group0.0","read_buffers_reserved":0,"use_read_buffer_limit":0,
        "read_buffers_allowed":96,
        "grouped_workqueues":[{"dev":"wq0.0","mode":"shared","size":128,"group_id":0,
          "priority":10,"block_on_fault":0,"max_batch_size":512,"max_transfer_size":2097152,
          "cdev_minor":0,"type":"user","name":"app0","driver_name":"user","threshold":128,
          "ats_disable":0,"state":"enabled","clients":0}],
        "grouped_engines":[{"dev":"engine0.0","group_id":0}]},
        {"dev":"group0.1","read_buffers_reserved":0,"use_read_buffer_limit":0,"read_buffers_allowed":96}],
      "ungrouped_engines":[{"dev":"engine0.1"},{"dev":"engine0.2"},{"dev":"engine0.3"}]}]`;
    const { devices, warnings } = parseAccelConfig(text, 'list.conf');
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      devices[0]!.engines.map((e) => [e.id, e.group]),
      [
        [0, 0],
        [1, null],
        [2, null],
        [3, null],
      ],
    );
    assert.equal(devices[0]!.wqs[0]!.max_batch_size, 512);
  });

  it("reads the deprecated token_* names, with accel-config's warning", () => {
    const { text, at } = marked(
      oneDevice(
        `{"dev":"group0.0",⟨"tokens_reserved":8,⟨"use_token_limit":1,"read_buffers_allowed":40,⟨"tokens_allowed":32,${ENGINE}}`,
        '⟨"token_limit":48,',
      ),
    );
    const { devices, warnings } = parseAccelConfig(text, 't.conf');
    assert.deepEqual(
      warnings.map((w) => `${w.line}:${w.column} ${w.field} ${w.message}`),
      [
        `${at[0]} token_limit deprecated name of "read_buffer_limit" (accel-config warns the same)`,
        `${at[1]} tokens_reserved deprecated name of "read_buffers_reserved" (accel-config warns the same)`,
        `${at[2]} use_token_limit deprecated name of "use_read_buffer_limit" (accel-config warns the same)`,
        `${at[3]} tokens_allowed deprecated name of "read_buffers_allowed" (accel-config warns the same)`,
        `${at[3]} tokens_allowed overrides "read_buffers_allowed" given before it`,
      ],
    );
    const d = devices[0]!;
    assert.equal(d.read_buffer_limit, 48);
    assert.deepEqual(
      [
        d.groups[0]!.read_buffers_reserved,
        d.groups[0]!.use_read_buffer_limit,
        d.groups[0]!.read_buffers_allowed,
      ],
      [8, true, 32],
    );
  });

  it('warns when "dev" is not first, a key repeats or an array is empty', () => {
    const { text, at } = marked(
      oneDevice(
        `{"dev":"group0.0","grouped_workqueues":⟨[],${ENGINE}},{"read_buffers_reserved":1,⟨"dev":"group0.1",⟨"read_buffers_reserved":3}`,
      ),
    );
    const { devices, warnings } = parseAccelConfig(text, 't.conf');
    assert.deepEqual(
      warnings.map((w) => `${w.line}:${w.column} ${w.place} ${w.field} ${w.message}`),
      [
        `${at[0]} dsa0 › group0.0 grouped_workqueues empty array; accel-config load-config fails on empty arrays`,
        `${at[1]} dsa0 › group0.1 dev should be the first key: load-config applies the keys before it to the previous object`,
        `${at[2]} dsa0 › group0.1 read_buffers_reserved repeated; the last value wins, as json-c keeps it`,
      ],
    );
    assert.equal(devices[0]!.groups[1]!.read_buffers_reserved, 3);
  });

  it('reads 0/1 flags given as booleans, as json-c does', () => {
    const text = oneDevice(
      `{"dev":"group0.0","grouped_workqueues":[{"dev":"wq0.0","mode":"dedicated","size":4,"priority":1,"name":"x","block_on_fault":true,"ats_disable":false}],${ENGINE}}`,
    );
    const wq = parseAccelConfig(text, 't.conf').devices[0]!.wqs[0]!;
    assert.deepEqual([wq.block_on_fault, wq.ats_disable], [true, false]);
  });
});
