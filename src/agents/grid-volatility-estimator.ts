import { MICROS_PER_SECOND, type Micros } from '../engine/time.js';
import { requireInt } from './_internals/check.js';
import { isValidPrice } from '../stats/returns.js';
import type { VolatilityEstimator } from './volatility-estimator.js';

/**
 * The sampling every {@link VolatilityEstimator} of levsim shares: log
 * returns of prices sampled on a fixed grid, handed to the subclass's
 * recursion one by one ({@link addReturn}) or as a run of zeros
 * ({@link addZeroReturns}).
 *
 * ## Sampling
 * Prices arrive whenever they arrive ({@link observe}); the sample at
 * `t_k = k·Δ` is the last price observed at or before `t_k` (the
 * previous-tick rule). A grid point is closed when a later observation
 * arrives or when {@link advanceTo} reaches it, so a quiet market (no
 * updates) yields zero returns, as it should. {@link push} bypasses the grid
 * for callers that sample on their own timer. Returns are
 * `r_k = ln(p_k / p_{k−1})`; the first sample gives none.
 *
 * ## Gaps
 * A gap of `m` grid points gives one return carrying the move since the last
 * sample and `m − 1` zero returns, passed as a count so that a subclass can
 * apply them in O(1) (10⁹ points of silence is not a loop).
 *
 * ## Nights
 * {@link openSession} cuts the chain at a session's open: the overnight move
 * is not an intraday return. Taken as one, a 1 % opening gap is a
 * thirty-sigma 10-second return that quadruples a 10-minute realised σ at
 * every open. Realised variance is built from intraday returns, the
 * overnight return being a separate component (Andersen, Bollerslev,
 * Diebold & Labys 2003; Hansen & Lunde 2005).
 */
export abstract class GridVolatilityEstimator implements VolatilityEstimator {
  readonly intervalUs: Micros;
  /** Δ in seconds (σ per √s = σ per interval / √Δ_s). */
  protected readonly intervalSeconds: number;
  /** Last price observed (NaN before the first). */
  private lastPrice = Number.NaN;
  /** Last sampled price (NaN before the first sample). */
  private lastSample = Number.NaN;
  /** Next grid point not yet sampled, µs (−1 before the first observation). */
  private nextGrid: Micros = -1;
  private lastTime: Micros = 0;

  /** @param intervalUs sampling interval Δ, µs, an integer > 0 */
  protected constructor(intervalUs: Micros) {
    this.intervalUs = requireInt('intervalUs', intervalUs, 1);
    this.intervalSeconds = this.intervalUs / MICROS_PER_SECOND;
  }

  abstract get ready(): boolean;
  abstract get sigma(): number;
  abstract get sigmaPerInterval(): number;

  /** One log return `r` of the grid, in time order. */
  protected abstract addReturn(r: number): void;

  /** `count` ≥ 1 zero returns in a row (a quiet stretch of the grid). */
  protected abstract addZeroReturns(count: number): void;

  /**
   * Records a price seen at time `t` (µs, non-decreasing across calls).
   * Prices that are not finite and positive (e.g. the NaN mid of a one-sided
   * book) are ignored. Grid points before `t` are closed with the previous price.
   */
  observe(t: Micros, price: number): void {
    if (t < this.lastTime) throw new RangeError(`observation at ${t} µs after ${this.lastTime} µs: time must not go back`);
    this.lastTime = t;
    if (!isValidPrice(price)) return;
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

  openSession(t: Micros): void {
    if (t < this.lastTime) throw new RangeError(`openSession(${t}) after ${this.lastTime} µs: time must not go back`);
    if (this.nextGrid >= 0) this.close(t - 1);
    this.lastTime = t;
    // The session's first price starts a new chain: no return reaches back across the night.
    this.lastPrice = Number.NaN;
    this.lastSample = Number.NaN;
  }

  /** Takes one sample directly (the caller keeps the interval); non-positive or non-finite prices are ignored. */
  push(price: number): void {
    if (!isValidPrice(price)) return;
    this.sample(price);
  }

  /** Samples every grid point ≤ `t` with the last price. */
  private close(t: Micros): void {
    if (this.nextGrid > t) return;
    const points = Math.floor((t - this.nextGrid) / this.intervalUs) + 1;
    this.nextGrid += points * this.intervalUs;
    // No price yet in this session: nothing to sample.
    if (this.lastPrice !== this.lastPrice) return;
    // The first sample carries the move since the last one; the rest repeat
    // its price: zero returns (ln(p/p) is exactly 0).
    this.sample(this.lastPrice);
    if (points > 1) this.addZeroReturns(points - 1);
  }

  private sample(price: number): void {
    const prev = this.lastSample;
    this.lastSample = price;
    if (prev !== prev) return;
    this.addReturn(Math.log(price / prev));
  }
}
