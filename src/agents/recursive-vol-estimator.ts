import type { Micros } from '../engine/time.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import { GridVolatilityEstimator } from './grid-volatility-estimator.js';

/** How a {@link RecursiveVolEstimator} starts: from a prior, or by averaging its first returns. */
export interface RecursiveVolStart {
  /**
   * Prior volatility σ₀ per √s, ≥ 0: the recursion starts from the variance
   * σ₀²·Δ_s per interval and σ₀ is reported from the first moment (no
   * start-up transient). Default none: see `minReturns`.
   */
  priorSigma?: number;
  /**
   * Without a prior: returns whose mean square, `Σ r² / m`, starts the
   * recursion (the sample variance of the first `m` returns, as RiskMetrics
   * seeds its recursion); nothing is reported before. Integer ≥ 1, default 1.
   * Ignored with a prior.
   */
  minReturns?: number;
}

/**
 * A volatility estimate that carries one conditional variance `v` (log
 * return² per sampling interval: the forecast of the next return's square)
 * and updates it on each return of the grid ({@link GridVolatilityEstimator})
 * by a one-step recursion the subclass states ({@link step}), with `m` zero
 * returns in one go for a quiet stretch ({@link stepZeros}).
 *
 * Reports `σ = √(v / Δ_s)` per √second and `√v` per interval. The start is
 * {@link RecursiveVolStart}: a stated prior (reported at once), or the mean
 * square of the first `minReturns` returns (nothing reported before).
 */
export abstract class RecursiveVolEstimator extends GridVolatilityEstimator {
  /** The prior σ₀ per √s it started from (NaN: none). */
  readonly priorSigma: number;
  /** Returns averaged to start without a prior. */
  readonly minReturns: number;
  /** The conditional variance per interval (NaN until ready). */
  private v = Number.NaN;
  /** Returns seen. */
  private n = 0;
  /** Σ r² of the warm-up returns (no prior). */
  private warmSumSq = 0;

  protected constructor(intervalUs: Micros, start: RecursiveVolStart) {
    super(intervalUs);
    this.minReturns = requireInt('minReturns', start.minReturns ?? 1, 1);
    this.priorSigma = start.priorSigma === undefined ? Number.NaN : requireAtLeast('priorSigma', start.priorSigma, 0);
    if (start.priorSigma !== undefined) this.v = this.priorSigma * this.priorSigma * this.intervalSeconds;
  }

  /** The next variance after a return of square `r2`, from the current variance `v`. */
  protected abstract step(v: number, r2: number): number;

  /** The variance after `count` ≥ 1 zero returns from `v` (the closed form of `count` steps). */
  protected abstract stepZeros(v: number, count: number): number;

  /** Returns seen since the start. */
  get count(): number {
    return this.n;
  }

  /** True from the start with a prior, else once `minReturns` returns have been seen. */
  get ready(): boolean {
    return this.v === this.v;
  }

  /** The conditional variance of the next return, log return² per sampling interval; NaN until {@link ready}. */
  get variance(): number {
    return this.v;
  }

  /** Volatility per √second, `√(v / Δ_s)`; NaN until {@link ready}. */
  get sigma(): number {
    return Math.sqrt(this.v / this.intervalSeconds);
  }

  /** Volatility per sampling interval, `√v`; NaN until {@link ready}. */
  get sigmaPerInterval(): number {
    return Math.sqrt(this.v);
  }

  protected addReturn(r: number): void {
    this.n++;
    const r2 = r * r;
    if (this.v === this.v) {
      this.v = this.step(this.v, r2);
      return;
    }
    this.warmSumSq += r2;
    if (this.n === this.minReturns) this.v = this.warmSumSq / this.minReturns;
  }

  protected addZeroReturns(count: number): void {
    let left = count;
    if (this.v !== this.v) {
      // Zeros add nothing to the warm-up sum; they only count toward it.
      const warm = Math.min(left, this.minReturns - this.n);
      this.n += warm;
      left -= warm;
      if (this.n === this.minReturns) this.v = this.warmSumSq / this.minReturns;
    }
    if (left === 0) return;
    this.n += left;
    this.v = this.stepZeros(this.v, left);
  }
}
