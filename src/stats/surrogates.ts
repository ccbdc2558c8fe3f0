/**
 * What the surrogate-data tests of leverage cycles share (`red-noise-null.ts`,
 * `cycle-asymmetry.ts`): the series they may take, how many surrogates, and a
 * small fixed-seed generator (SplitMix32: a Weyl sequence through a 32-bit
 * finaliser). The simulation's own random streams live in the engine;
 * surrogates only need to be the same for the same series and seed.
 *
 * @module
 */

/** Uniform draws in (0, 1) from SplitMix32 seeded with `seed`. */
export function splitMixUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return (z + 0.5) / 4294967296;
  };
}

/** The positive finite values of every `stride`-th entry of `values`: leverage levels a relative zig-zag and a log can take. */
export function positiveLevels(values: ArrayLike<number>, stride = 1): number[] {
  const levels: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i] as number;
    if (Number.isFinite(v) && v > 0) levels.push(v);
  }
  return levels;
}

/** The number of surrogates asked for (default 99, a p-value resolution of 1 %), checked. */
export function surrogateCount(surrogates: number | undefined): number {
  const n = surrogates ?? 99;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`surrogates must be a positive integer, got ${n}`);
  return n;
}
