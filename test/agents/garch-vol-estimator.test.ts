import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GarchVolEstimator } from '../../src/agents/garch-vol-estimator.js';

function returnsOf(samples: readonly number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < samples.length; i++) r.push(Math.log((samples[i] as number) / (samples[i - 1] as number)));
  return r;
}

/**
 * GARCH(1,1) unrolled (Bollerslev 1986): after n returns from v₀,
 * `βⁿ·v₀ + ω·Σ_{k<n} β^k + α·Σ_k β^(n−1−k)·r_k²`.
 */
function directGarch(v0: number, omega: number, alpha: number, beta: number, r: readonly number[]): number {
  const n = r.length;
  let s = Math.pow(beta, n) * v0;
  for (let k = 0; k < n; k++) s += omega * Math.pow(beta, k) + alpha * Math.pow(beta, n - 1 - k) * (r[k] as number) ** 2;
  return s;
}

/** Prices whose log returns alternate ±r: every squared return is r². */
function alternating(r: number, n: number): number[] {
  const out = [100];
  for (let i = 1; i <= n; i++) out.push((out[i - 1] as number) * Math.exp(i % 2 === 0 ? r : -r));
  return out;
}

describe('GarchVolEstimator', () => {
  it('should follow σ² ← ω + αr² + βσ², checked against the unrolled sum on a known series', () => {
    const params = fc
      .tuple(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.49, noNaN: true }))
      .filter(([a, b]) => a + b < 0.99);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 50, max: 200, noNaN: true }), { minLength: 2, maxLength: 200 }),
        params,
        fc.double({ min: 1e-5, max: 1e-2, noNaN: true }),
        fc.double({ min: 1e-5, max: 1e-2, noNaN: true }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (ps, [alpha, beta], longRunSigma, priorSigma, intervalUs) => {
          const est = new GarchVolEstimator({ intervalUs, alpha, beta, longRunSigma, priorSigma });
          const dt = intervalUs / 1e6;
          expect(est.omega).toBeCloseTo(longRunSigma ** 2 * dt * (1 - alpha - beta), 18);
          for (const p of ps) est.push(p);
          const expected = directGarch(priorSigma ** 2 * dt, est.omega, alpha, beta, returnsOf(ps));
          expect(Math.abs(est.variance - expected)).toBeLessThanOrEqual(1e-12 * expected);
          expect(est.sigma).toBe(Math.sqrt(est.variance / dt));
        },
      ),
    );
  });

  it('should stay at its long run ω/(1 − α − β) when every squared return equals it', () => {
    const intervalUs = 10_000_000;
    const longRunSigma = 1e-4;
    const est = new GarchVolEstimator({ intervalUs, alpha: 0.08, beta: 0.9, longRunSigma, priorSigma: longRunSigma });
    const longRun = longRunSigma ** 2 * 10;
    expect(est.longRunVariance).toBeCloseTo(longRun, 20);
    for (const p of alternating(Math.sqrt(longRun), 500)) est.push(p);
    expect(Math.abs(est.variance / longRun - 1)).toBeLessThan(1e-9);
    expect(est.sigma).toBeCloseTo(longRunSigma, 12);
  });

  it('should report its prior before any price and reach the long run by β per return when the returns are at the long run', () => {
    const intervalUs = 1_000_000;
    const alpha = 0.1;
    const beta = 0.85;
    const est = new GarchVolEstimator({ intervalUs, alpha, beta, longRunSigma: 2e-4, priorSigma: 1e-3 });
    expect(est.ready).toBe(true);
    expect(est.sigma).toBeCloseTo(1e-3, 15);
    const longRun = est.longRunVariance;
    const v0 = est.variance;
    // With r² = ω/(1 − α − β) every step, v − V ← β·(v − V): the prior is
    // forgotten at β per return (α + β is the rate in expectation, E r² = v).
    const ps = alternating(Math.sqrt(longRun), 60);
    est.push(ps[0] as number);
    for (let n = 1; n <= 60; n++) {
      est.push(ps[n] as number);
      expect((est.variance - longRun) / (v0 - longRun)).toBeCloseTo(Math.pow(beta, n), 9);
    }
  });

  it('should apply a quiet stretch as zero returns in closed form, tending to ω/(1 − β)', () => {
    const options = { intervalUs: 1_000, alpha: 0.1, beta: 0.8, longRunSigma: 0.01, priorSigma: 0.03 };
    const quiet = new GarchVolEstimator(options);
    const pushed = new GarchVolEstimator(options);
    quiet.observe(0, 100);
    quiet.observe(1_000, 105);
    quiet.advanceTo(41_000); // one return, then 40 zero returns
    for (const p of [100, 105]) pushed.push(p);
    for (let i = 0; i < 40; i++) pushed.push(105);
    expect(quiet.count).toBe(41);
    expect(Math.abs(quiet.variance - pushed.variance)).toBeLessThanOrEqual(1e-12 * pushed.variance);
    quiet.advanceTo(1e12); // 10⁹ grid points, in O(1)
    expect(quiet.variance).toBeCloseTo(quiet.omega / (1 - 0.8), 18);
  });

  it('should start without a prior from the mean square of its first minReturns returns', () => {
    const est = new GarchVolEstimator({ intervalUs: 1_000_000, alpha: 0.1, beta: 0.8, longRunSigma: 1e-3, minReturns: 2 });
    const ps = [100, 103, 101, 104];
    const r = returnsOf(ps);
    for (let i = 0; i < 2; i++) {
      est.push(ps[i] as number);
      expect(est.sigma).toBeNaN();
    }
    est.push(ps[2] as number);
    const seed = (r[0]! ** 2 + r[1]! ** 2) / 2;
    expect(est.variance).toBeCloseTo(seed, 15);
    est.push(ps[3] as number);
    expect(est.variance).toBeCloseTo(est.omega + 0.1 * r[2]! ** 2 + 0.8 * seed, 15);
  });

  it('should refuse α + β ≥ 1, negative weights and a long run ≤ 0', () => {
    const base = { intervalUs: 1_000, longRunSigma: 1e-4 };
    expect(() => new GarchVolEstimator({ ...base, alpha: 0.1, beta: 0.9 })).toThrow(/alpha \+ beta must be < 1/);
    expect(() => new GarchVolEstimator({ ...base, alpha: 0.5, beta: 0.6 })).toThrow(/alpha \+ beta must be < 1/);
    expect(() => new GarchVolEstimator({ ...base, alpha: -0.1, beta: 0.5 })).toThrow(/alpha must be/);
    expect(() => new GarchVolEstimator({ ...base, alpha: 0.1, beta: Number.NaN })).toThrow(/beta must be/);
    expect(() => new GarchVolEstimator({ ...base, alpha: 0.1, beta: 0.5, longRunSigma: 0 })).toThrow(/longRunSigma/);
  });
});
