/**
 * Loading an accel-config file from disk, for the run setup at launch. The platform's parser
 * (src/platform/accel-config) stays pure; reading files is the runtime's business.
 */
import { readFileSync } from 'node:fs';
import {
  AccelConfigError,
  parseAccelConfig,
  type AccelConfigResult,
  type DeviceCaps,
} from '../platform/accel-config';

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
