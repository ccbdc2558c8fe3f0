import type { Micros } from '../engine/time.js';
import { RecursiveVolEstimator, type RecursiveVolStart } from './recursive-vol-estimator.js';

/** λ of RiskMetrics (J.P. Morgan/Reuters 1996) for daily returns. */
export const RISKMETRICS_DAILY_LAMBDA = 0.94;

/** Options of an {@link EwmaVolEstimator}: the decay as λ or as a half-life, and the start. */
export interface EwmaVolEstimatorOptions extends RecursiveVolStart {
  /** Sampling interval Δ, µs, > 0. Required. */
  intervalUs: Micros;
  /**
   * Decay λ per sampling interval, in (0, 1). Give this or `halfLifeUs`, not
   * both; with neither, {@link RISKMETRICS_DAILY_LAMBDA} per interval.
   */
  lambda?: number;
  /** Half-life H of the weights, µs, > 0: λ = 2^(−Δ/H), so the decay means the same in time whatever Δ. */
  halfLifeUs?: Micros;
}

/**
 * RiskMetrics' exponentially weighted moving average of squared returns
 * (J.P. Morgan/Reuters, RiskMetrics — Technical Document, 4th ed., 1996,
 * ch. 5): after each return `r` of the grid,
 *
 * `σ² ← λ·σ² + (1 − λ)·r²`,
 *
 * the variance forecast of the next return, per sampling interval; reported
 * as σ per √second (`√(σ² / Δ_s)`). The weight of a return `k` intervals old
 * is `(1 − λ)·λ^k`, so λ only has a meaning together with the interval:
 *
 * - its half-life is `ln 2 / (−ln λ)` intervals — λ = 0.94 is 11.2
 *   intervals: 11.2 days on RiskMetrics' daily data, 112 s for a lender
 *   sampling every 10 s;
 * - it weighs about as many returns as a rolling window of
 *   `W = (1 + λ)/(1 − λ)` (the same sampling variance for i.i.d. returns):
 *   λ = 0.94 is W ≈ 32; `(W − 1)/(W + 1)` matches a window of W.
 *
 * `halfLifeUs` states the decay in time instead: λ = 2^(−Δ/H). A quiet
 * stretch of `m` zero returns multiplies σ² by λ^m. No demeaning (the
 * RiskMetrics convention). Start: {@link RecursiveVolStart}. O(1) per
 * return, no allocation.
 */
export class EwmaVolEstimator extends RecursiveVolEstimator {
  /** Decay per sampling interval, in (0, 1). */
  readonly lambda: number;

  constructor(options: EwmaVolEstimatorOptions) {
    super(options.intervalUs, options);
    if (options.lambda !== undefined && options.halfLifeUs !== undefined) throw new RangeError('give lambda or halfLifeUs, not both');
    if (options.halfLifeUs !== undefined) {
      const h = options.halfLifeUs;
      if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`halfLifeUs must be a finite number > 0, got ${h}`);
      this.lambda = Math.pow(2, -this.intervalUs / h);
    } else {
      this.lambda = options.lambda ?? RISKMETRICS_DAILY_LAMBDA;
    }
    if (!(this.lambda > 0 && this.lambda < 1)) {
      throw new RangeError(`lambda must be in (0, 1) (1 never moves from the start, 0 keeps only the last return), got ${this.lambda}`);
    }
  }

  /** Half-life of the weights in sampling intervals, `ln 2 / (−ln λ)`. */
  get halfLifeIntervals(): number {
    return Math.LN2 / -Math.log(this.lambda);
  }

  protected step(v: number, r2: number): number {
    return this.lambda * v + (1 - this.lambda) * r2;
  }

  protected stepZeros(v: number, count: number): number {
    return v * Math.pow(this.lambda, count);
  }
}
