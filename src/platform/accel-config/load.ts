/**
 * Loading an accel-config file from disk, for the machine builder at launch. This is the one
 * place of the module that does I/O; parsing itself (parse.ts) stays pure.
 */
import { readFileSync } from 'node:fs';
import type { DeviceCaps } from './caps';
import { AccelConfigError } from './diagnostics';
import { parseAccelConfig, type AccelConfigResult } from './parse';

/**
 * Reads `path` (UTF-8) and parses it like parseAccelConfig; diagnostics name the file by `path`
 * as given. Throws AccelConfigError for an unreadable file (`path:1:1: cannot read: …`) as for
 * an invalid one.
 */
export function loadAccelConfig(path: string, caps?: Partial<DeviceCaps>): AccelConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AccelConfigError([
      {
        severity: 'error',
        file: path,
        line: 1,
        column: 1,
        offset: 0,
        length: 0,
        place: '',
        message: `cannot read the file: ${reason}`,
      },
    ]);
  }
  return parseAccelConfig(text, path, caps);
}
