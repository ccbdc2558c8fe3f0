import { describe, expect, it } from 'vitest';
import { closeToCloseReturns, sessionReturns } from '../../src/stats/mid-grid.js';
import { factsHillK, intervalFacts, MIN_RETURNS } from '../../src/stats/interval-facts.js';
import { DEFAULT_BURN_IN_US, runFacts, unmeasurable } from '../../src/stats/facts.js';
import { centralMoment } from '../../src/stats/moments.js';
import { hillTailIndex } from '../../src/stats/hill.js';
import { gaussian, mulberry32 } from './_support/prng.js';

const S = 1_000_000;
const MIN = 60 * S;

describe('sessionReturns', () => {
  it('samples the last mid at or before each grid point and carries over empty sides, counting them', () => {
    const times = [0, 10 * S, 30 * S, 45 * S, 60 * S, 90 * S];
    const mids = [100, 101, Number.NaN, 104, Number.NaN, 110];
    const r = sessionReturns(times, mids, 30 * S);
    // Grid 0, 30, 60, 90 s: 100, (NaN → 101 carried), (NaN → 104 carried), 110.
    expect(r.samples).toBe(4);
    expect(r.oneSided).toBe(2);
    expect(r.bySession[0]).toEqual([Math.log(101 / 100), Math.log(104 / 101), Math.log(110 / 104)]);
  });

  it('drops the burn-in of the first session only', () => {
    const times = Array.from({ length: 21 }, (_, i) => i * MIN);
    const mids = times.map((_, i) => 100 + i);
    const sessions = [{ start: 0, end: 10 * MIN }, { start: 10 * MIN, end: 20 * MIN }];
    const r = sessionReturns(times, mids, MIN, { sessions, burnIn: 3 * MIN });
    expect(r.bySession[0]).toHaveLength(7); // grid 3..10 min
    expect(r.bySession[0]?.[0]).toBeCloseTo(Math.log(104 / 103), 12);
    expect(r.bySession[1]).toHaveLength(10); // grid 10..20 min, no burn-in
  });

  it('never returns across a session boundary', () => {
    // A gap of +10 % between sessions: intraday returns must not contain it, close-to-close must.
    const times = [0, MIN, 2 * MIN, 10 * MIN, 11 * MIN, 12 * MIN];
    const mids = [100, 100, 100, 110, 110, 110];
    const sessions = [{ start: 0, end: 2 * MIN }, { start: 10 * MIN, end: 12 * MIN }];
    const r = sessionReturns(times, mids, MIN, { sessions });
    for (const s of r.bySession) for (const x of s) expect(x).toBe(0);
    expect(closeToCloseReturns(times, mids, sessions)).toEqual([Math.log(1.1)]);
  });
});

describe('intervalFacts', () => {
  const z = gaussian(mulberry32(11));
  const gauss = Array.from({ length: 4000 }, () => z());

  it('reports every statistic missing under 100 returns, not computed', () => {
    const f = intervalFacts(gauss.slice(0, MIN_RETURNS - 1));
    expect(f.n).toBe(99);
    expect([f.sd, f.skew, f.excessKurtosis, f.hill, f.acf1, ...Object.values(f.absAcf)].every((x) => x === null)).toBe(true);
    expect(intervalFacts(gauss.slice(0, MIN_RETURNS)).sd).not.toBeNull();
  });

  it('uses the population sd, k = ⌈0.05 n⌉ for Hill and reports Hill missing when k < 10', () => {
    const f = intervalFacts(gauss);
    expect(f.sd).toBeCloseTo(Math.sqrt(centralMoment(gauss, 2)), 14);
    expect(f.hill).toBeCloseTo(hillTailIndex(gauss, { k: 200 }), 14);
    expect(factsHillK(180)).toBe(9);
    expect(factsHillK(181)).toBe(10);
    expect(intervalFacts(gauss.slice(0, 180)).hill).toBeNull();
    expect(intervalFacts(gauss.slice(0, 181)).hill).not.toBeNull();
  });

  it('gives Gaussian facts for Gaussian noise and |r| ACF null beyond the sample', () => {
    const f = intervalFacts(gauss);
    expect(Math.abs(f.excessKurtosis as number)).toBeLessThan(0.3);
    expect(Math.abs(f.acf1 as number)).toBeLessThan(0.05);
    expect(Object.keys(f.absAcf)).toEqual(['1', '5', '10', '20', '50', '100']);
    expect(intervalFacts(gauss.slice(0, 100)).absAcf['100']).toBeNull();
  });
});

describe('runFacts', () => {
  /** A 30-s sampled random-walk mid and a fundamental with half its volatility. */
  function run(hours: number, seed: number) {
    const z = gaussian(mulberry32(seed));
    const times: number[] = [];
    const mids: number[] = [];
    const fundamentals: number[] = [];
    let lm = Math.log(10_000);
    let lf = lm;
    for (let t = 0; t <= hours * 3600 * S; t += 30 * S) {
      times.push(t);
      mids.push(Math.exp(lm));
      fundamentals.push(Math.exp(lf));
      lm += 0.001 * z();
      lf += 0.0005 * z();
    }
    return { times, mids, fundamentals, samplingUs: 30 * S };
  }

  it('measures 1, 5 and 30 min after a 30-min burn-in, VR ≈ 1 and the 5-min vol ratio ≈ 2 for a random walk', () => {
    const f = runFacts(run(60, 3));
    expect(f.burnInUs).toBe(DEFAULT_BURN_IN_US);
    expect(f.intervals['1m']?.n).toBe(60 * 60 - 30);
    expect(f.intervals['5m']?.n).toBe(12 * 60 - 6);
    expect(f.intervals['30m']?.n).toBe(2 * 60 - 1);
    expect(f.intervals['30m']?.missing).toBeNull();
    expect(f.intervals['1d']?.missing).toBe('fewer than 60 sessions (1)');
    expect(Math.abs((f.varianceRatio.value as number) - 1)).toBeLessThan(0.2);
    expect(f.varianceRatio.q).toBe(15);
    expect(Math.abs((f.volRatio5m as number) - 2)).toBeLessThan(0.3);
    expect(f.intervals['1m']?.sd).toBeCloseTo(0.001 * Math.sqrt(2), 3.5);
  });

  it('reports too-short runs as missing with the count, and intervals the sampling cannot give with a reason', () => {
    const f = runFacts(run(2, 1));
    expect(f.intervals['5m']?.missing).toBe('fewer than 100 returns (18)');
    expect(f.intervals['5m']?.sd).toBeNull();
    expect(f.volRatio5m).toBeNull();
    expect(unmeasurable(MIN, 120 * S)).toBe('finer than the sampling interval (120 s)');
    expect(unmeasurable(5 * MIN, 120 * S)).toBe('not a multiple of the sampling interval (120 s)');
    const coarse = runFacts({ ...run(10, 2), samplingUs: 120 * S });
    expect(coarse.intervals['1m']?.missing).toBe('finer than the sampling interval (120 s)');
    expect(coarse.varianceRatio.value).toBeNull();
  });

  it('takes the burn-in as an option', () => {
    expect(runFacts(run(60, 3), { burnInUs: 0 }).intervals['1m']?.n).toBe(3600);
  });
});
