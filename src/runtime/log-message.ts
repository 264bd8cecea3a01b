/**
 * Logpoint messages: text with `{expression}` parts evaluated in the stopped frame. `{{` and `}}`
 * stand for literal braces. An expression that throws shows its error in place.
 */

/** Splits a log message into literal text and expressions. */
export function parseLogMessage(message: string): (string | { expr: string })[] {
  const parts: (string | { expr: string })[] = [];
  let text = '';
  for (let i = 0; i < message.length; i++) {
    const c = message[i]!;
    if (c === '{' && message[i + 1] === '{') {
      text += '{';
      i++;
    } else if (c === '}' && message[i + 1] === '}') {
      text += '}';
      i++;
    } else if (c === '{') {
      const end = message.indexOf('}', i + 1);
      if (end < 0) {
        text += message.slice(i);
        break;
      }
      if (text) parts.push(text);
      text = '';
      parts.push({ expr: message.slice(i + 1, end) });
      i = end;
    } else {
      text += c;
    }
  }
  if (text) parts.push(text);
  return parts;
}

/** Renders a parsed message, evaluating each expression with `evaluate` and formatting with `show`. */
export function renderLogMessage(
  parts: readonly (string | { expr: string })[],
  evaluate: (expr: string) => unknown,
  show: (v: unknown) => string,
): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      try {
        return show(evaluate(p.expr));
      } catch (e) {
        return `<${e instanceof Error ? e.message : String(e)}>`;
      }
    })
    .join('');
}
