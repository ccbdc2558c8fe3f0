import { describe, expect, it } from 'vitest';
import { varianceRatio, varianceRatioWindows } from '../../src/stats/variance-ratio.js';
import { gaussian, mulberry32 } from './_support/prng.js';

function ar1(n: number, phi: number, seed: number): number[] {
  const z = gaussian(mulberry32(seed));
  const out = new Array<number>(n);
  let x = z() / Math.sqrt(1 - phi * phi);
  for (let i = 0; i < n; i++) {
    x = phi * x + z();
    out[i] = x;
  }
  return out;
}

/** Closed form for stationary AR(1) returns: VR(q) = 1 + 2 Σ_{k<q} (1 − k/q) φ^k. */
function vrAr1(phi: number, q: number): number {
  let s = 1;
  for (let k = 1; k < q; k++) s += 2 * (1 - k / q) * phi ** k;
  return s;
}

describe('varianceRatio', () => {
  it('is 1 for a random walk within sampling error', () => {
    // sd of the overlapping estimator ≈ √(2(2q−1)(q−1)/(3qn)) ≈ 0.05 for q = 15, n = 20 000.
    for (const seed of [1, 2, 3]) expect(Math.abs(varianceRatio([ar1(20_000, 0, seed)], 15) - 1)).toBeLessThan(0.15);
  });

  it('matches the AR(1) closed form', () => {
    for (const phi of [0.3, -0.3]) {
      const vr = varianceRatio([ar1(50_000, phi, 7)], 15);
      expect(Math.abs(vr - vrAr1(phi, 15))).toBeLessThan(0.1 * vrAr1(phi, 15));
    }
    expect(vrAr1(-0.3, 15)).toBeLessThan(0.6);
  });

  it('is well below 1 for a mean-reverting (bounce) series', () => {
    // r_t = e_t − e_{t−1}: every move is undone, the q-period sum telescopes to e_t − e_{t−q}.
    const e = ar1(10_001, 0, 5);
    const r = e.slice(1).map((x, i) => x - (e[i] as number));
    expect(varianceRatio([r], 15)).toBeLessThan(0.2);
  });

  it('is exactly 1 at q = 1 and NaN when nothing fits', () => {
    expect(varianceRatio([ar1(500, 0.5, 1)], 1)).toBeCloseTo(1, 12);
    expect(varianceRatio([[0.1, -0.1]], 15)).toBeNaN();
    expect(varianceRatio([[0, 0, 0, 0]], 2)).toBeNaN();
    expect(varianceRatio([], 15)).toBeNaN();
  });

  it('never builds a window across a session boundary', () => {
    // Two sessions that each trend, opposite ways: joined they would mean-revert at the seam.
    const up = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.02 : 0.01));
    const down = up.map((x) => -x);
    expect(varianceRatioWindows([up, down], 5)).toBe(32);
    const split = varianceRatio([up, down], 5);
    const joined = varianceRatio([[...up, ...down]], 5);
    expect(split).not.toBeCloseTo(joined, 6);
    // Within each session the 5-sums are ±0.07 or ±0.08, about a zero mean.
    const var1 = up.reduce((s, x) => s + x * x, 0) / 20;
    const sq = (0.07 * 0.07 + 0.08 * 0.08) / 2;
    expect(split).toBeCloseTo(sq / (5 * var1), 10);
  });
});
