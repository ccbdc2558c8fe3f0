import type { Micros } from '../engine/time.js';
import type { MarginCalled } from '../credit/credit-messages.js';
import type { MarketSnapshot } from '../market/market-data.js';
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
  /** Time between price checks while in a position, µs. Default 5 000 000 (5 s). */
  checkIntervalUs?: Micros;
  /** No entry after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Leverage taken on entry (capped by the lender's limit), > 0. Default 3. */
  targetLeverage?: number;
  /** Exit when the mid rises this fraction above the entry price. Default 0.05. */
  takeProfit?: number;
  /** Exit when the mid falls this fraction below the entry price. Default 0.05. */
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
 * and looping through the lender (capped at the lender's `λ_max`). Holding,
 * it checks the mid every `checkIntervalUs` and keeps that position; at
 * `p ≥ entry·(1 + takeProfit)` or `p ≤ entry·(1 − stopLoss)` it exits
 * (sells everything and repays). The exits are stop orders as a broker
 * works them: the trigger only decides *when*; the sale is a real order
 * into the book — a market order, or with `orderType: 'limit-ioc'` a
 * marketable limit `crossTicks` below the bid (or, with a schedule, IOC
 * children) — so it gets the prices the book gives, beyond the stop when
 * the price has gapped past it, never the stop price itself
 * (`exitTriggerPrice` and `exitAveragePrice` record both). On a margin call it meets it (and exits)
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
  /** Mid at which the last exit was triggered, ticks (NaN before one). */
  exitTriggerPrice = Number.NaN;
  /** Lots sold and their Σ price·qty in the current (or last) exit. */
  exitSoldQty = 0;
  exitNotional = 0;
  /** A CHECK wake-up is scheduled (one chain of checks at a time). */
  private checkPending = false;

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
      this.checkPending = false;
      if (this.phase === 'flat') return;
    }
    this.queryMarket();
    if (!this.checkPending) {
      this.checkPending = true;
      this.wakeAt(now + this.checkIntervalUs, CHECK);
    }
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
        return this.entryTarget;
      }
      case 'holding':
        if (this.entryTarget === 0) return this.becomeFlat(now); // no equity to trade with
        if (p >= this.entryPrice * (1 + this.takeProfit) || p <= this.entryPrice * (1 - this.stopLoss)) {
          this.beginExit(p);
          return 0;
        }
        return this.entryTarget;
      case 'exiting':
        if (this.tracker.position === 0 && this.loan.debt === 0 && !this.busy) return this.becomeFlat(now);
        return 0;
      case 'flat':
        return this.tracker.position > 0 ? 0 : Number.NaN;
    }
  }

  protected override onMarginCall(_now: Micros, _call: MarginCalled): boolean {
    if (this.rng.bernoulli(this.meetCallProbability)) {
      if (this.phase !== 'exiting') this.beginExit(this.mid);
      this.desired = 0;
      return true;
    }
    this.callsIgnored++;
    return false;
  }

  protected override onLiquidated(): void {
    // Whatever is left after a seizure is sold off: the round trip is over.
    if (this.phase === 'holding' || this.phase === 'entering') this.beginExit(this.mid);
    this.desired = 0;
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

  private beginExit(trigger: number): void {
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
