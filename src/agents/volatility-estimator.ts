import type { Micros } from '../engine/time.js';

/**
 * A streaming volatility estimate of one price series, as a lender uses it
 * (issue 13): prices go in as they arrive, one number comes out.
 *
 * Implementations sample prices on the grid `k · intervalUs` by the
 * previous-tick rule ({@link GridVolatilityEstimator}), so a quiet market
 * (no updates) reads as zero returns, and report **σ per √second**, the unit
 * every `HaircutPolicy` takes. Named implementations:
 * {@link RealizedVolEstimator} (rolling window), {@link EwmaVolEstimator}
 * (RiskMetrics) and {@link GarchVolEstimator} (GARCH(1,1)).
 */
export interface VolatilityEstimator {
  /** Sampling interval Δ of the grid, µs. */
  readonly intervalUs: Micros;
  /** True once {@link sigma} is a number (at once when the estimator starts from a prior). */
  readonly ready: boolean;
  /** Volatility of log returns per √second; NaN until {@link ready}. */
  readonly sigma: number;
  /** Volatility of log returns per sampling interval; NaN until {@link ready}. */
  readonly sigmaPerInterval: number;
  /** Records a price seen at time `t` (µs, non-decreasing); non-positive or non-finite prices are ignored. */
  observe(t: Micros, price: number): void;
  /** Closes every grid point at or before `t` (µs) with the last price observed. */
  advanceTo(t: Micros): void;
  /** Takes one sample directly (the caller keeps the interval). */
  push(price: number): void;
  /**
   * A session opened at `t` (µs) after the market was shut: grid points
   * before `t` are closed with the last price, and the move across the
   * close is not taken as a return — the next return is the session's own.
   */
  openSession(t: Micros): void;
}
