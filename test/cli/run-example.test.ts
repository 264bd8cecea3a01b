/**
 * `ims-debug run` on the bundled example, with its own config and with each accel-config file
 * of the shared data folder: the run succeeds, every configured WQ verifies its copy, every IMS
 * completion is delivered along a full path, the `--json` lines carry the contract's fields,
 * and the domain tree shows the hierarchy. Expectations come from the config files.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  EXAMPLE,
  EXAMPLE_CONFIG,
  SHARED_CONFIGS,
  configuredWqs,
  eventLines,
  jsonLines,
  runCli,
  summary,
  treeLines,
  type CliResult,
  type JsonLine,
} from './support';

const KINDS = ['delivered', 'pending', 'faulted', 'dropped'];
const IMS_ROUTE =
  /^IMS slot (\d+) of ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.\d) → IRTE (\d+) → vector 0x([0-9a-f]{2}) → CPU (\d+) \(irq (\d+)\)$/;

/** The shared config files; the folder must exist (it is the project's test data). */
function sharedConfigs(): string[] {
  if (!existsSync(SHARED_CONFIGS)) return [];
  return readdirSync(SHARED_CONFIGS)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => path.join(SHARED_CONFIGS, f));
}

/** Checks one run of the example with `config` (undefined: the config beside the model). */
function scenario(config: string | undefined): void {
  const wqs = configuredWqs(config ?? EXAMPLE_CONFIG);
  const bdfs = [...new Set(wqs.map((w) => w.bdf))];
  const configArgs = config === undefined ? [] : ['--config', config];
  let text: CliResult;
  let json: CliResult;

  before(() => {
    assert.ok(wqs.length > 0, 'the config sets up at least one WQ');
    text = runCli(['run', EXAMPLE, ...configArgs]);
    json = runCli(['run', EXAMPLE, ...configArgs, '--json']);
  });

  it('exits 0 with nothing on stderr', () => {
    assert.equal(text.status, 0, text.stderr);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(text.stderr, '');
    assert.equal(json.stderr, '');
  });

  it('verifies the copy of every configured WQ', () => {
    const verified = [...text.stdout.matchAll(/: (wq\d+\.\d+): MEMMOVE .*data verified/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(verified.sort(), wqs.map((w) => w.name).sort());
    assert.doesNotMatch(text.stdout, /DATA MISMATCH/);
  });

  it('delivers one IMS completion per WQ, each with its slot, IRTE, vector and CPU', () => {
    const ims = eventLines(text.stdout).filter((e) => e.rest.startsWith('IMS slot'));
    assert.equal(ims.length, wqs.length);
    const slots = new Set<string>();
    for (const e of ims) {
      assert.equal(e.kind, 'delivered', e.rest);
      const m = IMS_ROUTE.exec(e.rest);
      assert.ok(m, `an IMS path with slot, IRTE, vector, CPU and irq: ${e.rest}`);
      assert.ok(bdfs.includes(m[2]!), e.rest);
      slots.add(`${m[2]} ${m[1]}`);
    }
    assert.equal(slots.size, wqs.length, 'one IMS slot per WQ');
  });

  it('prints the kernel log in dmesg format', () => {
    assert.match(text.stdout, /^\[\s+0\.\d{6}\] idxd [0-9a-f:.]+: version /m);
  });

  it('prints --json lines with the contract fields, and nothing else on stdout', () => {
    const lines = jsonLines(json.stdout);
    assert.ok(json.stdout.endsWith('\n'));
    assert.ok(lines.length > 0);
    for (const ev of lines) {
      for (const key of ['t', 'kind', 'bdf', 'source', 'index', 'irte', 'vector', 'cpu', 'virq'])
        assert.ok(key in ev, `"${key}" in ${JSON.stringify(ev)}`);
      assert.ok('reason' in ev);
      assert.equal(typeof ev.t, 'number');
      assert.ok(KINDS.includes(ev.kind), ev.kind);
      assert.ok(ev.source === 'msix' || ev.source === 'ims', ev.source);
      assert.equal(typeof ev.index, 'number');
      assert.ok(bdfs.includes(ev.bdf));
    }
    const ts = lines.map((e) => e.t);
    assert.deepEqual(
      ts,
      [...ts].sort((a, b) => a - b),
      'events in time order',
    );
  });

  it('has, in --json, one delivered IMS event per WQ with IRTE, vector, CPU and virq', () => {
    const ims = jsonLines(json.stdout).filter((e) => e.source === 'ims');
    assert.equal(ims.length, wqs.length);
    for (const e of ims) {
      assert.equal(e.kind, 'delivered');
      for (const key of ['irte', 'vector', 'cpu', 'virq'] as const)
        assert.equal(typeof e[key], 'number', `${key} of ${e.path}`);
      assert.equal(e.reason, null);
    }
  });

  it('prints the same events in text and --json (the run is deterministic)', () => {
    const textEvents = eventLines(text.stdout).map((e) => `${e.id} ${e.kind}`);
    const jsonEvents = jsonLines(json.stdout).map((e: JsonLine) => `${e.id} ${e.kind}`);
    assert.deepEqual(textEvents, jsonEvents);
    const s = summary(text.stdout);
    assert.ok(s, 'a summary line');
    for (const kind of KINDS)
      assert.equal(
        s[kind as keyof typeof s],
        jsonLines(json.stdout).filter((e) => e.kind === kind).length,
        kind,
      );
    assert.equal(s.messages, new Set(jsonLines(json.stdout).map((e) => e.id)).size);
  });

  it('prints the domain tree VECTOR → INTEL-IR-0 → the per-device MSI-X and IMS domains', () => {
    const tree = treeLines(text.stdout);
    assert.match(tree[0]!, /^VECTOR\s/);
    assert.ok(
      tree.some((l) => /^└── INTEL-IR-0\s/.test(l)),
      tree.join('\n'),
    );
    for (const bdf of bdfs) {
      assert.ok(tree.some((l) => l.includes(`── IR-PCI-MSIX-${bdf} `)));
      assert.ok(tree.some((l) => l.includes(`── IR-PCI-IDXD-${bdf} `)));
    }
    const imsRows = tree.filter((l) => /\bIMS slot \d+\b/.test(l));
    assert.equal(imsRows.length, wqs.length, 'one IMS irq per WQ');
    for (const row of imsRows) assert.match(row, /idxd-portal\s+0x[0-9a-f]{2} → CPU \d+\s+\d+\s/);
    assert.ok(
      tree.some((l) => /idxd-misc\s+0x[0-9a-f]{2} → CPU \d+\s+\d+\s+MSI-X entry 0\b/.test(l)),
    );
  });

  it('with --cpus 1 routes every vector to CPU 0', () => {
    const one = runCli(['run', EXAMPLE, ...configArgs, '--cpus', '1']);
    assert.equal(one.status, 0, one.stderr);
    const cpus = [
      ...treeLines(one.stdout)
        .join('\n')
        .matchAll(/→ CPU (\d+)/g),
    ].map((m) => m[1]);
    assert.ok(cpus.length > wqs.length);
    assert.deepEqual([...new Set(cpus)], ['0']);
    const oneJson = runCli(['run', EXAMPLE, ...configArgs, '--cpus', '1', '--json']);
    assert.equal(oneJson.status, 0, oneJson.stderr);
    for (const e of jsonLines(oneJson.stdout)) if (e.cpu !== null) assert.equal(e.cpu, 0);
  });
}

describe('ims-debug run: the example', () => {
  describe('with its bundled accel-config.conf', () => scenario(undefined));

  const shared = sharedConfigs();
  describe('with the shared accel-config files', () => {
    it(`finds the shared accel-config files (${SHARED_CONFIGS})`, () => {
      assert.ok(
        shared.length > 0,
        `no .conf files in ${SHARED_CONFIGS}: the CLI tests need the real accel-config files`,
      );
    });
    for (const file of shared) describe(path.basename(file), () => scenario(file));
  });

  it('with --json --verbose keeps stdout JSON and prints the log, tree and summary on stderr', () => {
    const r = runCli(['run', EXAMPLE, '--json', '--verbose']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(jsonLines(r.stdout).length > 0);
    assert.match(r.stderr, /data verified/);
    assert.match(r.stderr, /IR-PCI-IDXD-/);
    assert.ok(summary(r.stderr));
  });
});
