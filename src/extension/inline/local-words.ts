/**
 * Where a frame's locals appear in the source lines before the stop: the words VS Code shows
 * `name = value` for when no inline values provider answers for a language (its default). The
 * ims provider returns them as variable lookups next to its own texts, so a stopped model keeps
 * showing its locals. Member names (after `.`), string literals and `//` comments are skipped.
 */

/** A word naming a local: its 0-based line and the columns [start, end). */
export interface LocalWord {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** VS Code shows at most this many inline values (debugEditorContribution's limit). */
export const MAX_LOCAL_WORDS = 100;

/**
 * The locals' words in `lines` (0-based line numbers with their text), each name once per
 * line, at most `max` in all.
 */
export function localWords(
  lines: readonly { readonly line: number; readonly text: string }[],
  names: ReadonlySet<string>,
  max = MAX_LOCAL_WORDS,
): LocalWord[] {
  const out: LocalWord[] = [];
  for (const { line, text } of lines) {
    const code = codeOf(text);
    const seen = new Set<string>();
    for (const m of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const name = m[0];
      const start = m.index;
      if (!names.has(name) || seen.has(name)) continue;
      if (/\.\s*$/.test(code.slice(0, start)) && !/\.\.\.\s*$/.test(code.slice(0, start))) continue;
      seen.add(name);
      out.push({ line, start, end: start + name.length, name });
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** `text` with string literals blanked and a `//` comment cut off (columns kept). */
function codeOf(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      out += c === quote || quote === undefined ? c : ' ';
      continue;
    }
    if (c === '/' && text[i + 1] === '/') break;
    if (c === "'" || c === '"' || c === '`') quote = c;
    out += c;
  }
  return out;
}
