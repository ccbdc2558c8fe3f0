/**
 * What the report needs from a run, as plain column stores. These types are
 * defined here, not imported, because src/report lies below src/experiment:
 * the experiment's own tables (`TimeSeries`, `TradeTable`, `LiquidationTable`,
 * `CascadeTable`, `RunSummary`) are structurally assignable to them, and
 * `levsim report DIR` builds them from the CSV files and summary.json of the
 * output contract (DESIGN.md). Columns are `ArrayLike` so typed arrays work too.
 *
 * @module
 */

/** A numeric statistic as found in memory (NaN allowed) or in summary.json (NaN written as `null`). */
export type MaybeNumber = number | null | undefined;

/** timeseries.csv: one row per sampling interval per instrument, all columns of equal length. */
export interface ReportTimeSeries {
  /** Sample time, µs since the start of the run. */
  readonly timeUs: ArrayLike<number>;
  /** Instrument symbol. */
  readonly instrument: ArrayLike<string>;
  /** Mid (mark) price, ticks; NaN when the book has no mark. */
  readonly mid: ArrayLike<number>;
  /** Last trade price, ticks. */
  readonly last: ArrayLike<number>;
  /** Lots traded during the interval. */
  readonly volume: ArrayLike<number>;
  /** Fundamental value, ticks. */
  readonly fundamental: ArrayLike<number>;
  /** Realised volatility of log mid returns over the sampler's window. */
  readonly realizedVol: ArrayLike<number>;
  /** Σ exposure / Σ equity of the borrowers (same on every instrument's row). */
  readonly aggregateLeverage: ArrayLike<number>;
  /** Mean initial haircut over lenders for the instrument, in [0, 1]. */
  readonly meanHaircut: ArrayLike<number>;
  /** Σ outstanding debt, minor units. */
  readonly totalDebt: ArrayLike<number>;
  /** Σ lender equity, minor units. */
  readonly lenderEquity: ArrayLike<number>;
}

/** trades.csv (the columns the report reads). */
export interface ReportTradeTable {
  readonly timeUs: ArrayLike<number>;
  /** Lots. */
  readonly qty: ArrayLike<number>;
}

/** liquidations.csv (the columns the report reads). */
export interface ReportLiquidationTable {
  readonly timeUs: ArrayLike<number>;
  /** Debt repaid, minor units. */
  readonly debtRepaid: ArrayLike<number>;
  /** Loss beyond collateral, minor units. */
  readonly badDebt: ArrayLike<number>;
  readonly cascadeId: ArrayLike<number>;
}

/** cascades.csv: one row per cascade (a causal tree of liquidations). */
export interface ReportCascadeTable {
  readonly cascadeId: ArrayLike<number>;
  readonly startUs: ArrayLike<number>;
  readonly endUs: ArrayLike<number>;
  /** Liquidations in the cascade: its size. */
  readonly liquidations: ArrayLike<number>;
  /** Generations in the tree (1 for a lone liquidation). */
  readonly depth: ArrayLike<number>;
  /** Σ debt repaid + bad debt, minor units. */
  readonly notional: ArrayLike<number>;
  /** Fall of the mark during the cascade, %. */
  readonly priceDropPct: ArrayLike<number>;
}

/** Return statistics (summary.json → `returns`). */
export interface ReportReturnStats {
  readonly n?: MaybeNumber;
  readonly mean?: MaybeNumber;
  readonly std?: MaybeNumber;
  readonly skew?: MaybeNumber;
  readonly excessKurtosis?: MaybeNumber;
  readonly hillTailIndex?: MaybeNumber;
  readonly acfLag1?: MaybeNumber;
  /** absAcf[i] = ACF of |r| at lag i + 1. */
  readonly absAcf?: readonly MaybeNumber[] | null;
}

/**
 * summary.json, loosely: every field may be missing or `null` (a NaN written
 * as JSON). Missing return statistics are computed from the time series and
 * marked as such in the report.
 */
export interface ReportSummary {
  readonly seed?: MaybeNumber;
  readonly events?: MaybeNumber;
  readonly trades?: MaybeNumber;
  readonly volume?: MaybeNumber;
  /** Statistics of the first instrument's mid returns. */
  readonly returns?: ReportReturnStats | null;
  /** The same per instrument symbol. */
  readonly instruments?: Readonly<Record<string, { readonly returns?: ReportReturnStats | null } | null | undefined>> | null;
  readonly leverage?: {
    readonly mean?: MaybeNumber;
    readonly max?: MaybeNumber;
    readonly cycles?: MaybeNumber;
    readonly meanCyclePeriodUs?: MaybeNumber;
    readonly corrWithLaggedVol?: MaybeNumber;
  } | null;
  readonly cascades?: {
    readonly count?: MaybeNumber;
    readonly maxLiquidations?: MaybeNumber;
    readonly maxNotional?: MaybeNumber;
    readonly powerLaw?: { readonly alpha?: MaybeNumber; readonly xmin?: MaybeNumber; readonly n?: MaybeNumber } | null;
  } | null;
  readonly defaults?: { readonly borrowers?: MaybeNumber; readonly lenders?: MaybeNumber } | null;
  readonly badDebt?: MaybeNumber;
  readonly invariants?: {
    readonly checks?: MaybeNumber;
    readonly violations?: MaybeNumber;
    readonly problems?: readonly string[] | null;
  } | null;
}

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
  /** The resolved config, shown as YAML in a collapsed section. */
  readonly config?: unknown;
}
