/**
 * Stylized facts of real daily return series, for comparison with simulated
 * ones. Published figures, hard-coded with their source: the table of
 * data/reference/README.md ("Reference return series"), computed there from the
 * data files with the estimators of src/stats (`returnStats`): log returns,
 * sample sd, g1 skewness, g2 excess kurtosis, Hill tail index on the largest
 * 5 % of |r|, and R's `acf` of r and |r|.
 *
 * Sources of the series:
 * - S&P 500 1928–1991: Ding, Granger & Engle (1993), "A long memory property
 *   of stock market returns and a new model", J. Empirical Finance 1:83–106
 *   (R package fGarch, `sp500dge`).
 * - DEM/GBP 1984–1991: Bollerslev & Ghysels (1996), "Periodic autoregressive
 *   conditional heteroscedasticity", JBES 14:139–151 (fGarch, `dem2gbp`);
 *   percentage returns, so its sd is in %.
 * - DAX, SMI, CAC, FTSE 1991–1998: R datasets `EuStockMarkets` (business-day closes).
 *
 * @module
 */

/** Where the figures come from (shown under the table). */
export const REFERENCE_SOURCE =
  'data/reference/README.md (“Reference return series”): S&P 500 1928–91 (Ding, Granger & Engle 1993; fGarch sp500dge), ' +
  'DEM/GBP 1984–91 (Bollerslev & Ghysels 1996; fGarch dem2gbp, % returns), DAX/SMI/CAC/FTSE 1991–98 (R EuStockMarkets). ' +
  'Daily returns: their lags are trading days.';

/** The lags at which the reference |r| autocorrelations are published. */
export const REFERENCE_ABS_ACF_LAGS = [1, 10, 50, 100] as const;

/** One published lag of the |r| ACF. */
export type ReferenceLag = (typeof REFERENCE_ABS_ACF_LAGS)[number];

/** The stylized facts of one real return series. */
export interface ReferenceFacts {
  /** Short label for table headers. */
  readonly label: string;
  /** Sample period. */
  readonly period: string;
  /** Number of returns. */
  readonly n: number;
  /** Standard deviation of daily returns (log units, or % when `sdInPercent`). */
  readonly sd: number;
  /** True when `sd` is in percent (DEM/GBP is a percentage-return series). */
  readonly sdInPercent: boolean;
  readonly skew: number;
  readonly excessKurtosis: number;
  /** Hill tail index on the largest 5 % of |r|. */
  readonly hill: number;
  /** ACF of r at lag 1. */
  readonly acfLag1: number;
  /** ACF of |r| at the published lags. */
  readonly absAcf: Readonly<Record<ReferenceLag, number>>;
}

/** S&P 500 daily log returns 1928–1991, the series of the long-memory |r| ACF. */
export const SP500: ReferenceFacts = {
  label: 'S&P 500',
  period: '1928–91',
  n: 17_055,
  sd: 0.0115,
  sdInPercent: false,
  skew: -0.49,
  excessKurtosis: 22.42,
  hill: 2.51,
  acfLag1: 0.063,
  absAcf: { 1: 0.318, 10: 0.247, 50: 0.192, 100: 0.163 },
};

/** All reference series, in the README's order. */
export const REFERENCE_FACTS: readonly ReferenceFacts[] = [
  SP500,
  {
    label: 'DEM/GBP',
    period: '1984–91',
    n: 1_974,
    sd: 0.47,
    sdInPercent: true,
    skew: -0.25,
    excessKurtosis: 3.63,
    hill: 3.3,
    acfLag1: 0.009,
    absAcf: { 1: 0.27, 10: 0.135, 50: 0.069, 100: 0.059 },
  },
  {
    label: 'DAX',
    period: '1991–98',
    n: 1_859,
    sd: 0.0103,
    sdInPercent: false,
    skew: -0.55,
    excessKurtosis: 6.28,
    hill: 3.67,
    acfLag1: 0,
    absAcf: { 1: 0.109, 10: 0.091, 50: 0.05, 100: 0.081 },
  },
  {
    label: 'SMI',
    period: '1991–98',
    n: 1_859,
    sd: 0.0093,
    sdInPercent: false,
    skew: -0.63,
    excessKurtosis: 5.74,
    hill: 3.95,
    acfLag1: 0.048,
    absAcf: { 1: 0.154, 10: 0.094, 50: 0.056, 100: 0.042 },
  },
  {
    label: 'CAC',
    period: '1991–98',
    n: 1_859,
    sd: 0.011,
    sdInPercent: false,
    skew: -0.18,
    excessKurtosis: 2.39,
    hill: 4.3,
    acfLag1: 0.03,
    absAcf: { 1: 0.056, 10: 0.049, 50: 0.021, 100: 0.035 },
  },
  {
    label: 'FTSE',
    period: '1991–98',
    n: 1_859,
    sd: 0.008,
    sdInPercent: false,
    skew: 0.11,
    excessKurtosis: 2.64,
    hill: 3.68,
    acfLag1: 0.092,
    absAcf: { 1: 0.099, 10: 0.097, 50: 0.049, 100: 0.035 },
  },
];
