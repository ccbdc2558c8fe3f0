import { describe, expect, it } from 'vitest';
import { hillK, hillTailIndex } from '../../src/stats/hill.js';
import { draws, mulberry32, pareto } from './_support/prng.js';
import { expectShown, referenceReturns, referenceTable } from './_support/reference-data.js';

describe('hillK', () => {
  it('should take the floor of 5 % of n', () => {
    expect(hillK(17_055)).toBe(852);
    expect(hillK(1_974)).toBe(98);
    expect(hillK(1_859)).toBe(92);
    expect(hillK(20)).toBe(1);
    expect(hillK(19)).toBe(0);
  });
});

describe('hillTailIndex', () => {
  it('should compute k / Σ ln(x_(i) / x_(k+1)) on |x|', () => {
    // |x| descending: 8, 4, 2, 1 ; k = 2, threshold x_(3) = 2 → α = 2 / (ln 4 + ln 2)
    expect(hillTailIndex([1, -8, 2, 4], { k: 2 })).toBeCloseTo(2 / Math.log(8), 14);
  });

  it('should return NaN when the tail is undefined', () => {
    expect(hillTailIndex([1, 2, 3])).toBeNaN(); // k = 0
    expect(hillTailIndex([1, 2, 3], { k: 3 })).toBeNaN(); // no x_(k+1)
    expect(hillTailIndex([0, 0, 5], { k: 1 })).toBeNaN(); // threshold 0
    expect(hillTailIndex([2, 2, 2], { k: 1 })).toBeNaN(); // no excess
  });

  it('should recover the tail index of a Pareto sample', () => {
    const x = draws(100_000, pareto(3, 1, mulberry32(3)));
    // k = 5000: standard error α/√k ≈ 0.04
    expect(Math.abs(hillTailIndex(x) - 3)).toBeLessThan(0.15);
    const y = draws(100_000, pareto(1.5, 2, mulberry32(4)));
    expect(Math.abs(hillTailIndex(y, { fraction: 0.1 }) - 1.5)).toBeLessThan(0.06);
  });

  for (const row of referenceTable()) {
    it(`should reproduce Hill (5 %) of ${row.series}`, () => {
      expectShown(hillTailIndex(referenceReturns(row.series)), row.hill, 'Hill');
    });
  }

  it('should need floor(5 % n) with threshold x_(k+1): ceil or x_(k) miss DEM/GBP', () => {
    const dem = referenceReturns('DEM/GBP');
    const kCeil = Math.ceil(0.05 * dem.length);
    expect(Math.abs(hillTailIndex(dem, { k: kCeil }) - 3.3)).toBeGreaterThan(0.005);
    // threshold x_(k) with k = 98: the same as using k − 1 exceedances over k
    const a = dem.map(Math.abs).sort((p, q) => q - p);
    const k = 98;
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.log(a[i] / a[k - 1]);
    expect(Math.abs(k / s - 3.3)).toBeGreaterThan(0.005);
  });
});
