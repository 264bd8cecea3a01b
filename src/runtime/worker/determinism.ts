/**
 * What a model could read from outside the emulated platform, made a function of the run: a
 * seeded Math.random and a Date that follows the simulated clock. Step back replays the run
 * from the start and must arrive at the same state (DESIGN.md §2, replay); the platform itself
 * has no other input.
 */

/** The wall-clock time the simulated clock's zero stands for (ms since 1970). */
const EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * Replaces Math.random (xorshift128+, a fixed seed) and Date (now = EPOCH_MS plus the
 * simulated time) on `global`.
 * @param nowNs the simulated clock, ns
 */
export function makeDeterministic(
  nowNs: () => number,
  global: typeof globalThis = globalThis,
): void {
  let s0 = 0x9e3779b9n;
  let s1 = 0x243f6a88n;
  const M = (1n << 64n) - 1n;
  global.Math.random = (): number => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = (x ^ (x << 23n)) & M;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return Number(((s1 + y) & M) >> 11n) / 2 ** 53;
  };
  const RealDate = global.Date;
  const now = (): number => EPOCH_MS + Math.floor(nowNs() / 1e6);
  // A function, not a class: `Date()` without `new` returns a string, as the real one does.
  function SimulatedDate(this: unknown, ...args: unknown[]): Date | string {
    if (!(new.target as unknown)) return new RealDate(now()).toString();
    return args.length === 0
      ? new RealDate(now())
      : new RealDate(...(args as ConstructorParameters<DateConstructor>));
  }
  SimulatedDate.prototype = RealDate.prototype;
  SimulatedDate.now = now;
  SimulatedDate.parse = RealDate.parse.bind(RealDate);
  SimulatedDate.UTC = RealDate.UTC.bind(RealDate);
  global.Date = SimulatedDate as unknown as DateConstructor;
}
