import { describe, expect, it } from 'vitest';
import { Sampler } from '../../../src/experiment/run/sampler.js';
import { MatchResult } from '../../../src/market/match-result.js';
import type { Side } from '../../../src/market/side.js';
import type { ValueProcess } from '../../../src/market/value-process.js';
import { buildHarness } from '../../helpers/exchange-harness.js';

const flat: ValueProcess = { valueAt: () => 1000, shock: () => undefined };

/** One sample of a book built by hand (orders: side, price, qty). */
function sampleOf(orders: readonly [Side, number, number][]) {
  const h = buildHarness({ clients: [] });
  const book = h.exchange.book(0);
  orders.forEach(([side, price, qty], i) => book.place({ type: 'limit', side, id: i + 1, owner: 1, price, qty }, new MatchResult()));
  const sampler = h.kernel.register(new Sampler(h.exchange, [flat], 1_000_000, 0, 5, null));
  h.run();
  const s = sampler.series;
  expect(s.timeUs).toEqual([0]);
  return { mid: s.mid[0], bid: s.bid[0], ask: s.ask[0], bidDepth: s.bidDepth[0], askDepth: s.askDepth[0] };
}

describe('Sampler: top of book and ±1 % depth', () => {
  it('records the best quotes and sums the levels within 1 % of the mid, bounds included', () => {
    // Mid 1000: the band is [990, 1010]; 989 and 1011 lie outside.
    const row = sampleOf([
      ['buy', 998, 5], ['buy', 995, 3], ['buy', 990, 2], ['buy', 989, 50],
      ['sell', 1002, 4], ['sell', 1010, 6], ['sell', 1011, 70],
    ]);
    expect(row).toEqual({ mid: 1000, bid: 998, ask: 1002, bidDepth: 10, askDepth: 10 });
  });

  it('leaves an empty side empty (NaN) while the mark falls back, so the sample is one-sided', () => {
    const row = sampleOf([['buy', 1000, 5], ['buy', 985, 7]]);
    expect(row.bid).toBe(1000);
    expect(row.ask).toBeNaN();
    expect(row.askDepth).toBe(0);
    // No trade yet: no mark either, so no band to measure depth in.
    expect(row.mid).toBeNaN();
    expect(row.bidDepth).toBe(0);
  });

  it('records an empty book as empty on both sides', () => {
    const row = sampleOf([]);
    expect([row.bid, row.ask, row.bidDepth, row.askDepth]).toEqual([Number.NaN, Number.NaN, 0, 0]);
  });
});

describe('Sampler: rows allocated for the horizon', () => {
  it('gives exactly the rows sampled, every column alike, whether the run reaches its horizon or stops early', () => {
    for (const [until, rows] of [[10_000_000, 11], [4_500_000, 5]] as const) {
      const h = buildHarness({ clients: [] });
      const sampler = h.kernel.register(new Sampler(h.exchange, [flat], 1_000_000, 10_000_000, 5, null));
      h.kernel.runUntil(until);
      const s = sampler.series;
      expect(s.timeUs).toEqual(Array.from({ length: rows }, (_, i) => i * 1_000_000));
      for (const column of Object.values(s) as unknown[][]) expect(column.length).toBe(rows);
      expect(s.fundamental.every((v) => v === 1000)).toBe(true);
    }
  });
});
