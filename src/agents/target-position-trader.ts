import type { Micros } from '../engine/time.js';
import { midOf, type MarketSnapshot, type SubscribeMarketData } from '../market/market-data.js';
import type { OrderFilled } from '../market/order-messages.js';
import type { TrackedOrder } from './order-tracker.js';
import { FEE_ALLOWANCE, buyHoldPerLot } from './_internals/buy-hold.js';
import { requireInt, requireAtLeast } from './_internals/check.js';
import type { ExecutionPlan } from './execution/execution-plan.js';
import { ParentOrderExecutor } from './execution/parent-order-executor.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** How a target position is approached: a TWAP or a participation-capped (POV) parent. */
export type TargetSchedule = 'twap' | 'pov';

/** Options every target-position trader shares (sizes in lots, times in µs, prices in ticks). */
export interface TargetPositionOptions extends TradingAgentOptions {
  /** Largest deviation from the neutral position, lots ≥ 1. Default 1 000. */
  maxPosition?: number;
  /** Parent schedule. Default `'twap'`. */
  schedule?: TargetSchedule;
  /** Time a parent has to reach the target, µs ≥ 1. Default 30 s. */
  executionHorizonUs?: Micros;
  /** Time between child orders, µs, in [1, executionHorizonUs]. Default 5 s. */
  sliceIntervalUs?: Micros;
  /** POV: share of the previous interval's market volume, in (0, 1]. Default 0.1. */
  participationRate?: number;
  /** Children are priced this many ticks through the touch, never beyond the limit. Default 1. */
  crossTicks?: number;
  /**
   * Limit protection: a buy pays at most ⌊reference − limitEdgeTicks⌋ and a
   * sell receives at least ⌈reference + limitEdgeTicks⌉, where the reference
   * is the agent's value (its estimate of the fundamental, its forecast of the
   * mid). ≥ 0. Default 1.
   */
  limitEdgeTicks?: number;
  /** A parent is (re)started only for at least this many lots, and a working one is kept while within it of the new size. Default 10. */
  minTradeQty?: number;
  /** Throttle of a market-data subscription that re-evaluates the target on book changes, µs; 0: none (evaluate on the agent's own clock only). Default 0. */
  minIntervalUs?: Micros;
  /** Limit orders of the demand ladder it sends into a call auction, per side; 0: it stays out of calls. Default 10. */
  callLadderLevels?: number;
}

/** Wake-up tag of the executor; subclasses use other tags for their clocks. */
const EXECUTE = 1;

/**
 * Base of the arbitrageurs: an agent that holds a target position and moves
 * toward it through the execution layer, never by a block order.
 *
 * On each evaluation (a query answer the subclass asked for with
 * {@link requestEvaluation}, or a throttled book update when subscribed) the
 * subclass returns a desired deviation from the neutral position (the lots it
 * started with: on a spot venue that stock is what lets it sell) and a
 * reference price. The target is the deviation truncated to whole lots and
 * clamped to ±`maxPosition` (and to ≥ 0 lots without short selling); the
 * trade is target − position − lots already in open children, sized within
 * what the agent can pay for (cash less a fee allowance) or deliver (lots
 * held), so pre-trade risk has nothing to refuse. The trade is worked as one
 * parent order (TWAP or POV over `executionHorizonUs`, IOC children priced
 * `crossTicks` through the touch) protected at reference ∓ `limitEdgeTicks`:
 * it never pays beyond its value. A working parent on the same side, at the
 * same limit, within `minTradeQty` lots of the new trade is left alone; any
 * other is cancelled and replaced (or just cancelled when the new trade is
 * below `minTradeQty`). At most one executor wake-up and one clock wake-up
 * are pending; no closures are made per event.
 */
export abstract class TargetPositionTrader extends TradingAgent {
  readonly maxPosition: number;
  readonly schedule: TargetSchedule;
  readonly executionHorizonUs: Micros;
  readonly sliceIntervalUs: Micros;
  readonly participationRate: number;
  readonly crossTicks: number;
  readonly limitEdgeTicks: number;
  readonly minTradeQty: number;
  readonly minIntervalUs: Micros;
  /** The position the agent considers flat, lots (its starting position). */
  readonly neutralPosition: number;
  /** Evaluations made. */
  evaluations = 0;
  /** Parents started. */
  parentsStarted = 0;
  /** Working parents cancelled because the target changed. */
  parentsCancelled = 0;
  /** The last target position, lots (NaN before the first evaluation). */
  target = Number.NaN;
  /** The last reference price the limit was protected against, ticks (NaN before). */
  reference = Number.NaN;
  /** Lots per tick of the instrument's price, minor units (for capital and buying power). */
  protected readonly minorPerTickLot: number;
  /** Works the parent toward the target (read-only outside: its state, fills). */
  readonly executor: ParentOrderExecutor;
  /** The executor's parent, rewritten for each new parent (one record, reused). */
  private readonly plan: { -readonly [K in keyof ExecutionPlan]: ExecutionPlan[K] };
  private awaitingEvaluation = false;
  readonly callLadderLevels: number;
  /** The ladder working in the call in progress (empty outside calls). */
  private readonly ladder: TrackedOrder[] = [];
  /** The value the ladder was built at, and its step, ticks (NaN: none sent in this call). */
  private ladderValue = Number.NaN;
  private ladderStep = 0;
  /** Ladders sent into calls. */
  laddersSent = 0;

  protected constructor(name: string, options: TargetPositionOptions) {
    super(name, options, 0);
    this.maxPosition = requireInt('maxPosition', options.maxPosition ?? 1_000, 1);
    this.schedule = options.schedule ?? 'twap';
    if (this.schedule !== 'twap' && this.schedule !== 'pov') throw new RangeError(`schedule must be 'twap' or 'pov', got ${String(this.schedule)}`);
    this.executionHorizonUs = requireInt('executionHorizonUs', options.executionHorizonUs ?? 30_000_000, 1);
    this.sliceIntervalUs = requireInt('sliceIntervalUs', options.sliceIntervalUs ?? 5_000_000, 1);
    if (this.sliceIntervalUs > this.executionHorizonUs) throw new RangeError(`sliceIntervalUs (${this.sliceIntervalUs} µs) is longer than executionHorizonUs (${this.executionHorizonUs} µs): not one child could be sent`);
    this.participationRate = options.participationRate ?? 0.1;
    if (!(this.participationRate > 0 && this.participationRate <= 1)) throw new RangeError(`participationRate must be in (0, 1], got ${this.participationRate}`);
    this.crossTicks = requireInt('crossTicks', options.crossTicks ?? 1, 0);
    this.limitEdgeTicks = requireAtLeast('limitEdgeTicks', options.limitEdgeTicks ?? 1, 0);
    this.minTradeQty = requireInt('minTradeQty', options.minTradeQty ?? 10, 1);
    this.minIntervalUs = requireInt('minIntervalUs', options.minIntervalUs ?? 0, 0);
    this.minorPerTickLot = requireInt('minorPerTickLot', options.minorPerTickLot ?? 1, 1);
    this.neutralPosition = options.initialPosition ?? 0;
    this.callLadderLevels = requireInt('callLadderLevels', options.callLadderLevels ?? 10, 0);
    this.plan = {
      side: 'buy',
      qty: 1,
      startUs: 0,
      endUs: 0,
      limitPrice: 1,
      crossTicks: this.crossTicks,
      schedule: this.schedule,
      slices: Math.max(1, Math.floor(this.executionHorizonUs / this.sliceIntervalUs)),
      intervalUs: this.sliceIntervalUs,
      participationRate: this.participationRate,
      minChildQty: 1,
      // Arbitrage capital keeps to its participation cap; what is left is re-planned at the next evaluation.
      completeAtDeadline: false,
      kappaTau: 0,
    };
    this.executor = new ParentOrderExecutor(this.childOrderPort(), EXECUTE);
  }

  override onStart(now: Micros): void {
    if (this.minIntervalUs > 0) {
      const subscribe: SubscribeMarketData = { type: 'SubscribeMarketData', instrument: this.instrument, depth: 0, minIntervalUs: this.minIntervalUs };
      this.send(this.exchange, subscribe);
    }
    this.onClockStart(now);
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag === EXECUTE) this.executor.onWakeup(now);
    else this.onClock(now, tag);
  }

  /** Equity marked at `mid`, minor units: the capital the demand is scaled by (cash as the agent knows it). */
  equityAt(mid: number): number {
    return this.tracker.cash + this.tracker.position * mid * this.minorPerTickLot;
  }

  /** Starts the subclass's clock (called once, at start). */
  protected abstract onClockStart(now: Micros): void;

  /** A wake-up of the subclass's clock (any tag but the executor's). */
  protected abstract onClock(now: Micros, tag: number): void;

  /**
   * The desired deviation from the neutral position, lots (any real; the base
   * truncates and clamps it), with {@link reference} set to the price the
   * limit is protected against; NaN to keep what is being done.
   * `update`: a subscription push rather than the answer to the agent's query.
   */
  protected abstract desiredDeviation(now: Micros, s: MarketSnapshot, mid: number, update: boolean): number;

  /** An evaluation found a side of the book empty (no mid); the target is kept. */
  protected onOneSided(_now: Micros): void {}

  /** The value a call ladder is built around, ticks; NaN (the default): the agent stays out of calls. */
  protected callValue(_now: Micros): number {
    return Number.NaN;
  }

  /** The desired deviation if the call uncrossed at `price` (its demand curve; called after {@link callValue}). */
  protected callDeviationAt(_price: number): number {
    return Number.NaN;
  }

  /** Asks for a snapshot to evaluate the target on (one query; its answer may also price a slice). */
  protected requestEvaluation(): void {
    this.awaitingEvaluation = true;
    this.queryMarket();
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    if (s.update) {
      if (this.minIntervalUs > 0) this.evaluate(now, s, true);
      return;
    }
    if (this.awaitingEvaluation) {
      this.awaitingEvaluation = false;
      this.evaluate(now, s, false);
    }
    // After the evaluation: a replaced parent has forgotten its quote and asks again.
    this.executor.onSnapshot(now, s);
  }

  protected override onFilled(_now: Micros, fill: OrderFilled): void {
    this.executor.onFill(fill);
  }

  private evaluate(now: Micros, s: MarketSnapshot, update: boolean): void {
    if (s.auction !== undefined) {
      this.joinCall(now);
      return;
    }
    if (this.ladderValue === this.ladderValue) this.leaveCall();
    const mid = midOf(s);
    if (mid !== mid) {
      // A one-sided book gives no price to act on: hold.
      if (!update) this.onOneSided(now);
      return;
    }
    const raw = this.desiredDeviation(now, s, mid, update);
    if (raw !== raw) return;
    this.evaluations++;
    const target = this.clampTarget(raw);
    this.target = target;
    const t = this.tracker;
    const trade = target - t.position - (t.committedBuyQty - t.committedSellQty);
    const side = trade >= 0 ? 'buy' : 'sell';
    const limit = side === 'buy' ? Math.floor(this.reference - this.limitEdgeTicks) : Math.max(1, Math.ceil(this.reference + this.limitEdgeTicks));
    const qty = side === 'buy' ? Math.min(trade, this.affordable(limit)) : Math.min(-trade, this.sellable());
    const working = this.executor.state === 'working';
    const plan = this.plan;
    if (working && plan.side === side && plan.limitPrice === limit && Math.abs(this.executor.remainingQty - qty) < this.minTradeQty) return;
    if (working) {
      this.executor.cancel();
      this.parentsCancelled++;
    }
    if (qty < this.minTradeQty) return;
    plan.side = side;
    plan.qty = qty;
    plan.startUs = now;
    plan.endUs = now + this.executionHorizonUs;
    plan.limitPrice = limit;
    // The query's answer is passed on to the executor next (onSnapshot): it prices the first slice.
    this.executor.start(now, plan, !update);
    this.parentsStarted++;
  }

  /**
   * In a call auction there is no touch to trade at, so the agent sends its
   * demand curve as a ladder of limit orders (issue 14; the demand schedules
   * of a Walrasian call, as in Thurner, Farmer & Geanakoplos 2012): buys
   * below value − edge, sells above value + edge, `callLadderLevels` a side,
   * evenly spaced out to where the clamped target stops growing; level i
   * adds what the target would add if the call uncrossed there. What the
   * uncrossing leaves of the ladder rests in the book until the agent's
   * first evaluation in continuous trading cancels it, so the session opens
   * on its demand curve rather than on the stale book alone. A new estimate
   * of value moved by a step or more replaces the ladder; a working parent
   * is cancelled first.
   */
  private joinCall(now: Micros): void {
    if (this.callLadderLevels === 0) return;
    const v = this.callValue(now);
    if (!(v > 0)) return;
    if (this.ladderValue === this.ladderValue && Math.abs(v - this.ladderValue) < this.ladderStep) return;
    this.cancelLadder();
    if (this.executor.state === 'working') {
      this.executor.cancel();
      this.parentsCancelled++;
    }
    this.reference = v;
    const step = Math.max(1, Math.ceil(this.ladderReach(v) / this.callLadderLevels));
    this.ladderValue = v;
    this.ladderStep = step;
    this.laddersSent++;
    const t = this.tracker;
    // Read before placing: each order placed below counts as committed at once.
    const held = t.position - t.committedSellQty;
    const base = t.position + t.committedBuyQty - t.committedSellQty;
    // Cumulative lots to buy (sell) if the call uncrossed at each level, within cash (lots held).
    let budget = t.cash - t.committedBuyQty * Math.floor(v) * this.minorPerTickLot * (1 + FEE_ALLOWANCE);
    let bought = 0;
    for (let i = 0, p = Math.floor(v - this.limitEdgeTicks); i < this.callLadderLevels && p >= 1; i++, p -= step) {
      const perLot = buyHoldPerLot(p, this.minorPerTickLot, FEE_ALLOWANCE);
      const qty = Math.min(this.targetAt(p) - base - bought, Math.floor(budget / perLot));
      if (qty <= 0) continue;
      this.ladder.push(this.placeLimit('buy', p, qty));
      bought += qty;
      budget -= qty * perLot;
    }
    let sold = 0;
    for (let i = 0, p = Math.max(1, Math.ceil(v + this.limitEdgeTicks)); i < this.callLadderLevels; i++, p += step) {
      const qty = Math.min(base - this.targetAt(p) - sold, held - sold);
      if (qty <= 0) continue;
      this.ladder.push(this.placeLimit('sell', p, qty));
      sold += qty;
    }
  }

  /** The clamped target position if the call uncrossed at `price`. */
  private targetAt(price: number): number {
    const raw = this.callDeviationAt(price);
    return raw !== raw ? this.tracker.position : this.clampTarget(raw);
  }

  /** The target position for a desired deviation: truncated, within ±maxPosition, and no short position without short selling. */
  private clampTarget(raw: number): number {
    const target = this.neutralPosition + Math.max(-this.maxPosition, Math.min(this.maxPosition, Math.trunc(raw)));
    return !this.shortSelling && target < 0 ? 0 : target;
  }

  /** Ticks below `v` at which the buy target reaches its bound (doubling search; at most v/2). */
  private ladderReach(v: number): number {
    const bound = this.neutralPosition + this.maxPosition;
    let d = 1;
    while (d < v / 2 && this.targetAt(Math.floor(v - this.limitEdgeTicks - d)) < bound) d *= 2;
    return Math.min(d, Math.floor(v / 2));
  }

  /** The call is over (the book is back): what the uncrossing left of the ladder is cancelled; the target takes over. */
  private leaveCall(): void {
    this.cancelLadder();
    this.ladderValue = Number.NaN;
  }

  private cancelLadder(): void {
    for (const order of this.ladder) if (!order.cancelRequested && order.remaining > 0) this.cancel(order);
    this.ladder.length = 0;
  }

  /** Lots a buy limited at `limit` can pay for out of cash not committed to open buys (0 for a limit below 1 tick). */
  private affordable(limit: number): number {
    if (limit < 1) return 0;
    const perLot = buyHoldPerLot(limit, this.minorPerTickLot, FEE_ALLOWANCE);
    return Math.max(0, Math.floor(this.tracker.cash / perLot) - this.tracker.committedBuyQty);
  }
}
