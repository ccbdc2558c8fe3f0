import { describe, expect, it } from 'vitest';
import { cyclesAgainstRedNoise, fitAr1 } from '../../src/stats/red-noise-null.js';

/** A Gaussian AR(1) of n steps (fixed-seed LCG and Box–Muller), about `mean`. */
function ar1(n: number, phi: number, sigma: number, mean: number, seed: number): number[] {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const out: number[] = [];
  let d = 0;
  for (let t = 0; t < n; t++) {
    d = phi * d + sigma * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    out.push(mean + d);
  }
  return out;
}

describe('fitAr1', () => {
  it('recovers the persistence and innovation sd of an AR(1)', () => {
    const fit = fitAr1(ar1(20_000, 0.9, 0.05, 1, 7));
    expect(fit?.phi).toBeCloseTo(0.9, 1);
    expect(fit?.sigma).toBeCloseTo(0.05, 2);
    expect(fitAr1([1, 1, 1, 1])).toBeNull();
    expect(fitAr1([1, 2])).toBeNull();
  });
});

describe('cyclesAgainstRedNoise', () => {
  it('finds slow, large cycles far beyond red noise of the same persistence', () => {
    // Leverage swinging between 1.5 and 4 with a period of 400 samples, plus small noise.
    const noise = ar1(4000, 0.5, 0.01, 0, 3);
    const lev = noise.map((e, t) => Math.exp(Math.log(2.5) + 0.45 * Math.sin((2 * Math.PI * t) / 400) + e));
    const test = cyclesAgainstRedNoise(lev, { threshold: 0.3 });
    expect(test.observed).toBe(9);
    expect(test.nullMean).toBeLessThan(test.observed);
    expect(test.pValue).toBeLessThan(0.05);
  });

  it('does not call red noise cyclical', () => {
    const lev = ar1(4000, 0.95, 0.05, Math.log(3), 11).map(Math.exp);
    const test = cyclesAgainstRedNoise(lev, { threshold: 0.1 });
    expect(test.observed).toBeGreaterThan(0);
    expect(test.pValue).toBeGreaterThan(0.05);
  });

  it('is deterministic, and reports no null for a series without variation or without values', () => {
    const lev = ar1(500, 0.9, 0.05, 1, 5).map(Math.exp);
    expect(cyclesAgainstRedNoise(lev, { seed: 4 })).toEqual(cyclesAgainstRedNoise(lev, { seed: 4 }));
    const flat = cyclesAgainstRedNoise([2, 2, 2, 2, 2]);
    expect(flat.observed).toBe(0);
    expect(flat.pValue).toBeNaN();
    expect(cyclesAgainstRedNoise([Number.NaN, 0, -1]).nullMean).toBeNaN();
    expect(() => cyclesAgainstRedNoise(lev, { surrogates: 0 })).toThrow(/surrogates/);
  });
});
