/**
 * Hit-count conditions of breakpoints, in the grammar VS Code debuggers share:
 * `(>|>=|=|==|===|<|<=|%)? N`. A bare `N` means `>= N` (break from the Nth hit on);
 * `%N` breaks on every Nth hit.
 */

const HIT_CONDITION = /^(>|>=|={1,3}|<|<=|%)?\s*([0-9]+)$/;

/** A predicate over the hit count (1 on the first hit). */
export type HitPredicate = (hits: number) => boolean;

/**
 * Parses `text`. Throws Error with a message that shows the grammar when it does not parse.
 */
export function parseHitCondition(text: string): HitPredicate {
  const m = HIT_CONDITION.exec(text.trim());
  if (m === null) {
    throw new Error(
      `invalid hit count "${text}": use a number with an optional operator >, >=, =, <, <= or % (e.g. ">5", "%2")`,
    );
  }
  const n = Number(m[2]);
  switch (m[1]) {
    case '>':
      return (h) => h > n;
    case '<':
      return (h) => h < n;
    case '<=':
      return (h) => h <= n;
    case '=':
    case '==':
    case '===':
      return (h) => h === n;
    case '%':
      return (h) => n > 0 && h % n === 0;
    default:
      return (h) => h >= n;
  }
}
