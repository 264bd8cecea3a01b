// A fast-check generator of small, terminating JavaScript programs that exercise the
// constructs the instrumenter rewrites: bodies without braces, ASI at line starts, labels,
// switch fallthrough, try/catch/finally, closures over loop bindings, nested functions.

import fc from 'fast-check';

const VARS = ['v0', 'v1', 'v2'] as const;
const v = fc.constantFrom(...VARS);
const n = fc.integer({ min: 0, max: 4 });
/** Suffix that keeps generated binding names apart. */
const tag = fc.integer({ min: 0, max: 999 });

const expr = fc.oneof(
  n.map(String),
  v,
  fc.tuple(v, n).map(([a, b]) => `${a} + ${b}`),
  fc.tuple(v, v).map(([a, b]) => `${a} * ${b} % 7`),
  v.map((a) => `\`t\${${a}}\``),
  fc.tuple(v, n).map(([a, b]) => `((q) => q + ${b})(${a})`),
);
const cond = fc.oneof(
  fc.tuple(v, n).map(([a, b]) => `${a} > ${b}`),
  v.map((a) => `${a} % 2 === 0`),
);
/** How a statement ends: explicit semicolon, or a newline that ASI has to handle. */
const end = fc.constantFrom(';', ';\n', '\n');
const gap = fc.constantFrom(' ', '\n', '\n  ');

/** Closes a body before `else`/`while` (a trailing `;` or `}` already does). */
const closed = (body: string): string => {
  const t = body.trimEnd();
  return t.endsWith(';') || t.endsWith('}') ? t : `${t};`;
};

/** Single statements (usable as an unbraced body). */
const leaf = fc.oneof(
  fc.tuple(expr, end).map(([e, t]) => `log(${e})${t}`),
  fc.tuple(v, expr, end).map(([a, e, t]) => `${a} = ${e}${t}`),
  fc.tuple(v, end).map(([a, t]) => `${a}++${t}`),
  fc.tuple(cond, v).map(([c, a]) => `if (${c}) throw new Error('e' + ${a});\n`),
  fc.constant('while (false);\n'),
  fc.constant(';\n'),
);

/** Statements written in the semicolon-less style: each guards its line start with `;`. */
const asiGuarded = fc.oneof(
  fc.tuple(expr, expr).map(([a, b]) => `;[${a}, ${b}].forEach((q) => log(q))\n`),
  fc.tuple(v, end).map(([a, t]) => `;(${a} += 1)${t}`),
);

const { stmt } = fc.letrec<{ stmt: string; stmts: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(cond, tie('stmt')).map(([c, s]) => `if (${c}) ${s}`),
    fc
      .tuple(cond, tie('stmt'), gap, tie('stmt'))
      .map(([c, a, g, b]) => `if (${c}) ${closed(a)}${g}else ${b}`),
    fc.tuple(tag, tie('stmt')).map(([t, s]) => `for (let i${t} = 0; i${t} < 3; i${t}++) ${s}`),
    fc
      .tuple(tag, tie('stmts'))
      .map(
        ([t, s]) =>
          `for (let i${t} = 0; i${t} < 2; i${t}++) { const c${t} = i${t}; fs.push(() => c${t} + i${t}); ${s} }\n`,
      ),
    fc.tuple(tag, expr, tie('stmts')).map(([t, e, s]) => `{ let b${t} = ${e}; ${s} log(b${t}) }\n`),
    fc
      .tuple(tag, tie('stmts'), cond)
      .map(
        ([t, s, c]) =>
          `L${t}: for (const x${t} of [1, 2, 3]) {\n  if (x${t} === 2) continue L${t}\n  ${s}\n  if (${c}) break L${t}\n}\n`,
      ),
    fc
      .tuple(v, tie('stmts'), tie('stmt'), tie('stmts'))
      .map(
        ([a, s1, s2, s3]) =>
          `switch (${a} % 3) {\n  case 0: ${s1}\n  case 1: ${s2} break\n  default: ${s3}\n}\n`,
      ),
    fc
      .tuple(tag, tie('stmts'))
      .map(
        ([t, s]) =>
          `try { ${s} } catch (e${t}) { log('c' + e${t}.message) } finally { log('f${t}') }\n`,
      ),
    fc.tuple(tie('stmts')).map(([s]) => `try { ${s} } finally { log('g') }\n`),
    fc.tuple(tag, v, tie('stmts')).map(([t, a, s]) => `void function (a${t} = ${a}) { ${s} }()\n`),
    fc
      .tuple(tag, expr, tie('stmts'))
      .map(([t, e, s]) => `log(((p${t}) => { ${s} return p${t} })(${e}))\n`),
    fc.tuple(tie('stmt')).map(([s]) => `do ${closed(s)} while (false)\n`),
    fc.tuple(tag, tie('stmts')).map(([t, s]) => `{ function f${t}() { ${s} }\nf${t}() }\n`),
    fc
      .tuple(v)
      .map(
        ([a]) =>
          `log(new (class { constructor(z) { this.z = z } get w() { return this.z * 2 } })(${a}).w)\n`,
      ),
  ),
  stmts: fc.array(fc.oneof(tie('stmt'), asiGuarded), { maxLength: 3 }).map((l) => l.join('')),
}));

/** A whole program: three counters, a list of closures, statements, then the closures' values. */
export const program = fc
  .array(fc.oneof(stmt, asiGuarded), { minLength: 1, maxLength: 5 })
  .map(
    (list) =>
      `var v0 = 1, v1 = 2, v2 = 3\nconst fs = []\n${list.join('')}\nlog(fs.map((f) => f()))\n`,
  );
