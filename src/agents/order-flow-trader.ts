import type { Scheduled } from '../engine/kernel.js';
import type { Micros } from '../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import type { ValueProcess } from '../market/value-process.js';
import { linearTicks, lomaxTicks, paretoLots } from './_internals/heavy-tail.js';
import { requireAtLeast, requireInt, requireProbability, requireTimeOrInfinity } from './_internals/check.js';
import { FreeSlots } from './_internals/free-slots.js';
import { SlotDeadlines } from './_internals/slot-deadlines.js';
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

/**
 * How far behind the same-side best a limit order is placed: `'lomax'`, the
 * heavy-tailed relative prices of the order flow near the touch (Zovko &
 * Farmer 2002), or `'linear'`, a density growing with the distance up to
 * `maxDistanceTicks` (the latent liquidity of slow traders far from the
 * price, Tóth et al. 2011; see `linearTicks`).
 */
export type DistanceLaw = 'lomax' | 'linear';

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
  /** The law of that distance. Default `'lomax'` (scale and tail exponent unused under `'linear'`). */
  distanceLaw?: DistanceLaw;
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
  /** Fundamental value: the anchor when the book is empty and nothing has traded, and what `valueTilt` leans toward. Optional. */
  fundamental?: Pick<ValueProcess, 'valueAt'>;
  /** κ: an order's side is the one toward the fundamental with probability min(1, κ·|V − mid|/V). Default 0 (off). */
  valueTilt?: number;
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
 * `lomaxTicks`) or, with `distanceLaw: 'linear'`, of density growing
 * linearly out to `maxDistanceTicks` (a slow latent-liquidity group far
 * from the price; see `linearTicks`). A side with no quote is anchored one tick inside the other
 * side's best, else at the last trade, else at the fundamental; with none, no
 * order. Market orders: own sign stream, same size law.
 *
 * Cancellation: each resting order lives an exponential time of mean
 * `meanOrderLifetimeUs` (Cont–Stoikov–Talreja's rate θ per order), drawn
 * when it is placed; with `cancelDistanceExponent` β > 0 an order placed d
 * ticks behind the best lives (1 + d)^β times longer (rate θ·(1 + d)^−β).
 * One pending wake-up, at the earliest death among the agent's resting
 * orders, sends the cancels that are due: an order costs one wake-up when it
 * is cancelled and none while it rests, and a filled order's death costs at
 * most one idle wake-up. Cont, Stoikov & Talreja calibrate θ ≈ 0.5–0.8 per
 * order per second within 5 ticks of the opposite best (Tokyo): lifetimes
 * of about 1.5 s.
 *
 * With `valueTilt` κ > 0 the flow knows the public fundamental V, as the
 * agents of Chiarella & Iori (Quant. Finance 2(5), 2002), whose order side is
 * the sign of a fundamentalist term g₁·(V − p)/p plus noise: after the sign
 * is drawn, with probability min(1, κ·|V − mid|/V) it is replaced by the side
 * toward V (κ = 10: one order in ten leans at a 1 % gap). Near value the flow
 * is the zero-intelligence flow; far from it, the book itself re-centres on
 * V, so public information reaches the price through quotes rather than only
 * through arbitrageurs' inventories, which a fundamental that wanders for
 * months would otherwise exhaust.
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
  readonly distanceLaw: DistanceLaw;
  readonly insideSpreadProb: number;
  readonly minQty: number;
  readonly maxQty: number;
  readonly sizeTailExponent: number;
  readonly maxOpenOrders: number;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly valueTilt: number;
  /** Limit-order arrivals so far. */
  limitArrivals = 0;
  /** Market-order arrivals so far. */
  marketArrivals = 0;
  /** Cancellation wake-ups so far (one may find nothing due: its order was filled). */
  cancelWakeups = 0;
  /** Cancels sent by the lifetime clock. */
  lifetimeCancels = 0;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'> | undefined;
  /** Distance behind the same-side best of the last limit price drawn, ticks (0 inside the spread). */
  private lastDistance = 0;
  private readonly limitSigns: OrderSignProcess;
  private readonly marketSigns: OrderSignProcess;
  /**
   * Resting limit orders by slot (each order's `tag` is its slot); a slot is
   * free when empty, or its order closed or is being cancelled — such an
   * order leaves its slot at once ({@link onClosed}, {@link cancelDue}).
   */
  private readonly slots: (TrackedOrder | undefined)[];
  /** Which slots are free. */
  private readonly freeSlots: FreeSlots;
  /** When each slot's resting order is to be cancelled, µs (none for a free slot). */
  private readonly deaths: SlotDeadlines;
  /** Scratch of cancelDue: the slots whose orders are due. */
  private readonly dueSlots: number[] = [];
  /** Queries sent for limit arrivals and not yet answered. */
  private pendingQueries = 0;
  /** The pending cancellation wake-up and its time (+∞: none). */
  private cancelWake: Scheduled | undefined;
  private cancelWakeUs = Number.POSITIVE_INFINITY;
  /** The last reference seen, ticks: only recorded in market orders. */
  private lastReference = 1;
  /** The mid of the last snapshot with both sides quoted, ticks (NaN before one): what market orders' tilt compares with. */
  private lastMid = Number.NaN;
  /** The size {@link drawOrder} drew with the side it returned, lots (a field, so no pair is allocated per order). */
  private drawnQty = 0;

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
    this.distanceLaw = o.distanceLaw ?? 'lomax';
    if (this.distanceLaw !== 'lomax' && this.distanceLaw !== 'linear') throw new RangeError(`distanceLaw must be 'lomax' or 'linear', got ${String(o.distanceLaw)}`);
    this.insideSpreadProb = requireProbability('insideSpreadProb', o.insideSpreadProb);
    this.minQty = requireInt('minQty', o.minQty, 1);
    this.maxQty = requireInt('maxQty', o.maxQty, this.minQty);
    this.sizeTailExponent = requireAtLeast('sizeTailExponent', o.sizeTailExponent, Number.MIN_VALUE);
    this.maxOpenOrders = requireInt('maxOpenOrders', o.maxOpenOrders, 1);
    this.startUs = requireInt('startUs', o.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', o.endUs ?? Number.POSITIVE_INFINITY);
    this.fundamental = o.fundamental;
    this.valueTilt = requireAtLeast('valueTilt', o.valueTilt ?? 0, 0);
    if (this.valueTilt > 0 && this.fundamental === undefined) throw new RangeError('valueTilt needs a fundamental value process');
    this.limitSigns = new OrderSignProcess(o.signHurst);
    this.marketSigns = new OrderSignProcess(o.signHurst);
    this.slots = new Array<TrackedOrder | undefined>(this.maxOpenOrders).fill(undefined);
    this.freeSlots = new FreeSlots(this.maxOpenOrders);
    this.deaths = new SlotDeadlines(this.maxOpenOrders);
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
        this.sendMarket(now);
        this.schedule(MARKET, now, this.meanMarketInterArrivalUs);
        return;
      case CANCEL:
        this.cancelWakeups++;
        this.cancelWake = undefined;
        this.cancelWakeUs = Number.POSITIVE_INFINITY;
        this.cancelDue(now);
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
    if (s.bidPrice !== NO_PRICE && s.askPrice !== NO_PRICE) this.lastMid = (s.bidPrice + s.askPrice) / 2;
    const side = this.drawOrder(now, this.limitSigns);
    const qty = this.drawnQty;
    const price = this.limitPrice(now, s, side);
    if (price !== price) return; // NaN: nothing to anchor to
    this.lastReference = price;
    const slot = this.freeSlot();
    const order = this.placeLimit(side, price, qty);
    order.tag = slot;
    this.slots[slot] = order;
    this.freeSlots.take(slot);
    if (this.meanOrderLifetimeUs === Number.POSITIVE_INFINITY) return;
    const lifetime = this.cancelDistanceExponent === 0 ? this.meanOrderLifetimeUs : this.meanOrderLifetimeUs * Math.pow(1 + this.lastDistance, this.cancelDistanceExponent);
    const death = now + this.exponentialDelay(lifetime);
    this.deaths.add(slot, death);
    if (death < this.cancelWakeUs) this.wakeForCancelAt(death);
  }

  /** A resting order filled, cancelled by the venue or refused: its slot is free. */
  protected override onClosed(order: TrackedOrder): void {
    const slot = order.tag;
    if (slot >= 0 && this.slots[slot] === order) this.vacate(slot);
  }

  private vacate(slot: number): void {
    this.slots[slot] = undefined;
    this.freeSlots.release(slot);
    this.deaths.remove(slot);
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
    const d =
      this.distanceLaw === 'linear'
        ? linearTicks(this.rng, this.maxDistanceTicks)
        : lomaxTicks(this.rng, this.distanceScaleTicks, this.distanceTailExponent, this.maxDistanceTicks);
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

  private sendMarket(now: Micros): void {
    const side = this.drawOrder(now, this.marketSigns);
    this.placeMarket(side, this.drawnQty, this.lastReference);
  }

  /**
   * A new order's side (from `signs`, then the lean toward value) and its
   * size, left in {@link drawnQty}; a sell is cut to the lots held
   * uncommitted, and with none it becomes a buy.
   */
  private drawOrder(now: Micros, signs: OrderSignProcess): Side {
    let side = this.tilted(now, signs.next(this.rng) === 1 ? 'buy' : 'sell');
    let qty = paretoLots(this.rng, this.minQty, this.sizeTailExponent, this.maxQty);
    if (side === 'sell') {
      const sellable = this.sellable();
      if (sellable <= 0) side = 'buy';
      else if (qty > sellable) qty = sellable;
    }
    this.drawnQty = qty;
    return side;
  }

  /** The side after the fundamentalist lean (see the class comment); `side` itself with the tilt off or no mid yet. */
  private tilted(now: Micros, side: Side): Side {
    const mid = this.lastMid;
    if (this.valueTilt === 0 || mid !== mid) return side;
    const v = (this.fundamental as Pick<ValueProcess, 'valueAt'>).valueAt(now);
    const lean = this.valueTilt * Math.abs(v - mid) / v;
    if (!this.rng.bernoulli(lean < 1 ? lean : 1)) return side;
    return v > mid ? 'buy' : 'sell';
  }

  /**
   * Cancels the resting orders whose death is due, in slot order, then waits
   * for the next death among those still resting.
   */
  private cancelDue(now: Micros): void {
    const deaths = this.deaths;
    const due = this.dueSlots;
    due.length = 0;
    while (deaths.size > 0 && deaths.topTime() <= now) {
      due.push(deaths.topSlot());
      deaths.pop();
    }
    if (due.length > 1) sortAscending(due);
    for (let i = 0; i < due.length; i++) {
      const slot = due[i] as number;
      const order = this.slots[slot] as TrackedOrder;
      this.vacate(slot);
      this.cancel(order);
      this.lifetimeCancels++;
    }
    if (deaths.size > 0) this.wakeForCancelAt(deaths.topTime());
  }

  /** Moves the one pending cancellation wake-up to `time`. */
  private wakeForCancelAt(time: Micros): void {
    if (this.cancelWake !== undefined) this.kernel.cancel(this.cancelWake);
    this.cancelWake = this.kernel.wakeAt(this.id, time, CANCEL);
    this.cancelWakeUs = time;
  }

  /** The lowest free slot; when all hold resting orders, the oldest is cancelled to make room. */
  private freeSlot(): number {
    const free = this.freeSlots.lowest();
    if (free >= 0) return free;
    let oldest = 0;
    for (let i = 1; i < this.slots.length; i++) {
      if ((this.slots[i] as TrackedOrder).clientOrderId < (this.slots[oldest] as TrackedOrder).clientOrderId) oldest = i;
    }
    this.cancel(this.slots[oldest] as TrackedOrder);
    this.vacate(oldest);
    return oldest;
  }

  /** Schedules the next wake-up of one purpose, unless past `endUs` or the stream is off (mean +∞). */
  private schedule(tag: number, from: Micros, meanUs: number): void {
    if (meanUs === Number.POSITIVE_INFINITY) return;
    const t = from + this.exponentialDelay(meanUs);
    if (t <= this.endUs) this.wakeAt(t, tag);
  }

}

/** Sorts a few numbers in place, ascending (insertion sort: the due cancels of one wake-up are one or two). */
function sortAscending(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = x;
  }
}
