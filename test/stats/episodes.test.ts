import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { episodeSpans, groupEpisodes, type EpisodeLiquidations } from '../../src/stats/episodes.js';

const S = 1_000_000;
const GAP = 60 * S;

/** A liquidation table of [time, cascade, debt repaid, bad debt] rows. */
function rows(r: [number, number, number?, number?][]): EpisodeLiquidations {
  return { timeUs: r.map((x) => x[0]), cascadeId: r.map((x) => x[1]), debtRepaid: r.map((x) => x[2] ?? 100), badDebt: r.map((x) => x[3] ?? 0) };
}

describe('groupEpisodes', () => {
  it('should group consecutive liquidations less than the gap apart, with their notional and cascades', () => {
    const table = groupEpisodes(
      rows([
        [0, 1, 100, 0],
        [30 * S, 1, 200, 5],
        [90 * S, 2, 300, 0], // exactly 60 s after the one before: a new episode
        [100 * S, 2, 400, 0],
        [100 * S, 3, 500, 7], // simultaneous
        [500 * S, 3, 600, 0],
      ]),
      GAP,
      [1.5, 0, 2.5],
    );
    expect(table).toEqual({
      episodeId: [1, 2, 3],
      startUs: [0, 90 * S, 500 * S],
      endUs: [30 * S, 100 * S, 500 * S],
      liquidations: [2, 3, 1],
      notional: [305, 1207, 600],
      cascades: [1, 2, 1],
      largestCascade: [2, 2, 1],
      priceDropPct: [1.5, 0, 2.5],
    });
  });

  it('should split at a gap exactly equal to the threshold and join one µs below it', () => {
    expect(groupEpisodes(rows([[0, 1], [GAP, 1]]), GAP).liquidations).toEqual([1, 1]);
    expect(groupEpisodes(rows([[0, 1], [GAP - 1, 1]]), GAP).liquidations).toEqual([2]);
    // The gap is between consecutive liquidations, not from the episode's start: a chain of short gaps is one episode.
    expect(groupEpisodes(rows([[0, 1], [GAP - 1, 1], [2 * GAP - 2, 1], [3 * GAP - 3, 1]]), GAP).liquidations).toEqual([4]);
  });

  it('should put simultaneous liquidations in one episode, whatever the gap', () => {
    const table = groupEpisodes(rows([[7, 1], [7, 2], [7, 3], [7, 1]]), 1);
    expect(table.liquidations).toEqual([4]);
    expect(table.startUs).toEqual([7]);
    expect(table.endUs).toEqual([7]);
    expect(table.cascades).toEqual([3]);
    expect(table.largestCascade).toEqual([2]);
  });

  it('should give no episode for no liquidation, and one for one', () => {
    expect(groupEpisodes(rows([]), GAP)).toEqual({ episodeId: [], startUs: [], endUs: [], liquidations: [], notional: [], cascades: [], largestCascade: [], priceDropPct: [] });
    expect(groupEpisodes(rows([[42, 5, 10, 3]]), GAP)).toEqual({ episodeId: [1], startUs: [42], endUs: [42], liquidations: [1], notional: [13], cascades: [1], largestCascade: [1], priceDropPct: [Number.NaN] });
  });

  it('should let one cascade span several episodes, and one episode hold several cascades', () => {
    // Cascade 1's tree goes on long after a quiet minute: two episodes of it.
    const spanning = groupEpisodes(rows([[0, 1], [10 * S, 1], [200 * S, 1]]), GAP);
    expect(spanning.liquidations).toEqual([2, 1]);
    expect(spanning.cascades).toEqual([1, 1]);
    // Three unrelated trees interleaved within a minute: one episode.
    const mixing = groupEpisodes(rows([[0, 1], [5 * S, 2], [10 * S, 1], [20 * S, 3], [30 * S, 1]]), GAP);
    expect(mixing.liquidations).toEqual([5]);
    expect(mixing.cascades).toEqual([3]);
    expect(mixing.largestCascade).toEqual([3]);
  });

  it('should take the rows in time order whatever their order in the table', () => {
    const sorted = groupEpisodes(rows([[0, 1, 1], [10, 2, 2], [100, 3, 4], [105, 3, 8]]), 50);
    const shuffled = groupEpisodes(rows([[105, 3, 8], [10, 2, 2], [100, 3, 4], [0, 1, 1]]), 50);
    expect(shuffled).toEqual(sorted);
    expect(episodeSpans([105, 10, 100, 0], 50)).toEqual({ order: [3, 1, 2, 0], starts: [0, 2] });
  });

  it('should refuse a gap that is not positive, a time that is not finite and drops of another length', () => {
    expect(() => groupEpisodes(rows([[0, 1]]), 0)).toThrow(RangeError);
    expect(() => groupEpisodes(rows([[0, 1]]), -1)).toThrow(RangeError);
    expect(() => groupEpisodes(rows([[0, 1]]), Number.NaN)).toThrow(RangeError);
    expect(() => groupEpisodes(rows([[Number.NaN, 1]]), 1)).toThrow(RangeError);
    expect(() => groupEpisodes(rows([[0, 1]]), 1, [])).toThrow(/0 price drops for 1 episodes/);
  });

  it('should partition the liquidations into episodes in time order, separated by at least the gap', () => {
    const table = fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 50 })), { maxLength: 60 });
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 300 }), (r, gap) => {
        const liq = rows(r);
        const e = groupEpisodes(liq, gap);
        const k = e.episodeId.length;
        expect(e.episodeId).toEqual(Array.from({ length: k }, (_, i) => i + 1));
        expect(e.liquidations.reduce((a, b) => a + b, 0)).toBe(r.length);
        expect(e.notional.reduce((a, b) => a + b, 0)).toBe(r.reduce((a, x) => a + (x[2] ?? 0) + (x[3] ?? 0), 0));
        // Consecutive episodes are at least a gap apart, in time order.
        for (let i = 1; i < k; i++) expect(e.startUs[i]! - e.endUs[i - 1]!).toBeGreaterThanOrEqual(gap);
        // Every row lies in exactly one episode's [start, end], and each episode has as many as it says.
        const counts = new Array<number>(k).fill(0);
        for (const [t] of r) {
          const holding = e.startUs.map((s, i) => (s <= t && t <= e.endUs[i]! ? i : -1)).filter((i) => i >= 0);
          expect(holding.length).toBe(1);
          counts[holding[0]!]!++;
        }
        expect(counts).toEqual(e.liquidations);
        for (let i = 0; i < k; i++) {
          // Within an episode consecutive liquidations are less than a gap apart.
          const times = r.map((x) => x[0]).filter((t) => t >= e.startUs[i]! && t <= e.endUs[i]!).sort((a, b) => a - b);
          for (let j = 1; j < times.length; j++) expect(times[j]! - times[j - 1]!).toBeLessThan(gap);
          const cascades = new Set(r.filter((x) => x[0] >= e.startUs[i]! && x[0] <= e.endUs[i]!).map((x) => x[1]));
          expect(e.cascades[i]).toBe(cascades.size);
          expect(e.largestCascade[i]).toBeGreaterThanOrEqual(Math.ceil(e.liquidations[i]! / cascades.size));
          expect(e.largestCascade[i]).toBeLessThanOrEqual(e.liquidations[i]!);
        }
      }),
    );
  });
});
