import { describe, expect, it } from 'vitest';
import { sessionTable } from '../../src/stats/sessions.js';
import type { TimeSeries } from '../../src/stats/output-tables.js';
import { tradeStore } from '../helpers/trade-rows.js';

/** A timeseries with rows at `times` for one symbol, mid = 100 + time, debt = 10·time. */
function series(symbol: string, times: number[]): TimeSeries {
  const col = (f: (t: number) => number) => times.map(f);
  return {
    timeUs: times, instrument: times.map(() => symbol), mid: col((t) => 100 + t), last: col(() => 0), bid: col(() => 0), ask: col(() => 0), bidDepth: col(() => 0), askDepth: col(() => 0),
    volume: col(() => 0), fundamental: col(() => 0), realizedVol: col(() => 0), aggregateLeverage: col((t) => t / 100), leveredLeverage: col(() => 2), leveredAssets: col(() => 0), debtToEquity: col(() => 1), meanHaircut: col(() => 0.2), totalDebt: col((t) => 10 * t), lenderEquity: col(() => 5),
  };
}

/** Trades from columns, in a store of two-row chunks. */
function chunked(rows: { timeUs: number[]; instrument: number[]; price: number[]; qty: number[] }) {
  return tradeStore(rows.timeUs.map((time, i) => ({ time, instrument: rows.instrument[i], price: rows.price[i] as number, qty: rows.qty[i] })));
}

describe('sessionTable', () => {
  it('puts an event at a boundary in the next session, and the boundary row in the one it closes', () => {
    const trades = chunked({ timeUs: [1, 4, 5, 9, 10, 12], instrument: [0, 0, 0, 0, 0, 0], price: [50, 60, 40, 55, 70, 65], qty: [1, 2, 3, 4, 5, 6] });
    const liquidations = { timeUs: [5, 12, 12], instrument: [0, 0, 0] };
    // Sessions of 5 µs, a horizon of 12 µs: the third session is partial and ends the run (a trade at 12 is in it).
    const t = sessionTable({ sessionUs: 5, sessions: 3, horizonUs: 12, symbols: ['ABC'] }, series('ABC', [0, 5, 10, 12]), trades, liquidations);
    expect(t.day).toEqual([0, 1, 2]);
    expect(t.endUs).toEqual([5, 10, 12]);
    expect([t.open, t.high, t.low, t.close]).toEqual([
      [50, 40, 70],
      [60, 55, 70],
      [50, 40, 65],
      [60, 55, 65],
    ]);
    expect(t.volume).toEqual([3, 7, 11]);
    expect(t.closeMid).toEqual([105, 110, 112]);
    expect(t.totalDebt).toEqual([50, 100, 120]);
    expect(t.liquidations).toEqual([0, 1, 2]);
  });

  it('gives a session without trades NaN prices and zero volume, per instrument', () => {
    const ts = series('ABC', [0, 5, 10]);
    const both: TimeSeries = Object.fromEntries(Object.entries(ts).map(([k, v]) => [k, [...(v as unknown[]), ...(series('XYZ', [0, 5, 10]) as unknown as Record<string, unknown[]>)[k]!]])) as unknown as TimeSeries;
    const t = sessionTable({ sessionUs: 5, sessions: 2, horizonUs: 10, symbols: ['ABC', 'XYZ'] }, both, chunked({ timeUs: [7], instrument: [1], price: [9], qty: [2] }), { timeUs: [], instrument: [] });
    expect(t.instrument).toEqual(['ABC', 'ABC', 'XYZ', 'XYZ']);
    expect(t.open.map((x) => (Number.isNaN(x) ? null : x))).toEqual([null, null, null, 9]);
    expect(t.volume).toEqual([0, 0, 0, 2]);
  });
});
