/**
 * Test helpers for the accel-config loader: where the example and fixture files are, and
 * checking a text to a list of formatted diagnostics.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  checkAccelConfig,
  formatDiagnostic,
  type DeviceCaps,
} from '../../../src/platform/accel-config';

/** The real accel-config files (intel/idxd-config's contrib/configs), carried in the repository. */
export const EXAMPLES_DIR = resolve(__dirname, '../../fixtures/accel-config/idxd-config');

/** Our own (mostly invalid) files. */
export const FIXTURES_DIR = resolve(__dirname, '../../fixtures/accel-config');

/** The text of a fixture file. */
export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES_DIR, name), 'utf8');
}

/** Every diagnostic for `text`, formatted, in file order. */
export function diagnose(text: string, file = 't.conf', caps?: Partial<DeviceCaps>): string[] {
  return checkAccelConfig(text, file, caps).diagnostics.map(formatDiagnostic);
}

/** The marker `marked` looks for. */
const MARK = '⟨';

/**
 * Strips the `⟨` markers from `source` and returns the text with the `line:column` of each
 * marker, so a test can say exactly where it expects a diagnostic.
 */
export function marked(source: string): { text: string; at: string[] } {
  const at: string[] = [];
  let text = '';
  let line = 1;
  let column = 1;
  for (const ch of source) {
    if (ch === MARK) {
      at.push(`${line}:${column}`);
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { text, at };
}

/** A one-device file with the given groups (JSON text, pasted in as is). */
export function oneDevice(groups: string, extra = ''): string {
  return `[{"dev":"dsa0",${extra}\n"groups":[${groups}]}]`;
}
