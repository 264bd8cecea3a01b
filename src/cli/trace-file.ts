/**
 * `ims-debug run --trace <file>`: the run's interrupt timeline written as a Chrome/Perfetto
 * trace file (src/platform/chrome-trace) once the run is over, for ui.perfetto.dev or
 * chrome://tracing. When the trace ring overwrote its oldest events the file says so in its
 * `otherData` and stderr says so too.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from '../platform/machine/machine';
import { machineChromeTrace } from '../platform/chrome-trace';
import type { Sink } from './run';

/**
 * Writes the timeline of `m` to `file`, telling `err` what it wrote. Returns false (having said
 * why, naming the file) when the file cannot be written.
 * @param show turns an absolute path into the one to print
 */
export function writeTraceFile(
  m: Machine,
  file: string,
  err: Sink,
  show: (file: string) => string,
): boolean {
  const trace = machineChromeTrace(m);
  const p = err.style;
  const shown = show(path.resolve(file));
  try {
    writeFileSync(file, JSON.stringify(trace) + '\n');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : '');
    const why = REASONS[reason] ?? (e instanceof Error ? e.message : String(e));
    err.write(`${p.red('error:')} --trace: cannot write ${shown}: ${why}`);
    return false;
  }
  const warning = trace.otherData.warning;
  if (typeof warning === 'string') err.write(`${p.yellow('warning:')} --trace: ${warning}`);
  const events = trace.traceEvents.filter((e) => e.ph !== 'M').length;
  err.write(
    `wrote the interrupt timeline to ${shown} (${events} trace events); open it in ` +
      'ui.perfetto.dev or chrome://tracing',
  );
  return true;
}

/** What the common errno codes mean for a file to be written. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such directory',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};
