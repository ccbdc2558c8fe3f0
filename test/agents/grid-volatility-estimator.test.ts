import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSamples } from '../helpers/grid-samples.js';
import { EwmaVolEstimator } from '../../src/agents/ewma-vol-estimator.js';
import { GarchVolEstimator } from '../../src/agents/garch-vol-estimator.js';
import { RealizedVolEstimator } from '../../src/agents/realized-vol-estimator.js';
import type { VolatilityEstimator } from '../../src/agents/volatility-estimator.js';

/** The three estimators of a lender, each from a prior, on one grid. */
const KINDS: readonly [string, (intervalUs: number) => VolatilityEstimator][] = [
  ['realized', (intervalUs) => new RealizedVolEstimator({ intervalUs, window: 8, priorSigma: 0.02 })],
  ['ewma', (intervalUs) => new EwmaVolEstimator({ intervalUs, lambda: 0.9, priorSigma: 0.02 })],
  ['garch', (intervalUs) => new GarchVolEstimator({ intervalUs, alpha: 0.1, beta: 0.85, longRunSigma: 0.01, priorSigma: 0.02 })],
];

describe('GridVolatilityEstimator (shared sampling)', () => {
  it.each(KINDS)('%s: should not take the move across a night as a return: a gap at the open leaves the estimate as it was without it', (_kind, make) => {
    const sessionUs = 1_000;
    fc.assert(
      fc.property(fc.array(fc.double({ min: 90, max: 110, noNaN: true }), { minLength: 4, maxLength: 40 }), fc.double({ min: 0.5, max: 2, noNaN: true }), fc.integer({ min: 0, max: 99 }), (prices, gap, offset) => {
        const run = (factor: number, nights: boolean) => {
          const e = make(100);
          const half = prices.length >> 1;
          prices.forEach((p, i) => {
            const second = i >= half;
            // Session 1 at 0, 100, …; session 2 from its open (plus an offset), every 100 µs.
            const t = second ? sessionUs + offset + (i - half) * 100 : i * 100;
            if (second && i === half && nights) e.openSession(sessionUs);
            e.observe(t, second ? p * factor : p);
          });
          e.advanceTo(sessionUs + offset + prices.length * 100);
          return e.sigma;
        };
        const flat = run(1, true);
        // Scaling every later price rounds each log return by about 1e-16,
        // and the realised estimator's running sum keeps the rounding of the
        // largest squared returns that have left its window (about
        // 1e-16 · 0.02 · 8 per interval here: σ ≈ 1e-7 per √s once the window
        // is flat), so σ of float noise needs the absolute floor of 1e-6; a
        // night gap (a factor 0.5–2) taken as a return moves σ by over 1.
        expect(Math.abs(run(gap, true) - flat)).toBeLessThanOrEqual(1e-9 * flat + 1e-6);
      }),
    );
  });

  it.each(KINDS)('%s: should take a gap as a return when no session opens (the cut is what removes it)', (_kind, make) => {
    const cut = make(100);
    const uncut = make(100);
    for (let t = 0; t < 1_000; t += 100) {
      cut.observe(t, 100);
      uncut.observe(t, 100);
    }
    cut.openSession(1_000);
    cut.observe(1_000, 110);
    uncut.observe(1_000, 110);
    cut.advanceTo(1_100);
    uncut.advanceTo(1_100);
    expect(uncut.sigma).toBeGreaterThan(2 * cut.sigma);
  });

  it.each(KINDS)('%s: should see irregular observations as the previous-tick samples of its grid, quiet stretches as zero returns', (_kind, make) => {
    const obsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.double({ min: 50, max: 200, noNaN: true })), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(obsArb, fc.integer({ min: 1, max: 150 }), fc.integer({ min: 0, max: 3_000 }), (raw, intervalUs, tail) => {
        const obs = [...raw].sort((a, b) => a[0] - b[0]);
        const observed = make(intervalUs);
        for (const [t, p] of obs) observed.observe(t, p);
        const until = (obs[obs.length - 1] as [number, number])[0] + tail;
        observed.advanceTo(until);
        const pushed = make(intervalUs);
        for (const p of gridSamples(obs, intervalUs, until)) pushed.push(p);
        // Runs of zero returns are applied in closed form by the recursive estimators: equal to rounding.
        expect(Math.abs(observed.sigma - pushed.sigma)).toBeLessThanOrEqual(1e-12 * pushed.sigma);
      }),
    );
  });

  it.each(KINDS)('%s: should report a number from the first moment with a prior, before any price', (_kind, make) => {
    const est = make(1_000_000);
    est.advanceTo(0);
    expect(est.ready).toBe(true);
    expect(est.sigma).toBeCloseTo(0.02, 14);
  });
});
