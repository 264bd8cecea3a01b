import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { SiteInfo } from '../../../../src/runtime/instrument';
import type { BreakpointSpec } from '../../../../src/runtime/protocol';
import { Breakpoints } from '../../../../src/runtime/worker/breakpoints';

const FILE = path.resolve('models', 'driver.js');
const OTHER = path.resolve('models', 'helper.js');

/** A statement site as the instrumenter describes it. */
const site = (id: number, line: number, column: number): SiteInfo => ({
  id,
  line,
  column,
  fid: 0,
  depth: -1,
  scope: -1,
  kind: 'statement',
});

/**
 * driver.js: line 1 one statement; line 2 blank; line 3 two statements (the first at column 2,
 * listed second); line 5 one; line 8 one.
 */
const SITES: SiteInfo[] = [
  site(0, 1, 0),
  site(1, 3, 10),
  site(2, 3, 2),
  site(3, 5, 0),
  site(4, 8, 4),
];
/** helper.js: sites 5 and 6. */
const HELPER: SiteInfo[] = [site(5, 1, 0), site(6, 2, 0)];

const bp = (id: number, line: number, extra: Partial<BreakpointSpec> = {}): BreakpointSpec => ({
  id,
  line,
  ...extra,
});

/** A Breakpoints over 16 site bytes, with driver.js and helper.js loaded. */
function loaded(): { bps: Breakpoints; bytes: Uint8Array } {
  const bytes = new Uint8Array(16);
  const bps = new Breakpoints(bytes);
  bps.fileLoaded(FILE, SITES);
  bps.fileLoaded(OTHER, HELPER);
  return { bps, bytes };
}

const setBytes = (bytes: Uint8Array): number[] =>
  [...bytes].flatMap((b, i) => (b !== 0 ? [i] : []));

/** Reaches `site` with a scope of plain names; collects reported errors. */
function reach(bps: Breakpoints, id: number, scope: Record<string, unknown> = {}) {
  const errors: string[] = [];
  const action = bps.reached(
    id,
    (expr) => {
      if (expr in scope) return scope[expr];
      // Conditions like `n > 2` over the scope's names.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- test conditions
      const fn = new Function(...Object.keys(scope), `return (${expr});`) as (
        ...a: unknown[]
      ) => unknown;
      return fn(...Object.values(scope));
    },
    (v) => `<${String(v)}>`,
    (msg) => errors.push(msg),
  );
  return { action, errors };
}

/** 'stop' when the action stops, else 'log' when it logs, else 'none'. */
function kindOf(a: { logs: string[]; stopIds: number[] }): 'stop' | 'log' | 'none' {
  return a.stopIds.length > 0 ? 'stop' : a.logs.length > 0 ? 'log' : 'none';
}

describe('runtime/worker: line breakpoints', () => {
  it('keeps breakpoints of a file not loaded yet unverified, and binds them on load', () => {
    const bytes = new Uint8Array(16);
    const bps = new Breakpoints(bytes);
    const before = bps.set(FILE, [bp(1, 1), bp(2, 5)]);
    assert.deepEqual(
      before.map((r) => [r.id, r.verified]),
      [
        [1, false],
        [2, false],
      ],
    );
    assert.match(before[0]!.message!, /not loaded this file/);
    assert.deepEqual(setBytes(bytes), []);
    const after = bps.fileLoaded(FILE, SITES);
    assert.deepEqual(after, [
      { id: 1, verified: true, line: 1, column: 1 },
      { id: 2, verified: true, line: 5, column: 1 },
    ]);
    assert.deepEqual(setBytes(bytes), [0, 3]);
  });

  it('announces nothing when a file without breakpoints loads', () => {
    const bps = new Breakpoints(new Uint8Array(16));
    assert.equal(bps.fileLoaded(FILE, SITES), undefined);
  });

  it('binds to the first statement on the line (by column), reported 1-based', () => {
    const { bps, bytes } = loaded();
    assert.deepEqual(bps.set(FILE, [bp(1, 3)]), [{ id: 1, verified: true, line: 3, column: 3 }]);
    assert.deepEqual(setBytes(bytes), [2]);
  });

  it('binds a line without a statement to the next line that has one, and says which', () => {
    const { bps, bytes } = loaded();
    const [r] = bps.set(FILE, [bp(1, 2)]);
    assert.deepEqual(r, { id: 1, verified: true, line: 3, column: 3 });
    const [r6] = bps.set(FILE, [bp(2, 6)]);
    assert.equal(r6!.line, 8);
    assert.deepEqual(setBytes(bytes), [4]);
  });

  it('leaves a breakpoint after the last statement unverified', () => {
    const { bps, bytes } = loaded();
    const [r] = bps.set(FILE, [bp(1, 9)]);
    assert.deepEqual(r, {
      id: 1,
      verified: false,
      line: 9,
      message: 'no statement on or after this line',
    });
    assert.deepEqual(setBytes(bytes), []);
  });

  it('replaces a file’s set: old sites’ bytes clear, other files’ stay', () => {
    const { bps, bytes } = loaded();
    bps.set(FILE, [bp(1, 1), bp(2, 3)]);
    bps.set(OTHER, [bp(3, 2)]);
    assert.deepEqual(setBytes(bytes), [0, 2, 6]);
    bps.set(FILE, [bp(4, 5)]);
    assert.deepEqual(setBytes(bytes), [3, 6]);
    assert.deepEqual(reach(bps, 0).action, { logs: [], stopIds: [] });
    bps.set(FILE, []);
    assert.deepEqual(setBytes(bytes), [6]);
  });

  it('matches files by their resolved path', () => {
    const { bps, bytes } = loaded();
    bps.set(path.join(path.dirname(FILE), '.', '..', 'models', 'driver.js'), [bp(1, 5)]);
    assert.deepEqual(setBytes(bytes), [3]);
  });

  it('stops at a bound site with the breakpoint’s id; other sites do nothing', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(7, 5)]);
    assert.deepEqual(reach(bps, 3).action, { logs: [], stopIds: [7] });
    assert.deepEqual(reach(bps, 0).action, { logs: [], stopIds: [] });
  });

  it('stops when the condition is truthy, not when falsy', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 5, { condition: 'irq === 33' })]);
    assert.deepEqual(reach(bps, 3, { irq: 33 }).action, { logs: [], stopIds: [1] });
    assert.deepEqual(reach(bps, 3, { irq: 34 }).action, { logs: [], stopIds: [] });
    bps.set(FILE, [bp(1, 5, { condition: 'name' })]);
    assert.deepEqual(reach(bps, 3, { name: '' }).action, { logs: [], stopIds: [] });
    bps.set(FILE, [bp(1, 5, { condition: '  ' })]);
    assert.deepEqual(reach(bps, 3).action.stopIds, [1], 'a blank condition is no condition');
  });

  it('stops when the condition throws, and reports why', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 5, { condition: 'nosuch.field' })]);
    const { action, errors } = reach(bps, 3);
    assert.deepEqual(action, { logs: [], stopIds: [1] });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^breakpoint condition "nosuch.field" threw: .*nosuch/);
  });

  it('counts hits for a hit condition: "2" from the second hit on, "%2" every second', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 1, { hitCondition: '2' }), bp(2, 5, { hitCondition: '%2' })]);
    const at = (s: number): string[] => [1, 2, 3, 4].map(() => kindOf(reach(bps, s).action));
    assert.deepEqual(at(0), ['none', 'stop', 'stop', 'stop']);
    assert.deepEqual(at(3), ['none', 'stop', 'none', 'stop']);
  });

  it('counts only the hits whose condition holds', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 5, { condition: 'n % 2 === 0', hitCondition: '=2' })]);
    const kinds = [1, 2, 3, 4, 5, 6].map((n) => kindOf(reach(bps, 3, { n }).action));
    assert.deepEqual(kinds, ['none', 'none', 'none', 'stop', 'none', 'none']);
  });

  it('restarts the hit count when the file’s set is replaced', () => {
    const { bps } = loaded();
    const spec = bp(1, 5, { hitCondition: '=1' });
    bps.set(FILE, [spec]);
    assert.equal(kindOf(reach(bps, 3).action), 'stop');
    bps.set(FILE, [spec]);
    assert.equal(kindOf(reach(bps, 3).action), 'stop');
  });

  it('refuses an invalid hit condition: unverified, with the grammar', () => {
    const { bps, bytes } = loaded();
    const [r] = bps.set(FILE, [bp(1, 5, { hitCondition: 'often' })]);
    assert.equal(r!.verified, false);
    assert.equal(r!.line, 5);
    assert.match(r!.message!, /invalid hit count "often".*>, >=, =, <, <= or %/);
    assert.deepEqual(setBytes(bytes), []);
  });

  it('logs a logpoint’s message instead of stopping', () => {
    const { bps } = loaded();
    const spec = bp(1, 5, { logMessage: 'irq {irq} on {cpu}' });
    bps.set(FILE, [spec]);
    const { action } = reach(bps, 3, { irq: 33, cpu: 2 });
    assert.deepEqual(action, { logs: ['irq <33> on <2>'], stopIds: [] });
  });

  it('applies conditions and hit conditions to logpoints too', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 5, { logMessage: 'x', condition: 'ok', hitCondition: '%2' })]);
    const kinds = [true, true, false, true].map((ok) => kindOf(reach(bps, 3, { ok }).action));
    assert.deepEqual(kinds, ['none', 'log', 'none', 'none']);
  });

  it('stops once for several breakpoints bound to one site, naming each', () => {
    const { bps, bytes } = loaded();
    const r = bps.set(FILE, [bp(1, 2), bp(2, 3)]);
    assert.deepEqual(
      r.map((x) => x.line),
      [3, 3],
    );
    assert.deepEqual(reach(bps, 2).action, { logs: [], stopIds: [1, 2] });
    bps.set(FILE, [bp(2, 3)]);
    assert.deepEqual(setBytes(bytes), [2], 'the site stays armed for the one left');
    assert.deepEqual(reach(bps, 2).action, { logs: [], stopIds: [2] });
  });

  it('stops for the breakpoints on a site whose condition holds, only', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 2, { condition: 'false' }), bp(2, 3, { condition: 'true' })]);
    assert.deepEqual(reach(bps, 2).action, { logs: [], stopIds: [2] });
  });
});

describe('runtime/worker: a logpoint sharing a site with other breakpoints', () => {
  it('stops for a breakpoint bound to the same site and still logs the logpoint', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 2, { logMessage: 'passing' }), bp(2, 3)]);
    assert.deepEqual(reach(bps, 2).action, { logs: ['passing'], stopIds: [2] });
  });

  it('logs every logpoint on the site, one line each', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 2, { logMessage: 'a={a}' }), bp(2, 3, { logMessage: 'b' })]);
    assert.deepEqual(reach(bps, 2, { a: 1 }).action, { logs: ['a=<1>', 'b'], stopIds: [] });
  });

  it('counts the hits of the breakpoints after a logpoint', () => {
    const { bps } = loaded();
    bps.set(FILE, [bp(1, 2, { logMessage: 'x' }), bp(2, 3, { hitCondition: '=2' })]);
    assert.deepEqual(reach(bps, 2).action, { logs: ['x'], stopIds: [] });
    assert.deepEqual(reach(bps, 2).action, { logs: ['x'], stopIds: [2] });
  });
});
