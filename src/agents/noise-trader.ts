import type { Micros } from '../engine/time.js';
import { NO_PRICE, midOf, type MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast, requireInt, requireProbability, requireTimeOrInfinity } from './_internals/check.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/**
 * How far from the reference price a noise order is placed, in ticks. The
 * offset is symmetric around zero whatever the side, so some limit orders are
 * marketable (they cross the spread and trade) and the rest rest at a random
 * depth — the zero-intelligence order flow of Gode & Sunder (1993) as used by
 * ABIDES' noise agents.
 */
export type PriceOffset =
  /** Integer offset `round(Normal(0, sdTicks))`. */
  | { readonly kind: 'normal'; readonly sdTicks: number }
  /** Integer offset uniform on `[-maxTicks, maxTicks]`. */
  | { readonly kind: 'uniform'; readonly maxTicks: number };

/** Options of a {@link NoiseTrader}. */
export interface NoiseTraderOptions extends TradingAgentOptions {
  /** Mean time between arrivals, µs (exponential inter-arrival: a Poisson process). Default 1 000 000 (1 s). */
  meanInterArrivalUs?: Micros;
  /** No arrival before this time, µs. Default 0. */
  startUs?: Micros;
  /** No arrival after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Smallest order, lots. Default 1. */
  minQty?: number;
  /** Largest order, lots (sizes uniform on `[minQty, maxQty]`). Default 10. */
  maxQty?: number;
  /** Price offset distribution around the reference, ticks. Default `{ kind: 'normal', sdTicks: 5 }`. */
  offset?: PriceOffset;
  /** Probability that an arrival sends a market order instead of a limit order. Default 0.05. */
  marketOrderProb?: number;
  /** Most limit orders left open at once; the oldest is cancelled to make room. Default 5. */
  maxOpenOrders?: number;
  /** Orders older than this are cancelled at the next arrival, µs; 0 keeps them until `maxOpenOrders` pushes them out. Default 0. */
  orderLifetimeUs?: Micros;
  /** Fundamental value, used as the reference when the book has neither mid nor last trade. Optional. */
  fundamental?: Pick<ValueProcess, 'valueAt'>;
  /**
   * One arrival only, at a time uniform on `[startUs, endUs]` (needs a finite
   * `endUs`) instead of a Poisson process: ABIDES' `NoiseAgent` wakes once a
   * day at a uniform time. Default false.
   */
  once?: boolean;
}

/**
 * A zero-intelligence noise trader, after ABIDES' `NoiseAgent` and the
 * zero-intelligence traders of Gode & Sunder (1993).
 *
 * Arrivals form a Poisson process: each wake-up schedules the next one an
 * exponential delay later (mean `meanInterArrivalUs`) and sends `QueryMarket`.
 * With `once` there is a single arrival, at a uniform time in
 * `[startUs, endUs]` (ABIDES rmsc04's noise agents: one order a day).
 * On the answer it places one order: side buy/sell with equal probability,
 * size uniform on `[minQty, maxQty]` lots, a market order with probability
 * `marketOrderProb`, otherwise a GTC limit order at the reference price plus
 * a random offset (`offset`), rounded toward the passive side (buys down,
 * sells up) when the reference is a half tick, and at least 1 tick.
 *
 * Reference price: the mid; else the last trade; else the fundamental; else
 * the one side that is quoted; with none of these, no order.
 *
 * Inventory: on a spot venue (`shortSelling` false) it does not send sells it
 * could not deliver — with nothing to sell it buys, and a sell is cut to the
 * lots it holds uncommitted. So it prefers buying when it has no inventory.
 * It does not check its cash: the exchange rejects what it cannot afford, and
 * the rejection is simply dropped (no retry).
 *
 * Messages sent: `QueryMarket` (depth 0), `PlaceOrder`, `CancelOrder`.
 * Messages handled: `MarketSnapshot` (query answers), order reports.
 */
export class NoiseTrader extends TradingAgent {
  readonly meanInterArrivalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly minQty: number;
  readonly maxQty: number;
  readonly offset: PriceOffset;
  readonly marketOrderProb: number;
  readonly maxOpenOrders: number;
  readonly orderLifetimeUs: Micros;
  readonly once: boolean;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'> | undefined;
  /** Arrivals so far (each sends one query). */
  arrivals = 0;

  constructor(name: string, options: NoiseTraderOptions) {
    super(name, options, 0);
    this.meanInterArrivalUs = requireAtLeast('meanInterArrivalUs', options.meanInterArrivalUs ?? 1_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.minQty = requireInt('minQty', options.minQty ?? 1, 1);
    this.maxQty = requireInt('maxQty', options.maxQty ?? 10, this.minQty);
    this.offset = options.offset ?? { kind: 'normal', sdTicks: 5 };
    if (this.offset.kind === 'normal') requireAtLeast('offset.sdTicks', this.offset.sdTicks, 0);
    else requireInt('offset.maxTicks', this.offset.maxTicks, 0);
    this.marketOrderProb = requireProbability('marketOrderProb', options.marketOrderProb ?? 0.05);
    this.maxOpenOrders = requireInt('maxOpenOrders', options.maxOpenOrders ?? 5, 1);
    this.orderLifetimeUs = requireInt('orderLifetimeUs', options.orderLifetimeUs ?? 0, 0);
    this.fundamental = options.fundamental;
    this.once = options.once ?? false;
    if (this.once && !(this.endUs < Number.POSITIVE_INFINITY)) throw new RangeError('once needs a finite endUs: the single arrival is drawn uniformly on [startUs, endUs]');
    if (this.once && this.endUs < this.startUs) throw new RangeError(`once needs endUs ≥ startUs, got endUs ${this.endUs} < startUs ${this.startUs}`);
  }

  override onStart(now: Micros): void {
    if (this.once) {
      const from = Math.max(now, this.startUs);
      if (from <= this.endUs) this.wakeAt(this.rng.int(from, this.endUs));
      return;
    }
    this.scheduleArrival(Math.max(now, this.startUs));
  }

  override onWakeup(now: Micros, _tag: number): void {
    this.arrivals++;
    if (this.orderLifetimeUs > 0) this.cancelExpired(now);
    this.queryMarket();
    if (!this.once) this.scheduleArrival(now);
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const reference = this.reference(now, s);
    if (reference !== reference) return; // NaN: nothing to price from

    let side: Side = this.rng.bernoulli(0.5) ? 'buy' : 'sell';
    let qty = this.rng.int(this.minQty, this.maxQty);
    const market = this.rng.bernoulli(this.marketOrderProb);
    const offset = this.drawOffset();
    if (side === 'sell') {
      const sellable = this.sellable();
      if (sellable <= 0) side = 'buy';
      else if (qty > sellable) qty = sellable;
    }

    if (market) {
      this.placeMarket(side, qty, Math.max(1, Math.round(reference)));
      return;
    }
    const raw = reference + offset;
    const price = Math.max(1, side === 'buy' ? Math.floor(raw) : Math.ceil(raw));
    // Make room: cancel the oldest live orders beyond the cap.
    while (this.tracker.liveCount >= this.maxOpenOrders) {
      const oldest = this.tracker.oldestLive();
      if (oldest === undefined) break;
      this.cancel(oldest);
    }
    this.placeLimit(side, price, qty);
  }

  /** The price orders are offset from, ticks (NaN when there is none). */
  private reference(now: Micros, s: MarketSnapshot): number {
    const mid = midOf(s);
    if (mid === mid) return mid;
    if (s.lastPrice !== NO_PRICE) return s.lastPrice;
    if (this.fundamental !== undefined) return this.fundamental.valueAt(now);
    if (s.bidPrice !== NO_PRICE) return s.bidPrice;
    if (s.askPrice !== NO_PRICE) return s.askPrice;
    return Number.NaN;
  }

  private drawOffset(): number {
    const o = this.offset;
    return o.kind === 'normal' ? Math.round(this.rng.normal(0, o.sdTicks)) : this.rng.int(-o.maxTicks, o.maxTicks);
  }

  private cancelExpired(now: Micros): void {
    for (const order of this.tracker.openOrders()) {
      if (!order.cancelRequested && now - order.placedAt >= this.orderLifetimeUs) this.cancel(order);
    }
  }

  private scheduleArrival(from: Micros): void {
    const t = from + this.exponentialDelay(this.meanInterArrivalUs);
    if (t <= this.endUs) this.wakeAt(t);
  }
}
