import { strict as assert } from 'node:assert';
import { parseAccelConfig, type DeviceConfig } from '../../../src/platform/accel-config';
import { diagnose, fixture, marked, oneDevice } from './helpers';

const ENGINE = '"grouped_engines":[{"dev":"engine0.0"}]';
/** A valid dedicated WQ's keys, to which a test adds its own. */
const WQ = '"mode":"dedicated","size":8,"priority":1,"name":"w"';

/** group0.0 with one WQ (`keys` appended to the WQ) and, unless told not to, engine0.0. */
function group0(keys: string, withEngine = true): string {
  const engines = withEngine ? `,${ENGINE}` : '';
  return `{"dev":"group0.0","grouped_workqueues":[{"dev":"wq0.0",${keys}}]${engines}}`;
}

function load(text: string, caps?: Parameters<typeof parseAccelConfig>[2]): DeviceConfig {
  return parseAccelConfig(text, 't.conf', caps).devices[0]!;
}

describe('accel-config: checks against the device', () => {
  it('refuses a WQ larger than the whole device', () => {
    assert.deepEqual(diagnose(fixture('size-over-total.conf'), 'os_profile.conf'), [
      `os_profile.conf:12:20: dsa0 › group0.0 › wq0.0: "size": 300 exceeds the device's total WQ size 128`,
    ]);
  });

  it('checks sizes, thresholds, priorities and the power-of-two limits', () => {
    assert.deepEqual(diagnose(fixture('wq-settings.conf'), 'wq-settings.conf'), [
      'wq-settings.conf:12:24: dsa0 › group0.0 › wq0.0: "priority": 0 is outside 1 to 15',
      'wq-settings.conf:13:25: dsa0 › group0.0 › wq0.0: "threshold": 0 is not allowed: a shared WQ needs 1 to its size (Linux refuses 0)',
      'wq-settings.conf:14:33: warning: dsa0 › group0.0 › wq0.0: "max_transfer_size": 3000000 is not a power of two; Linux rounds it up to 4194304',
      `wq-settings.conf:15:30: dsa0 › group0.0 › wq0.0: "max_batch_size": 2000 (rounded up to 2048) exceeds the device's maximum batch size 1024`,
      'wq-settings.conf:22:24: dsa0 › group0.0 › wq0.1: "priority": 16 is outside 1 to 15',
      'wq-settings.conf:23:25: dsa0 › group0.0 › wq0.1: "threshold": 65 exceeds the WQ size 64',
      `wq-settings.conf:24:33: dsa0 › group0.0 › wq0.1: "max_transfer_size": 4294967296 exceeds the device's maximum transfer size 2147483648`,
      `wq-settings.conf:30:20: dsa0 › group0.0 › wq0.2: "size": 8 brings the WQ sizes of dsa0 to 136, over the device's total WQ size 128`,
      'wq-settings.conf:32:25: warning: dsa0 › group0.0 › wq0.2: "threshold": 4 is ignored for a dedicated WQ (load-config skips it)',
      'wq-settings.conf:33:30: warning: dsa0 › group0.0 › wq0.2: "max_batch_size": 100 is not a power of two; Linux rounds it up to 128',
      'wq-settings.conf:37:19: dsa0 › group0.0 › wq0.3: "threshold": not set; a shared WQ needs a threshold of 1 to its size, and Linux refuses to enable one whose threshold is 0',
      'wq-settings.conf:37:19: warning: dsa0 › group0.0 › wq0.3: "name": not set; Linux refuses to enable a WQ without a name',
      `wq-settings.conf:39:20: dsa0 › group0.0 › wq0.3: "size": 16 brings the WQ sizes of dsa0 to 144, over the device's total WQ size 128`,
    ]);
  });

  it('rounds the limits up and fills Linux defaults for what is left out', () => {
    const wq = load(
      oneDevice(
        group0(
          '"mode":"dedicated","size":8,"priority":1,"name":"w","threshold":3,"max_batch_size":100',
        ),
      ),
    ).wqs[0]!;
    assert.deepEqual(
      [wq.threshold, wq.max_batch_size, wq.max_transfer_size, wq.type, wq.driver_name],
      [0, 128, 2097152, 'none', ''],
    );
  });

  it('warns about a WQ without priority, and one in a group without entries', () => {
    const { text, at } = marked(
      oneDevice(
        `{"dev":"group0.0","grouped_workqueues":[{"dev":⟨"wq0.0","mode":"dedicated","size":8,"name":"w"},{"dev":"wq0.1","size":⟨0}],${ENGINE}}`,
      ),
    );
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: warning: dsa0 › group0.0 › wq0.0: "priority": not set, so Linux leaves it 0, outside 1 to 15; the device refuses to enable such a WQ (CMDSTS 0x23)`,
      `t.conf:${at[1]}: warning: dsa0 › group0.0 › wq0.1: "size": 0 leaves the WQ, which is in a group, without entries, so it cannot be enabled`,
    ]);
  });

  it('refuses shared WQs when PASID is off', () => {
    const { text, at } = marked(
      oneDevice(
        `{"dev":"group0.0","grouped_workqueues":[{"dev":"wq0.0","mode":⟨"shared","size":8,"priority":1,"name":"w","threshold":4},{"dev":⟨"wq0.1","size":8,"priority":1,"name":"v","threshold":4}],${ENGINE}}`,
      ),
    );
    const why = 'needs PASID, which is not enabled for the device, so Linux refuses to enable it';
    assert.deepEqual(diagnose(text, 't.conf', { pasidEnabled: false }), [
      `t.conf:${at[0]}: dsa0 › group0.0 › wq0.0: "mode": "shared" ${why}`,
      `t.conf:${at[1]}: dsa0 › group0.0 › wq0.1: "mode": not set, so Linux's default "shared" applies, which ${why}`,
    ]);
  });

  it('follows Linux on block_on_fault, ats_disable and prs_disable', () => {
    const noBof = marked(oneDevice(group0(`${WQ},"block_on_fault":⟨1`)));
    assert.deepEqual(diagnose(noBof.text, 't.conf', { blockOnFault: false }), [
      `t.conf:${noBof.at[0]}: dsa0 › group0.0 › wq0.0: "block_on_fault": set, but the device has no block-on-fault (GENCAP.block_on_fault)`,
    ]);
    const prs = { wqPrsSupport: true };
    const cleared = marked(oneDevice(group0(`${WQ},"block_on_fault":⟨1,"prs_disable":1`)));
    assert.deepEqual(diagnose(cleared.text, 't.conf', prs), [
      `t.conf:${cleared.at[0]}: warning: dsa0 › group0.0 › wq0.0: "block_on_fault": cleared by the "prs_disable" that follows, as Linux does`,
    ]);
    const wq = load(cleared.text, prs).wqs[0]!;
    assert.deepEqual([wq.block_on_fault, wq.prs_disable], [false, true]);
    const refused = marked(oneDevice(group0(`${WQ},"prs_disable":1,"block_on_fault":⟨1`)));
    assert.deepEqual(diagnose(refused.text, 't.conf', prs), [
      `t.conf:${refused.at[0]}: dsa0 › group0.0 › wq0.0: "block_on_fault": set after "prs_disable": Linux refuses block-on-fault without PRS`,
    ]);
    const ignored = marked(oneDevice(group0(`${WQ},"ats_disable":⟨1,"prs_disable":⟨1`)));
    assert.deepEqual(diagnose(ignored.text, 't.conf', { wqAtsSupport: false }), [
      `t.conf:${ignored.at[0]}: warning: dsa0 › group0.0 › wq0.0: "ats_disable": ignored: the device has no per-WQ ATS control (WQCAP.wq_ats_support)`,
      `t.conf:${ignored.at[1]}: warning: dsa0 › group0.0 › wq0.0: "prs_disable": ignored: the device has no per-WQ PRS control (WQCAP.wq_prs_support)`,
    ]);
  });

  it('takes op_config only where the device has it, and only for opcodes in OPCAP', () => {
    const given = marked(oneDevice(group0(`${WQ},"op_config":⟨"0000000f"`)));
    assert.deepEqual(diagnose(given.text), [
      `t.conf:${given.at[0]}: dsa0 › group0.0 › wq0.0: "op_config": given, but the device has no per-WQ op_config (WQCAP.op_config), so load-config fails writing it`,
    ]);
    const v2 = { opConfig: true, opcap: [0x1_0000_00ffn, 0n, 0n, 0n] };
    const outside = marked(oneDevice(group0(`${WQ},"op_config":⟨"00000001,00000300"`)));
    assert.deepEqual(diagnose(outside.text, 't.conf', v2), [
      `t.conf:${outside.at[0]}: dsa0 › group0.0 › wq0.0: "op_config": enables opcodes 0x08, 0x09, not in the device's OPCAP`,
    ]);
    const ok = oneDevice(group0(`${WQ},"op_config":"00000001,0000000a"`));
    assert.deepEqual(load(ok, v2).wqs[0]!.op_config, [0x1_0000_000an, 0n, 0n, 0n]);
    assert.deepEqual(load(oneDevice(group0(WQ)), v2).wqs[0]!.op_config, v2.opcap);
  });

  it('refuses WQs when no group has an engine; warns for an engineless group beside others', () => {
    const none = marked(oneDevice(group0(WQ, false).replace('"wq0.0"', '⟨"wq0.0"')));
    assert.deepEqual(diagnose(none.text), [
      `t.conf:${none.at[0]}: dsa0 › group0.0 › wq0.0: group0.0 has no engine, nor has any other group of dsa0: Linux refuses to enable the device (idxd_engines_setup)`,
    ]);
    const some = marked(
      oneDevice(`${group0(WQ)},{"dev":"group0.1","grouped_workqueues":[{"dev":⟨"wq0.1",${WQ}}]}`),
    );
    assert.deepEqual(diagnose(some.text), [
      `t.conf:${some.at[0]}: warning: dsa0 › group0.1 › wq0.1: group0.1 has no engine: Linux enables the device (it needs an engine in some group), but nothing processes this WQ`,
    ]);
  });

  it('accounts for read buffers as sysfs does', () => {
    const over = marked(oneDevice(group0(WQ), '"read_buffer_limit":⟨97,'));
    assert.deepEqual(diagnose(over.text), [
      `t.conf:${over.at[0]}: dsa0: "read_buffer_limit": 97 exceeds the device's 96 read buffers`,
    ]);
    const nolimit = marked(oneDevice(group0(WQ), '"read_buffer_limit":⟨8,'));
    assert.deepEqual(diagnose(nolimit.text, 't.conf', { rdbufLimit: false }), [
      `t.conf:${nolimit.at[0]}: dsa0: "read_buffer_limit": 8, but the device cannot limit read buffers (GRPCAP.rdbuf_limit)`,
    ]);
    const groups = marked(
      oneDevice(
        `{"dev":"group0.3","read_buffers_reserved":60},{"dev":"group0.1","read_buffers_reserved":⟨40},` +
          `{"dev":"group0.2","read_buffers_reserved":10,"read_buffers_allowed":⟨40,"use_read_buffer_limit":⟨1},${group0(WQ)}`,
      ),
    );
    assert.deepEqual(diagnose(groups.text), [
      `t.conf:${groups.at[0]}: dsa0 › group0.1: "read_buffers_reserved": 40 brings the read buffers reserved on dsa0 to 100, over its 96`,
      `t.conf:${groups.at[1]}: dsa0 › group0.2: "read_buffers_allowed": 40 exceeds the 36 read buffers left to this group (96 in all, 60 reserved by other groups)`,
      `t.conf:${groups.at[2]}: warning: dsa0 › group0.2: "use_read_buffer_limit": ignored while the device's "read_buffer_limit" is 0, as load-config skips it`,
    ]);
  });

  it('applies read-buffer settings and their defaults', () => {
    const d = load(
      oneDevice(
        `{"dev":"group0.1","read_buffers_reserved":16,"read_buffers_allowed":32,"use_read_buffer_limit":1},${group0(WQ)}`,
        '"read_buffer_limit":64,',
      ),
    );
    assert.equal(d.read_buffer_limit, 64);
    assert.deepEqual(
      d.groups.map((g) => [
        g.read_buffers_reserved,
        g.read_buffers_allowed,
        g.use_read_buffer_limit,
      ]),
      [
        [0, 96, false],
        [16, 32, true],
        [0, 96, false],
        [0, 96, false],
      ],
    );
  });

  it('fixes traffic classes at 1 on DSA 1.0, as Linux does without tc_override', () => {
    const { text, at } = marked(
      oneDevice(
        `{"dev":"group0.0","traffic_class_a":⟨0,"traffic_class_b":-1,"grouped_workqueues":[{"dev":"wq0.0",${WQ}}],${ENGINE}},{"dev":"group0.1","traffic_class_a":-1,"traffic_class_b":⟨5}`,
      ),
    );
    const why =
      'ignored: Linux fixes both traffic classes at 1 on DSA 1.0 and 2.0 unless the idxd module parameter tc_override is set';
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: warning: dsa0 › group0.0: "traffic_class_a": ${why}`,
      `t.conf:${at[1]}: warning: dsa0 › group0.1: "traffic_class_b": ${why}`,
    ]);
    const tcs = (d: DeviceConfig): number[][] =>
      d.groups.map((g) => [g.traffic_class_a, g.traffic_class_b]);
    assert.deepEqual(tcs(load(text)), [
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const expected = [
      [0, 1],
      [0, 5],
      [0, 1],
      [0, 1],
    ];
    assert.deepEqual(tcs(load(text, { tcOverride: true })), expected);
    assert.deepEqual(tcs(load(text, { version: 0x300 })), expected);
  });

  it('takes progress limits and an event log only from devices that have them', () => {
    const { text, at } = marked(
      oneDevice(
        `{"dev":"group0.1","desc_progress_limit":⟨2,"batch_progress_limit":⟨1},${group0(WQ)}`,
        '"event_log_size":⟨128,',
      ),
    );
    assert.deepEqual(diagnose(text), [
      `t.conf:${at[0]}: dsa0: "event_log_size": given, but the device has no event log (GENCAP.evl_support), so load-config fails writing it`,
      `t.conf:${at[1]}: warning: dsa0 › group0.1: "desc_progress_limit": ignored: the device has no progress limits (GRPCAP.progress_limit)`,
      `t.conf:${at[2]}: warning: dsa0 › group0.1: "batch_progress_limit": ignored: the device has no progress limits (GRPCAP.progress_limit)`,
    ]);
    const v2 = { progressLimit: true, evlSupport: true };
    const d = load(text, v2);
    assert.equal(d.event_log_size, 128);
    assert.deepEqual([d.groups[1]!.desc_progress_limit, d.groups[1]!.batch_progress_limit], [2, 1]);
    assert.equal(load(oneDevice(group0(WQ)), v2).event_log_size, 64);
    const small = marked(oneDevice(group0(WQ), '"event_log_size":⟨16,'));
    assert.deepEqual(diagnose(small.text, 't.conf', v2), [
      `t.conf:${small.at[0]}: dsa0: "event_log_size": 16 is outside 64 to 65535`,
    ]);
  });
});
