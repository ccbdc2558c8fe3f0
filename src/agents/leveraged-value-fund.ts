import type { Micros } from '../engine/time.js';
import type { ValueProcess } from '../market/value-process.js';
import { requireAtLeast } from './_internals/check.js';
import { InvestorFund, type InvestorFundOptions } from './investor-fund.js';

export type { FundPhase } from './investor-fund.js';

/** Options of a {@link LeveragedValueFund}. */
export interface LeveragedValueFundOptions extends InvestorFundOptions {
  /** The fundamental value process it observes (read-only), ticks. Required. */
  fundamental: Pick<ValueProcess, 'valueAt'>;
  // intervalUs: time between decisions; default 10 000 000 (10 s).
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
 * Its investors' flows, bankruptcy and re-entry (TFG §2.3) are those of
 * every {@link InvestorFund}.
 */
export class LeveragedValueFund extends InvestorFund {
  readonly beta: number;
  readonly observationSdTicks: number;
  readonly maxFundLeverage: number;
  /** Last observation of V, ticks (NaN before the first). */
  lastValue = Number.NaN;
  /** Desired leverage of the last decision before the lender's cap, min(β·m, maxLeverage). */
  desiredLeverage = 0;
  private readonly fundamental: Pick<ValueProcess, 'valueAt'>;

  constructor(name: string, options: LeveragedValueFundOptions) {
    super(name, options, 10_000_000);
    if (options.fundamental === undefined) throw new RangeError('LeveragedValueFund needs a fundamental value process');
    this.fundamental = options.fundamental;
    this.beta = requireAtLeast('beta', options.beta ?? 10, 0);
    this.observationSdTicks = requireAtLeast('observationSdTicks', options.observationSdTicks ?? 0, 0);
    this.maxFundLeverage = options.maxLeverage ?? Number.POSITIVE_INFINITY;
    if (!(this.maxFundLeverage >= 0)) throw new RangeError(`maxLeverage must be ≥ 0, got ${this.maxFundLeverage}`);
  }

  /** Every decision observes V, with noise, whatever the market's state. */
  protected override observe(now: Micros): void {
    const noise = this.observationSdTicks > 0 ? this.rng.normal(0, this.observationSdTicks) : 0;
    this.lastValue = this.fundamental.valueAt(now) + noise;
  }

  protected override demand(_now: Micros, p: number, w: number): number {
    const v = this.lastValue;
    if (!(v > 0)) return this.onNoEquity();
    // λ_max is the lender's live limit: the base clamps to it at every step
    // (targetPosition, planStep), so a haircut learnt or raised mid-cycle acts at once.
    const lots = valueFundDemand(v, p, this.beta, this.maxFundLeverage, w, this.minorPerTickLot);
    this.desiredLeverage = (lots * p * this.minorPerTickLot) / w;
    return lots;
  }

  /** Its schedule in a call: the same demand at every price the call may clear at (it falls with the price). */
  protected override demandAt(price: number, w: number): number {
    return this.lastValue > 0 ? valueFundDemand(this.lastValue, price, this.beta, this.maxFundLeverage, w, this.minorPerTickLot) : Number.NaN;
  }

  protected override onNoEquity(): number {
    this.desiredLeverage = 0;
    return 0;
  }

  protected override onBankrupt(): void {
    this.desiredLeverage = 0;
  }

  /** Before the first trade a value investor marks at its value (it holds nothing yet, so only its schedule's search range depends on it). */
  protected override markBeforeTrades(now: Micros): number {
    return this.fundamental.valueAt(now);
  }

  /** A value investor pays no more than its estimate of value for what it buys. */
  protected override buyLimitCap(): number {
    return this.lastValue === this.lastValue ? this.lastValue : Number.POSITIVE_INFINITY;
  }
}
