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
