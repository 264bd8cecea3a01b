/**
 * Parsing an accel-config file's text into normalized device configurations — pure: no file
 * access, so tests and the extension can pass text directly.
 *
 * Stages, each stopping the next when it finds an error: JSON syntax (jsonc-parser, trailing
 * commas and comments allowed as json-c allows them) → schema (ajv) → structure (names, ids,
 * group membership) → semantics against the device's capabilities → build with Linux defaults.
 */
import { resolveCaps, type DeviceCaps } from './caps';
import { buildDevice } from './build';
import { checkDevice } from './checks-device';
import { AccelConfigError, type Diagnostic } from './diagnostics';
import type { DeviceConfig } from './model';
import { parseSource, Reporter, SourceText } from './source';
import { collectDevices } from './structure';
import { validateSchema } from './validate-schema';

/** What checking a file found: the devices (only when there was no error) and every finding. */
export interface AccelConfigCheck {
  readonly devices: readonly DeviceConfig[] | undefined;
  /** Errors and warnings, in file order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The loaded devices and the warnings found on the way. */
export interface AccelConfigResult {
  readonly devices: readonly DeviceConfig[];
  readonly warnings: readonly Diagnostic[];
}

/**
 * Checks `text` (the content of `fileName`, which only names it in diagnostics) against a device
 * with `caps` (SPR DSA defaults for what is left out). Never throws for bad input.
 */
export function checkAccelConfig(
  text: string,
  fileName: string,
  caps?: Partial<DeviceCaps>,
): AccelConfigCheck {
  const full = resolveCaps(caps);
  const report = new Reporter(new SourceText(fileName, text));
  let devices: DeviceConfig[] | undefined;
  const root = parseSource(report.source, report);
  if (root !== undefined && validateSchema(root, report)) {
    const refs = collectDevices(root, full, report);
    if (!report.hasErrors()) {
      for (const ref of refs) checkDevice(ref, full, report);
      if (!report.hasErrors()) devices = refs.map((ref) => buildDevice(ref, full));
    }
  }
  const diagnostics = [...report.diagnostics].sort((a, b) => a.offset - b.offset);
  return { devices, diagnostics };
}

/**
 * Parses and validates `text`; returns the normalized devices and the warnings.
 * Throws AccelConfigError listing every error (`file:line:column: place: "field": message`).
 */
export function parseAccelConfig(
  text: string,
  fileName: string,
  caps?: Partial<DeviceCaps>,
): AccelConfigResult {
  const { devices, diagnostics } = checkAccelConfig(text, fileName, caps);
  if (devices === undefined) throw new AccelConfigError(diagnostics);
  return { devices, warnings: diagnostics.filter((d) => d.severity === 'warning') };
}
