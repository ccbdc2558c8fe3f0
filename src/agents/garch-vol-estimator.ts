import type { Micros } from '../engine/time.js';
import { RecursiveVolEstimator, type RecursiveVolStart } from './recursive-vol-estimator.js';

/** Options of a {@link GarchVolEstimator}: GARCH(1,1) by its long-run volatility, α and β, and the start. */
export interface GarchVolEstimatorOptions extends RecursiveVolStart {
  /** Sampling interval Δ, µs, > 0. Required. */
  intervalUs: Micros;
  /** Weight α ≥ 0 of the last squared return (per sampling interval). Required. */
  alpha: number;
  /** Weight β ≥ 0 of the last variance (per sampling interval), with α + β < 1. Required. */
  beta: number;
  /** Long-run volatility σ_L per √s, > 0: the variance the recursion reverts to is σ_L²·Δ_s per interval. Required. */
  longRunSigma: number;
}

/**
 * GARCH(1,1) (Bollerslev 1986, "Generalized autoregressive conditional
 * heteroskedasticity", Journal of Econometrics 31, 307–327): after each
 * return `r` of the grid,
 *
 * `σ² ← ω + α·r² + β·σ²`,
 *
 * the conditional variance of the next return, per sampling interval;
 * reported as σ per √second (`√(σ² / Δ_s)`). With ω > 0, α, β ≥ 0 and
 * α + β < 1 the process is covariance-stationary with long-run variance
 * `ω / (1 − α − β)`. levsim states that variance rather than ω: the
 * options give the long-run volatility σ_L per √s and
 *
 * `ω = σ_L² · Δ_s · (1 − α − β)`,
 *
 * so a return as large as the long run (`r² = σ_L²·Δ_s`) leaves a variance
 * at the long run where it is. α + β is the persistence: a shock to the
 * variance halves in `ln 2 / (−ln(α + β))` intervals. α and β are per
 * sampling interval: fitted on daily data they mean days, here they mean Δ
 * (and do not carry over by a simple rescaling: strong GARCH is not closed
 * under temporal aggregation, Drost & Nijman 1993, Econometrica 61).
 *
 * A quiet stretch of `m` zero returns is applied in closed form,
 * `σ² ← β^m·σ² + ω·(1 − β^m)/(1 − β)`, which tends to `ω/(1 − β)`, not 0:
 * GARCH expects volatility to come back. Start: {@link RecursiveVolStart}
 * (the long run is a natural prior: `priorSigma = longRunSigma`). O(1) per
 * return, no allocation.
 */
export class GarchVolEstimator extends RecursiveVolEstimator {
  readonly alpha: number;
  readonly beta: number;
  /** ω, log return² per sampling interval. */
  readonly omega: number;

  constructor(options: GarchVolEstimatorOptions) {
    super(options.intervalUs, options);
    const { alpha, beta, longRunSigma } = options;
    if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`);
    if (!(beta >= 0) || !Number.isFinite(beta)) throw new RangeError(`beta must be a finite number ≥ 0, got ${beta}`);
    if (!(alpha + beta < 1)) throw new RangeError(`alpha + beta must be < 1 (a stationary variance with a long run), got ${alpha} + ${beta} = ${alpha + beta}`);
    if (!(longRunSigma > 0) || !Number.isFinite(longRunSigma)) throw new RangeError(`longRunSigma must be a finite number > 0, got ${longRunSigma}`);
    this.alpha = alpha;
    this.beta = beta;
    this.omega = longRunSigma * longRunSigma * this.intervalSeconds * (1 - alpha - beta);
  }

  /** The long-run variance `ω / (1 − α − β)`, log return² per sampling interval. */
  get longRunVariance(): number {
    return this.omega / (1 - this.alpha - this.beta);
  }

  protected step(v: number, r2: number): number {
    return this.omega + this.alpha * r2 + this.beta * v;
  }

  protected stepZeros(v: number, count: number): number {
    const decay = Math.pow(this.beta, count);
    return decay * v + (this.omega * (1 - decay)) / (1 - this.beta);
  }
}
