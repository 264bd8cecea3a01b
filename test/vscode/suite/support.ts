/**
 * Helpers for the tests that run inside a real VS Code extension host: waiting on what VS Code
 * and the extension report (DAP traffic seen by a DebugAdapterTracker, debug session events,
 * the extension's exported view text), each wait bounded by a timeout that says what it was
 * waiting for.
 */
import { readFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import type { ImsDebugApi } from '../../../src/extension/extension';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';

/** publisher.name in package.json. */
export const EXTENSION_ID = 'ims-debug.ims-debug';

/** How long one wait may take before the test fails saying what it waited for. */
export const WAIT_MS = 30_000;

/** The view ids the extension contributes to the Run and Debug container. */
export const VIEW_IDS = {
  domains: 'ims-debug.irqDomains',
  slots: 'ims-debug.imsSlots',
  remapping: 'ims-debug.remapping',
  pending: 'ims-debug.pending',
} as const;

/** The 1-based number of the first line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`"${text}" is not in ${file}`);
  return i + 1;
}

/** Rejects after `ms` with "timed out after N s waiting for <what>". */
function deadline(what: string, ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`));
    }, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Awaits `p`, failing with a message naming `what` after `ms`. */
export async function within<T>(what: string, p: PromiseLike<T>, ms = WAIT_MS): Promise<T> {
  const d = deadline(what, ms);
  try {
    return await Promise.race([Promise.resolve(p), d.promise]);
  } finally {
    d.cancel();
  }
}

/**
 * Asks `probe` every 20 ms until it returns something other than undefined. Only for state
 * that comes with no event: the views' text, which the extension renders once the snapshot
 * it asked for at a stop arrives.
 */
export async function until<T>(what: string, probe: () => T | undefined, ms = WAIT_MS): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Resolves with `probe()` once it is defined: asks now, then again whenever one of `events`
 * fires (VS Code's own notifications, no polling).
 */
export function whenReported<T>(
  what: string,
  probe: () => T | undefined,
  events: readonly vscode.Event<unknown>[],
  ms = WAIT_MS,
): Promise<T> {
  const subs: vscode.Disposable[] = [];
  const found = new Promise<T>((resolve) => {
    const check = () => {
      const v = probe();
      if (v !== undefined) resolve(v);
    };
    for (const e of events) subs.push(e(check));
    check();
  });
  return within(what, found, ms).finally(() => {
    for (const s of subs) s.dispose();
  });
}

/** One DAP message of an `ims` session, as a DebugAdapterTracker saw it. */
export interface Traffic {
  readonly session: vscode.DebugSession;
  /** 'toAdapter': VS Code → adapter; 'fromAdapter': adapter → VS Code. */
  readonly direction: 'toAdapter' | 'fromAdapter';
  readonly message: DebugProtocol.ProtocolMessage;
}

/**
 * Records the DAP traffic of every `ims` session through VS Code's tracker API, and lets a test
 * wait for a message (already seen or still to come).
 */
export class DapRecorder implements vscode.Disposable {
  readonly traffic: Traffic[] = [];
  private readonly waiters = new Set<(t: Traffic) => void>();
  private readonly registration: vscode.Disposable;

  constructor(debugType: string) {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory(debugType, {
      createDebugAdapterTracker: (session) => ({
        onWillReceiveMessage: (m: unknown) => this.add(session, 'toAdapter', m),
        onDidSendMessage: (m: unknown) => this.add(session, 'fromAdapter', m),
      }),
    });
  }

  private add(session: vscode.DebugSession, direction: Traffic['direction'], m: unknown): void {
    const t: Traffic = { session, direction, message: m as DebugProtocol.ProtocolMessage };
    this.traffic.push(t);
    for (const w of [...this.waiters]) w(t);
  }

  /** The index the next message will have (to wait only for what comes after now). */
  get mark(): number {
    return this.traffic.length;
  }

  /** The first message from index `from` on that `match` accepts, waiting for it if needed. */
  next<T extends DebugProtocol.ProtocolMessage>(
    what: string,
    match: (t: Traffic) => boolean,
    from = 0,
    ms = WAIT_MS,
  ): Promise<T> {
    const seen = this.traffic.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen.message as T);
    let waiter: ((t: Traffic) => void) | undefined;
    const arrived = new Promise<T>((resolve) => {
      waiter = (t) => {
        if (match(t)) resolve(t.message as T);
      };
      this.waiters.add(waiter);
    });
    return within(what, arrived, ms).finally(() => {
      if (waiter !== undefined) this.waiters.delete(waiter);
    });
  }

  /** The next event `event` the adapter sends in `session` after index `from`. */
  event<T extends DebugProtocol.Event>(
    session: vscode.DebugSession | undefined,
    event: string,
    from = 0,
    ms = WAIT_MS,
  ): Promise<T> {
    return this.next<T>(
      `the '${event}' event`,
      (t) =>
        (session === undefined || t.session.id === session.id) &&
        t.direction === 'fromAdapter' &&
        t.message.type === 'event' &&
        (t.message as DebugProtocol.Event).event === event,
      from,
      ms,
    );
  }

  /** The adapter's response to the next request `command` sent in `session` after `from`. */
  response<T extends DebugProtocol.Response>(
    session: vscode.DebugSession,
    command: string,
    from = 0,
    ms = WAIT_MS,
  ): Promise<T> {
    return this.next<T>(
      `the response to '${command}'`,
      (t) =>
        t.session.id === session.id &&
        t.direction === 'fromAdapter' &&
        t.message.type === 'response' &&
        (t.message as DebugProtocol.Response).command === command,
      from,
      ms,
    );
  }

  /** The text of every `output` event of `session` so far. */
  output(session: vscode.DebugSession): string {
    return this.traffic
      .filter(
        (t) =>
          t.session.id === session.id &&
          t.message.type === 'event' &&
          (t.message as DebugProtocol.Event).event === 'output',
      )
      .map((t) => (t.message as DebugProtocol.OutputEvent).body.output)
      .join('');
  }

  dispose(): void {
    this.registration.dispose();
    this.waiters.clear();
  }
}

/** The next debug session of `type` that VS Code starts. */
export function nextSession(type: string, ms = WAIT_MS): Promise<vscode.DebugSession> {
  let sub: vscode.Disposable | undefined;
  const started = new Promise<vscode.DebugSession>((resolve) => {
    sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === type) resolve(s);
    });
  });
  return within(`a '${type}' debug session to start`, started, ms).finally(() => {
    sub?.dispose();
  });
}

/** Resolves when VS Code reports that `session` ended. */
export function sessionEnd(session: vscode.DebugSession, ms = WAIT_MS): Promise<void> {
  let sub: vscode.Disposable | undefined;
  const ended = new Promise<void>((resolve) => {
    sub = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id === session.id) resolve();
    });
  });
  return within(`debug session '${session.name}' to end`, ended, ms).finally(() => {
    sub?.dispose();
  });
}

/** The platform snapshot of the current stop, asked through VS Code's session. */
export async function snapshotOf(session: vscode.DebugSession): Promise<PlatformSnapshot> {
  const body = (await session.customRequest('ims/snapshot')) as { snapshot: PlatformSnapshot };
  return body.snapshot;
}

/**
 * The text of view `viewId` once it shows a snapshot taken at platform time `t` (the views'
 * description is `t = …`; the text itself has no time, so wait on a line `accept` needs).
 */
export function viewShowing(
  api: ImsDebugApi,
  viewId: string,
  accept: (text: string) => boolean,
  what: string,
): Promise<string> {
  return until(`the ${viewId} view to show ${what}`, () => {
    const text = api.viewText(viewId);
    return text !== undefined && accept(text) ? text : undefined;
  });
}

/** The lines of `text` without the change mark '*' views put before changed rows. */
export function plainLines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/^(\s*)\*/, '$1'));
}

/** `n` as the views print vectors and small registers: 0x followed by two hex digits. */
export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** A row of a view's text and the rows below it. */
export interface Row {
  /** The row as `label — description`, without indentation or change mark. */
  readonly text: string;
  readonly children: Row[];
}

/** Parses a view's text (two spaces of indentation per level) into rows. */
export function parseRows(text: string): Row[] {
  const roots: Row[] = [];
  const stack: { depth: number; row: Row }[] = [];
  for (const line of plainLines(text)) {
    const depth = (line.length - line.trimStart().length) / 2;
    const row: Row = { text: line.trim(), children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    (stack.length === 0 ? roots : stack[stack.length - 1]!.row.children).push(row);
    stack.push({ depth, row });
  }
  return roots;
}

/**
 * The row reached from `rows` by a path of row beginnings, one per level.
 * @throws Error naming the step that has no match and the rows there were at that level
 */
export function rowAt(rows: readonly Row[], ...path: string[]): Row {
  let level = rows;
  let found: Row | undefined;
  for (const [i, step] of path.entries()) {
    found = level.find((r) => r.text.startsWith(step));
    if (found === undefined) {
      const there = level.map((r) => `  ${r.text}`).join('\n');
      throw new Error(
        `no row "${step}" under ${path.slice(0, i).join(' → ') || 'the root'}:\n${there}`,
      );
    }
    level = found.children;
  }
  if (found === undefined) throw new Error('rowAt needs a path');
  return found;
}
