/**
 * What the report needs from a run. The tables themselves are declared once,
 * in the output contract (`src/stats/output-tables.ts`), below both
 * src/report and src/experiment; here are the report's views of them:
 * columns as read-only `ArrayLike`s (typed arrays work too), only the columns
 * it reads, and summary.json loosely (every field may be missing or `null`).
 * `levsim report DIR` builds them from the CSV files and summary.json.
 *
 * @module
 */

import type { CascadeTable, ColumnsOf, EpisodeTable, LiquidationTable, Loose, MaybeNumber, RunSummary, TimeSeries, TradeTable } from '../stats/output-tables.js';
import type { SessionTable } from '../stats/sessions.js';
import type { ReturnStats } from '../stats/summary.js';

export type { MaybeNumber };

/** timeseries.csv. */
export type ReportTimeSeries = ColumnsOf<TimeSeries>;

/** trades.csv (the columns the report reads). */
export type ReportTradeTable = ColumnsOf<Pick<TradeTable, 'timeUs' | 'qty'>>;

/** liquidations.csv (the columns the report reads). */
export type ReportLiquidationTable = ColumnsOf<Pick<LiquidationTable, 'timeUs' | 'debtRepaid' | 'badDebt' | 'cascadeId'>>;

/** cascades.csv. */
export type ReportCascadeTable = ColumnsOf<CascadeTable>;

/** sessions.csv (the columns the day-by-day chart reads). */
export type ReportSessionTable = ColumnsOf<Pick<SessionTable, 'day' | 'instrument' | 'startUs' | 'endUs' | 'closeMid' | 'leveredLeverage' | 'meanHaircut' | 'totalDebt' | 'liquidations'>>;

/** episodes.csv (the columns the day-by-day chart reads). */
export type ReportEpisodeTable = ColumnsOf<Pick<EpisodeTable, 'startUs' | 'endUs'>>;

/** Return statistics (summary.json → `returns`). */
export type ReportReturnStats = Loose<ReturnStats>;

/**
 * summary.json, loosely. Missing return statistics are computed from the
 * time series and marked as such in the report.
 */
export type ReportSummary = Loose<RunSummary>;

/** Everything `renderRunReport` reads. */
export interface ReportInput {
  /** Experiment name (config `name`). */
  readonly name: string;
  /** Experiment description (config `description`). */
  readonly description?: string;
  readonly summary: ReportSummary;
  readonly timeseries: ReportTimeSeries;
  /** Absent: trade count and volume come from the summary. */
  readonly trades?: ReportTradeTable | null;
  /** Absent or empty: a run without liquidations. */
  readonly liquidations?: ReportLiquidationTable | null;
  /** Absent or empty: a run without cascades. */
  readonly cascades?: ReportCascadeTable | null;
  /** Absent: no day-by-day chart. */
  readonly sessions?: ReportSessionTable | null;
  /** Absent or empty: no episodes shaded. */
  readonly episodes?: ReportEpisodeTable | null;
  /** The resolved config, shown as YAML in a collapsed section. */
  readonly config?: unknown;
}
