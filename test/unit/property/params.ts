/**
 * fast-check parameters of the property tests: a fixed seed so that CI runs are reproducible,
 * overridden by the environment to explore or to replay a failure —
 * `FC_SEED=<n>` (a failure report prints its seed and path), `FC_PATH=<path>` (replay one
 * counterexample), `FC_RUNS=<n>` (more runs than the default, for a longer search).
 */
import type fc from 'fast-check';

/** The seed CI uses. */
export const DEFAULT_SEED = 0x1ce5;

/** Parameters for `fc.assert` with `numRuns` runs unless FC_RUNS says otherwise. */
export function params<T>(numRuns: number): fc.Parameters<T> {
  const env = process.env;
  const seed = env.FC_SEED === undefined ? DEFAULT_SEED : Number(env.FC_SEED);
  const runs = env.FC_RUNS === undefined ? numRuns : Number(env.FC_RUNS);
  return {
    seed,
    numRuns: runs,
    ...(env.FC_PATH === undefined ? {} : { path: env.FC_PATH }),
  };
}
