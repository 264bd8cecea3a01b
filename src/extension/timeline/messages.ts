/**
 * The messages between the extension and the timeline webview. Free of VS Code and of the DOM:
 * both sides import it.
 */
import type { ChromeTrace } from '../../platform/chrome-trace/format';

/** The trace a `trace` message carries. */
export function traceOf(m: { data: Uint8Array }): ChromeTrace {
  return JSON.parse(new TextDecoder().decode(m.data)) as ChromeTrace;
}

/** What the session is doing, as the panel's status line says it. */
export type TimelinePhase = 'none' | 'starting' | 'stopped' | 'running' | 'ended';

/** Extension → webview. */
export type ToWebview =
  | {
      type: 'trace';
      /** The session's name. */
      session: string;
      /** Counts the traces posted to this panel: the webview acknowledges each one. */
      serial: number;
      /**
       * The Chrome trace as UTF-8 JSON: VS Code hands typed arrays to the webview as they are,
       * where an object would be serialised and copied (a full trace ring is tens of MB).
       */
      data: Uint8Array;
    }
  | { type: 'status'; phase: TimelinePhase; text: string };

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  /** A trace was drawn: what the timeline shows of it. */
  | { type: 'rendered'; serial: number; tracks: number; items: number; flows: number }
  /** The Export button. */
  | { type: 'export' };

/** Checks a message from the webview (which is not trusted to send the right shape). */
export function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready' || t === 'export') return true;
  if (t !== 'rendered') return false;
  const r = m as Record<string, unknown>;
  return ['serial', 'tracks', 'items', 'flows'].every((k) => typeof r[k] === 'number');
}
