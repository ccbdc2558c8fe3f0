import type { Micros } from '../engine/time.js';
import { NO_PRICE, midOf, type MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import { MovingAverageCrossover } from './moving-average-crossover.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** Options of a {@link MomentumTrader}. */
export interface MomentumTraderOptions extends TradingAgentOptions {
  /** Time between wake-ups, µs. Default 1 000 000 (1 s). */
  intervalUs?: Micros;
  /** First wake-up, µs. Default `intervalUs`. */
  startUs?: Micros;
  /** No wake-up after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Samples in the short moving average. Default 20. */
  shortWindow?: number;
  /** Samples in the long moving average (and the ring buffer's size), ≥ `shortWindow`. Default 50. */
  longWindow?: number;
  /** Lots per order. Default 1. */
  qty?: number;
  /** `'market'` orders, or `'limit'`: IOC limits at the opposite best ± `crossTicks` (marketable, never resting). Default `'market'`. */
  orderType?: 'market' | 'limit';
  /** How far beyond the opposite best a `'limit'` order is priced, ticks. Default 0. */
  crossTicks?: number;
  /** Trade only when |short MA − long MA| exceeds this, ticks. Default 0. */
  thresholdTicks?: number;
  /** No buy that would take the position above this, nor a sell below its negative, lots. Default +∞. */
  maxPosition?: number;
}

/**
 * A moving-average crossover trend follower, after ABIDES' `MomentumAgent`.
 *
 * Wakes every `intervalUs`, sends `QueryMarket`, and records the answer's
 * mid (the last trade when a side is empty; nothing when neither exists) in
 * a ring buffer of the last `longWindow` samples, with running sums of the
 * short and long windows (O(1) per sample, no copies; mids are multiples of
 * half a tick, so the sums are exact). Once the buffer is full it buys `qty`
 * lots when the short average exceeds the long one by more than
 * `thresholdTicks`, and sells when it falls short of it by more.
 *
 * On a spot venue sells are cut to the lots held (none: no order).
 *
 * Messages sent: `QueryMarket` (depth 0), `PlaceOrder` (`'market'`, or `'limit-ioc'`).
 * Messages handled: `MarketSnapshot` (query answers), order reports.
 */
export class MomentumTrader extends TradingAgent {
  readonly intervalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly shortWindow: number;
  readonly longWindow: number;
  readonly qty: number;
  readonly orderType: 'market' | 'limit';
  readonly crossTicks: number;
  readonly thresholdTicks: number;
  readonly maxPosition: number;
  private readonly averages: MovingAverageCrossover;

  constructor(name: string, options: MomentumTraderOptions) {
    super(name, options, 0);
    this.intervalUs = requireInt('intervalUs', options.intervalUs ?? 1_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? this.intervalUs, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.shortWindow = requireInt('shortWindow', options.shortWindow ?? 20, 1);
    this.longWindow = requireInt('longWindow', options.longWindow ?? 50, this.shortWindow);
    this.qty = requireInt('qty', options.qty ?? 1, 1);
    this.orderType = options.orderType ?? 'market';
    if (this.orderType !== 'market' && this.orderType !== 'limit') throw new RangeError(`orderType must be 'market' or 'limit', got ${String(this.orderType)}`);
    this.crossTicks = requireInt('crossTicks', options.crossTicks ?? 0, 0);
    this.thresholdTicks = requireAtLeast('thresholdTicks', options.thresholdTicks ?? 0, 0);
    this.maxPosition = options.maxPosition ?? Number.POSITIVE_INFINITY;
    if (!(this.maxPosition >= 0)) throw new RangeError(`maxPosition must be ≥ 0, got ${this.maxPosition}`);
    this.averages = new MovingAverageCrossover(this.shortWindow, this.longWindow);
  }

  /** Short moving average, ticks (NaN until `shortWindow` samples). */
  get shortAverage(): number {
    return this.averages.shortAverage;
  }

  /** Long moving average, ticks (NaN until `longWindow` samples). */
  get longAverage(): number {
    return this.averages.longAverage;
  }

  override onStart(now: Micros): void {
    this.startClock(now, this.startUs, this.endUs);
  }

  override onWakeup(now: Micros, _tag: number): void {
    this.tick(now, this.intervalUs, this.endUs);
  }

  protected override onSnapshot(_now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const mid = midOf(s);
    const sample = mid === mid ? mid : s.lastPrice !== NO_PRICE ? s.lastPrice : Number.NaN;
    if (sample !== sample) return;
    this.averages.record(sample);
    if (!this.averages.ready) return;

    const signal = this.averages.signal;
    let side: Side;
    if (signal > this.thresholdTicks) side = 'buy';
    else if (signal < -this.thresholdTicks) side = 'sell';
    else return;

    const position = this.tracker.position;
    let qty = this.qty;
    if (side === 'buy') {
      qty = Math.min(qty, Math.floor(this.maxPosition - position - this.tracker.committedBuyQty));
    } else {
      qty = Math.min(qty, Math.floor(this.maxPosition + position - this.tracker.committedSellQty), this.sellable());
    }
    if (!(qty >= 1)) return;

    const opposite = side === 'buy' ? s.askPrice : s.bidPrice;
    if (this.orderType === 'market') {
      this.placeMarket(side, qty, opposite !== NO_PRICE ? opposite : Math.max(1, Math.round(sample)));
    } else {
      if (opposite === NO_PRICE) return; // nothing to cross against
      const price = side === 'buy' ? opposite + this.crossTicks : Math.max(1, opposite - this.crossTicks);
      this.placeLimit(side, price, qty, 'limit-ioc');
    }
  }

}
