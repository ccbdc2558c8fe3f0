/**
 * sessions.csv: one row per trading session (day) per instrument — the daily
 * bar a researcher would download, and the credit figures at its close.
 *
 * - open, high, low, close: the first, highest, lowest and last *trade*
 *   price of the session, ticks (daily bars are traded prices); NaN for a
 *   session without trades. `close_mid` is the mid sampled at the close (the
 *   price of FACTS.md, from which its 1-day close-to-close returns are taken).
 * - Session d covers trading time [d·L, (d+1)·L): an event at (d+1)·L belongs
 *   to the next session, except at the end of the run, which closes the last
 *   one. The timeseries row at (d+1)·L is session d's close (the sampler
 *   takes it before the exchange expires the day's orders).
 * - The credit columns are those of the close row of timeseries.csv.
 *
 * @module
 */

import type { LiquidationTable, TimeSeries, TradeSource } from './output-tables.js';

/** sessions.csv, as columns. */
export interface SessionTable {
  /** Session index, 0-based. */
  readonly day: number[];
  readonly instrument: string[];
  /** Trading time of the open and the close, µs. */
  readonly startUs: number[];
  readonly endUs: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  /** Mid at the close sample, ticks (NaN without a two-sided book). */
  readonly closeMid: number[];
  /** Lots traded in the session. */
  readonly volume: number[];
  readonly totalDebt: number[];
  readonly aggregateLeverage: number[];
  /** Leverage of the agents with debt at the close (FACTS.md: Σ assets / Σ equity over them; NaN while nobody owes). */
  readonly leveredLeverage: number[];
  /** System debt / equity of the borrowers at the close. */
  readonly debtToEquity: number[];
  readonly meanHaircut: number[];
  readonly lenderEquity: number[];
  /** Liquidations of the instrument's collateral in the session. */
  readonly liquidations: number[];
}

/** What {@link sessionTable} needs besides the run's tables. */
export interface SessionLayout {
  /** Session length, µs of trading time. */
  readonly sessionUs: number;
  /** Sessions in the run (the last may be partial). */
  readonly sessions: number;
  /** End of the run, µs. */
  readonly horizonUs: number;
  /** Instrument symbols by id. */
  readonly symbols: readonly string[];
}

/** The sessions table of a run (see module docs). */
export function sessionTable(layout: SessionLayout, series: TimeSeries, trades: Pick<TradeSource, 'chunks'>, liquidations: Pick<LiquidationTable, 'timeUs' | 'instrument'>): SessionTable {
  const t: SessionTable = {
    day: [], instrument: [], startUs: [], endUs: [], open: [], high: [], low: [], close: [], closeMid: [], volume: [],
    totalDebt: [], aggregateLeverage: [], leveredLeverage: [], debtToEquity: [], meanHaircut: [], lenderEquity: [], liquidations: [],
  };
  const { sessionUs, sessions, horizonUs, symbols } = layout;
  const dayOf = (time: number) => Math.min(Math.floor(time / sessionUs), sessions - 1);
  const allBars = dailyBars(trades, symbols.length, sessions, dayOf);
  for (let inst = 0; inst < symbols.length; inst++) {
    const symbol = symbols[inst] as string;
    const bars = allBars[inst] as Bars;
    const liq = new Array<number>(sessions).fill(0);
    for (let i = 0; i < liquidations.timeUs.length; i++) if (liquidations.instrument[i] === inst) liq[dayOf(liquidations.timeUs[i] as number)]++;
    const closeRow = closeRows(series, symbol, sessions, sessionUs, horizonUs);
    for (let d = 0; d < sessions; d++) {
      const row = closeRow[d] as number;
      const at = (col: readonly number[]) => (row < 0 ? Number.NaN : (col[row] as number));
      t.day.push(d);
      t.instrument.push(symbol);
      t.startUs.push(d * sessionUs);
      t.endUs.push(Math.min((d + 1) * sessionUs, horizonUs));
      t.open.push(bars.open[d] as number);
      t.high.push(bars.high[d] as number);
      t.low.push(bars.low[d] as number);
      t.close.push(bars.close[d] as number);
      t.closeMid.push(at(series.mid));
      t.volume.push(bars.volume[d] as number);
      t.totalDebt.push(at(series.totalDebt));
      t.aggregateLeverage.push(at(series.aggregateLeverage));
      t.leveredLeverage.push(at(series.leveredLeverage));
      t.debtToEquity.push(at(series.debtToEquity));
      t.meanHaircut.push(at(series.meanHaircut));
      t.lenderEquity.push(at(series.lenderEquity));
      t.liquidations.push(liq[d] as number);
    }
  }
  return t;
}

interface Bars {
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
}

/** OHLC and volume of each instrument's trades per session: one pass over the trades, which are streamed in time order. */
function dailyBars(trades: Pick<TradeSource, 'chunks'>, instruments: number, sessions: number, dayOf: (t: number) => number): Bars[] {
  const nan = () => new Array<number>(sessions).fill(Number.NaN);
  const all: Bars[] = Array.from({ length: instruments }, () => ({ open: nan(), high: nan(), low: nan(), close: nan(), volume: new Array<number>(sessions).fill(0) }));
  for (const c of trades.chunks()) {
    for (let i = 0; i < c.length; i++) {
      const bars = all[c.instrument[i] as number];
      if (bars === undefined) continue;
      const d = dayOf(c.timeUs[i] as number);
      const p = c.price[i] as number;
      if (Number.isNaN(bars.open[d] as number)) {
        bars.open[d] = p;
        bars.high[d] = p;
        bars.low[d] = p;
      } else {
        if (p > (bars.high[d] as number)) bars.high[d] = p;
        if (p < (bars.low[d] as number)) bars.low[d] = p;
      }
      bars.close[d] = p;
      bars.volume[d] = (bars.volume[d] as number) + (c.qty[i] as number);
    }
  }
  return all;
}

/** Per session, the index of the instrument's last timeseries row at or before its close (-1: none). */
function closeRows(series: TimeSeries, symbol: string, sessions: number, sessionUs: number, horizonUs: number): number[] {
  const rows = new Array<number>(sessions).fill(-1);
  let d = 0;
  for (let i = 0; i < series.timeUs.length && d < sessions; i++) {
    if (series.instrument[i] !== symbol) continue;
    const time = series.timeUs[i] as number;
    while (d < sessions && time > Math.min((d + 1) * sessionUs, horizonUs)) d++;
    if (d < sessions) rows[d] = i;
  }
  // A session without a row of its own closes where the previous one did (sampling coarser than a session).
  for (let k = 1; k < sessions; k++) if (rows[k] === -1) rows[k] = rows[k - 1] as number;
  return rows;
}
