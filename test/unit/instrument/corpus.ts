// Tricky JavaScript snippets: each logs what it computes through `log(...)` (and may set
// module.exports). Instrumented and plain runs must log the same.

export interface Snippet {
  name: string;
  source: string;
  /** Expect the run to end with this uncaught error message (both runs). */
  throws?: string;
}

export const CORPUS: Snippet[] = [
  {
    name: 'ASI traps: lines starting with ( [ and template literals',
    source: `let a = 1
let b = a
;(function () { log('iife') })()
;[1, 2].forEach(x => log(x))
const s = \`x\${a}\`
log(s)
const id = (x) => x
let d = id
(7)
log(d)
const t = id
\`tpl\`
log(t)
let u = a
++b
log([u, b])
`,
  },
  {
    name: 'if/else without braces, dangling else, else-if chains',
    source: `function f(a) { if (a) log('y'); else log('n') }
f(1); f(0)
if (true) if (false) log(1); else log(2)
function g(x) { if (x > 2) return 'big'
  else if (x > 1) return 'mid'
  else return 'small' }
log([g(3), g(2), g(1)])
for (const x of [1, 2]) if (x & 1) log('odd'); else log('even')
`,
  },
  {
    name: 'empty bodies of loops and functions',
    source: `let i = 0; while (i++ < 3); for (let j = 0; j < 2; j++) {} do ; while (i-- > 0)
log(i)
function e() {}
log(e())
const g = () => {}
log(g())
for (const k in { a: 1 }) {}
for (;;) { break }
while (i < 5) { { } i++ }
log(i)
function strictEmpty() { 'use strict' }
log(strictEmpty())
`,
  },
  {
    name: 'labeled break and continue',
    source: `outer: for (let i = 0; i < 3; i++) {
  inner: for (let j = 0; j < 3; j++) {
    if (j === 1) continue outer
    if (i === 2) break outer
    log([i, j])
  }
}
blk: { log('in'); break blk; log('never') }
lbl: if (true) { log('if'); break lbl }
a: b: for (const x of [1, 2, 3]) { if (x === 2) continue a; log(x) }
let n = 0
w: while (true) do { n++; if (n > 3) break w } while (true)
log(n)
`,
  },
  {
    name: 'switch with fallthrough, default in the middle, let in cases',
    source: `function s(v) {
  const out = []
  switch (v) {
    case 1: out.push(1)
    case 2: { out.push(2); break }
    default: out.push('d')
    case 3: let q = 3; out.push(q)
      break
    case 4:
  }
  return out
}
log([s(1), s(2), s(3), s(4), s(9)])
`,
  },
  {
    name: 'closures capturing loop variables',
    source: `const fs = []
for (let i = 0; i < 3; i++) fs.push(() => i)
for (var k = 0; k < 3; k++) fs.push(() => k)
for (const x of ['a', 'b']) fs.push(() => x)
for (const p in { m: 1, n: 2 }) { const q = p + '!'; fs.push(() => q) }
let c = 0
for (let i = 0; i < 2; i++) { let j = i * 10; fs.push(function () { return j + c++ }) }
log(fs.map(f => f()))
`,
  },
  {
    name: 'classes: super, getters, setters, statics, private members, fields',
    source: `class A {
  #secret = 7
  static count = 0
  field = () => this.#secret
  constructor(x) { this.x = x; A.count++ }
  get double() { return this.x * 2 }
  set double(v) { this.x = v / 2 }
  static make(x) { return new this(x) }
  #hidden() { return 'h' + this.x }
  reveal() { return this.#hidden() }
  ['comp' + 'uted']() { return 'c' }
  static { A.ready = true }
}
class B extends A {
  constructor(x, y) {
    const pre = x + 1
    super(pre)
    this.y = y
  }
  get double() { return super.double + 1 }
  reveal() { return 'B:' + super.reveal() }
}
class C extends B {}
const b = new B(1, 2)
log([b.x, b.y, b.double, b.reveal(), b.field(), b.computed(), A.count, A.ready])
b.double = 10
log(b.x)
log(new C(3, 4).double)
log(A.make(5).x)
const Anon = class { m() { return 'anon' } }
log(new Anon().m())
class R { constructor() { return { r: 1 } } }
log(new R())
`,
  },
  {
    name: 'parameters: defaults referencing earlier ones, destructuring, rest, arguments',
    source: `function f(a, b = a + 1, { c, d: [e = b] = [] } = {}, ...rest) { return [a, b, c, e, rest] }
log(f(1))
log(f(1, 5, { c: 3, d: [] }, 8, 9))
function g() { return arguments.length + ':' + [].slice.call(arguments).join() }
log(g(1, 2, 3))
function h(a) { arguments[0] = 9; return a }
log(h(1))
function k(a) { 'use strict'; arguments[0] = 9; return a }
log(k(1))
const arrow = (x, y = () => x) => y()
log(arrow(4))
function callsDefault(a, b = () => a) { var a = 2; return [a, b()] }
log(callsDefault(1))
`,
  },
  {
    name: 'this in arrows, object methods, super in object literals, new.target',
    source: `const o = { v: 1, m() { return [1].map(() => this.v) }, get g() { return this.v + 1 } }
log([o.m(), o.g])
const base = { hi() { return 'base' } }
const child = { __proto__: base, hi() { return 'child>' + super.hi() } }
log(child.hi())
function T() { return new.target === T }
log([new T() instanceof T, T()])
const bound = function () { return this }.call(5)
log(typeof bound)
`,
  },
  {
    name: 'hoisting: functions, var, Annex B block functions, TDZ',
    source: `log(early())
function early() { return 'early' }
log(typeof hv)
var hv = 1
log(hv)
{ function inBlock() { return 'block' } }
log(typeof inBlock === 'function' ? inBlock() : 'none')
try { log(tz) } catch (e) { log(e.name) }
let tz = 1
function inner() { log(typeof later); var later = 2; return later }
log(inner())
function shadow(x) { function x() { return 'fn' } return typeof x }
log(shadow(1))
`,
  },
  {
    name: 'var and function of one name (body cannot be wrapped)',
    source: `var dup = 1
function dup() { return 'f' }
log(typeof dup)
function outer() { 'use strict'; function d() { return 1 } function d() { return 2 } return d() }
log(outer())
function mixed() { if (true) { var m = 1 } function m() {} return m }
log(mixed())
`,
  },
  {
    name: 'generators and async functions',
    source: `function* gen(n) { for (let i = 0; i < n; i++) { yield i } return 'done' }
log([...gen(3)])
const it = gen(1); log([it.next(), it.next()])
const obj = { *g() { yield* [1, 2] } }
log([...obj.g()])
async function af(x) { const y = await x; if (y) return y * 2; else throw new Error('no') }
const aa = async (x) => (await af(x)) + 1
async function* ag() { yield 1; yield 2 }
module.exports = (async () => {
  const out = [await af(2), await aa(3)]
  try { await af(0) } catch (e) { out.push(e.message) }
  for await (const v of ag()) out.push(v)
  return out
})()
`,
  },
  {
    name: 'exceptions: nested try, finally, rethrow, finally that returns',
    source: `function thrower(m) { throw new Error(m) }
function a() { try { thrower('x') } catch (e) { return 'caught ' + e.message } finally { log('fin a') } }
log(a())
function b() { try { return 'try' } finally { log('fin b') } }
log(b())
function c() { try { thrower('y') } finally { return 'swallowed' } }
log(c())
function d() { try { try { thrower('in') } finally { log('inner fin') } } catch (e) { return 'outer ' + e.message } }
log(d())
function e() { try { thrower('re') } catch (err) { throw new Error('wrapped ' + err.message) } }
try { e() } catch (x) { log(x.message) }
function f() { for (const i of [1, 2, 3]) { try { if (i === 2) continue; if (i === 3) break; log(i) } catch {} } return 'f' }
log(f())
try { null.x } catch ({ name }) { log(name) }
`,
  },
  {
    name: 'arrows: object bodies, sequences, next-line bodies, nested arrows',
    source: `const obj = () => ({ a: 1 })
const seq = (x) => (x++, x * 2)
const nl = x =>
  x + 1
const curry = a => b => c => a + b + c
const cond = x => x ? { y: x } : null
log([obj(), seq(1), nl(1), curry(1)(2)(3), cond(0), cond(2)])
const asyncArrow = async () => 1
log(typeof asyncArrow().then)
const inArgs = [3, 1, 2].sort((p, q) => p - q)
log(inArgs)
`,
  },
  {
    name: 'comments, regexes, strings that look like code',
    source: `// leading comment
const re = /\\/}\\{/g // trailing comment
log('a/}{b'.replace(re, '-')) /* block */
const str = '{ __h(1); }'
log(str)
function withComment() { return 1 // one
}
log(withComment())
const tpl = \`multi
line \${'template'}
\`
log(tpl)
`,
  },
  {
    name: 'with, eval, top-level return',
    source: `var scope = { wx: 5 }
with (scope) log(wx)
with (scope) { wx = 6 }
log(scope.wx)
var ev = 1
log(eval('ev + 1'))
function evalLocal(q) { return eval('q * 3') }
log(evalLocal(2))
log('before return')
return
log('after return')
`,
  },
  {
    name: 'recursion and mutual recursion',
    source: `function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
const isEven = (n) => n === 0 ? true : isOdd(n - 1)
const isOdd = (n) => n === 0 ? false : isEven(n - 1)
log([fact(10), isEven(10), isOdd(7)])
`,
  },
  {
    name: 'uncaught error at top level',
    source: `log('start')
function fail() { null.boom }
fail()
log('never')
`,
    throws: 'TypeError',
  },
  {
    name: 'object literal methods with odd keys and accessors',
    source: `const k = 'dyn'
const o = { 'a-b'() { return 1 }, 2() { return 2 }, [k]() { return 3 }, get [k + 'G']() { return 4 }, set s(v) { this._s = v } }
o.s = 5
log([o['a-b'](), o[2](), o.dyn(), o.dynG, o._s])
`,
  },
  {
    name: 'hashbang and use strict directive without semicolon',
    source: `#!/usr/bin/env node
'use strict'
log(typeof this)
function f() { return this }
log(f())
`,
  },
];
