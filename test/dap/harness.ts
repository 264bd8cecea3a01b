/**
 * DAP test harness: the real adapter (dist/adapter.js, built by `npm run build`) over stdio,
 * driven by @vscode/debugadapter-testsupport's DebugClient.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ADAPTER = path.join(ROOT, 'dist', 'adapter.js');
export const EXAMPLE = path.join(ROOT, 'examples', 'idxd-ims', 'driver.js');
/** The IDXD driver core the examples require (`../lib/idxd`). */
export const IDXD_LIB = path.join(ROOT, 'examples', 'lib', 'idxd.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'dap');

/** Starts a client on a fresh adapter process (built by the root hook in hooks.ts). */
export async function startClient(): Promise<DebugClient> {
  if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: the root hook builds it`);
  const dc = new DebugClient('node', ADAPTER, 'ims');
  await dc.start();
  return dc;
}

/** The 1-based line of the first line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tests read fixture text synchronously
  const lines = (require('node:fs') as typeof import('node:fs'))
    .readFileSync(file, 'utf8')
    .split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`"${text}" is not in ${file}`);
  return i + 1;
}

/** Collects output events as text. */
export function collectOutput(dc: DebugClient): { text: () => string } {
  let out = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    out += e.body.output;
  });
  return { text: () => out };
}

/** Launches `args`, sets `setup` (breakpoints, filters) after `initialized`, then configurationDone. */
export async function launch(
  dc: DebugClient,
  args: Record<string, unknown>,
  setup: () => Promise<unknown> = () => Promise.resolve(),
): Promise<void> {
  await dc.initializeRequest();
  const initialized = dc.waitForEvent('initialized');
  await dc.launch(args);
  await initialized;
  await setup();
  await dc.configurationDoneRequest();
}

/** Variables of a reference, as name → variable. */
export async function vars(
  dc: DebugClient,
  ref: number,
): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await dc.variablesRequest({ variablesReference: ref });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

/** The scopes of the top frame of `threadId`. */
export async function topScopes(
  dc: DebugClient,
  threadId: number,
): Promise<{ frame: DebugProtocol.StackFrame; scopes: DebugProtocol.Scope[] }> {
  const st = await dc.stackTraceRequest({ threadId });
  const frame = st.body.stackFrames[0]!;
  const sc = await dc.scopesRequest({ frameId: frame.id });
  return { frame, scopes: sc.body.scopes };
}

/** The line of the example's completion handler where the tests stop. */
export const HANDLER_LINE = lineOf(EXAMPLE, 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;');

/**
 * Launches the example with a breakpoint at HANDLER_LINE (plus `extra` launch attributes) and
 * returns the first stop.
 */
export async function stopInHandler(
  dc: DebugClient,
  extra: Record<string, unknown> = {},
): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: EXAMPLE, ...extra }, () =>
    dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line: HANDLER_LINE }] }),
  );
  return (await stopped) as DebugProtocol.StoppedEvent;
}
