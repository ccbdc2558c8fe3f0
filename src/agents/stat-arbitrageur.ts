import type { Micros } from '../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../market/market-data.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { RollingAutocorrelation } from './rolling-autocorrelation.js';
import { TargetPositionTrader, type TargetPositionOptions } from './target-position-trader.js';

/** Options of a {@link StatArbitrageur}. */
export interface StatArbitrageurOptions extends TargetPositionOptions {
  /** Demand gain k: lots = k · edge/mid · equity / (mid · minorPerTickLot), ≥ 0. Default 100. */
  gain?: number;
  /** Interval of the mid returns it forecasts (its clock), µs. Default 60 s. */
  sampleIntervalUs?: Micros;
  /** Returns in the rolling autocorrelation estimate, ≥ 3. Default 120. */
  returnWindow?: number;
  /** Returns needed before it trades, in [3, returnWindow]. Default 30. */
  minSamples?: number;
  /** The forecast move must exceed this many times the quoted half-spread to trade (its cost). ≥ 0. Default 1. */
  costMultiplier?: number;
  /** First sample at this time, µs. Default 0. */
  startUs?: Micros;
  /** No sample after this time, µs. Default +∞. */
  endUs?: Micros;
}

const SAMPLE = 2;

/**
 * A statistical arbitrageur (issue 12, item 3): it never sees the
 * fundamental, only the mid, and trades away the mid's own short-horizon
 * predictability — momentum (ρ > 0) and bounce (ρ < 0) alike.
 *
 * Every `sampleIntervalUs` it samples the mid (the previous mid when a side
 * is empty), adds the log return r to a rolling lag-1 autocorrelation ρ̂ of
 * the last `returnWindow` returns (an AR(1) forecast), and forecasts the next
 * return r̂ = ρ̂ · r. The forecast move in ticks, m̂ = mid · r̂, is worth
 * trading only beyond its cost, `costMultiplier` × the quoted half-spread h:
 * with edge = |m̂| − costMultiplier·h > 0 the target deviation is
 *
 *   q* = sign(r̂) · k · (edge/mid) · W / (mid · minorPerTickLot),  clamped to ±maxPosition,
 *
 * else 0 (W its equity at the mid). So after an up-move it sells when ρ̂ < 0
 * and buys when ρ̂ > 0. The trade goes through a parent order protected at the
 * forecast price mid + m̂ ∓ `limitEdgeTicks`: it never pays beyond what it
 * expects the price to be. The executions must end before the next sample
 * (the forecast is for one interval). The idea is the contrarian/momentum
 * profit of autocorrelated returns (Lo & MacKinlay, "When are contrarian
 * profits due to stock market overreaction?", Rev. Financ. Stud. 3(2), 1990)
 * and the mean-reversion signals of Avellaneda & Lee ("Statistical arbitrage
 * in the US equities market", Quant. Finance 10(7), 2010); its trading is
 * what drives the autocorrelation it feeds on toward zero.
 */
export class StatArbitrageur extends TargetPositionTrader {
  readonly gain: number;
  readonly sampleIntervalUs: Micros;
  readonly minSamples: number;
  readonly costMultiplier: number;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly acf: RollingAutocorrelation;
  /** The last forecast of the next return (NaN before it can forecast). */
  forecast = Number.NaN;
  private lastMid = Number.NaN;

  constructor(name: string, options: StatArbitrageurOptions) {
    super(name, options);
    this.gain = requireAtLeast('gain', options.gain ?? 100, 0);
    this.sampleIntervalUs = requireInt('sampleIntervalUs', options.sampleIntervalUs ?? 60_000_000, 1);
    if (this.executionHorizonUs > this.sampleIntervalUs) throw new RangeError(`executionHorizonUs (${this.executionHorizonUs} µs) is longer than sampleIntervalUs (${this.sampleIntervalUs} µs): the forecast is for one interval`);
    this.acf = new RollingAutocorrelation(requireInt('returnWindow', options.returnWindow ?? 120, 3));
    this.minSamples = requireInt('minSamples', options.minSamples ?? 30, 3);
    if (this.minSamples > this.acf.window) throw new RangeError(`minSamples (${this.minSamples}) is more than returnWindow (${this.acf.window})`);
    this.costMultiplier = requireAtLeast('costMultiplier', options.costMultiplier ?? 1, 0);
    this.startUs = requireInt('startUs', options.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
  }

  protected override onClockStart(now: Micros): void {
    const t = Math.max(now, this.startUs);
    if (t <= this.endUs) this.wakeAt(t, SAMPLE);
  }

  protected override onClock(now: Micros, tag: number): void {
    if (tag !== SAMPLE) return;
    this.requestEvaluation();
    const t = now + this.sampleIntervalUs;
    if (t <= this.endUs) this.wakeAt(t, SAMPLE);
  }

  /** FACTS.md's grid: an empty side carries the previous mid, a zero return. */
  protected override onOneSided(_now: Micros): void {
    if (this.lastMid === this.lastMid) this.acf.push(0);
  }

  /** Only the answers to its own samples reach here (it does not subscribe). */
  protected override desiredDeviation(_now: Micros, s: MarketSnapshot, mid: number): number {
    const previous = this.lastMid;
    this.lastMid = mid;
    if (previous !== previous) return Number.NaN;
    const r = Math.log(mid / previous);
    this.acf.push(r);
    const rho = this.acf.count >= this.minSamples ? this.acf.value() : Number.NaN;
    if (rho !== rho) return Number.NaN;
    this.forecast = rho * r;
    const move = mid * Math.expm1(this.forecast);
    this.reference = mid + move;
    const halfSpread = s.bidPrice === NO_PRICE || s.askPrice === NO_PRICE ? 0 : (s.askPrice - s.bidPrice) / 2;
    const edge = Math.abs(move) - this.costMultiplier * halfSpread;
    if (!(edge > 0)) return 0;
    const lots = Math.max(0, this.equityAt(mid) / (mid * this.minorPerTickLot));
    return Math.sign(move) * this.gain * (edge / mid) * lots;
  }
}
