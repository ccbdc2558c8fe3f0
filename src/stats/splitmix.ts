/**
 * A small fixed-seed uniform generator for the statistics' surrogates
 * (SplitMix32: a Weyl sequence through a 32-bit finaliser). The simulation's
 * own random streams live in the engine; surrogates only need to be the same
 * for the same series and seed.
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
