/**
 * The subset of the Trace Event Format (the JSON that Chrome's about:tracing and
 * ui.perfetto.dev load) that ims-debug writes. Times (`ts`, `dur`) are microseconds, fractional
 * for the simulated clock's nanoseconds; `displayTimeUnit` asks viewers to show ns.
 *
 * - `M` metadata: `process_name`, `process_sort_index`, `thread_name`, `thread_sort_index`;
 * - `X` complete events (a span: `ts` and `dur`);
 * - `i` instant events, thread-scoped (`s: 't'`);
 * - `s`/`f` flow events (same `id`, `cat` and `name`): from the slice that starts where the `s`
 *   is to the slice that encloses the `f` (`bp: 'e'`).
 */

/** Argument values a viewer shows in its details pane. */
export type ArgValue = string | number | boolean | null;
export type Args = Record<string, ArgValue>;

export interface MetadataEvent {
  ph: 'M';
  name: 'process_name' | 'process_sort_index' | 'thread_name' | 'thread_sort_index';
  pid: number;
  tid: number;
  args: { name: string } | { sort_index: number };
}

export interface CompleteEvent {
  ph: 'X';
  name: string;
  cat: string;
  pid: number;
  tid: number;
  ts: number;
  dur: number;
  args: Args;
}

export interface InstantEvent {
  ph: 'i';
  name: string;
  cat: string;
  pid: number;
  tid: number;
  ts: number;
  s: 't';
  args: Args;
}

export interface FlowEvent {
  ph: 's' | 'f';
  name: string;
  cat: string;
  id: number;
  pid: number;
  tid: number;
  ts: number;
  /** On `f`: bind to the enclosing slice (the handler that took the message). */
  bp?: 'e';
}

export type ChromeTraceEvent = MetadataEvent | CompleteEvent | InstantEvent | FlowEvent;

/** What the file says about itself (about:tracing shows it as metadata). */
export type OtherData = Record<string, string | number | boolean>;

/** A whole trace file. */
export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns';
  otherData: OtherData;
}
