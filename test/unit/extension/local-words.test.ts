import { strict as assert } from 'node:assert';
import { localWords } from '../../../src/extension/inline/local-words';

const NAMES = new Set(['idxd', 'wq', 'stat', 'rest']);

describe('extension: the words of locals on the lines before a stop', () => {
  it('finds each local once per line with its columns', () => {
    assert.deepEqual(
      localWords([{ line: 9, text: '  const stat = idxd_cmd_exec(idxd, wq.id, idxd.x);' }], NAMES),
      [
        { line: 9, start: 8, end: 12, name: 'stat' },
        { line: 9, start: 29, end: 33, name: 'idxd' },
        { line: 9, start: 35, end: 37, name: 'wq' },
      ],
    );
  });

  it('skips member names, strings and comments, not spreads', () => {
    assert.deepEqual(
      localWords(
        [
          { line: 0, text: 'dev_err(x.idxd, \'wq%d stat\', `idxd`, "rest") // wq' },
          { line: 1, text: 'f(...rest)' },
        ],
        NAMES,
      ).map((w) => [w.line, w.name]),
      [[1, 'rest']],
    );
  });

  it('stops at the limit', () => {
    const lines = Array.from({ length: 10 }, (_, line) => ({ line, text: 'idxd + wq' }));
    assert.equal(localWords(lines, NAMES, 5).length, 5);
  });
});
