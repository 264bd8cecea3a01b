import { strict as assert } from 'node:assert';
import { parseAccelConfig } from '../../../src/platform/accel-config';
import { diagnose, fixture, marked } from './helpers';

describe('accel-config: names, ids and group membership', () => {
  it('checks names against their device, ids against the caps, duplicates and group_id', () => {
    assert.deepEqual(diagnose(fixture('membership.conf'), 'membership.conf'), [
      'membership.conf:8:70: dsa0 › group0.0 › wq0.0: "group_id": 1 does not match group0.0, the group it is listed in',
      'membership.conf:9:19: dsa0 › group0.0 › wq1.1: "dev": "wq1.1" belongs to dsa1, not dsa0',
      'membership.conf:10:19: dsa0 › group0.0 › wq0.8: "dev": "wq0.8" does not exist: dsa0 has 8 WQs (wq0.0 to wq0.7)',
      'membership.conf:11:19: dsa0 › group0.0 › wq0.0: "dev": "wq0.0" is listed twice (first on line 8)',
      'membership.conf:15:19: dsa0 › group0.0 › engine0.4: "dev": "engine0.4" does not exist: dsa0 has 4 engines (engine0.0 to engine0.3)',
      'membership.conf:19:15: dsa0 › group0.9: "dev": "group0.9" does not exist: dsa0 has 4 groups (group0.0 to group0.3)',
      'membership.conf:22:15: dsa0 › grp0.1: "dev": "grp0.1" is not a group name (group0.<id>)',
      'membership.conf:26:35: dsa0 › wq0.2: "group_id": 7: dsa0 has no group 7 (its groups are 0 to 3)',
      'membership.conf:27:35: dsa0 › wq0.3: "group_id": 0, but it is listed under "ungrouped_workqueues"; list it in group0.0 instead',
    ]);
  });

  it('takes the ids the caps allow', () => {
    const text = `[{"dev":"dsa2","groups":[{"dev":"group2.5",
      "grouped_workqueues":[{"dev":"wq2.70","mode":"dedicated","size":8,"priority":1,"name":"x"}],
      "grouped_engines":[{"dev":"engine2.9"}]}]}]`;
    const caps = { maxGroups: 8, maxWqs: 128, maxEngines: 16 };
    const d = parseAccelConfig(text, 't.conf', caps).devices[0]!;
    assert.equal(d.index, 2);
    assert.equal(d.groups.length, 8);
    assert.deepEqual([d.groups[5]!.wqs, d.groups[5]!.engines], [[70], [9]]);
  });

  it('wants dsa<N> device names, each once', () => {
    const { text, at } = marked(
      '[{"dev":⟨"iax1"},{"dev":"dsa0"},{"dev":⟨"dsa0"},{"dev":⟨"dsa01"}]',
    );
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: iax1: "dev": "iax1" is not a DSA device name (dsa<N>)`,
      `t.conf:${at[1]}: dsa0: "dev": "dsa0" is listed twice (first on line 1)`,
      `t.conf:${at[2]}: dsa01: "dev": "dsa01" is not a DSA device name (dsa<N>)`,
    ]);
  });

  it('loads several devices, each with its own parts', () => {
    const text = `[{"dev":"dsa0"},{"dev":"dsa2","groups":[{"dev":"group2.1",
      "grouped_workqueues":[{"dev":"wq2.3","mode":"dedicated","size":8,"priority":1,"name":"x"}],
      "grouped_engines":[{"dev":"engine2.0"}]}]}]`;
    const devices = parseAccelConfig(text, 't.conf').devices;
    assert.deepEqual(
      devices.map((d) => [d.name, d.wqs.map((w) => [w.id, w.group])]),
      [
        ['dsa0', []],
        ['dsa2', [[3, 1]]],
      ],
    );
  });
});
