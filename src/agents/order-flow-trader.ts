import type { Micros } from '../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import type { ValueProcess } from '../market/value-process.js';
import { lomaxTicks, paretoLots } from './_internals/heavy-tail.js';
import { requireAtLeast, requireInt, requireProbability, requireTimeOrInfinity } from './_internals/check.js';
import { OrderSignProcess } from './order-sign-process.js';
import type { TrackedOrder } from './order-tracker.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** Wake-up purposes; each has at most one pending wake-up. */
const LIMIT = 1;
const MARKET = 2;
const CANCEL = 3;
/** Shortest mean period of any of the agent's clocks, µs (one wake-up per agent per ms, as the registry's MIN_PERIOD_US). */
const MIN_MEAN_PERIOD_US = 1_000;

/** A mean time, µs: a finite number ≥ 1 ms, or +∞ for a stream that is off. */
function meanOrInfinity(name: string, value: number): number {
  return value === Number.POSITIVE_INFINITY ? value : requireAtLeast(name, value, MIN_MEAN_PERIOD_US);
}

/** Options of an {@link OrderFlowTrader}. Defaults: see the registry entry `order-flow`. */
export interface OrderFlowTraderOptions extends TradingAgentOptions {
  /** Mean time between limit-order arrivals, µs (Poisson). */
  meanLimitInterArrivalUs: Micros;
  /** Mean time between market-order arrivals, µs (Poisson); +∞: none. */
  meanMarketInterArrivalUs: Micros;
  /** Mean lifetime of a resting limit order placed at the same-side best before it is cancelled, µs (exponential); +∞: never. */
  meanOrderLifetimeUs: Micros;
  /** β: an order placed d ticks behind the best is cancelled at rate (1 + d)^−β / lifetime. Default 0 (one rate for all). */
  cancelDistanceExponent?: number;
  /** Scale of the limit distance from the same-side best quote, ticks (> 0). */
  distanceScaleTicks: number;
  /** Tail exponent ζ of the distance (density ∝ d^−(1+ζ)); must exceed 1 so the mean is finite. */
  distanceTailExponent: number;
  /** Farthest a limit order rests behind the same-side best, ticks. */
  maxDistanceTicks: number;
  /** Probability that a limit order improves the quote (inside the spread) when the spread is ≥ 2 ticks. */
  insideSpreadProb: number;
  /** Smallest order, lots. */
  minQty: number;
  /** Largest order, lots. */
  maxQty: number;
  /** Tail exponent of order sizes (P(size ≥ q) ∝ q^−tail). */
  sizeTailExponent: number;
  /** Hurst exponent of order signs: 0.5 independent, above 0.5 long memory. */
  signHurst: number;
  /** Most limit orders resting at once (the oldest is cancelled to make room). */
  maxOpenOrders: number;
  /** No arrival before this time, µs. Default 0. */
  startUs?: Micros;
  /** No arrival after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Fundamental value: the anchor when the book is empty and nothing has traded. Optional. */
  fundamental?: Pick<ValueProcess, 'valueAt'>;
}

/**
 * A zero-intelligence order-flow trader after Farmer, Patelli & Zovko (PNAS
 * 2005), Bouchaud, Mézard & Potters (2002) and Cont, Stoikov & Talreja
 * (2010): three independent Poisson streams — limit orders, market orders,
 * and cancellations at a rate per resting order.
 *
 * Limit orders: the side from {@link OrderSignProcess}; with probability
 * `insideSpreadProb`, when the spread is at least 2 ticks, at a uniform price
 * strictly inside it (it improves the quote and never crosses); otherwise at
 * `d` ticks behind the same-side best quote, `d` discrete Lomax (see
 * `lomaxTicks`). A side with no quote is anchored one tick inside the other
 * side's best, else at the last trade, else at the fundamental; with none, no
 * order. Market orders: own sign stream, same size law.
 *
 * Cancellation: each resting order lives an exponential time of mean
 * `meanOrderLifetimeUs` (Cont–Stoikov–Talreja's rate θ per order). It is
 * simulated exactly by uniformization with one pending wake-up: a clock of
 * rate `maxOpenOrders / meanOrderLifetimeUs` picks one of `maxOpenOrders`
 * slots uniformly and cancels the order in it, if any; each resting order is
 * thus hit at rate 1/lifetime whatever the others do. The clock stops while
 * nothing rests and restarts at the next placement, so an idle agent costs
 * no events. With `cancelDistanceExponent` β > 0 the rate falls with the
 * placement distance d as (1 + d)^−β, by thinning the same clock: a hit
 * order is cancelled with probability (1 + d)^−β. Cont, Stoikov & Talreja
 * calibrate θ ≈ 0.5–0.8 per order per second within 5 ticks of the
 * opposite best (Tokyo): lifetimes of about 1.5 s.
 *
 * Inventory on a spot venue (`shortSelling` false), as the noise trader: a
 * sell is cut to the lots it holds uncommitted, and with none it buys.
 *
 * Messages sent: `QueryMarket` (depth 0, one per limit arrival), `PlaceOrder`, `CancelOrder`.
 */
export class OrderFlowTrader extends TradingAgent {
  readonly meanLimitInterArrivalUs: Micros;
  readonly meanMarketInterArrivalUs: Micros;
  readonly meanOrderLifetimeUs: Micros;
  readonly cancelDistanceExponent: number;
  readonly distanceScaleTicks: number;
  readonly distanceTailExponent: number;
  readonly maxDistanceTicks: number;
  readonly insideSpreadProb: number;
  readonly minQty: number;
  readonly maxQty: number;
  readonly sizeTailExponent: number;
  readonly maxOpenOrders: number;
  readonly startUs: Micros;
  readonly endUs: Micros;
  /** Limit-order arrivals so far. */
  limitArrivals = 0;
  /** Market-order arrivals so far. */
  marketArrivals = 0;
  /** Cancellation clock ticks so far (a tick on an empty slot cancels nothing). */
  cancelTicks = 0;
  /** Cancels sent by the lifetime clock. */
  lifetimeCancels = 0;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'> | undefined;
  /** Distance behind the same-side best of the last limit price drawn, ticks (0 inside the spread). */
  private lastDistance = 0;
  private readonly limitSigns: OrderSignProcess;
  private readonly marketSigns: OrderSignProcess;
  /** Resting limit orders by slot; a slot is free when empty, closed or being cancelled. */
  private readonly slots: (TrackedOrder | undefined)[];
  /** Per slot, the chance a clock hit cancels its order: (1 + d)^−β. */
  private readonly slotCancelProb: Float64Array;
  /** Queries sent for limit arrivals and not yet answered. */
  private pendingQueries = 0;
  /** A cancellation wake-up is pending (the clock runs only while orders rest). */
  private cancelClockRunning = false;
  /** The last reference seen, ticks: only recorded in market orders. */
  private lastReference = 1;

  constructor(name: string, o: OrderFlowTraderOptions) {
    super(name, o, 0);
    this.meanLimitInterArrivalUs = requireAtLeast('meanLimitInterArrivalUs', o.meanLimitInterArrivalUs, MIN_MEAN_PERIOD_US);
    this.meanMarketInterArrivalUs = meanOrInfinity('meanMarketInterArrivalUs', o.meanMarketInterArrivalUs);
    this.meanOrderLifetimeUs = meanOrInfinity('meanOrderLifetimeUs', o.meanOrderLifetimeUs);
    this.cancelDistanceExponent = requireAtLeast('cancelDistanceExponent', o.cancelDistanceExponent ?? 0, 0);
    this.distanceScaleTicks = requireAtLeast('distanceScaleTicks', o.distanceScaleTicks, Number.MIN_VALUE);
    if (!(o.distanceTailExponent > 1 && Number.isFinite(o.distanceTailExponent))) {
      throw new RangeError(`distanceTailExponent must be > 1 (at or below 1 the mean distance is infinite), got ${o.distanceTailExponent}`);
    }
    this.distanceTailExponent = o.distanceTailExponent;
    this.maxDistanceTicks = requireInt('maxDistanceTicks', o.maxDistanceTicks, 0);
    this.insideSpreadProb = requireProbability('insideSpreadProb', o.insideSpreadProb);
    this.minQty = requireInt('minQty', o.minQty, 1);
    this.maxQty = requireInt('maxQty', o.maxQty, this.minQty);
    this.sizeTailExponent = requireAtLeast('sizeTailExponent', o.sizeTailExponent, Number.MIN_VALUE);
    this.maxOpenOrders = requireInt('maxOpenOrders', o.maxOpenOrders, 1);
    if (this.meanOrderLifetimeUs / this.maxOpenOrders < MIN_MEAN_PERIOD_US) {
      // The clock ticks at maxOpenOrders / lifetime: bound it as other agents' clocks are.
      throw new RangeError(`meanOrderLifetimeUs / maxOpenOrders must be ≥ ${MIN_MEAN_PERIOD_US} µs (the cancellation clock would flood the event queue), got ${this.meanOrderLifetimeUs / this.maxOpenOrders}`);
    }
    this.startUs = requireInt('startUs', o.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', o.endUs ?? Number.POSITIVE_INFINITY);
    this.fundamental = o.fundamental;
    this.limitSigns = new OrderSignProcess(o.signHurst);
    this.marketSigns = new OrderSignProcess(o.signHurst);
    this.slots = new Array<TrackedOrder | undefined>(this.maxOpenOrders).fill(undefined);
    this.slotCancelProb = new Float64Array(this.maxOpenOrders);
  }

  override onStart(now: Micros): void {
    const t = Math.max(now, this.startUs);
    this.schedule(LIMIT, t, this.meanLimitInterArrivalUs);
    this.schedule(MARKET, t, this.meanMarketInterArrivalUs);
  }

  override onWakeup(now: Micros, tag: number): void {
    switch (tag) {
      case LIMIT:
        this.limitArrivals++;
        this.pendingQueries++;
        this.queryMarket();
        this.schedule(LIMIT, now, this.meanLimitInterArrivalUs);
        return;
      case MARKET:
        this.marketArrivals++;
        this.sendMarket();
        this.schedule(MARKET, now, this.meanMarketInterArrivalUs);
        return;
      case CANCEL:
        this.cancelTicks++;
        this.cancelOneSlot();
        // Stop with nothing resting; a placement restarts the clock (exact: the clock is memoryless).
        if (this.tracker.liveCount > 0) this.wakeAt(now + this.exponentialDelay(this.meanOrderLifetimeUs / this.maxOpenOrders), CANCEL);
        else this.cancelClockRunning = false;
        return;
    }
  }

  /** Resting limit orders not being cancelled. */
  get restingCount(): number {
    return this.tracker.liveCount;
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    if (s.update || this.pendingQueries === 0) return;
    this.pendingQueries--;
    let side: Side = this.limitSigns.next(this.rng) === 1 ? 'buy' : 'sell';
    let qty = paretoLots(this.rng, this.minQty, this.sizeTailExponent, this.maxQty);
    if (side === 'sell') {
      const sellable = this.sellable();
      if (sellable <= 0) side = 'buy';
      else if (qty > sellable) qty = sellable;
    }
    const price = this.limitPrice(now, s, side);
    if (price !== price) return; // NaN: nothing to anchor to
    this.lastReference = price;
    const slot = this.freeSlot();
    this.slots[slot] = this.placeLimit(side, price, qty);
    this.slotCancelProb[slot] = this.cancelDistanceExponent === 0 ? 1 : Math.pow(1 + this.lastDistance, -this.cancelDistanceExponent);
    if (!this.cancelClockRunning && this.meanOrderLifetimeUs !== Number.POSITIVE_INFINITY) {
      this.cancelClockRunning = true;
      this.wakeAt(now + this.exponentialDelay(this.meanOrderLifetimeUs / this.maxOpenOrders), CANCEL);
    }
  }

  /**
   * The limit price, ticks (NaN when there is nothing to anchor to): inside
   * the spread with probability `insideSpreadProb`, else `d` ticks behind the
   * same-side best (Bouchaud, Mézard & Potters 2002 measure Δ from it).
   */
  private limitPrice(now: Micros, s: MarketSnapshot, side: Side): number {
    const bid = s.bidPrice;
    const ask = s.askPrice;
    if (bid !== NO_PRICE && ask !== NO_PRICE && ask - bid >= 2 && this.rng.bernoulli(this.insideSpreadProb)) {
      this.lastDistance = 0;
      return this.rng.int(bid + 1, ask - 1);
    }
    const d = lomaxTicks(this.rng, this.distanceScaleTicks, this.distanceTailExponent, this.maxDistanceTicks);
    this.lastDistance = d;
    const best = side === 'buy' ? bid : ask;
    let anchor: number;
    if (best !== NO_PRICE) anchor = best;
    else if (side === 'buy' && ask !== NO_PRICE) anchor = ask - 1;
    else if (side === 'sell' && bid !== NO_PRICE) anchor = bid + 1;
    else if (s.lastPrice !== NO_PRICE) anchor = s.lastPrice;
    else if (this.fundamental !== undefined) anchor = Math.round(this.fundamental.valueAt(now));
    else return Number.NaN;
    return Math.max(1, side === 'buy' ? anchor - d : anchor + d);
  }

  private sendMarket(): void {
    let side: Side = this.marketSigns.next(this.rng) === 1 ? 'buy' : 'sell';
    let qty = paretoLots(this.rng, this.minQty, this.sizeTailExponent, this.maxQty);
    if (side === 'sell') {
      const sellable = this.sellable();
      if (sellable <= 0) side = 'buy';
      else if (qty > sellable) qty = sellable;
    }
    this.placeMarket(side, qty, this.lastReference);
  }

  /** One tick of the uniformized cancellation clock. */
  private cancelOneSlot(): void {
    const i = this.rng.int(0, this.maxOpenOrders - 1);
    const order = this.slots[i];
    if (order === undefined) return;
    if (order.remaining === 0 || order.cancelRequested) {
      this.slots[i] = undefined;
      return;
    }
    const p = this.slotCancelProb[i] as number;
    if (p >= 1 || this.rng.uniform() < p) {
      this.slots[i] = undefined;
      this.cancel(order);
      this.lifetimeCancels++;
    }
  }

  /** A free slot; when all hold resting orders, the oldest is cancelled to make room. */
  private freeSlot(): number {
    for (let i = 0; i < this.slots.length; i++) {
      const o = this.slots[i];
      if (o === undefined || o.remaining === 0 || o.cancelRequested) return i;
    }
    let oldest = 0;
    for (let i = 1; i < this.slots.length; i++) {
      if ((this.slots[i] as TrackedOrder).clientOrderId < (this.slots[oldest] as TrackedOrder).clientOrderId) oldest = i;
    }
    this.cancel(this.slots[oldest] as TrackedOrder);
    return oldest;
  }

  /** Schedules the next wake-up of one purpose, unless past `endUs` or the stream is off (mean +∞). */
  private schedule(tag: number, from: Micros, meanUs: number): void {
    if (meanUs === Number.POSITIVE_INFINITY) return;
    const t = from + this.exponentialDelay(meanUs);
    if (t <= this.endUs) this.wakeAt(t, tag);
  }

}
