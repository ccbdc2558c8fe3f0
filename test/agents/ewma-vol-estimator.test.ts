import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EwmaVolEstimator } from '../../src/agents/ewma-vol-estimator.js';

/** Log returns of consecutive samples. */
function returnsOf(samples: readonly number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < samples.length; i++) r.push(Math.log((samples[i] as number) / (samples[i - 1] as number)));
  return r;
}

/**
 * The EWMA variance written as the weighted sum it is, not as a recursion:
 * `λⁿ·v₀ + (1 − λ)·Σ_k λ^(n−1−k)·r_k²` (RiskMetrics 1996).
 */
function directEwma(v0: number, lambda: number, r: readonly number[]): number {
  const n = r.length;
  let s = Math.pow(lambda, n) * v0;
  for (let k = 0; k < n; k++) s += (1 - lambda) * Math.pow(lambda, n - 1 - k) * (r[k] as number) ** 2;
  return s;
}

const prices = fc.array(fc.double({ min: 50, max: 200, noNaN: true }), { minLength: 2, maxLength: 200 });

describe('EwmaVolEstimator', () => {
  it('should follow σ² ← λσ² + (1 − λ)r², checked against the weighted sum on a known series', () => {
    fc.assert(
      fc.property(
        prices,
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 1e-5, max: 1e-1, noNaN: true }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (ps, lambda, priorSigma, intervalUs) => {
          const est = new EwmaVolEstimator({ intervalUs, lambda, priorSigma });
          for (const p of ps) est.push(p);
          const dt = intervalUs / 1e6;
          const expected = directEwma(priorSigma * priorSigma * dt, lambda, returnsOf(ps));
          expect(Math.abs(est.variance - expected)).toBeLessThanOrEqual(1e-12 * expected);
          expect(est.sigma).toBe(Math.sqrt(est.variance / dt));
          expect(est.sigmaPerInterval).toBe(Math.sqrt(est.variance));
        },
      ),
    );
  });

  it('should start, without a prior, from the mean square of its first minReturns returns and report nothing before', () => {
    const est = new EwmaVolEstimator({ intervalUs: 1_000_000, lambda: 0.9, minReturns: 3 });
    const ps = [100, 101, 99, 102, 100];
    const r = returnsOf(ps);
    for (let i = 0; i < 3; i++) {
      est.push(ps[i] as number);
      expect(est.ready).toBe(false);
      expect(est.sigma).toBeNaN();
    }
    est.push(ps[3] as number); // the third return
    const seed = (r[0]! ** 2 + r[1]! ** 2 + r[2]! ** 2) / 3;
    expect(est.ready).toBe(true);
    expect(est.variance).toBeCloseTo(seed, 15);
    est.push(ps[4] as number);
    expect(est.variance).toBeCloseTo(0.9 * seed + 0.1 * r[3]! ** 2, 15);
  });

  it('should report its prior before any price and decay to the data at λ per return', () => {
    const intervalUs = 10_000_000; // Δ = 10 s
    const prior = 4e-4; // per √s
    const est = new EwmaVolEstimator({ intervalUs, lambda: 0.94, priorSigma: prior });
    expect(est.ready).toBe(true);
    expect(est.sigma).toBeCloseTo(prior, 15);
    // Returns of constant size (alternating sign) with σ = 1e-4 per √s: the
    // gap to their variance shrinks by λ per return, 0.94ⁿ after n.
    const data = 1e-4;
    const r = data * Math.sqrt(10);
    const v0 = prior * prior * 10;
    const target = r * r;
    let p = 100;
    est.push(p);
    for (let n = 1; n <= 40; n++) {
      p *= Math.exp(n % 2 === 0 ? r : -r);
      est.push(p);
      const gap = (est.variance - target) / (v0 - target);
      expect(gap).toBeCloseTo(Math.pow(0.94, n), 9);
    }
    // 0.94 per 10 s is a half-life of 11.2 returns, 112 s.
    expect(est.halfLifeIntervals).toBeCloseTo(11.2, 1);
  });

  it('should take a half-life in time: the gap to the data halves every half-life', () => {
    const intervalUs = 2_000_000;
    const est = new EwmaVolEstimator({ intervalUs, halfLifeUs: 60_000_000, priorSigma: 1e-3 });
    expect(est.lambda).toBeCloseTo(Math.pow(0.5, 2 / 60), 15);
    expect(est.halfLifeIntervals).toBeCloseTo(30, 9);
    est.observe(0, 100);
    est.advanceTo(60_000_000); // 30 zero returns: the variance (target 0) halves
    expect(est.variance).toBeCloseTo(0.5 * 1e-6 * 2, 15);
    expect(est.sigma).toBeCloseTo(1e-3 * Math.SQRT1_2, 12);
  });

  it('should treat a quiet market as zero returns on the grid, as the realised estimator does, in O(1)', () => {
    const quiet = new EwmaVolEstimator({ intervalUs: 1_000, lambda: 0.97, priorSigma: 0.01 });
    const pushed = new EwmaVolEstimator({ intervalUs: 1_000, lambda: 0.97, priorSigma: 0.01 });
    quiet.observe(0, 100);
    quiet.observe(1_000, 110);
    quiet.advanceTo(51_000); // grid points 1 ms … 51 ms: one return, then 50 zeros
    for (const p of [100, 110]) pushed.push(p);
    for (let i = 0; i < 50; i++) pushed.push(110);
    expect(quiet.count).toBe(51);
    expect(Math.abs(quiet.variance - pushed.variance)).toBeLessThanOrEqual(1e-13 * pushed.variance);
    quiet.advanceTo(1e12); // 10⁹ grid points: must not take 10⁹ steps
    expect(quiet.variance).toBe(0); // 0.97^(10⁹) underflows: no volatility left
  });

  it('should refuse λ outside (0, 1), both λ and a half-life, and a non-positive half-life', () => {
    for (const lambda of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => new EwmaVolEstimator({ intervalUs: 1_000, lambda })).toThrow(/lambda must be in \(0, 1\)/);
    expect(() => new EwmaVolEstimator({ intervalUs: 1_000, lambda: 0.9, halfLifeUs: 10_000 })).toThrow(/not both/);
    expect(() => new EwmaVolEstimator({ intervalUs: 1_000, halfLifeUs: 0 })).toThrow(RangeError);
    expect(() => new EwmaVolEstimator({ intervalUs: 1_000_000, halfLifeUs: 1 })).toThrow(/lambda must be in \(0, 1\)/); // 2^(−10⁶) = 0
    expect(() => new EwmaVolEstimator({ intervalUs: 1_000, priorSigma: -1 })).toThrow(RangeError);
    expect(new EwmaVolEstimator({ intervalUs: 1_000 }).lambda).toBe(0.94);
  });
});
