import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { microstructureFacts, quantile } from '../../src/stats/microstructure.js';
import { runFacts } from '../../src/stats/facts.js';

const S = 1_000_000;
const N = Number.NaN;

describe('quantile (type 7)', () => {
  it('interpolates between order statistics as R and NumPy do', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('lies between the minimum and the maximum', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
      const q = quantile([...xs], p);
      expect(q).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(q).toBeLessThanOrEqual(Math.max(...xs));
    }));
  });
});

describe('microstructureFacts', () => {
  const input = {
    times: [0, 1, 2, 3, 4, 5].map((t) => t * S),
    bids: [99, 98, 99, N, 97, N],
    asks: [101, 102, 100, 103, N, N],
    bidDepth: [10, 20, 30, 0, 50, 0],
    askDepth: [40, 30, 20, 10, 0, 0],
    volume: [100, 100, 100, 100, 100, 100],
  };
  const ALL = [{ start: 0, end: 5 * S }];
  const TWO = [
    { start: 0, end: 2 * S },
    { start: 3 * S, end: 5 * S },
  ];

  it('drops the burn-in, measures spreads on two-sided samples and counts one-sided or empty ones', () => {
    const m = microstructureFacts(input, 1 * S, ALL);
    expect(m.samples).toBe(5);
    // Two-sided after the burn-in: spreads 4, 1.
    expect(m.spreadTicks.median).toBe(2.5);
    expect(m.spreadTicks.p95).toBeCloseTo(1 + 0.95 * 3, 12);
    // Ask only, bid only, empty: 3 of 5.
    expect(m.oneSidedShare).toBe(3 / 5);
    expect(m.depth.bidMedian).toBe(20);
    expect(m.depth.askMedian).toBe(10);
  });

  it('divides depth by the volume of a session, burn-in included', () => {
    const m = microstructureFacts(input, 1 * S, TWO);
    expect(m.dailyVolume).toBe(300);
    expect(m.depth.bidShareOfDailyVolume).toBeCloseTo(20 / 300, 12);
    expect(microstructureFacts({ ...input, volume: input.volume.map(() => 0) }, 0, ALL).depth.askShareOfDailyVolume).toBeNull();
  });

  it('leaves out the samples between sessions (an opening call, its book empty by design), but not their volume', () => {
    const m = microstructureFacts(input, 0, [
      { start: 0, end: 1 * S },
      { start: 4 * S, end: 5 * S },
    ]);
    // Samples at 0, 1, 4 and 5 s: two-sided, two-sided, bid only, empty.
    expect(m.samples).toBe(4);
    expect(m.oneSidedShare).toBe(2 / 4);
    expect(m.dailyVolume).toBe(300);
  });

  it('is null-valued, not NaN, without samples', () => {
    const m = microstructureFacts(input, 10 * S, ALL);
    expect(m.samples).toBe(0);
    expect([m.spreadTicks.median, m.oneSidedShare, m.depth.bidMedian]).toEqual([null, null, null]);
  });
});

describe('runFacts with the top of book', () => {
  it('counts a sample with an empty side as one-sided even when the mark fell back to a trade', () => {
    const times = Array.from({ length: 200 }, (_, i) => i * S);
    const mids = times.map((_, i) => 1000 + (i % 7));
    const bids = mids.map((m, i) => (i % 10 === 3 ? N : m - 1));
    const asks = mids.map((m) => m + 1);
    const zeros = mids.map(() => 0);
    const base = { times, mids, fundamentals: mids, samplingUs: S };
    const without = runFacts(base, { burnInUs: 0 });
    const withBook = runFacts({ ...base, book: { bids, asks, bidDepth: zeros, askDepth: zeros, volume: zeros } }, { burnInUs: 0 });
    expect(without.microstructure).toBeNull();
    expect(without.intervals['1m']?.oneSided).toBe(0);
    // The share counts every sample after the burn-in, not only the grid points.
    expect(withBook.microstructure?.oneSidedShare).toBe(20 / 200);
    expect(withBook.microstructure?.spreadTicks.median).toBe(2);
  });

  it('carries the previous mid over a one-sided grid sample', () => {
    const times = Array.from({ length: 181 }, (_, i) => i * S);
    const mids = times.map((_, i) => 1000 + i);
    const onesided = (i: number) => i === 60 || i === 120;
    const bids = mids.map((m, i) => (onesided(i) ? N : m - 1));
    const asks = mids.map((m) => m + 1);
    const zeros = mids.map(() => 0);
    const f = runFacts({ times, mids, fundamentals: mids, samplingUs: S, book: { bids, asks, bidDepth: zeros, askDepth: zeros, volume: zeros } }, { burnInUs: 0 });
    expect(f.intervals['1m']?.samples).toBe(4);
    expect(f.intervals['1m']?.oneSided).toBe(2);
  });
});
