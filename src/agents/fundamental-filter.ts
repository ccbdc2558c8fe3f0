import { MICROS_PER_SECOND, type Micros } from '../engine/time.js';

/**
 * A scalar Kalman filter for a random-walk value observed with Gaussian
 * noise (the local-level model; Harvey 1989, ch. 3): between observations
 * the prior variance grows by `q · Δt` (q = `valueSdTicksPerSqrtSecond²`
 * per second), and an observation y with noise variance r updates the
 * estimate with gain K = P / (P + r). Under regular observations this is
 * exponential smoothing with the steady-state gain. Shared by the agents
 * that watch the fundamental through noise (ValueTrader,
 * FundamentalArbitrageur); the caller draws the noisy observation from its
 * own stream, so the filter holds no randomness.
 */
export class FundamentalFilter {
  /** Current estimate, ticks (NaN before the first observation). */
  estimate = Number.NaN;
  /** Variance of the estimate, ticks². */
  variance = Number.POSITIVE_INFINITY;
  private lastObservedAt: Micros = 0;
  private readonly r: number;
  private readonly q: number;

  /**
   * @param observationSdTicks σ_n, the sd of the noise on each observation, ticks ≥ 0.
   * @param valueSdTicksPerSqrtSecond how fast the value is believed to move, ticks/√s ≥ 0 (0: constant; the estimate is then a running mean).
   */
  constructor(observationSdTicks: number, valueSdTicksPerSqrtSecond: number) {
    this.r = observationSdTicks * observationSdTicks;
    this.q = valueSdTicksPerSqrtSecond * valueSdTicksPerSqrtSecond;
  }

  /** Updates the estimate with observation `y` (ticks) made at `now`. */
  update(now: Micros, y: number): void {
    if (this.estimate !== this.estimate) {
      this.estimate = y;
      this.variance = this.r;
    } else {
      const p = this.variance + (this.q * (now - this.lastObservedAt)) / MICROS_PER_SECOND;
      const gain = p + this.r > 0 ? p / (p + this.r) : 1;
      this.estimate += gain * (y - this.estimate);
      this.variance = (1 - gain) * p;
    }
    this.lastObservedAt = now;
  }
}
