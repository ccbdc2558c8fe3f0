import { MovingAverageCrossover } from './moving-average-crossover.js';
import type { Micros } from '../engine/time.js';
import type { MarketSnapshot } from '../market/market-data.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { LeveragedTrader, type LeveragedTraderOptions } from './leveraged-trader.js';

/** Options of a {@link LeveragedTrendFollower}. */
export interface LeveragedTrendFollowerOptions extends LeveragedTraderOptions {
  /** Time between decisions (and price samples), µs. Default 1 000 000 (1 s). */
  intervalUs?: Micros;
  /** First decision, µs. Default `intervalUs`. */
  startUs?: Micros;
  /** No decision after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Samples in the short moving average, ≥ 1. Default 10. */
  shortWindow?: number;
  /** Samples in the long moving average, ≥ `shortWindow`. Default 50. */
  longWindow?: number;
  /** Leverage it takes when the trend is up (capped by the lender's limit), ≥ 0 (0: it stays flat). Default 2. */
  targetLeverage?: number;
  /** A trend counts only when |short MA − long MA| exceeds this, ticks. Default 0. */
  thresholdTicks?: number;
}

/**
 * A leveraged trend follower (a moving-average crossover, the time-series
 * momentum of Moskowitz, Ooi & Pedersen 2012 in its simplest form, as the
 * chartists of agent-based models such as Brock & Hommes 1998 or
 * Lux & Marchesi 1999).
 *
 * Every `intervalUs` it queries the market and records the mid (the last
 * trade when a side is empty) in a ring of the last `longWindow` samples
 * with running sums (O(1) per sample). Once full, with signal
 * `s = short MA − long MA`:
 * - `s > thresholdTicks`: long at `targetLeverage` — desired position
 *   `targetLeverage · W / (p·m)`, clamped by the base to the lender's
 *   `λ_max` and moved toward with the shared borrow/pledge/repay machinery
 *   of {@link LeveragedTrader};
 * - `s < −thresholdTicks`: flat (sell and repay everything);
 * - otherwise: hold.
 *
 * Long-only: the spot venue has no securities lending, so a down-trend
 * means flat rather than short. Buying on rises and selling on falls with
 * leverage amplifies moves in both directions.
 */
export class LeveragedTrendFollower extends LeveragedTrader {
  readonly intervalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly shortWindow: number;
  readonly longWindow: number;
  readonly targetLeverage: number;
  readonly thresholdTicks: number;
  /** Last signal, ticks (NaN until the window is full). */
  signal = Number.NaN;
  private readonly averages: MovingAverageCrossover;

  constructor(name: string, options: LeveragedTrendFollowerOptions) {
    super(name, options);
    this.intervalUs = requireInt('intervalUs', options.intervalUs ?? 1_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? this.intervalUs, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.shortWindow = requireInt('shortWindow', options.shortWindow ?? 10, 1);
    this.longWindow = requireInt('longWindow', options.longWindow ?? 50, this.shortWindow);
    this.targetLeverage = options.targetLeverage ?? 2;
    if (!(this.targetLeverage >= 0) || !Number.isFinite(this.targetLeverage)) throw new RangeError(`targetLeverage must be a finite number ≥ 0, got ${this.targetLeverage}`);
    this.thresholdTicks = requireAtLeast('thresholdTicks', options.thresholdTicks ?? 0, 0);
    this.averages = new MovingAverageCrossover(this.shortWindow, this.longWindow);
  }

  override onStart(now: Micros): void {
    this.startClock(now, this.startUs, this.endUs);
  }

  override onWakeup(now: Micros, _tag: number): void {
    this.tick(now, this.intervalUs, this.endUs);
  }

  protected override decide(_now: Micros, _s: MarketSnapshot): number {
    const p = this.mid;
    if (!(p > 0)) return Number.NaN;
    this.averages.record(p);
    if (!this.averages.ready) return Number.NaN;
    const signal = this.averages.signal;
    this.signal = signal;
    if (signal > this.thresholdTicks) {
      const w = this.equityAt(p);
      return w > 0 ? (this.targetLeverage * w) / (p * this.minorPerTickLot) : 0;
    }
    if (signal < -this.thresholdTicks) return 0;
    return Number.NaN;
  }

}
