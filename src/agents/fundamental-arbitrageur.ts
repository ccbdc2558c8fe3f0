import type { Micros } from '../engine/time.js';
import type { MarketSnapshot } from '../market/market-data.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { FundamentalFilter } from './fundamental-filter.js';
import { TargetPositionTrader, type TargetPositionOptions } from './target-position-trader.js';

/** Options of a {@link FundamentalArbitrageur}. */
export interface FundamentalArbitrageurOptions extends TargetPositionOptions {
  /** The fundamental value process it observes with noise. Required. */
  fundamental: Pick<ValueProcess, 'valueAt'>;
  /** Demand gain k: lots = k · (V̂ − mid)/V̂ · equity / (mid · minorPerTickLot), ≥ 0 (k = 100: a 1 % mispricing asks for the whole equity). Default 100. */
  gain?: number;
  /** Mean time between observations of the fundamental (each one re-evaluates the target), µs (Poisson). Default 5 s. */
  meanInterArrivalUs?: Micros;
  /** No observation before this time, µs. Default 0. */
  startUs?: Micros;
  /** No observation after this time, µs. Default +∞. */
  endUs?: Micros;
  /** sd of the noise on each observation of the fundamental, ticks. Default 5. */
  observationSdTicks?: number;
  /** The filter's belief of how fast the fundamental moves, ticks/√s. Default 1. */
  valueSdTicksPerSqrtSecond?: number;
}

const OBSERVE = 2;

/**
 * A fundamental arbitrageur (issue 12, item 3): capital whose demand is
 * linear in the mispricing it sees, large enough to hold the mid to value.
 *
 * On a Poisson clock it observes the fundamental with Gaussian noise and
 * filters it (a {@link FundamentalFilter}, as the ValueTrader does), then asks
 * for the book and sets its target deviation from the neutral position to
 *
 *   q* = k · (V̂ − mid)/V̂ · W / (mid · minorPerTickLot),  clamped to ±maxPosition,
 *
 * W its equity marked at the mid: a demand proportional to mispricing and to
 * wealth, as the value investors of Thurner, Farmer & Geanakoplos
 * ("Leverage causes fat tails and clustered volatility", Quant. Finance
 * 12(5), 2012, eq. 1: D = βmW/p) and the linear-demand informed trader of
 * Kyle (Econometrica 53(6), 1985). The trade toward q* is a parent order
 * protected at V̂ ∓ `limitEdgeTicks` (see {@link TargetPositionTrader}), so it
 * never pays more than its estimate of value. With `minIntervalUs` it also
 * re-evaluates on throttled book updates, against its last estimate.
 */
export class FundamentalArbitrageur extends TargetPositionTrader {
  readonly gain: number;
  readonly meanInterArrivalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly observationSdTicks: number;
  readonly filter: FundamentalFilter;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'>;

  constructor(name: string, options: FundamentalArbitrageurOptions) {
    super(name, options);
    if (options.fundamental === undefined) throw new RangeError('FundamentalArbitrageur needs a fundamental value process');
    this.fundamental = options.fundamental;
    this.gain = requireAtLeast('gain', options.gain ?? 100, 0);
    this.meanInterArrivalUs = requireAtLeast('meanInterArrivalUs', options.meanInterArrivalUs ?? 5_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.observationSdTicks = requireAtLeast('observationSdTicks', options.observationSdTicks ?? 5, 0);
    this.filter = new FundamentalFilter(this.observationSdTicks, requireAtLeast('valueSdTicksPerSqrtSecond', options.valueSdTicksPerSqrtSecond ?? 1, 0));
  }

  /** The current estimate of the fundamental, ticks (NaN before the first observation). */
  get estimate(): number {
    return this.filter.estimate;
  }

  protected override onClockStart(now: Micros): void {
    this.scheduleArrival(Math.max(now, this.startUs));
  }

  protected override onClock(now: Micros, tag: number): void {
    if (tag !== OBSERVE) return;
    this.filter.update(now, this.fundamental.valueAt(now) + this.rng.normal(0, this.observationSdTicks));
    this.requestEvaluation();
    this.scheduleArrival(now);
  }

  protected override desiredDeviation(_now: Micros, _s: MarketSnapshot, mid: number): number {
    const v = this.filter.estimate;
    if (!(v > 0)) return Number.NaN;
    this.reference = v;
    const lots = this.equityAt(mid) / (mid * this.minorPerTickLot);
    return this.gain * ((v - mid) / v) * Math.max(0, lots);
  }

  protected override callValue(_now: Micros): number {
    return this.filter.estimate;
  }

  /** The same demand at a call price: k · (V̂ − p)/V̂ · W(p)/p. */
  protected override callDeviationAt(price: number): number {
    const v = this.filter.estimate;
    const lots = this.equityAt(price) / (price * this.minorPerTickLot);
    return this.gain * ((v - price) / v) * Math.max(0, lots);
  }

  private scheduleArrival(from: Micros): void {
    const t = from + this.exponentialDelay(this.meanInterArrivalUs);
    if (t <= this.endUs) this.wakeAt(t, OBSERVE);
  }
}
