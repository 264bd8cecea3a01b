/**
 * The command line, with commander: `ims-debug run <model> [--config <file>] [--cpus N]
 * [--json] [--verbose] [--dump] [--trace <file>]`, `--version`, `--help`. Parsing only; the run itself is run.ts's.
 * Usage errors are commander's messages, which name the option (`error: option '--cpus <n>'
 * argument 'x' is invalid. …`), and exit with status 2.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { MAX_CPUS, MAX_IR_UNITS } from '../platform/machine/config';
import { DSA_BDFS } from '../runtime/setup';
import { EXIT_OK, EXIT_USAGE } from './errors';
import type { RunRequest } from './run';
import type { SvdRequest } from './svd';

const EXAMPLES = `
Examples:
  $ ims-debug run examples/idxd-ims/driver.js
  $ ims-debug run examples/idxd-ims/driver.js --config os_profile.conf --cpus 2 --json > trace.jsonl
  $ ims-debug run examples/idxd-ims/driver.js --dump
  $ ims-debug run examples/idxd-ims/driver.js --trace timeline.json

Exit status: 0 on success; 1 when the model throws, does not parse, or breaks the trace's
conservation invariant, or the --trace file cannot be written; 2 for bad usage, options or
config file.`;

/** A commander parser for a whole number from `lo` to `hi`. */
export function wholeNumberIn(lo: number, hi: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < lo || n > hi)
      throw new InvalidArgumentError(`must be a whole number from ${lo} to ${hi}.`);
    return n;
  };
}

/** `--cpus`: a whole number from 1 to MAX_CPUS. */
export const parseCpus = wholeNumberIn(1, MAX_CPUS);

/** What parsing asks for: a run, or an exit with this status (help, version, usage error). */
export type Parsed = { run: RunRequest } | { svd: SvdRequest } | { exit: number };

/** Where commander writes help and errors. */
export interface ArgsOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Parses `argv` (as `process.argv`: node, script, args…).
 * @param version the version `--version` prints
 */
export function parseArgs(argv: readonly string[], version: string, output: ArgsOutput): Parsed {
  let request: RunRequest | undefined;
  let svd: SvdRequest | undefined;
  const program = new Command('ims-debug')
    .description(
      'Run driver models on an emulated Intel DSA / IMS / VT-d interrupt platform, headless.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXAMPLES);

  program
    .command('run')
    .summary('run a driver model headless and print its interrupt trace')
    .description(
      'Run a driver model headless: print the kernel log and every interrupt message with its ' +
        'path and outcome as they happen, then the irq domain tree (with --dump, the ' +
        '/sys/kernel/debug/irq files too) and a summary.',
    )
    .argument('<model>', 'the driver model (.js or .ts)')
    .option('--config <file>', 'accel-config file (default: accel-config.conf beside the model)')
    .option('--cpus <n>', `number of CPUs, 1 to ${MAX_CPUS} (default: 4)`, parseCpus)
    .option(
      '--devices <n>',
      `number of DSA devices, 1 to ${DSA_BDFS.length} (default: those the config names, at least 1)`,
      wholeNumberIn(1, DSA_BDFS.length),
    )
    .option(
      '--ir-units <n>',
      `number of VT-d IR units, 1 to ${MAX_IR_UNITS}; devices are split across them (default: 1)`,
      wholeNumberIn(1, MAX_IR_UNITS),
    )
    .option(
      '--dmar-fault-irq',
      'model the VT-d fault event interrupt: each IR unit gets its DMAR-MSI irq, as Linux sets ' +
        'it up at boot, and a recorded fault sends its fault event message to a CPU, where ' +
        'dmar_fault() runs (irq numbers shift by one per IR unit)',
    )
    .option('--json', 'stdout: one JSON object per interrupt event, nothing else')
    .option(
      '-v, --verbose',
      "more detail: each message's address/data and PASID, every irq in the tree; " +
        'with --json, the kernel log, tree and summary on stderr',
    )
    .option(
      '--dump',
      'after module init, when the domain tree is taken, also print every file of ' +
        '/sys/kernel/debug/irq (domains/* and irqs/*) as Linux v6.15 formats them, each ' +
        "after a '==> path <==' header as tail prints several files; with --json, on stderr",
    )
    .option(
      '--trace <file>',
      'when the run is over, write its interrupt timeline to <file> as Chrome/Perfetto trace ' +
        'events (ui.perfetto.dev, chrome://tracing): messages per device and MSI-X entry or IMS ' +
        'slot, remapping faults per IR unit, handler runs per CPU',
    )
    .addHelpText('after', EXAMPLES)
    .action(
      (
        model: string,
        opts: {
          config?: string;
          cpus?: number;
          devices?: number;
          irUnits?: number;
          dmarFaultIrq?: boolean;
          json?: boolean;
          verbose?: boolean;
          dump?: boolean;
          trace?: string;
        },
      ) => {
        request = {
          model,
          config: opts.config,
          cpus: opts.cpus,
          devices: opts.devices,
          irUnits: opts.irUnits,
          dmarFaultInterrupt: opts.dmarFaultIrq === true,
          json: opts.json === true,
          verbose: opts.verbose === true,
          dump: opts.dump === true,
          trace: opts.trace,
        };
      },
    );

  program
    .command('svd')
    .summary('write the CMSIS-SVD file of the DSA registers and IMS tables')
    .description(
      "Write the CMSIS-SVD description of the machine's DSA BAR0 registers and IMS tables, for " +
        'mcu-debug/peripheral-viewer (set the launch attribute svdPath to the file). The BAR ' +
        'addresses depend on the number of devices: give the same --config/--devices as the runs.',
    )
    .option('--config <file>', 'accel-config file (its dsa<N> entries decide the device count)')
    .option(
      '--devices <n>',
      `number of DSA devices, 1 to ${DSA_BDFS.length}`,
      wholeNumberIn(1, DSA_BDFS.length),
    )
    .option(
      '--ir-units <n>',
      `number of VT-d IR units, 1 to ${MAX_IR_UNITS}`,
      wholeNumberIn(1, MAX_IR_UNITS),
    )
    .option('-o, --out <file>', 'write to this file (default: stdout)')
    .action((opts: { config?: string; devices?: number; irUnits?: number; out?: string }) => {
      svd = { config: opts.config, devices: opts.devices, irUnits: opts.irUnits, out: opts.out };
    });

  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) return { exit: err.exitCode === 0 ? EXIT_OK : EXIT_USAGE };
    throw err;
  }
  if (svd !== undefined) return { svd };
  return request === undefined ? { exit: EXIT_USAGE } : { run: request };
}
