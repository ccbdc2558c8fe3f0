import type { Micros } from '../engine/time.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import { GridVolatilityEstimator } from './grid-volatility-estimator.js';

/** Options of a {@link RealizedVolEstimator}. */
export interface RealizedVolEstimatorOptions {
  /** Sampling interval Δ, µs, > 0: prices are sampled on the grid `k · Δ`. Required. */
  intervalUs: Micros;
  /** Returns in the rolling window W (the ring's size), ≥ 1. Required. */
  window: number;
  /** Returns needed before {@link RealizedVolEstimator.sigma} is reported, in [1, W]. Default W (a full window). */
  minReturns?: number;
  /**
   * Prior volatility σ₀ per √s, ≥ 0: the window starts full of W returns of
   * size `σ₀·√Δ_s` (each of variance σ₀²·Δ_s), so σ₀ is reported from the
   * start and each real return replaces one prior return; after W returns
   * the prior is gone. Default none: the window starts empty and nothing is
   * reported until `minReturns` returns have arrived.
   */
  priorSigma?: number;
}

/**
 * Streaming realised volatility of log prices sampled on a fixed grid
 * ({@link GridVolatilityEstimator}: previous-tick rule, a quiet market gives
 * zero returns).
 *
 * ## Formula
 * With the last `n ≤ W` returns `r_k` in the window, the realised variance
 * is `RV = Σ r_k²` (Andersen, Bollerslev, Diebold & Labys 2003;
 * Barndorff-Nielsen & Shephard 2002) and
 *
 * `σ = √(RV / (n · Δ_s))`, Δ_s = Δ in seconds,
 *
 * the zero-mean volatility **per √second** (the unit every `HaircutPolicy`
 * takes); {@link sigmaPerInterval} is `√(RV / n)`. No demeaning: at
 * sampling frequencies the drift is negligible against the noise, and the
 * zero-mean form is the realised-variance convention.
 *
 * ## Prior
 * With `priorSigma` the window starts full of prior returns (see
 * {@link RealizedVolEstimatorOptions.priorSigma}): σ is reported from the
 * first moment and moves to the data linearly, one W-th of the window per
 * return, with no start-up jump from "unknown" to an estimate.
 *
 * ## Cost
 * O(1) per return: a ring buffer of returns and a running sum of squares
 * (no array copies); the sum is recomputed exactly once per W returns
 * (O(1) amortised) so rounding cannot drift, and is exactly 0 when every
 * return in the window is (a quiet market reads σ = 0, not rounding noise). A gap of many grid points is
 * filled with at most W zero returns, since older ones would leave the window.
 */
export class RealizedVolEstimator extends GridVolatilityEstimator {
  readonly window: number;
  readonly minReturns: number;
  /** The prior σ₀ per √s the window started with (NaN: none). */
  readonly priorSigma: number;
  private readonly ring: Float64Array;
  /** Next ring slot to write. */
  private head = 0;
  /** Returns in the window. */
  private n = 0;
  private sumSq = 0;
  /** Non-zero returns in the window: at 0 the sum is exactly 0, whatever rounding left. */
  private nonZero = 0;
  /** Returns pushed since the last exact recomputation of `sumSq`. */
  private sinceExact = 0;

  constructor(options: RealizedVolEstimatorOptions) {
    super(options.intervalUs);
    this.window = requireInt('window', options.window, 1);
    this.minReturns = requireInt('minReturns', options.minReturns ?? this.window, 1);
    if (this.minReturns > this.window) throw new RangeError(`minReturns (${this.minReturns}) must be ≤ window (${this.window})`);
    this.ring = new Float64Array(this.window);
    this.priorSigma = options.priorSigma === undefined ? Number.NaN : requireAtLeast('priorSigma', options.priorSigma, 0);
    if (options.priorSigma !== undefined) this.fillWithPrior(this.priorSigma * Math.sqrt(this.intervalSeconds));
  }

  /** Returns in the window now (prior returns included until replaced). */
  get count(): number {
    return this.n;
  }

  /** True once at least `minReturns` returns are in the window. */
  get ready(): boolean {
    return this.n >= this.minReturns;
  }

  /** The realised variance `Σ r²` of the window (log-return², dimensionless). */
  get realizedVariance(): number {
    return this.sumSq > 0 ? this.sumSq : 0;
  }

  /** Volatility per √second, `√(RV / (n·Δ_s))`; NaN until {@link ready}. */
  get sigma(): number {
    return this.ready ? Math.sqrt(this.realizedVariance / (this.n * this.intervalSeconds)) : Number.NaN;
  }

  /** Volatility per sampling interval, `√(RV / n)`; NaN until {@link ready}. */
  get sigmaPerInterval(): number {
    return this.ready ? Math.sqrt(this.realizedVariance / this.n) : Number.NaN;
  }

  /** A full window of returns of size `r` (the prior's per-interval volatility). */
  private fillWithPrior(r: number): void {
    this.ring.fill(r);
    this.n = this.window;
    this.nonZero = r !== 0 ? this.window : 0;
    this.recomputeSum();
  }

  protected addReturn(r: number): void {
    const ring = this.ring;
    const w = this.window;
    if (this.n === w) {
      const old = ring[this.head];
      this.sumSq -= old * old;
      if (old !== 0) this.nonZero--;
    } else {
      this.n++;
    }
    ring[this.head] = r;
    this.sumSq += r * r;
    if (r !== 0) this.nonZero++;
    if (this.nonZero === 0) this.sumSq = 0;
    this.head = this.head + 1 === w ? 0 : this.head + 1;
    if (++this.sinceExact >= w) this.recomputeSum();
  }

  /** More than W zeros would only push each other out of the window. */
  protected addZeroReturns(count: number): void {
    const zeros = Math.min(count, this.window);
    for (let i = 0; i < zeros; i++) this.addReturn(0);
  }

  private recomputeSum(): void {
    const ring = this.ring;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += ring[i] * ring[i];
    this.sumSq = s;
    this.sinceExact = 0;
  }
}
