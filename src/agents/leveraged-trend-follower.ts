import { MovingAverageCrossover } from './moving-average-crossover.js';
import type { Micros } from '../engine/time.js';
import type { MarketSnapshot } from '../market/market-data.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import { ClockedLeveragedTrader, type ClockedLeveragedTraderOptions } from './clocked-leveraged-trader.js';

/** Options of a {@link LeveragedTrendFollower}. */
export interface LeveragedTrendFollowerOptions extends ClockedLeveragedTraderOptions {
  // intervalUs: time between decisions (and price samples); default 1 000 000 (1 s).
  /** Samples in the short moving average, ≥ 1. Default 10. */
  shortWindow?: number;
  /** Samples in the long moving average, ≥ `shortWindow`. Default 50. */
  longWindow?: number;
  /** Leverage it approaches in a strong up-trend (capped by the lender's limit), ≥ 0 (0: it stays flat). Default 2. */
  targetLeverage?: number;
  /** Scale `c` of the normalised signal: leverage = targetLeverage · tanh(z / c), > 0. Default 1. */
  signalScale?: number;
  /** A trend counts only when |short MA − long MA| exceeds this, ticks; within it the position is held. Default 0. */
  thresholdTicks?: number;
}

/** Smallest price dispersion a signal is divided by, ticks: below the price grid it is not measurable. */
const MIN_DISPERSION_TICKS = 1;

/**
 * Leverage for a normalised trend signal `z`: `maxLeverage · tanh(z / scale)`
 * for `z > 0`, 0 otherwise (long-only). Continuous, non-decreasing in `z`
 * and below `maxLeverage`: the position grows with the strength of the trend
 * (the volatility-scaled trend signals of Moskowitz, Ooi & Pedersen 2012 and
 * Baz et al. 2015; tanh is our bounded, monotone response — Baz et al.'s
 * z·e^{−z²/4} would cut the position in strong trends).
 */
export function trendLeverage(z: number, maxLeverage: number, scale: number): number {
  return z > 0 ? maxLeverage * Math.tanh(z / scale) : 0;
}

/**
 * A leveraged trend follower (a moving-average crossover, the time-series
 * momentum of Moskowitz, Ooi & Pedersen 2012 in its simplest form, as the
 * chartists of agent-based models such as Brock & Hommes 1998 or
 * Lux & Marchesi 1999).
 *
 * Every `intervalUs` it queries the market and records the mid (the last
 * trade when a side is empty) in a ring of the last `longWindow` samples
 * with running sums (O(1) per sample). Once full, with spread
 * `s = short MA − long MA` and normalised signal `z = s / σ_p` (σ_p the
 * standard deviation of the long window's prices, at least one tick: the
 * MACD normalisation of Baz, Granger, Harvey, Le Roux & Rattray 2015,
 * "Dissecting investment strategies in the cross section and time series"):
 * - `|s| > thresholdTicks`: leverage `targetLeverage · tanh(z / signalScale)`
 *   for `z > 0`, 0 for `z < 0` ({@link trendLeverage}) — desired position
 *   leverage · `W / (p·m)`, clamped by the base to the lender's `λ_max` and
 *   moved toward with the shared borrow/pledge/repay machinery of
 *   {@link LeveragedTrader} (gradually, with `execution: 'twap'` or `'pov'`);
 * - otherwise: hold.
 *
 * Long-only: the spot venue has no securities lending, so a down-trend
 * means flat rather than short. Buying on rises and selling on falls with
 * leverage amplifies moves in both directions.
 */
export class LeveragedTrendFollower extends ClockedLeveragedTrader {
  readonly shortWindow: number;
  readonly longWindow: number;
  readonly targetLeverage: number;
  readonly thresholdTicks: number;
  readonly signalScale: number;
  /** Last spread short MA − long MA, ticks (NaN until the window is full). */
  signal = Number.NaN;
  /** Last normalised signal z (NaN until the window is full). */
  normalisedSignal = Number.NaN;
  private readonly averages: MovingAverageCrossover;

  constructor(name: string, options: LeveragedTrendFollowerOptions) {
    super(name, options, 1_000_000);
    this.shortWindow = requireInt('shortWindow', options.shortWindow ?? 10, 1);
    this.longWindow = requireInt('longWindow', options.longWindow ?? 50, this.shortWindow);
    this.targetLeverage = options.targetLeverage ?? 2;
    if (!(this.targetLeverage >= 0) || !Number.isFinite(this.targetLeverage)) throw new RangeError(`targetLeverage must be a finite number ≥ 0, got ${this.targetLeverage}`);
    this.thresholdTicks = requireAtLeast('thresholdTicks', options.thresholdTicks ?? 0, 0);
    this.signalScale = options.signalScale ?? 1;
    if (!(this.signalScale > 0) || !Number.isFinite(this.signalScale)) throw new RangeError(`signalScale must be a finite number > 0, got ${this.signalScale}`);
    this.averages = new MovingAverageCrossover(this.shortWindow, this.longWindow);
  }

  protected override decide(_now: Micros, _s: MarketSnapshot): number {
    const p = this.mid;
    if (!(p > 0)) return Number.NaN;
    this.averages.record(p);
    if (!this.averages.ready) return Number.NaN;
    const signal = this.averages.signal;
    this.signal = signal;
    const z = signal / Math.max(this.averages.longStd, MIN_DISPERSION_TICKS);
    this.normalisedSignal = z;
    if (Math.abs(signal) <= this.thresholdTicks) return Number.NaN;
    const w = this.equityAt(p);
    return w > 0 ? (trendLeverage(z, this.targetLeverage, this.signalScale) * w) / (p * this.minorPerTickLot) : 0;
  }

}
