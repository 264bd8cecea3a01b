// The load + instrument stage of the stepping runtime. See transformModel.

import { Emitter } from './emit';
import { Instrumenter } from './instrument';
import { loadModel } from './load';
import { DEFAULT_NAMES, type TransformOptions, type TransformResult } from './types';

export { ModelSyntaxError } from './errors';
export * from './types';

/**
 * Loads a driver model and (unless `options.instrument === false`) instruments it so that
 * every statement is a place to stop. The result is CommonJS JavaScript with exactly the
 * model's lines, to be run through `Module._compile` (or an equivalent wrapper) with the
 * hooks of `options.names` in scope. The generated-code contract is described in
 * docs of {@link HookNames} and in this folder's README.
 *
 * @param source the model's text
 * @param filename its path; the extension selects TypeScript (`.ts/.mts/.cts`) and the
 *   module format (`.mjs/.mts` ESM, `.cjs/.cts` CommonJS, others by their syntax)
 * @param options ids to start from, hook names, locals on/off, instrument on/off
 * @returns the code and the tables of sites, functions and scopes; `next` holds the ids to
 *   pass as the bases of the next file's transform
 * @throws ModelSyntaxError for syntax errors and unsupported TypeScript namespaces, located
 *   in `source`
 */
export function transformModel(
  source: string,
  filename: string,
  options: TransformOptions = {},
): TransformResult {
  const base = {
    siteBase: options.siteBase ?? 0,
    fidBase: options.fidBase ?? 0,
    scopeBase: options.scopeBase ?? 0,
  };
  const loaded = loadModel(source, filename);
  const { format, typescript } = loaded;
  if (options.instrument === false) {
    return {
      code: loaded.code,
      sites: [],
      functions: [],
      scopes: [],
      next: base,
      format,
      typescript,
    };
  }
  const names = { ...DEFAULT_NAMES, ...options.names };
  const em = new Emitter(
    loaded.code,
    loaded.columns,
    names,
    options.locals !== false,
    filename,
    base,
  );
  new Instrumenter(em).program(loaded.program, loaded.esmPrefix);
  return {
    code: em.toString(),
    sites: em.sites,
    functions: em.functions,
    scopes: em.scopes,
    next: em.next,
    format,
    typescript,
  };
}
