/**
 * `ims-debug svd`: writes the CMSIS-SVD description of the machine's DSA registers and IMS
 * tables (what mcu-debug/peripheral-viewer reads). The BAR addresses depend on the number of
 * devices, so it takes the same machine options as `run`.
 */
import { writeFileSync } from 'node:fs';
import { machineSvd } from '../platform/svd';
import { buildMachine } from '../runtime/setup';
import { EXIT_OK, setupFailure } from './errors';
import type { Terminal } from './run';

export interface SvdRequest {
  config?: string | undefined;
  devices?: number | undefined;
  irUnits?: number | undefined;
  /** Output file; stdout when absent. */
  out?: string | undefined;
}

/** Writes the SVD; a bad option or config file is a usage error (exit 2) naming it. */
export function runSvd(req: SvdRequest, term: Terminal): number {
  let machine;
  try {
    machine = buildMachine({
      config: req.config,
      devices: req.devices,
      irUnits: req.irUnits,
    }).machine;
  } catch (err) {
    const failure = setupFailure(err, (f) => f, term.err.style);
    if (failure === undefined) throw err;
    for (const l of failure.lines) term.err.write(l);
    return failure.exitCode;
  }
  const xml = machineSvd(machine);
  if (req.out === undefined) term.out.write(xml.replace(/\n$/, ''));
  else {
    writeFileSync(req.out, xml);
    term.err.write(`wrote ${req.out}`);
  }
  return EXIT_OK;
}
