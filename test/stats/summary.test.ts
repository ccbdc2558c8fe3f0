import { describe, expect, it } from 'vitest';
import { leverageStats, returnStats } from '../../src/stats/summary.js';
import { expectShown, referenceReturns, referenceTable } from './_support/reference-data.js';

describe('returnStats', () => {
  for (const row of referenceTable()) {
    it(`should reproduce the README row of ${row.series}`, () => {
      const s = returnStats(referenceReturns(row.series));
      expect(s.n).toBe(row.n);
      expectShown(s.std, row.sd, 'sd');
      expectShown(s.skew, row.skew, 'skew');
      expectShown(s.excessKurtosis, row.excessKurtosis, 'excess kurtosis');
      expectShown(s.hillTailIndex, row.hill, 'Hill');
      expectShown(s.acfLag1, row.acf1, 'acf r(1)');
      expect(s.absAcf).toHaveLength(100);
      expectShown(s.absAcf[0], row.abs1, 'abs(1)');
      expectShown(s.absAcf[9], row.abs10, 'abs(10)');
      expectShown(s.absAcf[49], row.abs50, 'abs(50)');
      expectShown(s.absAcf[99], row.abs100, 'abs(100)');
    });
  }

  it('should honour acfLags and give NaN for undefined entries', () => {
    const s = returnStats([0.01, -0.02, 0.015], { acfLags: 4 });
    expect(s.absAcf).toHaveLength(4);
    expect(s.absAcf[2]).toBeNaN();
    expect(s.hillTailIndex).toBeNaN();
    expect(returnStats([]).n).toBe(0);
  });
});

describe('leverageStats', () => {
  it('should combine level, cycles and lagged correlation with volatility', () => {
    const lev = [2, 3, 4, 3, 2, 3, 4, 3, 2, 3, 4, 3];
    const vol = lev.map((l) => 0.1 * l); // lev_t = 6 − lev_{t−2}, so corr(lev_t, vol_{t−2}) = −1
    const s = leverageStats(lev, { threshold: 0.2, volatility: vol, volLag: 2, times: lev.map((_, i) => i * 10) });
    expect(s.mean).toBeCloseTo(3, 14);
    expect(s.max).toBe(4);
    expect(s.cycles).toBe(2);
    expect(s.meanCyclePeriod).toBe(40);
    expect(s.corrWithLaggedVol).toBeCloseTo(-1, 12);
    expect(leverageStats([Number.NaN]).max).toBeNaN();
    expect(leverageStats(lev).corrWithLaggedVol).toBeNaN();
  });

  it('should time build-ups and collapses, give every lag of the volatility correlation, and the Adrian–Shin correlation', () => {
    // Rises over 3 steps, falls in 1: peaks at 3, 7, 11; troughs at 4, 8.
    const lev = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1];
    const times = lev.map((_, i) => i * 10);
    const s = leverageStats(lev, { threshold: 0.5, times, volatility: lev.map((l) => 5 - l), maxVolLag: 4, assets: lev.map((l) => 2 * l) });
    expect(s.medianBuildUp).toBe(30);
    expect(s.medianCollapse).toBe(10);
    expect(s.corrWithVolByLag).toHaveLength(4);
    expect(s.corrWithVolByLag[0]).toBeCloseTo(s.corrWithLaggedVol, 14);
    // vol_t = 5 − lev_t, and lev is periodic with period 4: at lag 4, corr(lev_t, vol_{t−4}) = −1.
    expect(s.corrWithVolByLag[3]).toBeCloseTo(-1, 12);
    // Assets proportional to leverage: their log changes are equal.
    expect(s.corrLeverageAssets).toBeCloseTo(1, 12);
    expect(leverageStats(lev, { assets: lev.map(() => 7) }).corrLeverageAssets).toBeNaN();
  });
});
