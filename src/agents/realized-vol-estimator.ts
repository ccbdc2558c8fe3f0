import { MICROS_PER_SECOND, type Micros } from '../engine/time.js';
import { requireInt } from './_internals/check.js';

/** Options of a {@link RealizedVolEstimator}. */
export interface RealizedVolEstimatorOptions {
  /** Sampling interval Δ, µs, > 0: prices are sampled on the grid `k · Δ`. Required. */
  intervalUs: Micros;
  /** Returns in the rolling window W (the ring's size), ≥ 1. Required. */
  window: number;
  /** Returns needed before {@link RealizedVolEstimator.sigma} is reported, in [1, W]. Default W (a full window). */
  minReturns?: number;
}

/**
 * Streaming realised volatility of log prices sampled on a fixed grid.
 *
 * ## Sampling
 * Prices arrive whenever they arrive ({@link observe}); the estimator samples
 * them on the grid `t_k = k·Δ` by the previous-tick rule: the sample at
 * `t_k` is the last price observed at or before `t_k`. A grid point is
 * closed when a later observation arrives or when {@link advanceTo} reaches
 * it, so a quiet market (no updates) yields zero returns, as it should.
 * {@link push} bypasses the grid for callers that sample on their own timer.
 *
 * ## Formula
 * With returns `r_k = ln(p_k / p_{k−1})` and the last `n ≤ W` of them in the
 * window, the realised variance is `RV = Σ r_k²` (Andersen, Bollerslev,
 * Diebold & Labys 2003; Barndorff-Nielsen & Shephard 2002) and
 *
 * `σ = √(RV / (n · Δ_s))`, Δ_s = Δ in seconds,
 *
 * the zero-mean volatility **per √second** (the unit every `HaircutPolicy`
 * takes); {@link sigmaPerInterval} is `√(RV / n)`. No demeaning: at
 * sampling frequencies the drift is negligible against the noise, and the
 * zero-mean form is the realised-variance convention.
 *
 * ## Cost
 * O(1) per return: a ring buffer of returns and a running sum of squares
 * (no array copies); the sum is recomputed exactly once per W returns
 * (O(1) amortised) so rounding cannot drift, and is exactly 0 when every
 * return in the window is (a quiet market reads σ = 0, not rounding noise). A gap of many grid points is
 * filled with at most W + 1 samples, since older ones would leave the window.
 */
export class RealizedVolEstimator {
  readonly intervalUs: Micros;
  readonly window: number;
  readonly minReturns: number;
  private readonly ring: Float64Array;
  private readonly intervalSeconds: number;
  /** Next ring slot to write. */
  private head = 0;
  /** Returns in the window. */
  private n = 0;
  private sumSq = 0;
  /** Non-zero returns in the window: at 0 the sum is exactly 0, whatever rounding left. */
  private nonZero = 0;
  /** Returns pushed since the last exact recomputation of `sumSq`. */
  private sinceExact = 0;
  /** Last price observed (NaN before the first). */
  private lastPrice = Number.NaN;
  /** Last sampled price (NaN before the first sample). */
  private lastSample = Number.NaN;
  /** Next grid point not yet sampled, µs (−1 before the first observation). */
  private nextGrid: Micros = -1;
  private lastTime: Micros = 0;

  constructor(options: RealizedVolEstimatorOptions) {
    this.intervalUs = requireInt('intervalUs', options.intervalUs, 1);
    this.window = requireInt('window', options.window, 1);
    this.minReturns = requireInt('minReturns', options.minReturns ?? this.window, 1);
    if (this.minReturns > this.window) throw new RangeError(`minReturns (${this.minReturns}) must be ≤ window (${this.window})`);
    this.ring = new Float64Array(this.window);
    this.intervalSeconds = this.intervalUs / MICROS_PER_SECOND;
  }

  /** Returns in the window now. */
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

  /**
   * Records a price seen at time `t` (µs, non-decreasing across calls).
   * Prices that are not finite and positive (e.g. the NaN mid of a one-sided
   * book) are ignored. Grid points before `t` are closed with the previous price.
   */
  observe(t: Micros, price: number): void {
    if (t < this.lastTime) throw new RangeError(`observation at ${t} µs after ${this.lastTime} µs: time must not go back`);
    this.lastTime = t;
    if (!(price > 0) || price === Number.POSITIVE_INFINITY) return;
    if (this.nextGrid < 0) {
      this.nextGrid = Math.ceil(t / this.intervalUs) * this.intervalUs;
    } else {
      this.close(t - 1);
    }
    this.lastPrice = price;
  }

  /** Closes every grid point at or before `t` (µs) with the last price observed. */
  advanceTo(t: Micros): void {
    if (t < this.lastTime) throw new RangeError(`advanceTo(${t}) after ${this.lastTime} µs: time must not go back`);
    this.lastTime = t;
    if (this.nextGrid >= 0) this.close(t);
  }

  /** Takes one sample directly (the caller keeps the interval); non-positive or non-finite prices are ignored. */
  push(price: number): void {
    if (!(price > 0) || price === Number.POSITIVE_INFINITY) return;
    this.sample(price);
  }

  /** Samples every grid point ≤ `t` with the last price. */
  private close(t: Micros): void {
    if (this.nextGrid > t) return;
    const points = Math.floor((t - this.nextGrid) / this.intervalUs) + 1;
    this.nextGrid += points * this.intervalUs;
    const price = this.lastPrice;
    // The first sample carries the move since the last one; the rest are zero
    // returns, and more than W of them would only push each other out.
    this.sample(price);
    const zeros = Math.min(points - 1, this.window);
    for (let i = 0; i < zeros; i++) this.sample(price);
  }

  private sample(price: number): void {
    const prev = this.lastSample;
    this.lastSample = price;
    if (prev !== prev) return;
    this.pushReturn(Math.log(price / prev));
  }

  private pushReturn(r: number): void {
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
    if (++this.sinceExact >= w) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += ring[i] * ring[i];
      this.sumSq = s;
      this.sinceExact = 0;
    }
  }
}
