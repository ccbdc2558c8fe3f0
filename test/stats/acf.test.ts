import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acf, acfAbs, autocorrelation } from '../../src/stats/acf.js';
import { draws, gaussian, mulberry32 } from './_support/prng.js';
import { expectShown, referenceReturns, referenceTable } from './_support/reference-data.js';

describe('acf', () => {
  it("should match R's acf(1:5): 1, 0.4, -0.1, -0.4, -0.4", () => {
    const r = acf([1, 2, 3, 4, 5], 4);
    [1, 0.4, -0.1, -0.4, -0.4].forEach((v, k) => expect(r[k]).toBeCloseTo(v, 14));
  });

  it('should give NaN beyond lag n-1 and for constant series', () => {
    expect(acf([1, 2, 3], 4).slice(3)).toEqual([Number.NaN, Number.NaN]);
    expect(acf([2, 2, 2], 1)).toEqual([Number.NaN, Number.NaN]);
    expect(acf([], 0)).toEqual([Number.NaN]);
    expect(() => acf([1, 2], -1)).toThrow(RangeError);
  });

  it('should stay within ±3/√n for white noise', () => {
    const n = 20_000;
    const r = acf(draws(n, gaussian(mulberry32(11))), 50);
    for (let k = 1; k <= 50; k++) expect(Math.abs(r[k])).toBeLessThan(3 / Math.sqrt(n));
  });

  it('should find the autocorrelation φ^k of an AR(1) process', () => {
    const g = gaussian(mulberry32(5));
    const x = [0];
    for (let t = 1; t < 50_000; t++) x.push(0.6 * x[t - 1] + g());
    expect(autocorrelation(x, 1)).toBeCloseTo(0.6, 1);
    expect(autocorrelation(x, 2)).toBeCloseTo(0.36, 1);
  });

  it('should be 1 at lag 0 and within [-1, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 2, maxLength: 80 })
          .filter((x) => new Set(x).size > 1)
          .map((x) => x.map((v) => v / 1000)),
        (x) => {
          const r = acf(x, x.length - 1);
          expect(r[0]).toBeCloseTo(1, 12);
          for (const v of r) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
    );
  });

  for (const row of referenceTable()) {
    it(`should reproduce acf r(1) and |r| at 1, 10, 50, 100 of ${row.series}`, () => {
      const r = referenceReturns(row.series);
      expectShown(acf(r, 1)[1], row.acf1, 'acf r(1)');
      const a = acfAbs(r, 100);
      expectShown(a[1], row.abs1, 'abs(1)');
      expectShown(a[10], row.abs10, 'abs(10)');
      expectShown(a[50], row.abs50, 'abs(50)');
      expectShown(a[100], row.abs100, 'abs(100)');
    });
  }
});
