import type { Micros } from '../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../market/market-data.js';
import type { OrderRejected } from '../market/order-messages.js';
import type { Side } from '../market/side.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import type { TrackedOrder } from './order-tracker.js';
import { QuotingAgent, type QuotingAgentOptions } from './quoting-agent.js';

/** Options of a {@link MarketMaker}. */
export interface MarketMakerOptions extends QuotingAgentOptions {
  /** Fundamental value: the reference when the book gives none (and the seed of an empty book). Optional. */
  fundamental?: Pick<ValueProcess, 'valueAt'>;
  /** Reference price when neither the book, a trade nor a fundamental gives one, ticks. Optional (then it waits). */
  initialPriceTicks?: number;
  /** Distance from the (skewed) centre to the best bid and best ask, ticks (may be fractional). Default 2. */
  halfSpreadTicks?: number;
  /** Size quoted at each level of each side, lots. Default 10. */
  qty?: number;
  /** Price levels quoted per side. Default 1. */
  levels?: number;
  /** Distance between consecutive levels of one side, ticks. Default 1. */
  levelSpacingTicks?: number;
  /** Both quotes move down by this many ticks per lot of inventory (up when short). Default 0.05. */
  skewTicksPerLot?: number;
  /** Inventory limit, lots: no bids at `inventory ≥ maxInventory`, no asks at `inventory ≤ −maxInventory`. Default 100. */
  maxInventory?: number;
  /** Position the maker considers flat, lots (inventory = position − target). Default `initialPosition`. */
  targetPosition?: number;
  /** Send quotes post-only (never take liquidity). Default false. */
  postOnly?: boolean;
}

/**
 * A symmetric market maker with linear inventory skew — the quoting rule of
 * Avellaneda & Stoikov (2008) in its simplest linear form, as in ABIDES'
 * market-maker agents.
 *
 * Reference price `m`: the mid of the book *without the maker's own quotes*
 * (it subtracts its open orders, from its tracker, from the L2 levels it
 * receives), so its quotes never chase themselves; when others do not quote
 * both sides, the last trade price; else the fundamental; else
 * `initialPriceTicks`; else the previous reference. With an empty book the
 * first answer seeds the book around the fundamental.
 *
 * Centre `c = m − skewTicksPerLot · inventory`; best bid `⌊c − h⌋`, best ask
 * `⌈c + h⌉` (at least one tick apart, so the quoted spread is never narrower
 * than `2h`), level `i` (from 0) `i · levelSpacingTicks` further out, `qty`
 * lots each. The bid side is cut to the lots that keep
 * `inventory ≤ maxInventory`, the ask side to those keeping
 * `inventory ≥ −maxInventory` (and, on a spot venue, to the lots held).
 *
 * Requotes on every snapshot (subscription pushes and refresh answers), but
 * only the slots whose price or size changed: the old order is cancelled and
 * a new one placed; unchanged quotes cause no message. After a new quote is
 * rejected (e.g. `INSUFFICIENT_CASH`), that side is left alone until
 * `refreshIntervalUs` (or `minIntervalUs` when refresh is off) has passed.
 *
 * Messages sent: `SubscribeMarketData` (at start), `QueryMarket` (at start and
 * every `refreshIntervalUs`), `PlaceOrder` (`'limit'`, or `'post-only'`), `CancelOrder`.
 * Messages handled: `MarketSnapshot` (pushes and answers), order reports.
 */
export class MarketMaker extends QuotingAgent {
  readonly halfSpreadTicks: number;
  readonly qty: number;
  readonly levels: number;
  readonly levelSpacingTicks: number;
  readonly skewTicksPerLot: number;
  readonly maxInventory: number;
  readonly targetPosition: number;
  readonly postOnly: boolean;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'> | undefined;
  private readonly initialPriceTicks: number;
  /** Client order id quoted at each level (0: none). */
  private readonly bidSlots: number[];
  private readonly askSlots: number[];
  private bidBlockedUntil: Micros = -1;
  private askBlockedUntil: Micros = -1;
  /** Last reference price used, ticks (NaN before the first). */
  reference = Number.NaN;

  constructor(name: string, options: MarketMakerOptions) {
    const levels = requireInt('levels', options.levels ?? 1, 1);
    super(name, options, levels);
    this.levels = levels;
    this.halfSpreadTicks = requireAtLeast('halfSpreadTicks', options.halfSpreadTicks ?? 2, 0);
    this.qty = requireInt('qty', options.qty ?? 10, 1);
    this.levelSpacingTicks = requireInt('levelSpacingTicks', options.levelSpacingTicks ?? 1, 1);
    this.skewTicksPerLot = requireAtLeast('skewTicksPerLot', options.skewTicksPerLot ?? 0.05, 0);
    this.maxInventory = requireInt('maxInventory', options.maxInventory ?? 100, 0);
    this.targetPosition = options.targetPosition ?? options.initialPosition ?? 0;
    if (!Number.isSafeInteger(this.targetPosition)) throw new RangeError(`targetPosition must be an integer of lots, got ${this.targetPosition}`);
    this.postOnly = options.postOnly ?? false;
    this.fundamental = options.fundamental;
    this.initialPriceTicks = options.initialPriceTicks === undefined ? Number.NaN : requireInt('initialPriceTicks', options.initialPriceTicks, 1);
    this.bidSlots = new Array<number>(levels).fill(0);
    this.askSlots = new Array<number>(levels).fill(0);
  }

  /** Position minus target, lots. */
  get inventory(): number {
    return this.tracker.position - this.targetPosition;
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    const m = this.referencePrice(now, s);
    if (m !== m) return;
    this.reference = m;
    this.requote(now, m);
  }

  protected override onRejected(now: Micros, report: OrderRejected, order: TrackedOrder | undefined): void {
    if (report.orderId !== 0 || order === undefined) return;
    const until = now + (this.refreshIntervalUs > 0 ? this.refreshIntervalUs : Math.max(1, this.minIntervalUs));
    if (order.side === 'buy') this.bidBlockedUntil = until;
    else this.askBlockedUntil = until;
  }

  /** Places the desired quotes, touching only the slots that changed. */
  private requote(now: Micros, m: number): void {
    const inventory = this.inventory;
    const centre = m - this.skewTicksPerLot * inventory;
    const bestBid = Math.floor(centre - this.halfSpreadTicks);
    let bestAsk = Math.ceil(centre + this.halfSpreadTicks);
    if (bestAsk <= bestBid) bestAsk = bestBid + 1;

    if (now >= this.bidBlockedUntil) {
      let capacity = this.maxInventory - inventory;
      for (let i = 0; i < this.levels; i++) {
        const price = bestBid - i * this.levelSpacingTicks;
        const qty = price >= 1 && capacity > 0 ? Math.min(this.qty, capacity) : 0;
        capacity -= qty;
        this.updateSlot(this.bidSlots, i, 'buy', price, qty);
      }
    }
    if (now >= this.askBlockedUntil) {
      let capacity = this.maxInventory + inventory;
      if (!this.shortSelling && this.tracker.position < capacity) capacity = this.tracker.position;
      for (let i = 0; i < this.levels; i++) {
        const price = bestAsk + i * this.levelSpacingTicks;
        const qty = capacity > 0 ? Math.min(this.qty, capacity) : 0;
        capacity -= qty;
        this.updateSlot(this.askSlots, i, 'sell', price, qty);
      }
    }
  }

  private updateSlot(slots: number[], i: number, side: Side, price: number, qty: number): void {
    const id = slots[i];
    const current = id !== 0 ? this.tracker.get(id) : undefined;
    if (current !== undefined && !current.cancelRequested) {
      if (qty > 0 && current.price === price && current.qty === qty) return;
      this.cancel(current);
    }
    slots[i] = qty > 0 ? this.placeLimit(side, price, qty, this.postOnly ? 'post-only' : 'limit').clientOrderId : 0;
  }

  private referencePrice(now: Micros, s: MarketSnapshot): number {
    const bid = this.othersBest('buy', s.bids, s.bidPrice, s.bidQty);
    const ask = this.othersBest('sell', s.asks, s.askPrice, s.askQty);
    if (bid !== NO_PRICE && ask !== NO_PRICE && bid < ask) return (bid + ask) / 2;
    if (s.lastPrice !== NO_PRICE) return s.lastPrice;
    if (this.fundamental !== undefined) return this.fundamental.valueAt(now);
    if (this.initialPriceTicks === this.initialPriceTicks) return this.initialPriceTicks;
    return this.reference;
  }
}
