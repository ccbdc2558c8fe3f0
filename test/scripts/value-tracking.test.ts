/**
 * The diagnostic behind the arbitrage capital's size (README, "The market
 * without leverage"): its sampling, its inventory sums and its lag
 * correlations, on three short sessions.
 */
import { describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../src/experiment/config/load-config.js';
import { trackValue } from '../../scripts/value-tracking.js';

const text = [
  'name: value-tracking',
  'horizon: 3d',
  'sampling: 30s',
  'calendar: { session: 15m }',
  'instruments: [{ symbol: ABC, fundamental: { process: gbm, mu: 0, sigma: 0.0002, dt: 1s } }]',
  'agents:',
  '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
  '  - { type: noise, name: noise, count: 5, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
  '  - { type: fundamental-arbitrageur, name: arb, count: 2, cash: 100000000, holdings: { ABC: 1000 }, params: { maxPosition: 1000 } }',
  '',
].join('\n');
const config = loadExperimentText(text, 'value-tracking.yaml').config;

describe('trackValue', () => {
  const r = trackValue(config, 5, 'arb');

  it('should sample every 10 s from 10 minutes after each open, over the sessions the run has', () => {
    expect(r.days).toHaveLength(3);
    expect(r.samples).toBe(3 * 30);
    expect(r.lagCorrelation).toHaveLength(7);
    expect(r.farShare).toBeGreaterThanOrEqual(0);
    expect(r.farShare).toBeLessThanOrEqual(1);
    for (const d of r.days) expect(d.maxGapBp).toBeGreaterThanOrEqual(d.meanGapBp);
  });

  it('should sum the positions of the named group only', () => {
    const none = trackValue(config, 3, 'nobody');
    expect(none.days.map((d) => d.inventory)).toEqual([0, 0, 0]);
    // The arbitrageurs start with 2 × 1,000 lots and stay within ±1,000 each of it.
    for (const d of r.days) {
      expect(d.inventory).toBeGreaterThanOrEqual(0);
      expect(d.inventory).toBeLessThanOrEqual(4000);
    }
    expect(r.days.some((d) => d.inventory !== 2000)).toBe(true);
  });

  it('should see the mid follow value: a positive same-interval correlation, and the same figures on a second run', () => {
    expect(r.lagCorrelation[0]).toBeGreaterThan(0);
    expect(trackValue(config, 5, 'arb')).toEqual(r);
  });
});
