/**
 * The custom request `ims/trace`: the session's interrupt timeline so far — the trace and the
 * CPUs' handler runs as Chrome/Perfetto trace events (src/platform/chrome-trace), answered as
 * `{ trace }`. The timeline view and the Export Interrupt Trace command ask for it.
 */
export const TRACE_REQUEST = 'ims/trace';
