/**
 * Terminal colour for the text output: a handful of ANSI SGR styles, on only when the stream is
 * a terminal and the user has not asked for plain output (https://no-color.org: `NO_COLOR` set
 * to anything non-empty; `TERM=dumb`). `FORCE_COLOR` (non-empty, not `0`) turns it on anyway,
 * as in most Node tools. No dependency: six escape codes do not need one.
 */

/** Styles the renderers use; each returns its text unchanged when colour is off. */
export interface Palette {
  readonly enabled: boolean;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly magenta: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;
const same = (s: string): string => s;

/** The palette with colour on. */
export const COLOUR: Palette = {
  enabled: true,
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  magenta: sgr(35, 39),
  cyan: sgr(36, 39),
};

/** The palette with colour off (every style is the identity). */
export const PLAIN: Palette = {
  enabled: false,
  bold: same,
  dim: same,
  red: same,
  green: same,
  yellow: same,
  magenta: same,
  cyan: same,
};

/**
 * Whether output to a stream should be coloured.
 * @param isTTY the stream's `isTTY`
 * @param env the environment (`process.env`)
 */
export function wantsColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

/** The palette for a stream. */
export function paletteFor(
  stream: { isTTY?: boolean | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Palette {
  return wantsColour(stream.isTTY, env) ? COLOUR : PLAIN;
}
