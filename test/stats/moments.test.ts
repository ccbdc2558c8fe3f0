import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centralMoment, excessKurtosis, mean, skewness, std, variance } from '../../src/stats/moments.js';
import { draws, gaussian, mulberry32 } from './_support/prng.js';
import { expectShown, referenceReturns, referenceTable } from './_support/reference-data.js';

describe('moments on hand examples', () => {
  it('should compute mean, sample variance and std', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(centralMoment(x, 2)).toBe(4);
    expect(variance(x)).toBeCloseTo(32 / 7, 14);
    expect(std(new Float64Array(x))).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('should compute g1 and g2 from the plain central moments', () => {
    // x = [0, 0, 0, 3]: mean 3/4; m2 = 27/16, m3 = 81/32, m4 = 1701/256
    const x = [0, 0, 0, 3];
    expect(skewness(x)).toBeCloseTo(81 / 32 / (27 / 16) ** 1.5, 14); // = 2/√3
    expect(skewness(x)).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(excessKurtosis(x)).toBeCloseTo(1701 / 256 / (27 / 16) ** 2 - 3, 14); // = -2/3
    expect(excessKurtosis([1, -1, 1, -1])).toBeCloseTo(-2, 14);
  });

  it('should return NaN for degenerate inputs', () => {
    expect(mean([])).toBeNaN();
    expect(variance([1])).toBeNaN();
    expect(skewness([3, 3, 3])).toBeNaN();
    expect(excessKurtosis([3, 3, 3])).toBeNaN();
  });
});

describe('moments on the reference data (data/reference/README.md)', () => {
  const table = referenceTable();

  it('should parse all six README rows', () => {
    expect(table.map((r) => r.series)).toEqual(['S&P 500 1928–91', 'DEM/GBP', 'DAX', 'SMI', 'CAC', 'FTSE']);
  });

  for (const row of table) {
    it(`should reproduce n, sd, skew and excess kurtosis of ${row.series}`, () => {
      const r = referenceReturns(row.series);
      expect(r.length).toBe(row.n);
      expectShown(std(r), row.sd, 'sd');
      expectShown(skewness(r), row.skew, 'skew');
      expectShown(excessKurtosis(r), row.excessKurtosis, 'excess kurtosis');
    });
  }

  it('should need the n-1 sd and plain g2: the other estimators miss the table', () => {
    const smi = referenceReturns('SMI');
    const populationSd = Math.sqrt(centralMoment(smi, 2));
    expect(Math.abs(populationSd - 0.0093)).toBeGreaterThan(0.00005);
    const dem = referenceReturns('DEM/GBP');
    const b2 = centralMoment(dem, 4) / variance(dem) ** 2 - 3; // s-normalised kurtosis
    expect(Math.abs(b2 - 3.63)).toBeGreaterThan(0.005);
  });
});

describe('textbook values', () => {
  it('should give excess kurtosis ≈ 0 and skew ≈ 0 for a Gaussian sample (n = 200k)', () => {
    const x = draws(200_000, gaussian(mulberry32(42)));
    // standard errors: √(6/n) ≈ 0.0055 (skew), √(24/n) ≈ 0.011 (kurtosis)
    expect(Math.abs(skewness(x))).toBeLessThan(0.025);
    expect(Math.abs(excessKurtosis(x))).toBeLessThan(0.05);
    expect(std(x)).toBeCloseTo(1, 1);
  });

  it('should give excess kurtosis 6 for an exponential sample', () => {
    const u = mulberry32(7);
    const x = draws(200_000, () => -Math.log(1 - u()));
    expect(skewness(x)).toBeCloseTo(2, 0);
    expect(Math.abs(excessKurtosis(x) - 6)).toBeLessThan(0.6);
  });
});

describe('properties', () => {
  const sample = fc
    .array(fc.integer({ min: -1000, max: 1000 }), { minLength: 3, maxLength: 60 })
    .filter((x) => new Set(x).size > 1);

  it('should leave skew and kurtosis unchanged by shifting and positive scaling', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 100 }), (x, c, a) => {
        const y = x.map((v) => a * v + c);
        expect(skewness(y)).toBeCloseTo(skewness(x), 8);
        expect(excessKurtosis(y)).toBeCloseTo(excessKurtosis(x), 8);
        expect(std(y)).toBeCloseTo(a * std(x), 6);
      }),
    );
  });

  it('should flip the sign of skew under negation and keep kurtosis ≥ -2', () => {
    fc.assert(
      fc.property(sample, (x) => {
        expect(skewness(x.map((v) => -v))).toBeCloseTo(-skewness(x), 10);
        expect(excessKurtosis(x)).toBeGreaterThanOrEqual(-2 - 1e-12);
        expect(variance(x)).toBeGreaterThan(0);
      }),
    );
  });
});
