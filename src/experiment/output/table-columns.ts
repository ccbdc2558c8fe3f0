/**
 * The tables of a run folder: their column names and types in the order of
 * DESIGN.md's output contract (the shapes are `src/stats/output-tables.ts`),
 * and the writing of one table as CSV and Parquet from the same cells.
 *
 * @module
 */

import { join } from 'node:path';
import type { CascadeTable, EpisodeTable, LiquidationTable, TimeSeries, TradeColumns } from '../../stats/output-tables.js';
import type { SessionTable } from '../../stats/sessions.js';
import { writeCsvFile, type Cell, type CsvColumn } from './csv-writer.js';
import { writeParquetFile, type ColumnKind } from './parquet-writer.js';

export interface ColumnSpec<T> {
  readonly name: string;
  readonly kind: ColumnKind;
  value(table: T, row: number, names: Names): Cell;
}

/** How agent and instrument ids are named in the files. */
export interface Names {
  agent(id: number): string;
  instrument(id: number): string;
}

const num = (a: readonly number[], i: number) => a[i];
const at = (a: ArrayLike<number>, i: number) => a[i] as number;

export const TIMESERIES: readonly ColumnSpec<TimeSeries>[] = [
  { name: 'time_us', kind: 'int', value: (t, i) => num(t.timeUs, i) },
  { name: 'instrument', kind: 'string', value: (t, i) => t.instrument[i] },
  { name: 'mid', kind: 'float', value: (t, i) => num(t.mid, i) },
  { name: 'last', kind: 'float', value: (t, i) => num(t.last, i) },
  { name: 'bid', kind: 'float', value: (t, i) => num(t.bid, i) },
  { name: 'ask', kind: 'float', value: (t, i) => num(t.ask, i) },
  { name: 'bid_depth', kind: 'int', value: (t, i) => num(t.bidDepth, i) },
  { name: 'ask_depth', kind: 'int', value: (t, i) => num(t.askDepth, i) },
  { name: 'volume', kind: 'int', value: (t, i) => num(t.volume, i) },
  { name: 'fundamental', kind: 'float', value: (t, i) => num(t.fundamental, i) },
  { name: 'realized_vol', kind: 'float', value: (t, i) => num(t.realizedVol, i) },
  { name: 'aggregate_leverage', kind: 'float', value: (t, i) => num(t.aggregateLeverage, i) },
  { name: 'levered_leverage', kind: 'float', value: (t, i) => num(t.leveredLeverage, i) },
  { name: 'levered_assets', kind: 'int', value: (t, i) => num(t.leveredAssets, i) },
  { name: 'debt_to_equity', kind: 'float', value: (t, i) => num(t.debtToEquity, i) },
  { name: 'mean_haircut', kind: 'float', value: (t, i) => num(t.meanHaircut, i) },
  { name: 'total_debt', kind: 'int', value: (t, i) => num(t.totalDebt, i) },
  { name: 'lender_equity', kind: 'int', value: (t, i) => num(t.lenderEquity, i) },
];

/** trades.csv, per row of a chunk (the table is streamed: `trade-table-writer.ts`). */
export const TRADES: readonly ColumnSpec<TradeColumns>[] = [
  { name: 'time_us', kind: 'int', value: (t, i) => at(t.timeUs, i) },
  { name: 'instrument', kind: 'string', value: (t, i, n) => n.instrument(at(t.instrument, i)) },
  { name: 'price', kind: 'int', value: (t, i) => at(t.price, i) },
  { name: 'qty', kind: 'int', value: (t, i) => at(t.qty, i) },
  { name: 'buyer', kind: 'string', value: (t, i, n) => n.agent(at(t.buyer, i)) },
  { name: 'seller', kind: 'string', value: (t, i, n) => n.agent(at(t.seller, i)) },
  { name: 'aggressor', kind: 'string', value: (t, i) => (t.aggressor[i] === 0 ? 'buy' : 'sell') },
  { name: 'cause_id', kind: 'int', value: (t, i) => at(t.causeId, i) },
];

export const LIQUIDATIONS: readonly ColumnSpec<LiquidationTable>[] = [
  { name: 'time_us', kind: 'int', value: (t, i) => num(t.timeUs, i) },
  { name: 'loan_id', kind: 'int', value: (t, i) => num(t.loanId, i) },
  { name: 'borrower', kind: 'string', value: (t, i, n) => n.agent(num(t.borrower, i)) },
  { name: 'lender', kind: 'string', value: (t, i, n) => n.agent(num(t.lender, i)) },
  { name: 'liquidator', kind: 'string', value: (t, i, n) => n.agent(num(t.liquidator, i)) },
  { name: 'instrument', kind: 'string', value: (t, i, n) => n.instrument(num(t.instrument, i)) },
  { name: 'qty', kind: 'int', value: (t, i) => num(t.qty, i) },
  { name: 'price', kind: 'int', value: (t, i) => num(t.price, i) },
  { name: 'debt_repaid', kind: 'int', value: (t, i) => num(t.debtRepaid, i) },
  { name: 'bad_debt', kind: 'int', value: (t, i) => num(t.badDebt, i) },
  { name: 'cascade_id', kind: 'int', value: (t, i) => num(t.cascadeId, i) },
  { name: 'cause_id', kind: 'int', value: (t, i) => num(t.causeId, i) },
  { name: 'trigger', kind: 'string', value: (t, i) => t.trigger[i] as string },
];

export const CASCADES: readonly ColumnSpec<CascadeTable>[] = [
  { name: 'cascade_id', kind: 'int', value: (t, i) => num(t.cascadeId, i) },
  { name: 'start_us', kind: 'int', value: (t, i) => num(t.startUs, i) },
  { name: 'end_us', kind: 'int', value: (t, i) => num(t.endUs, i) },
  { name: 'liquidations', kind: 'int', value: (t, i) => num(t.liquidations, i) },
  { name: 'depth', kind: 'int', value: (t, i) => num(t.depth, i) },
  { name: 'notional', kind: 'int', value: (t, i) => num(t.notional, i) },
  { name: 'price_drop_pct', kind: 'float', value: (t, i) => num(t.priceDropPct, i) },
];

/** episodes.csv: liquidations grouped by time gap (`stats/episodes.ts`), beside cascades.csv. */
export const EPISODES: readonly ColumnSpec<EpisodeTable>[] = [
  { name: 'episode_id', kind: 'int', value: (t, i) => num(t.episodeId, i) },
  { name: 'start_us', kind: 'int', value: (t, i) => num(t.startUs, i) },
  { name: 'end_us', kind: 'int', value: (t, i) => num(t.endUs, i) },
  { name: 'liquidations', kind: 'int', value: (t, i) => num(t.liquidations, i) },
  { name: 'notional', kind: 'int', value: (t, i) => num(t.notional, i) },
  { name: 'cascades', kind: 'int', value: (t, i) => num(t.cascades, i) },
  { name: 'largest_cascade', kind: 'int', value: (t, i) => num(t.largestCascade, i) },
  { name: 'price_drop_pct', kind: 'float', value: (t, i) => num(t.priceDropPct, i) },
];

/** sessions.csv: one row per trading day per instrument (`stats/sessions.ts`); prices in ticks, OHLC from trades. */
export const SESSIONS: readonly ColumnSpec<SessionTable>[] = [
  { name: 'day', kind: 'int', value: (t, i) => num(t.day, i) },
  { name: 'instrument', kind: 'string', value: (t, i) => t.instrument[i] },
  { name: 'start_us', kind: 'int', value: (t, i) => num(t.startUs, i) },
  { name: 'end_us', kind: 'int', value: (t, i) => num(t.endUs, i) },
  { name: 'open', kind: 'float', value: (t, i) => num(t.open, i) },
  { name: 'high', kind: 'float', value: (t, i) => num(t.high, i) },
  { name: 'low', kind: 'float', value: (t, i) => num(t.low, i) },
  { name: 'close', kind: 'float', value: (t, i) => num(t.close, i) },
  { name: 'close_mid', kind: 'float', value: (t, i) => num(t.closeMid, i) },
  { name: 'volume', kind: 'int', value: (t, i) => num(t.volume, i) },
  { name: 'total_debt', kind: 'float', value: (t, i) => num(t.totalDebt, i) },
  { name: 'aggregate_leverage', kind: 'float', value: (t, i) => num(t.aggregateLeverage, i) },
  { name: 'levered_leverage', kind: 'float', value: (t, i) => num(t.leveredLeverage, i) },
  { name: 'debt_to_equity', kind: 'float', value: (t, i) => num(t.debtToEquity, i) },
  { name: 'mean_haircut', kind: 'float', value: (t, i) => num(t.meanHaircut, i) },
  { name: 'lender_equity', kind: 'float', value: (t, i) => num(t.lenderEquity, i) },
  { name: 'liquidations', kind: 'int', value: (t, i) => num(t.liquidations, i) },
];

/** The column names of each table of the output contract. */
export const TABLE_COLUMNS = {
  timeseries: TIMESERIES.map((c) => c.name),
  trades: TRADES.map((c) => c.name),
  liquidations: LIQUIDATIONS.map((c) => c.name),
  cascades: CASCADES.map((c) => c.name),
  episodes: EPISODES.map((c) => c.name),
  sessions: SESSIONS.map((c) => c.name),
} as const;

/** Writes `<name>.csv` and `<name>.parquet` of one table into `dir`. */
export function writeTable<T>(dir: string, name: string, specs: readonly ColumnSpec<T>[], table: T, rows: number, names: Names): void {
  // Each cell is computed once, for both files.
  const data = specs.map((s) => {
    const cells = new Array<Cell>(rows);
    for (let r = 0; r < rows; r++) cells[r] = s.value(table, r, names);
    return cells;
  });
  const columns: CsvColumn[] = specs.map((s, c) => ({ name: s.name, cell: (r: number) => (data[c] as Cell[])[r] }));
  writeCsvFile(join(dir, `${name}.csv`), columns, rows);
  writeParquetFile(
    join(dir, `${name}.parquet`),
    specs.map((s, c) => ({ name: s.name, kind: s.kind, data: data[c] as Cell[] })),
  );
}
