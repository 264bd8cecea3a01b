import { strict as assert } from 'node:assert';
import { parseLogMessage, renderLogMessage } from '../../../src/runtime/log-message';

const scope: Record<string, unknown> = { a: 1, b: 'two', irq: 33 };

/** Evaluates a bare name or throws like a ReferenceError. */
function evaluate(expr: string): unknown {
  const name = expr.trim();
  if (name === 'boom') throw new TypeError('x is not a function');
  if (name === 'raw') throw 'a string'; // eslint-disable-line @typescript-eslint/only-throw-error
  if (!(name in scope)) throw new ReferenceError(`${name} is not defined`);
  return scope[name];
}

const render = (msg: string): string =>
  renderLogMessage(parseLogMessage(msg), evaluate, (v) => `[${String(v)}]`);

describe('runtime: logpoint messages', () => {
  it('splits text and {expression} parts', () => {
    assert.deepEqual(parseLogMessage('irq {irq} on cpu {a}!'), [
      'irq ',
      { expr: 'irq' },
      ' on cpu ',
      { expr: 'a' },
      '!',
    ]);
    assert.deepEqual(parseLogMessage('{a}{b}'), [{ expr: 'a' }, { expr: 'b' }]);
    assert.deepEqual(parseLogMessage('plain'), ['plain']);
    assert.deepEqual(parseLogMessage(''), []);
  });

  it('renders each expression with the formatter, in place', () => {
    assert.equal(render('irq {irq} b={b}'), 'irq [33] b=[two]');
    assert.equal(render('{ a }'), '[1]');
  });

  it('reads {{ and }} as literal braces', () => {
    assert.deepEqual(parseLogMessage('{{a}}'), ['{a}']);
    assert.equal(render('set {{ {a} }}'), 'set { [1] }');
    assert.equal(render('{{{a}}}'), '{[1]}');
  });

  it('keeps an unterminated { and what follows as text', () => {
    assert.deepEqual(parseLogMessage('x = {a'), ['x = {a']);
    assert.equal(render('{a} then {b'), '[1] then {b');
  });

  it('shows the message of an expression that throws in place, and goes on', () => {
    assert.equal(render('a={a} c={c} b={b}'), 'a=[1] c=<c is not defined> b=[two]');
    assert.equal(render('{boom}'), '<x is not a function>');
    assert.equal(render('{raw}'), '<a string>');
  });
});
