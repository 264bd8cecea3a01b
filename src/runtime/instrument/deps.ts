// Loads the two dependencies whose shape the project's TypeScript settings cannot import
// directly, and gives them their real types.
//
// - magic-string 1.x ships only as an ES module. Node ≥ 20.19 can `require()` it (and
//   esbuild bundles it), but TypeScript's `module: Node16` refuses the static import in a
//   CommonJS file (TS1479); `module: Node20` would allow it.
// - sucrase's token-level parser (`sucrase/dist/parser`) is not part of its documented API;
//   we use it only to find TypeScript namespaces, which sucrase's transform drops silently.
import type { MagicString as MagicStringClass } from 'magic-string' with {
  'resolution-mode': 'import',
};
import type { parse as sucraseParse } from 'sucrase/dist/types/parser';

/* eslint-disable @typescript-eslint/no-require-imports -- see the file comment */
const magicString = require('magic-string') as { MagicString: typeof MagicStringClass };
const sucraseParser = require('sucrase/dist/parser') as { parse: typeof sucraseParse };
/* eslint-enable @typescript-eslint/no-require-imports */

/** magic-string's editor class (`new MagicString(code)`). */
export const MagicString = magicString.MagicString;
/** One magic-string editor instance. */
export type MagicString = MagicStringClass;

/**
 * sucrase's parser: `parseTokens(source, jsx, typescript, flow)` → `{ tokens }`, each token
 * with `start`/`end` offsets and `isType` (true for tokens the TypeScript transform erases).
 * Throws a SyntaxError with `pos` on input sucrase cannot tokenize.
 */
export const parseTokens = sucraseParser.parse;
