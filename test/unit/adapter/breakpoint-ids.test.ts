import { strict as assert } from 'node:assert';
import { BreakpointIds } from '../../../src/adapter/breakpoint-ids';

const A = '/models/a.js';
const B = '/models/b.js';

describe('adapter: breakpoint ids', () => {
  it('numbers breakpoints from 1 and keeps a line’s id across setBreakpoints calls', () => {
    const ids = new BreakpointIds();
    const first = ids.specs(A, [{ line: 3 }, { line: 10 }]);
    assert.deepEqual(
      first.map((s) => [s.line, s.id]),
      [
        [3, 1],
        [10, 2],
      ],
    );
    // VS Code resends the whole set: line 10 stays 2, line 3 is gone, line 7 is new.
    const second = ids.specs(A, [{ line: 10 }, { line: 7 }]);
    assert.deepEqual(
      second.map((s) => [s.line, s.id]),
      [
        [10, 2],
        [7, 3],
      ],
    );
    // A line that comes back gets its old id.
    assert.equal(ids.specs(A, [{ line: 3 }])[0]!.id, 1);
  });

  it('gives the same line in another file its own id', () => {
    const ids = new BreakpointIds();
    const [a] = ids.specs(A, [{ line: 5 }]);
    const [b] = ids.specs(B, [{ line: 5 }]);
    assert.notEqual(a!.id, b!.id);
    assert.equal(ids.specs(B, [{ line: 5 }])[0]!.id, b!.id);
  });

  it('carries the column, condition, hit condition and log message', () => {
    const ids = new BreakpointIds();
    const [s] = ids.specs(A, [
      { line: 4, column: 9, condition: 'irq == 33', hitCondition: '%2', logMessage: 'x={x}' },
    ]);
    assert.deepEqual(s, {
      id: 1,
      line: 4,
      column: 9,
      condition: 'irq == 33',
      hitCondition: '%2',
      logMessage: 'x={x}',
    });
  });

  it('keeps the id when only the condition of a line changes', () => {
    const ids = new BreakpointIds();
    const [a] = ids.specs(A, [{ line: 4 }]);
    const [b] = ids.specs(A, [{ line: 4, condition: 'n > 2' }]);
    assert.equal(a!.id, b!.id);
    assert.equal(b!.condition, 'n > 2');
  });

  it('remembers each file’s last specs (replayed on restart)', () => {
    const ids = new BreakpointIds();
    ids.specs(A, [{ line: 1 }]);
    ids.specs(B, [{ line: 2 }]);
    ids.specs(A, []);
    assert.deepEqual(ids.byFile.get(A), []);
    assert.deepEqual(
      ids.byFile.get(B)!.map((s) => s.line),
      [2],
    );
  });
});
