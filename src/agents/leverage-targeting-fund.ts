import type { Micros } from '../engine/time.js';
import { requireAtLeast } from './_internals/check.js';
import { InvestorFund, type InvestorFundOptions } from './investor-fund.js';

/** Options of a {@link LeverageTargetingFund}. */
export interface LeverageTargetingFundOptions extends InvestorFundOptions {
  // intervalUs: time between decisions; default 300 000 000 (5 min).
  /**
   * The position is left alone while the target is within this fraction of
   * it (a rebalancing band: no trade for a drift of a few per cent). ≥ 0.
   * Default 0.05.
   */
  rebalanceBand?: number;
  /** Highest leverage it targets whatever its lender allows, ≥ 1 (+∞: the lender's limit alone). Default +∞. */
  leverageCap?: number;
}

/**
 * A leverage-targeting fund: the balance-sheet rule of Adrian & Shin
 * ("Liquidity and leverage", J. Financial Intermediation 19(3), 2010) and
 * of the banks of Aymanns & Farmer ("The dynamics of the leverage cycle",
 * J. Economic Dynamics & Control 50, 2015). It holds the risky asset at a
 * target leverage, the share `utilisation` of the credit its lender's
 * haircut allows — λ* = 1/(1 − u(1 − h)), capped at `leverageCap` — so the
 * haircut, set by the lender's volatility rule (a VaR constraint), sets its
 * leverage. Every `intervalUs` it marks its book at the mid and moves
 * toward λ*·W/p lots (W its equity), through the execution layer, unless
 * the target is within `rebalanceBand` of its position.
 *
 * Two feedbacks follow without being written in: when the price rises its
 * equity rises faster than its assets, its leverage falls below target and
 * it buys (leverage procyclical to assets: Adrian & Shin's positive
 * corr(Δ ln leverage, Δ ln assets) for broker-dealers); when volatility
 * rises the lender raises the haircut, λ* falls and it sells into the fall
 * (Aymanns & Farmer's leverage cycle; Brunnermeier & Pedersen 2009's
 * margin spiral).
 *
 * W is its investors' equity: with a `bankruptcyFloor` a fund ground down
 * by liquidations (each costs it the liquidator's bonus and a fire-sale
 * price) sells out, pays out and, after `reentryDelayUs`, new investors
 * bring its starting equity back (the exit and entry of Thurner, Farmer &
 * Geanakoplos 2012, §2.3, as every {@link InvestorFund}); investors' flows
 * are available too.
 */
export class LeverageTargetingFund extends InvestorFund {
  readonly rebalanceBand: number;
  readonly leverageCap: number;
  /** The leverage it targeted at its last decision (NaN before one). */
  targetLeverage = Number.NaN;

  constructor(name: string, options: LeverageTargetingFundOptions) {
    super(name, options, 300_000_000);
    this.rebalanceBand = requireAtLeast('rebalanceBand', options.rebalanceBand ?? 0.05, 0);
    this.leverageCap = options.leverageCap ?? Number.POSITIVE_INFINITY;
    if (!(this.leverageCap >= 1)) throw new RangeError(`leverageCap must be ≥ 1, got ${this.leverageCap}`);
  }

  protected override demand(_now: Micros, p: number, w: number): number {
    const lambda = Math.min(this.maxLeverage(), this.leverageCap);
    this.targetLeverage = lambda;
    const target = (lambda * w) / (p * this.minorPerTickLot);
    const position = this.tracker.position;
    if (position > 0 && Math.abs(target - position) <= this.rebalanceBand * position) return Number.NaN;
    return target;
  }
}
