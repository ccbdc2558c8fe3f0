import type { Micros } from '../engine/time.js';
import type { MarginCalled } from '../credit/credit-messages.js';
import type { Scheduled } from '../engine/kernel.js';
import { NO_PRICE, type MarketSnapshot, type PriceAlert } from '../market/market-data.js';
import type { OrderFilled } from '../market/order-messages.js';
import { requireAtLeast, requireInt, requireProbability, requireTimeOrInfinity } from './_internals/check.js';
import { LeveragedTrader, type LeveragedTraderOptions } from './leveraged-trader.js';

const ENTRY = 1;
const CHECK = 2;

/** Where a retail trader is in its round trip. */
export type RetailPhase = 'flat' | 'entering' | 'holding' | 'exiting';

/** Options of a {@link RetailLeveragedTrader}. */
export interface RetailLeveragedTraderOptions extends LeveragedTraderOptions {
  /** Mean time from being flat to the next entry, µs (Poisson arrivals). Default 600 000 000 (10 min). */
  meanEntryIntervalUs?: Micros;
  /** Time between decisions while entering or exiting (the buying, borrowing, selling and repaying take several), µs. Default 5 000 000 (5 s). */
  checkIntervalUs?: Micros;
  /** No entry after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Leverage taken on entry (capped by the lender's limit), > 0. Default 3. */
  targetLeverage?: number;
  /** Exit when a trade prints this fraction above the entry price. Default 0.05. */
  takeProfit?: number;
  /** Exit when a trade prints this fraction below the entry price. Default 0.05. */
  stopLoss?: number;
  /** Probability that it meets a margin call (then exits); otherwise it ignores it and is liquidated. Default 0.5. */
  meetCallProbability?: number;
}

/**
 * A retail trader on margin: it enters long at random times, at a fixed
 * target leverage, and holds until a take-profit, a stop-loss or a margin
 * call — the crowd of small leveraged longs whose stops and liquidations
 * cluster at nearby prices and feed cascades.
 *
 * Flat, it waits an exponential time (mean `meanEntryIntervalUs`), then
 * queries the market and sets its desired position to
 * `targetLeverage · W / (p·m)` lots at the mid `p` (equity `W`), which the
 * shared machinery of {@link LeveragedTrader} reaches by buying with cash
 * and looping through the lender (capped at the lender's `λ_max`), one
 * decision every `checkIntervalUs` while there is something left to do. At
 * entry it leaves a one-cancels-other watch with the venue (`WatchPrice`):
 * a trade at or below `entry·(1 − stopLoss)` or at or above
 * `entry·(1 + takeProfit)` alerts it — a broker's stop and take-profit,
 * elected by the last sale as venues' stop orders are — and it exits
 * (sells everything and repays). Holding, it sends nothing and is woken by
 * nothing else than the alert, a margin call or a liquidation. The sale is
 * a real order into the book — a market order, or with
 * `orderType: 'limit-ioc'` a marketable limit `crossTicks` below the bid
 * (or, with a schedule, IOC children) — so it gets the prices the book
 * gives, beyond the stop when the price has gapped past it, never the stop
 * price itself (`exitTriggerPrice` and `exitAveragePrice` record both). On
 * a margin call it meets it (and exits)
 * with probability `meetCallProbability`, drawn from its own stream;
 * otherwise it does nothing and the venue liquidates it. Once flat with no
 * debt, the next entry is scheduled.
 */
export class RetailLeveragedTrader extends LeveragedTrader {
  readonly meanEntryIntervalUs: Micros;
  readonly checkIntervalUs: Micros;
  readonly endUs: Micros;
  readonly targetLeverage: number;
  readonly takeProfit: number;
  readonly stopLoss: number;
  readonly meetCallProbability: number;
  phase: RetailPhase = 'flat';
  /** Mid at entry, ticks. */
  entryPrice = Number.NaN;
  /** Lots aimed at on entry. */
  entryTarget = 0;
  /** Round trips begun. */
  entries = 0;
  /** Margin calls ignored. */
  callsIgnored = 0;
  /** Price at which the last exit was triggered (the print that fired the watch, or the mid at a margin call), ticks (NaN before one). */
  exitTriggerPrice = Number.NaN;
  /** Lots sold and their Σ price·qty in the current (or last) exit. */
  exitSoldQty = 0;
  exitNotional = 0;
  /** The pending CHECK wake-up (one chain of decisions at a time), or null. */
  private checkWake: Scheduled | null = null;

  constructor(name: string, options: RetailLeveragedTraderOptions) {
    super(name, options);
    this.meanEntryIntervalUs = requireAtLeast('meanEntryIntervalUs', options.meanEntryIntervalUs ?? 600_000_000, 1);
    this.checkIntervalUs = requireInt('checkIntervalUs', options.checkIntervalUs ?? 5_000_000, 1);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.targetLeverage = options.targetLeverage ?? 3;
    if (!(this.targetLeverage > 0) || !Number.isFinite(this.targetLeverage)) throw new RangeError(`targetLeverage must be a finite number > 0, got ${this.targetLeverage}`);
    this.takeProfit = requireAtLeast('takeProfit', options.takeProfit ?? 0.05, 0);
    this.stopLoss = requireProbability('stopLoss', options.stopLoss ?? 0.05);
    this.meetCallProbability = requireProbability('meetCallProbability', options.meetCallProbability ?? 0.5);
  }

  override onStart(now: Micros): void {
    this.scheduleEntry(now);
  }

  protected override onClock(now: Micros, tag: number): void {
    if (tag === ENTRY) {
      if (this.phase !== 'flat') return;
      this.phase = 'entering';
      this.entries++;
    } else {
      this.checkWake = null;
      if (this.phase === 'flat') return;
    }
    this.decideEvery(now);
  }

  /** Queries the market now (a decision) and keeps deciding every `checkIntervalUs` until {@link onDecided} finds nothing to do. */
  private decideEvery(now: Micros): void {
    this.checkWake ??= this.kernel.wakeAt(this.id, now + this.checkIntervalUs, CHECK);
    this.queryMarket();
  }

  /** Holding with nothing in flight: the position is what the lender allows; only the watch, a call or a liquidation wakes it now. */
  protected override onDecided(_now: Micros): void {
    if (this.phase !== 'holding' || this.busy || this.checkWake === null) return;
    this.kernel.cancel(this.checkWake);
    this.checkWake = null;
  }

  protected override onPriceAlert(now: Micros, alert: PriceAlert): void {
    if (this.phase !== 'holding' || alert.watchId !== this.entries) return;
    this.beginExit(alert.price, true);
    this.decideEvery(now);
  }

  protected override decide(now: Micros, _s: MarketSnapshot): number {
    const p = this.mid;
    if (!(p > 0)) return Number.NaN;
    switch (this.phase) {
      case 'entering': {
        const w = this.equityAt(p);
        this.entryPrice = p;
        this.entryTarget = w > 0 ? Math.floor((this.targetLeverage * w) / (p * this.minorPerTickLot)) : 0;
        this.phase = 'holding';
        if (this.entryTarget > 0) this.watchExits(p);
        return this.entryTarget;
      }
      case 'holding':
        if (this.entryTarget === 0) return this.becomeFlat(now); // no equity to trade with
        return this.entryTarget;
      case 'exiting':
        if (this.tracker.position === 0 && this.loan.debt === 0 && !this.busy) return this.becomeFlat(now);
        return 0;
      case 'flat':
        return this.tracker.position > 0 ? 0 : Number.NaN;
    }
  }

  protected override onMarginCall(now: Micros, _call: MarginCalled): boolean {
    if (this.rng.bernoulli(this.meetCallProbability)) {
      if (this.phase !== 'exiting') this.beginExit(this.mid);
      this.desired = 0;
      this.decideEvery(now);
      return true;
    }
    this.callsIgnored++;
    return false;
  }

  protected override onLiquidated(now: Micros): void {
    // Whatever is left after a seizure is sold off: the round trip is over.
    if (this.phase === 'holding' || this.phase === 'entering') this.beginExit(this.mid);
    this.desired = 0;
    this.decideEvery(now);
  }

  /** Average price of the current (or last) exit's sales, ticks (NaN before a sale). */
  get exitAveragePrice(): number {
    return this.exitSoldQty === 0 ? Number.NaN : this.exitNotional / this.exitSoldQty;
  }

  protected override onFilled(_now: Micros, fill: OrderFilled): void {
    if (this.phase !== 'exiting' || fill.side !== 'sell') return;
    this.exitSoldQty += fill.qty;
    this.exitNotional += fill.price * fill.qty;
  }

  /**
   * The stop and the take-profit as one watch at the venue, in whole ticks a
   * print must reach (stopLoss 1: no stop; the watch id is the round trip's number).
   */
  private watchExits(entry: number): void {
    const stop = Math.floor(entry * (1 - this.stopLoss));
    const take = Math.ceil(entry * (1 + this.takeProfit));
    this.watchPrice(this.entries, stop >= 1 ? stop : NO_PRICE, take);
  }

  /** Starts selling out; a watch still standing (the exit was not its alert) is cancelled. */
  private beginExit(trigger: number, watchFired = false): void {
    if (this.phase === 'holding' && !watchFired) this.watchPrice(this.entries, NO_PRICE, NO_PRICE);
    this.phase = 'exiting';
    this.exitTriggerPrice = trigger;
    this.exitSoldQty = 0;
    this.exitNotional = 0;
  }

  private becomeFlat(now: Micros): number {
    this.phase = 'flat';
    this.entryPrice = Number.NaN;
    this.entryTarget = 0;
    this.scheduleEntry(now);
    return Number.NaN;
  }

  private scheduleEntry(from: Micros): void {
    const t = from + this.exponentialDelay(this.meanEntryIntervalUs);
    if (t <= this.endUs) this.wakeAt(t, ENTRY);
  }
}
