import type { Micros } from '../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { FundamentalFilter } from './fundamental-filter.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** Options of a {@link ValueTrader}. */
export interface ValueTraderOptions extends TradingAgentOptions {
  /** The fundamental value process (the oracle) the trader observes with noise. Required. */
  fundamental: Pick<ValueProcess, 'valueAt'>;
  /** Mean time between arrivals, µs (Poisson process). Default 10 000 000 (10 s). */
  meanInterArrivalUs?: Micros;
  /** No arrival before this time, µs. Default 0. */
  startUs?: Micros;
  /** No arrival after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Standard deviation of the noise on each observation of the fundamental, ticks (σ_n). Default 5. */
  observationSdTicks?: number;
  /**
   * How fast the trader believes the fundamental moves: the standard
   * deviation of its change over one second, ticks/√s (the filter's process
   * noise). 0 means a constant value (the estimate is then a running mean).
   * Default 1.
   */
  valueSdTicksPerSqrtSecond?: number;
  /** Smallest order, lots. Default 1. */
  minQty?: number;
  /** Largest order, lots (sizes uniform on `[minQty, maxQty]`). Default 10. */
  maxQty?: number;
  /**
   * How far beyond the touch an aggressive order may be priced, ticks (to
   * still trade if the touch moves while the order travels); never beyond
   * the estimate. Default 0: buy at the ask, sell at the bid.
   */
  crossTicks?: number;
  /** Passive orders are placed up to this many ticks behind their best price (uniform). Default 2. */
  passiveDepthTicks?: number;
}

/**
 * A fundamental-value trader, after ABIDES' `ValueAgent`.
 *
 * Arrivals form a Poisson process. On each arrival it observes the
 * fundamental with Gaussian noise (sd `observationSdTicks`) and updates its
 * estimate with a {@link FundamentalFilter} (a scalar Kalman filter for a
 * random-walk value, process noise `valueSdTicksPerSqrtSecond`). It then cancels its open
 * orders and sends `QueryMarket`; on the answer, with estimate `e`:
 *
 * - `e > ask`: buys `U{minQty..maxQty}` lots with a limit at
 *   `min(ask + crossTicks, ⌊e⌋)` (marketable);
 * - `e < bid`: sells at `max(bid − crossTicks, ⌈e⌉)` (marketable);
 * - otherwise a passive order on the side the estimate favours (buy when
 *   `e ≥ mid`, a fair coin when a side is empty): a buy at
 *   `min(⌊e⌋, ask − 1) − U{0..passiveDepthTicks}`, a sell at
 *   `max(⌈e⌉, bid + 1) + U{0..passiveDepthTicks}`, at least 1 tick.
 *
 * Unlike ABIDES it does not assume the process' mean-reversion parameters:
 * the estimate is of today's value, not of the value at the close.
 * On a spot venue sells are cut to the lots it holds (none: no order).
 *
 * Messages sent: `QueryMarket` (depth 0), `CancelOrder`, `PlaceOrder` (`'limit'`, GTC).
 * Messages handled: `MarketSnapshot` (query answers), order reports.
 */
export class ValueTrader extends TradingAgent {
  readonly meanInterArrivalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly observationSdTicks: number;
  readonly valueSdTicksPerSqrtSecond: number;
  readonly minQty: number;
  readonly maxQty: number;
  readonly crossTicks: number;
  readonly passiveDepthTicks: number;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'>;
  private readonly filter: FundamentalFilter;

  constructor(name: string, options: ValueTraderOptions) {
    super(name, options, 0);
    if (options.fundamental === undefined) throw new RangeError('ValueTrader needs a fundamental value process');
    this.fundamental = options.fundamental;
    this.meanInterArrivalUs = requireAtLeast('meanInterArrivalUs', options.meanInterArrivalUs ?? 10_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.observationSdTicks = requireAtLeast('observationSdTicks', options.observationSdTicks ?? 5, 0);
    this.valueSdTicksPerSqrtSecond = requireAtLeast('valueSdTicksPerSqrtSecond', options.valueSdTicksPerSqrtSecond ?? 1, 0);
    this.minQty = requireInt('minQty', options.minQty ?? 1, 1);
    this.maxQty = requireInt('maxQty', options.maxQty ?? 10, this.minQty);
    this.crossTicks = requireInt('crossTicks', options.crossTicks ?? 0, 0);
    this.passiveDepthTicks = requireInt('passiveDepthTicks', options.passiveDepthTicks ?? 2, 0);
    this.filter = new FundamentalFilter(this.observationSdTicks, this.valueSdTicksPerSqrtSecond);
  }

  /** Current estimate of the fundamental, ticks (NaN before the first observation). */
  get estimate(): number {
    return this.filter.estimate;
  }

  /** Variance of the estimate, ticks². */
  get estimateVariance(): number {
    return this.filter.variance;
  }

  override onStart(now: Micros): void {
    this.scheduleArrival(Math.max(now, this.startUs));
  }

  override onWakeup(now: Micros, _tag: number): void {
    this.observe(now);
    this.cancelAll();
    // The book once its own cancels have arrived (ABIDES' ValueAgent order of steps).
    this.queryMarketBehindOrders();
    this.scheduleArrival(now);
  }

  protected override onSnapshot(_now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const e = this.estimate;
    if (e !== e) return;
    const hasBid = s.bidPrice !== NO_PRICE;
    const hasAsk = s.askPrice !== NO_PRICE;
    let qty = this.rng.int(this.minQty, this.maxQty);
    const coin = this.rng.bernoulli(0.5);
    const depth = this.rng.int(0, this.passiveDepthTicks);

    let side: Side;
    let price: number;
    if (hasAsk && e > s.askPrice) {
      side = 'buy';
      price = Math.min(s.askPrice + this.crossTicks, Math.floor(e));
    } else if (hasBid && e < s.bidPrice) {
      side = 'sell';
      price = Math.max(s.bidPrice - this.crossTicks, Math.ceil(e));
    } else {
      side = hasBid && hasAsk ? (2 * e >= s.bidPrice + s.askPrice ? 'buy' : 'sell') : coin ? 'buy' : 'sell';
      price = side === 'buy' ? Math.min(Math.floor(e), hasAsk ? s.askPrice - 1 : Number.POSITIVE_INFINITY) - depth : Math.max(Math.ceil(e), hasBid ? s.bidPrice + 1 : 1) + depth;
    }
    if (price < 1) price = 1;
    if (side === 'sell') {
      const sellable = this.sellable();
      if (sellable <= 0) return;
      if (qty > sellable) qty = sellable;
    }
    this.placeLimit(side, price, qty);
  }

  /** One noisy observation of the fundamental and the filter update. */
  private observe(now: Micros): void {
    this.filter.update(now, this.fundamental.valueAt(now) + this.rng.normal(0, this.observationSdTicks));
  }

  private scheduleArrival(from: Micros): void {
    const t = from + this.exponentialDelay(this.meanInterArrivalUs);
    if (t <= this.endUs) this.wakeAt(t);
  }
}
