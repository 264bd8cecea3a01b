/**
 * Golden transcripts: a view rendered as text is compared with a checked-in file. The platform
 * is deterministic, so the text is exact. `UPDATE_GOLDEN=1` rewrites the files.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DIR = path.join(__dirname, 'golden');

/** Asserts that `text` equals golden file `name` (rewriting it under UPDATE_GOLDEN=1). */
export function assertGolden(name: string, text: string): void {
  const file = path.join(DIR, `${name}.golden.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    writeFileSync(file, text + '\n');
    if (process.env.UPDATE_GOLDEN !== '1')
      assert.fail(`${name}: golden file written; check and commit it`);
    return;
  }
  assert.equal(text + '\n', readFileSync(file, 'utf8'), `${name} differs from ${file}`);
}
