/**
 * Headline statistics for run summaries (`summary.json`, `runs.csv`).
 *
 * @module
 */

import { acf, acfAbs } from './acf.js';
import { corrLagged } from './correlation.js';
import { hillTailIndex } from './hill.js';
import { leverageCycles, phaseDurations } from './leverage-cycles.js';
import type { TurningPointOptions } from './leverage-cycles.js';
import { cycleAsymmetry, type CycleAsymmetryTest } from './cycle-asymmetry.js';
import { cyclesAgainstRedNoise, type CycleNullTest } from './red-noise-null.js';
import { excessKurtosis, mean, skewness, std } from './moments.js';
import { quantile } from './microstructure.js';

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
  /** corr(leverage_t, volatility_{t−k}) for k = 1…`maxVolLag` (index k − 1); empty without `volatility`. */
  corrWithVolByLag: number[];
  /** Median trough-to-peak and peak-to-trough durations, units of `times`; NaN without such a phase. */
  medianBuildUp: number;
  medianCollapse: number;
  /** corr(Δ log leverage, Δ log assets) (Adrian & Shin 2010: positive when leverage is procyclical); NaN without `assets`. */
  corrLeverageAssets: number;
  /** The cycle count against red-noise surrogates (`red-noise-null.ts`). */
  cycleNull: CycleNullTest;
  /** Median build-up / median collapse (samples) against time-reversible surrogates (`cycle-asymmetry.ts`). */
  asymmetry: CycleAsymmetryTest;
}

/** Options of {@link leverageStats}. */
export interface LeverageStatsOptions extends TurningPointOptions {
  /** Sampling times of the series (default: indices). */
  times?: ArrayLike<number>;
  /** Realised volatility on the same grid. */
  volatility?: ArrayLike<number>;
  /** Lag k of corr(leverage_t, vol_{t−k}), in samples. Default 1. */
  volLag?: number;
  /** Largest lag of `corrWithVolByLag`, samples. Default 20. */
  maxVolLag?: number;
  /** The assets behind the leverage, on the same grid (for the Adrian–Shin correlation). */
  assets?: ArrayLike<number>;
  /** Seed of the red-noise and phase-randomised surrogates. Default 1. */
  seed?: number;
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
  const surrogateOptions = { ...options, seed: options.seed ?? 1 };
  const phases = phaseDurations(cyc.turningPoints, options.times);
  const vol = options.volatility;
  const byLag: number[] = [];
  if (vol !== undefined) for (let k = 1; k <= (options.maxVolLag ?? 20); k++) byLag.push(corrLagged(leverage, vol, k));
  return {
    mean: count > 0 ? sum / count : Number.NaN,
    max,
    cycles: cyc.cycles,
    meanCyclePeriod: cyc.meanPeriod,
    corrWithLaggedVol: vol === undefined ? Number.NaN : corrLagged(leverage, vol, options.volLag ?? 1),
    corrWithVolByLag: byLag,
    medianBuildUp: quantile(phases.buildUps, 0.5),
    medianCollapse: quantile(phases.collapses, 0.5),
    corrLeverageAssets: options.assets === undefined ? Number.NaN : corrLagged(logChanges(leverage), logChanges(options.assets), 0),
    cycleNull: cyclesAgainstRedNoise(leverage, surrogateOptions),
    asymmetry: cycleAsymmetry(leverage, surrogateOptions),
  };
}

/** Δ log x_t (index t − 1), NaN where either value is not a positive finite number. */
function logChanges(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, x.length - 1));
  for (let t = 1; t < x.length; t++) {
    const a = x[t - 1] as number;
    const b = x[t] as number;
    out[t - 1] = a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? Math.log(b / a) : Number.NaN;
  }
  return out;
}

