import type { Micros } from '../engine/time.js';
import type { MarketSnapshot } from '../market/market-data.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { TargetPositionTrader, type TargetPositionOptions } from './target-position-trader.js';

/** Options of a {@link SentimentTrader}. */
export interface SentimentTraderOptions extends TargetPositionOptions {
  /** Lots of position per unit of sentiment (the sentiment's stationary sd is 1), ≥ 0. Default 1 000. */
  scaleLots?: number;
  /** Half-life of the sentiment, µs (it mean-reverts to 0 as an Ornstein–Uhlenbeck process). Default 46 800 000 000 (two 6.5-hour days). */
  halfLifeUs?: Micros;
  /** Time between re-evaluations (and sentiment steps), µs. Default 300 000 000 (5 min). */
  intervalUs?: Micros;
  /** How far beyond the mid its parent orders may trade, as a fraction of the mid, in [0, 1). Default 0.02. */
  maxSlippage?: number;
  /** No evaluation after this time, µs. Default +∞. */
  endUs?: Micros;
}

const EVALUATE = 2;

/**
 * Uninformed demand that persists: the noise traders of De Long, Shleifer,
 * Summers & Waldmann (J. Political Economy 98(4), 1990), whose misperception
 * is itself random and slow, and of Thurner, Farmer & Geanakoplos (2012),
 * whose log demand is an AR(1) with ρ = 0.99 a period. Its position away
 * from neutral is `scaleLots · x(t)`, with x an Ornstein–Uhlenbeck process
 * of unit stationary sd and half-life `halfLifeUs`, stepped exactly
 * (x ← x·e^{−Δ/τ} + √(1 − e^{−2Δ/τ})·ε, τ = half-life / ln 2) every
 * `intervalUs` from its own random stream, and reached through the execution
 * layer. It pays up to `maxSlippage` beyond the mid: sentiment does not wait
 * for a price. The zero-intelligence flow is symmetric at every horizon;
 * this demand moves the price away from value for days, which only capital
 * that knows value — arbitrageurs, value funds, with or without leverage —
 * can lean against.
 */
export class SentimentTrader extends TargetPositionTrader {
  readonly scaleLots: number;
  readonly halfLifeUs: Micros;
  readonly intervalUs: Micros;
  readonly maxSlippage: number;
  readonly endUs: Micros;
  /** The sentiment x(t) (starts at 0). */
  sentiment = 0;
  private readonly decay: number;
  private readonly shock: number;

  constructor(name: string, options: SentimentTraderOptions) {
    super(name, options);
    this.scaleLots = requireAtLeast('scaleLots', options.scaleLots ?? 1_000, 0);
    this.halfLifeUs = requireInt('halfLifeUs', options.halfLifeUs ?? 46_800_000_000, 1);
    this.intervalUs = requireInt('intervalUs', options.intervalUs ?? 300_000_000, 1);
    this.maxSlippage = requireAtLeast('maxSlippage', options.maxSlippage ?? 0.02, 0);
    if (!(this.maxSlippage < 1)) throw new RangeError(`maxSlippage must be below 1, got ${this.maxSlippage}`);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.decay = Math.exp((-Math.LN2 * this.intervalUs) / this.halfLifeUs);
    this.shock = Math.sqrt(1 - this.decay * this.decay);
  }

  protected override onClockStart(now: Micros): void {
    this.scheduleStep(now);
  }

  protected override onClock(now: Micros, tag: number): void {
    if (tag !== EVALUATE) return;
    this.sentiment = this.decay * this.sentiment + this.shock * this.rng.normal(0, 1);
    this.requestEvaluation();
    this.scheduleStep(now);
  }

  /** The next sentiment step, unless it would fall after `endUs`. */
  private scheduleStep(now: Micros): void {
    if (now + this.intervalUs <= this.endUs) this.wakeAt(now + this.intervalUs, EVALUATE);
  }

  protected override desiredDeviation(_now: Micros, _s: MarketSnapshot, mid: number): number {
    const deviation = this.scaleLots * this.sentiment;
    // The limit is protected against the reference ∓ limitEdgeTicks: put the reference beyond the mid on the side it trades.
    const buying = this.neutralPosition + deviation > this.tracker.position;
    this.reference = buying ? mid * (1 + this.maxSlippage) + this.limitEdgeTicks : mid * (1 - this.maxSlippage) - this.limitEdgeTicks;
    return deviation;
  }
}
