import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { episodePriceDrops } from '../../src/stats/episode-price-drops.js';
import { episodeSpans } from '../../src/stats/episodes.js';
import type { TradeSource } from '../../src/stats/output-tables.js';
import { tradeStore } from '../helpers/trade-rows.js';

/** Trades as [time, price, instrument] rows, in a store of `size`-row chunks. */
function trades(rows: [number, number, number?][], size = 2): TradeSource {
  return tradeStore(rows.map(([time, price, instrument]) => ({ time, price, instrument })), size);
}

/** Liquidations as [time, instrument] rows. */
const liquidations = (r: [number, number?][]) => ({ timeUs: r.map((x) => x[0]), instrument: r.map((x) => x[1] ?? 0) });

describe('episodePriceDrops', () => {
  it('should measure from the last trade before the start to the lowest trade until a gap after the last liquidation', () => {
    const t = trades([
      [0, 1000],
      [50, 990], // the last trade before the episode
      [100, 980], // at the start: in the window, not "before"
      [120, 10, 1], // another instrument: ignored
      [150, 950],
      [189, 940], // the last µs of the window [100, 130 + 60)
      [190, 900], // outside
    ]);
    expect(episodePriceDrops(t, liquidations([[100], [130]]), 60)).toEqual([((990 - 940) / 990) * 100]);
  });

  it('should give 0 without a trade before the start, without a trade in the window, or when the price rose', () => {
    expect(episodePriceDrops(trades([[100, 900]]), liquidations([[100]]), 10)).toEqual([0]);
    expect(episodePriceDrops(trades([[0, 1000], [500, 900]]), liquidations([[100]]), 10)).toEqual([0]);
    expect(episodePriceDrops(trades([[0, 1000], [105, 1010]]), liquidations([[100]]), 10)).toEqual([0]);
    expect(episodePriceDrops(trades([]), liquidations([[100], [200]]), 10)).toEqual([0, 0]);
    expect(episodePriceDrops(trades([[0, 1000]]), liquidations([]), 10)).toEqual([]);
  });

  it("should follow the instrument of each episode's first liquidation", () => {
    const t = trades([[0, 1000, 0], [1, 500, 1], [100, 990, 0], [101, 400, 1], [300, 800, 0], [301, 450, 1]]);
    // Episode 1 starts on instrument 1 (500 → 400), episode 2 on instrument 0 (990 → 800).
    expect(episodePriceDrops(t, liquidations([[100, 1], [101, 0], [300, 0], [302, 1]]), 50)).toEqual([20, ((990 - 800) / 990) * 100]);
  });

  it('should give each of several episodes passed without a trade the last price before it', () => {
    const t = trades([[0, 1000], [1000, 900]]);
    expect(episodePriceDrops(t, liquidations([[100], [300], [1000]]), 50)).toEqual([0, 0, 10]);
  });

  it('should agree with the definition computed trade by trade, however the trades are chunked', () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 1 }));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 1 })), { maxLength: 10 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 7 }), (gaps, liq, gap, size) => {
        let time = 0;
        const rows = gaps.map(([dt, price, instrument]): [number, number, number] => [(time += dt), price, instrument]);
        const l = liquidations(liq.map(([t, i]) => [t, i]));
        const drops = episodePriceDrops(trades(rows, size), l, gap);
        expect(drops).toEqual(episodePriceDrops(trades(rows, 1000), l, gap));
        // The definition, directly: per episode, on its first liquidation's instrument.
        const { order, starts } = episodeSpans(l.timeUs, gap);
        const want = starts.map((from, e) => {
          const to = e + 1 < starts.length ? starts[e + 1]! : order.length;
          const start = l.timeUs[order[from]!]!;
          const end = l.timeUs[order[to - 1]!]!;
          const instrument = l.instrument[order[from]!]!;
          const before = rows.filter((r) => r[0] < start && r[2] === instrument).at(-1)?.[1];
          const inWindow = rows.filter((r) => r[0] >= start && r[0] < end + gap && r[2] === instrument).map((r) => r[1]);
          if (before === undefined || inWindow.length === 0) return 0;
          return Math.max(0, ((before - Math.min(...inWindow)) / before) * 100);
        });
        expect(drops).toEqual(want);
        for (const d of drops) expect(d >= 0 && d < 100).toBe(true);
      }),
    );
  });
});
