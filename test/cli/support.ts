/**
 * Helpers of the CLI tests: where things are, running the bundled CLI as a child process, and
 * reading its output — event lines, the domain tree, the summary, `--json` lines — and the
 * expectations a config file implies.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DSA_BDFS } from '../../src/runtime/setup';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const CLI_JS = path.join(repoRoot, 'dist', 'cli.js');
export const EXAMPLE = path.join(repoRoot, 'examples', 'idxd-ims', 'driver.js');
export const EXAMPLE_CONFIG = path.join(repoRoot, 'examples', 'idxd-ims', 'accel-config.conf');
export const FIXTURES = path.join(__dirname, 'fixtures');
/** The real accel-config files (intel/idxd-config's contrib/configs), carried in the repository. */
export const SHARED_CONFIGS = path.join(
  repoRoot,
  'test',
  'fixtures',
  'accel-config',
  'idxd-config',
);

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js …args` in the repository root, colour off. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI_JS, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    timeout: 50_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A `--json` line as the tests read it. */
export interface JsonLine {
  t: number;
  kind: string;
  id: number;
  bdf: string;
  source: string;
  index: number;
  pasid: number | null;
  irte: number | null;
  vector: number | null;
  cpu: number | null;
  virq: number | null;
  fault: number | null;
  reason: string | null;
  path: string;
}

/** Every stdout line of a `--json` run, parsed (throws on a line that is not JSON). */
export function jsonLines(stdout: string): JsonLine[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonLine);
}

/** An event line of the text output. */
export interface EventLine {
  id: number;
  kind: string;
  /** Route and reason, as printed. */
  rest: string;
}

const EVENT_LINE = /^\[\s*\d+\.\d{6}\] #(\d+)\s+(delivered|pending|faulted|dropped)\s+(.*)$/;

/** The event lines of a text run's stdout. */
export function eventLines(stdout: string): EventLine[] {
  const out: EventLine[] = [];
  for (const line of stdout.split('\n')) {
    const m = EVENT_LINE.exec(line);
    if (m) out.push({ id: Number(m[1]), kind: m[2]!, rest: m[3]! });
  }
  return out;
}

/** The lines of the domain tree: from its heading to the next blank line. */
export function treeLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('irq domains '));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The counts of the summary line. */
export interface Summary {
  messages: number;
  delivered: number;
  pending: number;
  faulted: number;
  dropped: number;
}

const SUMMARY =
  /^(\d+) messages?: (\d+) delivered, (\d+) pending, (\d+) faulted, (\d+) dropped(?: \(\d+ still pending\))?; .+ simulated$/m;

export function summary(stdout: string): Summary | undefined {
  const m = SUMMARY.exec(stdout);
  if (!m) return undefined;
  const [messages, delivered, pending, faulted, dropped] = m.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { messages, delivered, pending, faulted, dropped };
}

interface ConfWq {
  dev?: string;
  size?: number;
}
interface ConfGroup {
  grouped_workqueues?: ConfWq[];
}
interface ConfDevice {
  dev?: string;
  groups?: ConfGroup[];
}

/** A work queue the example driver sets up. */
export interface ConfiguredWq {
  /** `wq0.1`, as accel-config and the driver's log name it. */
  name: string;
  /** BDF of its device (`dsa<N>` is the N-th DSA of DSA_BDFS). */
  bdf: string;
}

/**
 * The work queues of an accel-config file the example driver sets up: those in a group with a
 * size above 0 (the driver skips the others). Each runs one MEMMOVE with a completion
 * interrupt through its own IMS slot.
 */
export function configuredWqs(configFile: string): ConfiguredWq[] {
  const devices = JSON.parse(readFileSync(configFile, 'utf8')) as ConfDevice[];
  const wqs: ConfiguredWq[] = [];
  for (const d of devices) {
    const index = Number(/^dsa(\d+)$/.exec(d.dev ?? '')?.[1]);
    const bdf = DSA_BDFS[index];
    if (bdf === undefined) throw new Error(`${configFile}: unexpected device ${d.dev}`);
    for (const g of d.groups ?? [])
      for (const wq of g.grouped_workqueues ?? [])
        if ((wq.size ?? 0) > 0 && wq.dev !== undefined) wqs.push({ name: wq.dev, bdf });
  }
  return wqs;
}
