/**
 * Headline statistics for run summaries (`summary.json`, `runs.csv`).
 *
 * @module
 */

import { acf, acfAbs } from './acf.js';
import { corrLagged } from './correlation.js';
import { hillTailIndex } from './hill.js';
import { leverageCycles } from './leverage-cycles.js';
import type { TurningPointOptions } from './leverage-cycles.js';
import { excessKurtosis, mean, skewness, std } from './moments.js';

/** Stylized facts of a return series (`summary.json` → `returns`). */
export interface ReturnStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  std: number;
  /** g1 = m3 / m2^{3/2}. */
  skew: number;
  /** g2 = m4 / m2² − 3. */
  excessKurtosis: number;
  /** Hill α̂ on the largest ⌊fraction·n⌋ of |r| (default 5 %). */
  hillTailIndex: number;
  /** ACF of r at lag 1. */
  acfLag1: number;
  /** absAcf[i] = ACF of |r| at lag i + 1, for i = 0..acfLags − 1. */
  absAcf: number[];
}

/** Options of {@link returnStats}. */
export interface ReturnStatsOptions {
  /** Number of |r| ACF lags reported (1..acfLags). Default 100. */
  acfLags?: number;
  /** Hill tail fraction. Default 0.05. */
  hillFraction?: number;
}

/**
 * The stylized facts of `returns` (assumed finite — build them with
 * `logReturns`, which skips invalid prices), with the estimators that
 * reproduce data/reference/README.md. Undefined entries are NaN (e.g. ACF lags
 * ≥ n; serialised as `null` in JSON).
 */
export function returnStats(returns: ArrayLike<number>, options: ReturnStatsOptions = {}): ReturnStats {
  const lags = options.acfLags ?? 100;
  return {
    n: returns.length,
    mean: mean(returns),
    std: std(returns),
    skew: skewness(returns),
    excessKurtosis: excessKurtosis(returns),
    hillTailIndex: hillTailIndex(returns, { fraction: options.hillFraction ?? 0.05 }),
    acfLag1: acf(returns, 1)[1],
    absAcf: acfAbs(returns, lags).slice(1),
  };
}

/** Leverage measures of a run (`summary.json` → `leverage`). */
export interface LeverageStats {
  mean: number;
  max: number;
  /** Complete peak-to-peak cycles. */
  cycles: number;
  /** Mean peak-to-peak period in the units of `times` (µs in a run); NaN without a cycle. */
  meanCyclePeriod: number;
  /** corr(leverage_t, volatility_{t−volLag}); NaN without `volatility`. */
  corrWithLaggedVol: number;
}

/** Options of {@link leverageStats}. */
export interface LeverageStatsOptions extends TurningPointOptions {
  /** Sampling times of the series (default: indices). */
  times?: ArrayLike<number>;
  /** Realised volatility on the same grid. */
  volatility?: ArrayLike<number>;
  /** Lag k of corr(leverage_t, vol_{t−k}), in samples. Default 1. */
  volLag?: number;
}

/**
 * Mean, max, cycle count and mean period (see `leverageCycles`), and the
 * correlation of leverage with lagged volatility (procyclical haircuts give a
 * negative value). Non-finite leverage values are ignored by mean and max.
 */
export function leverageStats(leverage: ArrayLike<number>, options: LeverageStatsOptions = {}): LeverageStats {
  let sum = 0;
  let count = 0;
  let max = Number.NaN;
  for (let i = 0; i < leverage.length; i++) {
    const v = leverage[i];
    if (!Number.isFinite(v)) continue;
    sum += v;
    count++;
    if (!(v <= max)) max = v;
  }
  const cyc = leverageCycles(leverage, options);
  const vol = options.volatility;
  return {
    mean: count > 0 ? sum / count : Number.NaN,
    max,
    cycles: cyc.cycles,
    meanCyclePeriod: cyc.meanPeriod,
    corrWithLaggedVol: vol === undefined ? Number.NaN : corrLagged(leverage, vol, options.volLag ?? 1),
  };
}
