import type { Micros } from '../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../market/market-data.js';
import type { OrderRejected } from '../market/order-messages.js';
import type { Side } from '../market/side.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import { FundamentalFilter } from './fundamental-filter.js';
import type { TrackedOrder } from './order-tracker.js';
import { QuotingAgent, type QuotingAgentOptions } from './quoting-agent.js';
import { boundedSkewTicks, ewmaVarianceRate, halfSpreadTicks, levelQty, microprice } from './value-maker-quotes.js';

/** The two phases of a requote's changes: away from the spread (and cancels) first, toward it after. */
const AWAY = 0;
const TOWARD = 1;

/** Where the maker's fair value comes from. */
export type FairValueSource = 'microprice' | 'trade-ewma' | 'fundamental';

/** Options of a {@link ValueMaker}. */
export interface ValueMakerOptions extends QuotingAgentOptions {
  /** Fundamental value: the reference when the book and the tape give none. Optional. */
  fundamental?: Pick<ValueProcess, 'valueAt'>;
  /** Reference when nothing else gives one, ticks. Optional (then it waits). */
  initialPriceTicks?: number;
  /**
   * `'microprice'` (Stoikov 2018, of the others' best quotes), `'trade-ewma'`
   * (EWMA of trade prices) or `'fundamental'` (its filtered estimate of the
   * fundamental, observed with noise at each requote). Default `'microprice'`.
   */
  fairValue?: FairValueSource;
  /** `'fundamental'`: sd of the noise on each observation of the fundamental, ticks. Default 5. */
  observationSdTicks?: number;
  /** `'fundamental'`: the filter's belief of how fast the fundamental moves, ticks/√s. Default 1. */
  valueSdTicksPerSqrtSecond?: number;
  /** Weight of each new trade price in the trade EWMA, in (0, 1]. Default 0.2. */
  tradeEwmaWeight?: number;
  /** Half-spread with no volatility and no inventory, ticks. Default 1. */
  baseHalfSpreadTicks?: number;
  /** Ticks of half-spread per tick of mid sd over `volHorizonUs`. Default 1. */
  volSpreadMultiplier?: number;
  /** Half-life of the EWMA of squared mid changes, µs. Default 30 s. */
  volHalfLifeUs?: Micros;
  /** Horizon over which the mid sd is taken for the spread, µs. Default 1 s. */
  volHorizonUs?: Micros;
  /** Ticks added to the half-spread at |inventory| = maxInventory (linear in |q|). Default 2. */
  inventorySpreadTicks?: number;
  /** Most the volatility and inventory terms may add to the base half-spread, ticks. Default 20. */
  maxWideningTicks?: number;
  /** Largest inventory skew, ticks (the bound of the tanh skew). Default 3. */
  maxSkewTicks?: number;
  /** tanh steepness: skew = maxSkew·tanh(steepness·q/qmax). Default 2. */
  skewSteepness?: number;
  /** Lots per level before shrinkage. Default 10. */
  qty?: number;
  /** Levels per side. Default 3. */
  levels?: number;
  /** Ticks between levels of one side. Default 1. */
  levelSpacingTicks?: number;
  /** Inventory limit, lots. Default 1000. */
  maxInventory?: number;
  /** Exponent p of the size factor (1 − |q|/qmax)^p on the side that grows |q|. Default 1. */
  sizeShrinkExponent?: number;
  /** Position the maker considers flat, lots. Default `initialPosition`. */
  targetPosition?: number;
}

/**
 * A market maker that anchors to value and manages risk (issue 12, item 2).
 *
 * Fair value `s`: the microprice of the *others'* best quotes (its own orders
 * are subtracted from the L2 levels, so it never chases itself), or an EWMA
 * of trade prices; then the last trade, the fundamental, `initialPriceTicks`,
 * the previous value. Short-term volatility: an EWMA of the variance rate of
 * the others' mid ({@link ewmaVarianceRate}).
 *
 * Quotes: centre `s − skew(q)` with a bounded tanh skew, half-spread
 * widening with σ and |q| (capped), `levels` levels each side `qty` lots
 * shrinking on the side that would grow |q| (see value-maker-quotes.ts).
 * Every quote is post-only and never crosses: a bid that would reach the
 * others' best ask is placed one tick below it (an ask one tick above their
 * best bid). Bids are cut to the cash held and to `maxInventory − q`; asks
 * to `maxInventory + q` and, on a spot venue, to the lots held.
 *
 * Requotes on each snapshot (subscription pushes, throttled by
 * `minIntervalUs`, and one pending refresh wake-up). Only the levels whose
 * price or size changed are touched, each stale quote amended in one
 * `ModifyOrder` to a level that needs one (cancelled when none does), in an
 * order that never lets a quote meet one of the maker's own stale ones
 * (see `applyQuotes`). After a rejected new quote that side waits one
 * refresh interval.
 */
export class ValueMaker extends QuotingAgent {
  readonly fairValueSource: FairValueSource;
  readonly tradeEwmaWeight: number;
  readonly baseHalfSpreadTicks: number;
  readonly volSpreadMultiplier: number;
  readonly volHalfLifeUs: Micros;
  readonly volHorizonUs: Micros;
  readonly inventorySpreadTicks: number;
  readonly maxWideningTicks: number;
  readonly maxSkewTicks: number;
  readonly skewSteepness: number;
  readonly qty: number;
  readonly levels: number;
  readonly levelSpacingTicks: number;
  readonly maxInventory: number;
  readonly sizeShrinkExponent: number;
  readonly targetPosition: number;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'> | undefined;
  private readonly initialPriceTicks: number;
  private readonly minorPerTickLot: number;
  private readonly bidSlots: number[];
  /** Scratch of cancelChanged: the order kept at each level. */
  private readonly keptSlots: number[];
  private readonly askSlots: number[];
  /** Scratch of a requote, per side: the quotes not kept, and the level each is amended to (−1: cancelled). */
  private readonly bidStale: (TrackedOrder | undefined)[];
  private readonly askStale: (TrackedOrder | undefined)[];
  private readonly bidTarget: number[];
  private readonly askTarget: number[];
  private readonly bidPx: number[];
  private readonly bidQ: number[];
  private readonly askPx: number[];
  private readonly askQ: number[];
  private bidBlockedUntil: Micros = -1;
  private askBlockedUntil: Micros = -1;
  private lastMid = Number.NaN;
  private lastMidUs: Micros = -1;
  private lastVolume = 0;
  /** Fair value used last, ticks (NaN before the first). */
  fair = Number.NaN;
  /** EWMA of trade prices, ticks (NaN before the first trade). */
  tradeEwma = Number.NaN;
  readonly observationSdTicks: number;
  /** Its estimate of the fundamental (fair value `'fundamental'`). */
  private readonly valueFilter: FundamentalFilter;
  /** EWMA variance rate of the others' mid, ticks²/s. */
  varianceRate = 0;
  /** Half-spread and skew used last, ticks (for tests and measurement). */
  lastHalfSpread = Number.NaN;
  lastSkew = 0;

  constructor(name: string, o: ValueMakerOptions) {
    const levels = requireInt('levels', o.levels ?? 3, 1);
    super(name, o, levels);
    this.levels = levels;
    this.fairValueSource = o.fairValue ?? 'microprice';
    if (this.fairValueSource !== 'microprice' && this.fairValueSource !== 'trade-ewma' && this.fairValueSource !== 'fundamental') {
      throw new RangeError(`fairValue must be microprice, trade-ewma or fundamental, got ${String(o.fairValue)}`);
    }
    if (this.fairValueSource === 'fundamental' && o.fundamental === undefined) throw new RangeError('fairValue fundamental needs the fundamental value process');
    this.observationSdTicks = requireAtLeast('observationSdTicks', o.observationSdTicks ?? 5, 0);
    this.valueFilter = new FundamentalFilter(this.observationSdTicks, requireAtLeast('valueSdTicksPerSqrtSecond', o.valueSdTicksPerSqrtSecond ?? 1, 0));
    this.tradeEwmaWeight = o.tradeEwmaWeight ?? 0.2;
    if (!(this.tradeEwmaWeight > 0 && this.tradeEwmaWeight <= 1)) throw new RangeError(`tradeEwmaWeight must be in (0, 1], got ${this.tradeEwmaWeight}`);
    this.baseHalfSpreadTicks = requireAtLeast('baseHalfSpreadTicks', o.baseHalfSpreadTicks ?? 1, 0);
    this.volSpreadMultiplier = requireAtLeast('volSpreadMultiplier', o.volSpreadMultiplier ?? 1, 0);
    this.volHalfLifeUs = requireInt('volHalfLifeUs', o.volHalfLifeUs ?? 30_000_000, 1);
    this.volHorizonUs = requireInt('volHorizonUs', o.volHorizonUs ?? 1_000_000, 0);
    this.inventorySpreadTicks = requireAtLeast('inventorySpreadTicks', o.inventorySpreadTicks ?? 2, 0);
    this.maxWideningTicks = requireAtLeast('maxWideningTicks', o.maxWideningTicks ?? 20, 0);
    this.maxSkewTicks = requireAtLeast('maxSkewTicks', o.maxSkewTicks ?? 3, 0);
    this.skewSteepness = requireAtLeast('skewSteepness', o.skewSteepness ?? 2, 0);
    this.qty = requireInt('qty', o.qty ?? 10, 1);
    this.levelSpacingTicks = requireInt('levelSpacingTicks', o.levelSpacingTicks ?? 1, 1);
    this.maxInventory = requireInt('maxInventory', o.maxInventory ?? 1000, 1);
    this.sizeShrinkExponent = requireAtLeast('sizeShrinkExponent', o.sizeShrinkExponent ?? 1, 0);
    this.targetPosition = o.targetPosition ?? o.initialPosition ?? 0;
    if (!Number.isSafeInteger(this.targetPosition)) throw new RangeError(`targetPosition must be an integer of lots, got ${this.targetPosition}`);
    this.fundamental = o.fundamental;
    this.initialPriceTicks = o.initialPriceTicks === undefined ? Number.NaN : requireInt('initialPriceTicks', o.initialPriceTicks, 1);
    this.minorPerTickLot = o.minorPerTickLot ?? 1;
    this.bidSlots = new Array<number>(levels).fill(0);
    this.keptSlots = new Array<number>(levels).fill(0);
    this.askSlots = new Array<number>(levels).fill(0);
    this.bidStale = new Array<TrackedOrder | undefined>(levels).fill(undefined);
    this.askStale = new Array<TrackedOrder | undefined>(levels).fill(undefined);
    this.bidTarget = new Array<number>(levels).fill(-1);
    this.askTarget = new Array<number>(levels).fill(-1);
    this.bidPx = new Array<number>(levels).fill(0);
    this.bidQ = new Array<number>(levels).fill(0);
    this.askPx = new Array<number>(levels).fill(0);
    this.askQ = new Array<number>(levels).fill(0);
  }

  /** Position minus target, lots. */
  get inventory(): number {
    return this.tracker.position - this.targetPosition;
  }

  /** Short-term sd of the others' mid over `volHorizonUs`, ticks. */
  get sigmaTicks(): number {
    return Math.sqrt((this.varianceRate * this.volHorizonUs) / 1e6);
  }

  protected override onRejected(now: Micros, report: OrderRejected, order: TrackedOrder | undefined): void {
    if (report.orderId !== 0 || order === undefined) return;
    const until = now + (this.refreshIntervalUs > 0 ? this.refreshIntervalUs : Math.max(1, this.minIntervalUs));
    if (order.side === 'buy') this.bidBlockedUntil = until;
    else this.askBlockedUntil = until;
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    const bid = this.othersBest('buy', s.bids, s.bidPrice, s.bidQty);
    const bidQty = this.othersTopQty;
    const ask = this.othersBest('sell', s.asks, s.askPrice, s.askQty);
    const askQty = this.othersTopQty;
    const twoSided = bid !== NO_PRICE && ask !== NO_PRICE && bid < ask;
    if (twoSided) this.observeMid(now, (bid + ask) / 2);
    if (s.volume > this.lastVolume && s.lastPrice !== NO_PRICE) {
      // Throttled snapshots fold several trades into one observation of the last price.
      this.tradeEwma = this.tradeEwma === this.tradeEwma ? this.tradeEwma + this.tradeEwmaWeight * (s.lastPrice - this.tradeEwma) : s.lastPrice;
    }
    this.lastVolume = s.volume;
    const fair = this.fairValue(now, twoSided ? microprice(bid, bidQty, ask, askQty) : Number.NaN, s.lastPrice);
    if (fair !== fair) return;
    this.fair = fair;
    this.computeQuotes(fair, bid, ask);
    this.applyQuotes(now);
  }

  private observeMid(now: Micros, mid: number): void {
    if (this.lastMidUs >= 0) this.varianceRate = ewmaVarianceRate(this.varianceRate, mid - this.lastMid, now - this.lastMidUs, this.volHalfLifeUs);
    this.lastMid = mid;
    this.lastMidUs = now;
  }

  private fairValue(now: Micros, micro: number, lastPrice: number): number {
    if (this.fairValueSource === 'fundamental' && this.fundamental !== undefined) {
      // A dealer quoting around its own estimate of value, learnt from a noisy signal (Glosten & Milgrom 1985; Das 2005).
      this.valueFilter.update(now, this.fundamental.valueAt(now) + this.rng.normal(0, this.observationSdTicks));
      return this.valueFilter.estimate;
    }
    if (this.fairValueSource === 'trade-ewma' && this.tradeEwma === this.tradeEwma) return this.tradeEwma;
    if (micro === micro) return micro;
    if (lastPrice !== NO_PRICE) return lastPrice;
    if (this.fundamental !== undefined) return this.fundamental.valueAt(now);
    if (this.initialPriceTicks === this.initialPriceTicks) return this.initialPriceTicks;
    return this.fair;
  }

  /** Fills the desired ladders (`bidPx/bidQ`, `askPx/askQ`) around `fair`. */
  private computeQuotes(fair: number, othersBid: number, othersAsk: number): void {
    const q = this.inventory;
    const h = halfSpreadTicks(this.baseHalfSpreadTicks, this.volSpreadMultiplier, this.sigmaTicks, this.inventorySpreadTicks, q, this.maxInventory, this.maxWideningTicks);
    const skew = boundedSkewTicks(q, this.maxInventory, this.maxSkewTicks, this.skewSteepness);
    this.lastHalfSpread = h;
    this.lastSkew = skew;
    const centre = fair - skew;
    let bestBid = Math.floor(centre - h);
    let bestAsk = Math.ceil(centre + h);
    if (bestAsk <= bestBid) bestAsk = bestBid + 1;
    // Post-only, never crossing: one tick behind the others' opposite best.
    if (othersAsk !== NO_PRICE && bestBid >= othersAsk) bestBid = othersAsk - 1;
    if (othersBid !== NO_PRICE && bestAsk <= othersBid) bestAsk = othersBid + 1;

    let capacity = this.maxInventory - q;
    let cash = this.tracker.cash;
    const bidLevelQty = levelQty(this.qty, q >= 0, q, this.maxInventory, this.sizeShrinkExponent);
    for (let i = 0; i < this.levels; i++) {
      const price = bestBid - i * this.levelSpacingTicks;
      let lots = price >= 1 && capacity > 0 ? Math.min(bidLevelQty, capacity) : 0;
      const affordable = price >= 1 ? Math.floor(cash / (price * this.minorPerTickLot)) : 0;
      if (lots > affordable) lots = affordable > 0 ? affordable : 0;
      capacity -= lots;
      cash -= lots * price * this.minorPerTickLot;
      this.bidPx[i] = price;
      this.bidQ[i] = lots;
    }
    capacity = this.maxInventory + q;
    if (!this.shortSelling && this.tracker.position < capacity) capacity = this.tracker.position;
    const askLevelQty = levelQty(this.qty, q <= 0, q, this.maxInventory, this.sizeShrinkExponent);
    for (let i = 0; i < this.levels; i++) {
      const lots = capacity > 0 ? Math.min(askLevelQty, capacity) : 0;
      capacity -= lots;
      this.askPx[i] = bestAsk + i * this.levelSpacingTicks;
      this.askQ[i] = lots;
    }
  }

  /**
   * Requotes the sides not blocked. Per side, a resting quote whose price
   * and size are still wanted at some level is kept, with its queue priority;
   * each other accepted quote is amended to a level left without one (one
   * message, the cancel/replace a maker sends, instead of a cancel and a new
   * order), and cancelled when no such level is left; levels still without a
   * quote get a new post-only order. Cancels and the amendments that move a
   * quote away from the spread go first, those that move one toward it and
   * the new orders after, so no quote meets one of the maker's own stale ones.
   */
  private applyQuotes(now: Micros): void {
    const bids = now >= this.bidBlockedUntil;
    const asks = now >= this.askBlockedUntil;
    if (bids) this.pair(this.bidSlots, this.bidPx, this.bidQ, this.bidStale, this.bidTarget);
    if (asks) this.pair(this.askSlots, this.askPx, this.askQ, this.askStale, this.askTarget);
    if (bids) this.sendPhase(this.bidStale, this.bidTarget, this.bidPx, this.bidQ, 'buy', AWAY);
    if (asks) this.sendPhase(this.askStale, this.askTarget, this.askPx, this.askQ, 'sell', AWAY);
    if (bids) this.sendPhase(this.bidStale, this.bidTarget, this.bidPx, this.bidQ, 'buy', TOWARD);
    if (asks) this.sendPhase(this.askStale, this.askTarget, this.askPx, this.askQ, 'sell', TOWARD);
    if (bids) this.placeMissing(this.bidSlots, 'buy', this.bidPx, this.bidQ);
    if (asks) this.placeMissing(this.askSlots, 'sell', this.askPx, this.askQ);
  }

  /**
   * Keeps every resting quote whose price and size are still wanted at some
   * level (a ladder that moves by one tick keeps all but one order per side
   * and its queue priority); lists the others in `stale`, each with the free
   * level it is to be amended to in `target` (−1: cancelled), and reserves
   * that level for it.
   */
  private pair(slots: number[], px: readonly number[], qty: readonly number[], stale: (TrackedOrder | undefined)[], target: number[]): void {
    const kept = this.keptSlots;
    kept.fill(0);
    let n = 0;
    for (let i = 0; i < slots.length; i++) {
      const id = slots[i]!;
      if (id === 0) continue;
      slots[i] = 0;
      const current = this.tracker.get(id);
      if (current === undefined || current.cancelRequested) continue;
      let j = 0;
      while (j < px.length && !(kept[j] === 0 && qty[j]! > 0 && px[j] === current.price && qty[j] === current.qty)) j++;
      if (j < px.length) kept[j] = id;
      else stale[n++] = current;
    }
    for (let j = 0; j < slots.length; j++) slots[j] = kept[j]!;
    let level = 0;
    for (let k = 0; k < n; k++) {
      const order = stale[k] as TrackedOrder;
      while (level < slots.length && (slots[level] !== 0 || qty[level]! <= 0)) level++;
      // A quote the venue has not accepted yet cannot be amended: it is cancelled and its level gets a new order.
      if (level < slots.length && order.orderId !== 0) {
        target[k] = level;
        slots[level] = order.clientOrderId;
      } else {
        target[k] = -1;
      }
    }
    if (n < stale.length) stale[n] = undefined;
  }

  /** Sends one phase of a side's changes: cancels and amendments away from the spread, or amendments toward it. */
  private sendPhase(stale: (TrackedOrder | undefined)[], target: readonly number[], px: readonly number[], qty: readonly number[], side: Side, phase: typeof AWAY | typeof TOWARD): void {
    for (let k = 0; k < stale.length; k++) {
      const order = stale[k];
      if (order === undefined) return;
      const level = target[k]!;
      if (level < 0) {
        if (phase === AWAY) this.cancel(order);
        continue;
      }
      const price = px[level]!;
      const away = side === 'buy' ? price <= order.price : price >= order.price;
      if (away === (phase === AWAY)) this.modify(order, price, qty[level]!, true);
    }
  }

  private placeMissing(slots: number[], side: Side, px: readonly number[], qty: readonly number[]): void {
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] !== 0 || qty[i]! <= 0) continue;
      slots[i] = this.placeLimit(side, px[i]!, qty[i]!, 'post-only').clientOrderId;
    }
  }
}
