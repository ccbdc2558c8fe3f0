import { describe, expect, it } from 'vitest';
import { corrLagged, corrLaggedRange, pearsonCorrelation } from '../../src/stats/correlation.js';
import { draws, gaussian, mulberry32 } from './_support/prng.js';

describe('pearsonCorrelation', () => {
  it('should give ±1 for exact linear relations and a hand value otherwise', () => {
    expect(pearsonCorrelation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(pearsonCorrelation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    // x = 1..4, y = [1, 3, 2, 4]: Sxy = 4, Sxx = Syy = 5
    expect(pearsonCorrelation([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
  });

  it('should skip non-finite pairs and give NaN for constants', () => {
    expect(pearsonCorrelation([1, 2, Number.NaN, 3], [2, 4, 0, 6])).toBeCloseTo(1, 15);
    expect(pearsonCorrelation([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => pearsonCorrelation([1], [1, 2])).toThrow(RangeError);
  });
});

describe('corrLagged', () => {
  it('should pair x_t with y_{t-k}', () => {
    const y = [1, 5, 2, 8, 3];
    const x = [0, 1, 5, 2, 8]; // x_t = y_{t-1}
    expect(corrLagged(x, y, 1)).toBeCloseTo(1, 15);
    expect(corrLagged(y, x, -1)).toBeCloseTo(1, 15);
    expect(corrLagged(x, y, 4)).toBeNaN(); // one pair
  });

  it('should peak at the lag of a constructed lagged pair', () => {
    const g = gaussian(mulberry32(9));
    const n = 5_000;
    const lag = 7;
    const y = draws(n, g);
    const x = y.map((_, t) => (t >= lag ? y[t - lag] : 0) + 0.5 * g());
    const range = corrLaggedRange(x, y, -20, 20);
    expect(range).toHaveLength(41);
    const best = range.reduce((a, b) => (b.corr > a.corr ? b : a));
    expect(best.lag).toBe(lag);
    expect(best.corr).toBeGreaterThan(0.85);
    // the mirror image: y leads x, so x lags at −7 from y's point of view
    const back = corrLaggedRange(y, x, -20, 20).reduce((a, b) => (b.corr > a.corr ? b : a));
    expect(back.lag).toBe(-lag);
  });
});
