import type { Micros } from '../engine/time.js';
import type { MarketSnapshot } from '../market/market-data.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { LeveragedTrader, type LeveragedTraderOptions } from './leveraged-trader.js';

/** Options of a {@link LeveragedValueFund}. */
export interface LeveragedValueFundOptions extends LeveragedTraderOptions {
  /** The fundamental value process it observes (read-only), ticks. Required. */
  fundamental: Pick<ValueProcess, 'valueAt'>;
  /** Time between decisions, µs. Default 10 000 000 (10 s). */
  intervalUs?: Micros;
  /** First decision, µs. Default `intervalUs`. */
  startUs?: Micros;
  /** No decision after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Aggression β: desired leverage per unit of relative mispricing `(V − p)/V`, ≥ 0. Default 10. */
  beta?: number;
  /** Standard deviation of the noise on each observation of V, ticks. Default 0 (V is known, as in TFG). */
  observationSdTicks?: number;
  /** The fund's own leverage ceiling (the lender's `λ_max` applies too). Default +∞. */
  maxLeverage?: number;
}

/**
 * The value fund's demand of Thurner, Farmer & Geanakoplos (2012), §2 (the
 * funds' demand and the bank's leverage limit): with relative mispricing
 * `m = (V − p)/V`, leverage `λ = min(β·m, λ_max)` for `m > 0` and 0
 * otherwise, and demand `D = λ·W / (p·mpt)` lots (W equity in minor units,
 * mpt minor units per tick·lot). Returns 0 when `W ≤ 0`, `V ≤ 0` or `p ≤ 0`.
 */
export function valueFundDemand(v: number, p: number, beta: number, lambdaMax: number, w: number, minorPerTickLot: number): number {
  if (!(w > 0) || !(v > 0) || !(p > 0)) return 0;
  const m = (v - p) / v;
  return m > 0 ? (Math.min(beta * m, lambdaMax) * w) / (p * minorPerTickLot) : 0;
}

/**
 * A leveraged value investor after Thurner, Farmer & Geanakoplos (2012),
 * "Leverage causes fat tails and clustered volatility", Quantitative Finance
 * 12(5):695–707.
 *
 * Every `intervalUs` it observes the fundamental `V` (with Gaussian noise of
 * sd `observationSdTicks`), queries the market, and on the answer (price `p`
 * = mid, or the last trade) sets its desired position as in TFG:
 *
 * `λ = min(β · (V − p)/V, λ_max, maxLeverage)` when `V > p`, else 0;
 * `D = λ · W / (p · m)` lots ({@link valueFundDemand}),
 *
 * with `W` its equity at `p` (TFG's `D = β(V − p)·W/p` with `V = 1`, written
 * with the relative mispricing so that β does not depend on the tick size).
 * TFG cap leverage at the bank's `λ_max`; here the cap is the lender's live
 * haircut, `λ_max = 1/(1 − u(1 − h))` (= 1/h at full utilisation), learnt
 * from the lender's quoted terms or from the venue's replies, applied by the
 * base {@link LeveragedTrader} at every step (so the cap is the live one,
 * not the one at the decision). The demand is
 * continuous in the price: the fund does not dump its position at `p ≥ V`
 * but moves toward `D` — with `execution: 'twap'` or `'pov'` gradually,
 * through a parent order limit-protected at `mid·(1 ± maxSlippage)` and, for
 * buys, never above its estimate of V, re-planned when `D` moves by more
 * than `retargetThreshold` units of leverage. So the fund buys
 * with cash and loops (pledge the new lots, borrow, buy) while `V > p`, and
 * sells and repays when the mispricing narrows, when `p > V`, or when a
 * haircut rise lowers `λ_max` — the forced selling into a falling market that
 * makes returns fat-tailed in TFG. Margin calls are met by repaying from
 * cash, selling free lots, releasing what the loan allows and selling it.
 *
 * Not modelled from TFG: investors' redemptions and reinvestment by
 * performance, and the fund's re-entry after bankruptcy (a run's scenario
 * decides what a bankrupt agent may do).
 */
export class LeveragedValueFund extends LeveragedTrader {
  readonly intervalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly beta: number;
  readonly observationSdTicks: number;
  readonly maxFundLeverage: number;
  /** Last observation of V, ticks (NaN before the first). */
  lastValue = Number.NaN;
  /** Desired leverage of the last decision before the lender's cap, min(β·m, maxLeverage). */
  desiredLeverage = 0;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'>;

  constructor(name: string, options: LeveragedValueFundOptions) {
    super(name, options);
    if (options.fundamental === undefined) throw new RangeError('LeveragedValueFund needs a fundamental value process');
    this.fundamental = options.fundamental;
    this.intervalUs = requireInt('intervalUs', options.intervalUs ?? 10_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? this.intervalUs, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.beta = requireAtLeast('beta', options.beta ?? 10, 0);
    this.observationSdTicks = requireAtLeast('observationSdTicks', options.observationSdTicks ?? 0, 0);
    this.maxFundLeverage = options.maxLeverage ?? Number.POSITIVE_INFINITY;
    if (!(this.maxFundLeverage >= 0)) throw new RangeError(`maxLeverage must be ≥ 0, got ${this.maxFundLeverage}`);
  }

  override onStart(now: Micros): void {
    this.startClock(now, this.startUs, this.endUs);
  }

  protected override onClock(now: Micros, _tag: number): void {
    this.tick(now, this.intervalUs, this.endUs);
  }

  protected override decide(now: Micros, _s: MarketSnapshot): number {
    const noise = this.observationSdTicks > 0 ? this.rng.normal(0, this.observationSdTicks) : 0;
    const v = this.fundamental.valueAt(now) + noise;
    this.lastValue = v;
    const p = this.mid;
    if (!(p > 0)) return Number.NaN;
    const w = this.equityAt(p);
    if (!(w > 0) || !(v > 0)) {
      this.desiredLeverage = 0;
      return 0;
    }
    // λ_max is the lender's live limit: the base clamps to it at every step
    // (targetPosition, planStep), so a haircut learnt or raised mid-cycle acts at once.
    const lots = valueFundDemand(v, p, this.beta, this.maxFundLeverage, w, this.minorPerTickLot);
    this.desiredLeverage = (lots * p * this.minorPerTickLot) / w;
    return lots;
  }

  /** A value investor pays no more than its estimate of value for what it buys. */
  protected override buyLimitCap(): number {
    return this.lastValue === this.lastValue ? this.lastValue : Number.POSITIVE_INFINITY;
  }
}
