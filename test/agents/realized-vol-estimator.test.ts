import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSamples } from '../helpers/grid-samples.js';
import { RandomStream } from '../../src/engine/random-stream.js';
import { RealizedVolEstimator } from '../../src/agents/realized-vol-estimator.js';

/** Realised variance straight from the definition: Σ r² over the last `window` log returns of the samples. */
function directRv(samples: readonly number[], window: number): number {
  const r: number[] = [];
  for (let i = 1; i < samples.length; i++) r.push(Math.log((samples[i] as number) / (samples[i - 1] as number)));
  return r.slice(-window).reduce((s, x) => s + x * x, 0);
}

/** Checks RV to 1e-12 (the running sum's rounding is relative to the largest squares it held) and σ = √(RV / (n·Δ_s)). */
function expectMatches(est: RealizedVolEstimator, samples: readonly number[], window: number, intervalUs: number): void {
  const n = Math.min(window, samples.length - 1);
  expect(est.count).toBe(n);
  expect(Math.abs(est.realizedVariance - directRv(samples, window))).toBeLessThan(1e-12);
  expect(est.sigma).toBe(Math.sqrt(est.realizedVariance / (n * (intervalUs / 1e6))));
  expect(est.sigmaPerInterval).toBe(Math.sqrt(est.realizedVariance / n));
}

const prices = fc.array(fc.double({ min: 50, max: 200, noNaN: true }), { minLength: 2, maxLength: 200 });

describe('RealizedVolEstimator', () => {
  it('should match a direct computation over the last window of pushed samples', () => {
    fc.assert(
      fc.property(prices, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5_000_000 }), (ps, window, intervalUs) => {
        const est = new RealizedVolEstimator({ intervalUs, window, minReturns: 1 });
        for (const p of ps) est.push(p);
        expectMatches(est, ps, window, intervalUs);
      }),
    );
  });

  it('should sample irregular observations on its grid by the previous-tick rule', () => {
    const obsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.double({ min: 50, max: 200, noNaN: true })), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(obsArb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 0, max: 500 }), (raw, window, intervalUs, tail) => {
        const obs = [...raw].sort((a, b) => a[0] - b[0]);
        const est = new RealizedVolEstimator({ intervalUs, window, minReturns: 1 });
        for (const [t, p] of obs) est.observe(t, p);
        const until = (obs[obs.length - 1] as [number, number])[0] + tail;
        est.advanceTo(until);
        const samples = gridSamples(obs, intervalUs, until);
        if (samples.length < 2) {
          expect(est.ready).toBe(false);
        } else {
          expectMatches(est, samples, window, intervalUs);
        }
      }),
    );
  });

  it('should give σ per √s for a known series', () => {
    // Returns ±ln(1.01) every 0.25 s: σ = ln(1.01) / √0.25.
    const est = new RealizedVolEstimator({ intervalUs: 250_000, window: 4 });
    for (const p of [100, 101, 100, 101, 100]) est.push(p);
    expect(est.sigma).toBeCloseTo(Math.log(1.01) / 0.5, 12);
    expect(est.sigmaPerInterval).toBeCloseTo(Math.log(1.01), 12);
  });

  it('should fill a long silence with zero returns without looping over it', () => {
    const est = new RealizedVolEstimator({ intervalUs: 1_000, window: 4, minReturns: 1 });
    est.observe(0, 100);
    est.observe(1_000, 110);
    est.advanceTo(1_000);
    expect(est.sigma).toBeGreaterThan(0);
    est.advanceTo(1e12); // 10⁹ grid points: must not take 10⁹ steps
    expect(est.count).toBe(4);
    expect(est.sigma).toBe(0);
  });

  it('should give exactly 0 once the window holds only zero returns, whatever came before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 40 }), fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 200 }), (window, prices) => {
        const est = new RealizedVolEstimator({ intervalUs: 1, window, minReturns: 1 });
        for (const p of prices) est.push(p);
        const last = prices.at(-1) as number;
        for (let i = 0; i < window; i++) est.push(last);
        expect(est.sigma).toBe(0);
      }),
    );
  });

  it('should ignore prices that are not positive and finite (a one-sided book)', () => {
    const est = new RealizedVolEstimator({ intervalUs: 10, window: 3, minReturns: 1 });
    est.observe(0, 100);
    est.observe(5, Number.NaN);
    est.observe(8, 0);
    est.observe(12, 100);
    est.advanceTo(30);
    expect(est.sigma).toBe(0);
  });

  it('should report NaN until it has minReturns returns', () => {
    const est = new RealizedVolEstimator({ intervalUs: 1_000_000, window: 5 });
    for (let i = 0; i < 5; i++) {
      est.push(100 + i);
      expect(est.ready).toBe(false);
      expect(est.sigma).toBeNaN();
    }
    est.push(200);
    expect(est.ready).toBe(true);
    expect(est.sigma).toBeGreaterThan(0);
  });

  it('should recover the volatility of a geometric random walk', () => {
    const rng = new RandomStream(1, 'gbm');
    const sigmaPerSqrtS = 0.002;
    const intervalUs = 250_000;
    const est = new RealizedVolEstimator({ intervalUs, window: 4_000 });
    let p = 1_000;
    for (let i = 0; i <= 4_000; i++) {
      est.observe(i * intervalUs, p);
      p *= Math.exp(rng.normal(0, sigmaPerSqrtS * Math.sqrt(intervalUs / 1e6)));
    }
    est.advanceTo(4_000 * intervalUs);
    expect(est.sigma / sigmaPerSqrtS).toBeGreaterThan(0.95);
    expect(est.sigma / sigmaPerSqrtS).toBeLessThan(1.05);
  });

  it('should report its prior from the start, each real return replacing one prior return', () => {
    fc.assert(
      fc.property(prices, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5_000_000 }), fc.double({ min: 1e-5, max: 1e-1, noNaN: true }), (ps, window, intervalUs, priorSigma) => {
        const est = new RealizedVolEstimator({ intervalUs, window, priorSigma });
        const dt = intervalUs / 1e6;
        expect(est.ready).toBe(true);
        expect(est.count).toBe(window);
        expect(Math.abs(est.sigma / priorSigma - 1)).toBeLessThan(1e-12);
        for (const p of ps) est.push(p);
        // The window: the prior returns not yet replaced, then the data's.
        const real = Math.min(window, ps.length - 1);
        const expected = (window - real) * priorSigma * priorSigma * dt + directRv(ps, window);
        expect(est.count).toBe(window);
        expect(Math.abs(est.realizedVariance - expected)).toBeLessThan(1e-12 * Math.max(1, expected));
        if (ps.length - 1 >= window) expectMatches(est, ps, window, intervalUs); // the prior is gone
      }),
    );
  });

  it('should keep the start-up wait without a prior (the default)', () => {
    const est = new RealizedVolEstimator({ intervalUs: 1_000, window: 3 });
    expect(est.priorSigma).toBeNaN();
    est.advanceTo(0);
    expect(est.ready).toBe(false);
    expect(est.sigma).toBeNaN();
  });

  it('should refuse time going back and bad options', () => {
    const est = new RealizedVolEstimator({ intervalUs: 10, window: 3 });
    est.observe(100, 1);
    expect(() => est.observe(50, 1)).toThrow(RangeError);
    expect(() => new RealizedVolEstimator({ intervalUs: 0, window: 3 })).toThrow(RangeError);
    expect(() => new RealizedVolEstimator({ intervalUs: 10, window: 3, minReturns: 4 })).toThrow(RangeError);
    expect(() => new RealizedVolEstimator({ intervalUs: 10, window: 3, priorSigma: -1e-4 })).toThrow(RangeError);
  });
});
