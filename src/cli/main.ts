/**
 * The `ims-debug` command (the package's bin, bundled to dist/cli.js): parses the command line
 * and runs the model. Sets the process's exit status rather than calling `process.exit`, so
 * that piped output is flushed.
 */
import { version } from '../../package.json';
import { parseArgs } from './args';
import { paletteFor } from './colour';
import { EXIT_FAILURE } from './errors';
import { runCommand, type Terminal } from './run';
import { runSvd } from './svd';

/** Enough frames to reach the model's outermost frame through the kernel API's. */
Error.stackTraceLimit = 100;

/** A reader closing the pipe early (`ims-debug run … | head`) is not an error. */
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

function terminal(): Terminal {
  return {
    out: { write: (l) => process.stdout.write(l + '\n'), style: paletteFor(process.stdout) },
    err: { write: (l) => process.stderr.write(l + '\n'), style: paletteFor(process.stderr) },
    errStream: process.stderr,
  };
}

function main(): number {
  const parsed = parseArgs(process.argv, version, {
    writeOut: (s) => process.stdout.write(s),
    writeErr: (s) => process.stderr.write(s),
  });
  if ('exit' in parsed) return parsed.exit;
  try {
    if ('svd' in parsed) return runSvd(parsed.svd, terminal());
    return runCommand(parsed.run, terminal());
  } catch (err) {
    process.stderr.write(
      `internal error: ims-debug failed (this is a bug in ims-debug, not in the model)\n${
        err instanceof Error ? (err.stack ?? String(err)) : String(err)
      }\n`,
    );
    return EXIT_FAILURE;
  }
}

process.exitCode = main();
